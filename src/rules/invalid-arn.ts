/**
 * DPY207: an ARN-valued field holds a malformed ARN (`validateArn`): too few parts, a prefix other than `arn:`, an
 * unknown partition, an account that is not 12 digits where one is required, stray whitespace.
 *
 * Fields checked:
 * - `Resource` / `NotResource` values that are ARNs or look like broken ones (`ARN:aws:…`, `arn;aws:…`, ` arn:…`);
 *   other values (`"*"`, `execute-api:/*` in API Gateway resource policies, unknowns) are not ARNs to judge;
 * - `AWS` and `Federated` principals that look like ARNs (the legacy CloudFront origin access identity principal
 *   `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E…` is valid); a wildcard anywhere in a principal
 *   ARN (`arn:aws:iam::*:root`, `role/app-*`) is its own finding: IAM and KMS reject the policy, and the fix is a
 *   condition (`aws:PrincipalOrgID`, `aws:PrincipalArn`) rather than a corrected ARN;
 * - condition values of `Arn*` operators (every value), and ARN-looking values of `aws:SourceArn` / `aws:PrincipalArn`
 *   under any operator;
 * - `AWS::Lambda::Permission` `SourceArn`, `ManagedPolicyArns` and `PermissionsBoundary` of `AWS::IAM::Role`, and a
 *   Lambda function's literal `Role`.
 * Values with unresolved intrinsics or policy variables (`${...}`) are never malformed.
 */
import { defineRule } from "../engine/rule.js";
import type { Origin } from "../model/entities.js";
import { parseArnLoose, validateArn } from "../model/arn.js";
import { distinct, exampleArn } from "../model/grants.js";
import { serviceArnFormats, serviceExists } from "../model/iam-catalog.js";
import { prop } from "../model/node.js";
import { literalParts, type Str } from "../model/resolve.js";

/** `arn:`, `ARN:`, `arn;`, ` arn:` — a value meant as an ARN. */
const ARN_LIKE = /^\s*arn[^A-Za-z0-9_-]/i;
/** The legacy CloudFront origin access identity principal (its "account" is `cloudfront`, its name has spaces). */
const CLOUDFRONT_OAI = /^arn:(?:aws|aws-cn|aws-us-gov|\$\{[^}]*\}):iam::cloudfront:user\/CloudFront Origin Access Identity \S+$/;
/** A template placeholder left in the value (`<ACCOUNT_ID>`, `<my-account-id>`). */
const PLACEHOLDER = /<[^<>\s]+>/;
/** A substitution missing its `$` (`arn:{AWS::Partition}:…`). */
const MISSING_DOLLAR = /(?:^|[^$])(\{[A-Za-z][\w:.-]*\})/;

/** A concrete reason for a problem `validateArn` found, when the value shows one. */
function explain(value: string, problem: string): string {
  const placeholder = PLACEHOLDER.exec(value)?.[0];
  if (placeholder) return `it still holds the placeholder "${placeholder}" (${problem}); put the real value there`;
  const sub = MISSING_DOLLAR.exec(value)?.[1];
  if (sub) return `"${sub}" lacks its "$", so nothing substitutes it (${problem}); write "$${sub}" inside Fn::Sub`;
  return problem;
}

/** What to write instead: a corrected value when the fix is mechanical, else the catalog's ARN format for the value's service. */
function fix(value: string): string {
  const trimmed = value.trim();
  if (trimmed !== value && !validateArn(trimmed)) return `remove the whitespace: "${trimmed}"`;
  const prefixFixed = trimmed.replace(/^arn[^A-Za-z0-9_-]/i, "arn:");
  if (prefixFixed !== trimmed && !validateArn(prefixFixed)) return `write "${prefixFixed}"`;
  return `the form is ${expected(trimmed)}`;
}

function expected(value: string): string {
  const arn = parseArnLoose(value);
  const service = arn?.service.toLowerCase() ?? "";
  if (arn && service === "iam" && arn.resource === "root") return "arn:aws:iam::ACCOUNT:root (or the bare 12-digit account ID)";
  if (arn && /^[a-z0-9-]+$/.test(service) && serviceExists(service)) {
    const res = arn.resource.toLowerCase();
    let best: string | undefined;
    let bestScore = -Infinity;
    for (const f of serviceArnFormats(service)) {
      const r = parseArnLoose(f);
      if (!r || r.service !== service) continue;
      const i = r.resource.indexOf("${");
      const prefix = (i < 0 ? r.resource : r.resource.slice(0, i)).toLowerCase();
      if (!res.startsWith(prefix)) continue;
      // The longest literal prefix the value spells out; among equals, the simplest format.
      const score = prefix.length * 100 - (f.match(/\$\{/g) ?? []).length;
      if (score > bestScore) {
        best = f;
        bestScore = score;
      }
    }
    if (best) return exampleArn(best);
  }
  return "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE";
}

const ARN_CONDITION_KEYS = new Set(["aws:sourcearn", "aws:principalarn"]);

/** An ARN-looking principal with `*` or `?` in its literal text (unknowns `${...}` aside). */
function principalWildcard(value: string): boolean {
  const v = value.trim();
  return ARN_LIKE.test(v) && /[*?]/.test(literalParts(v));
}

/** `arn:aws:iam::*:root`, `arn:aws:iam::*:role/x`: the account itself wildcarded. */
const WILDCARD_ACCOUNT = /^\s*arn:(?:\$\{[^}]*\}|[^:]*):(?:iam|sts)::[^:]*[*?][^:]*:/;

export default defineRule({
  code: "DPY207",
  name: "invalid-arn",
  severity: "error",
  category: "Permissions",
  securitySeverity: 3.0,
  description: "ARN-valued fields must hold well-formed ARNs",
  fullDescription:
    "An ARN-valued field holds a malformed ARN: wrong number of parts, an account that is not 12 digits where one is required, an unknown partition, stray whitespace, or a wildcard in a principal ARN (arn:aws:iam::*:root; IAM and KMS reject it). Values containing unresolved intrinsics or policy variables are not malformed.",
  messages: {
    invalid: "Malformed ARN in {{field}}: {{problem}}. It cannot match what was meant (or IAM rejects the policy); {{fix}}.",
    principalWildcard:
      'Wildcard in the {{field}} ARN "{{value}}": IAM and KMS reject a principal ARN with a wildcard (only "*" on its own may stand for everyone), so this policy cannot be saved. {{fix}}',
  },
  create(ctx) {
    const check = (origin: Origin, s: Str, field: string, always = false) => {
      if (!always && !ARN_LIKE.test(s.value)) return;
      if (CLOUDFRONT_OAI.test(s.value)) return;
      const problem = validateArn(s.value);
      if (problem) ctx.report({ origin, node: s.node, messageId: "invalid", data: { field, problem: explain(s.value, problem.message), fix: fix(s.value) } });
    };
    const fromProperty = (origin: Origin, resource: unknown, key: string): Str[] => {
      const node = prop(prop(resource as never, "Properties"), key);
      return node ? origin.resolver.list(node) : [];
    };
    return {
      statement(stmt) {
        const origin = stmt.doc.origin;
        for (const list of [stmt.resource, stmt.notResource]) if (list) for (const v of distinct(list.values)) check(origin, v, list.key);
        for (const [ps, key] of [
          [stmt.principals, "Principal"],
          [stmt.notPrincipals, "NotPrincipal"],
        ] as const) {
          for (const p of ps ?? []) {
            if (p.type !== "AWS" && p.type !== "Federated") continue;
            if (principalWildcard(p.value)) {
              const fix = WILDCARD_ACCOUNT.test(p.value)
                ? 'To let in any account of your organization, write "Principal": {"AWS": "*"} with a StringEquals condition on aws:PrincipalOrgID (or aws:PrincipalAccount for a list of accounts).'
                : 'Name each principal, or write "Principal": {"AWS": "*"} with an ArnLike condition on aws:PrincipalArn for the pattern (and one on aws:PrincipalAccount or aws:PrincipalOrgID).';
              ctx.report({ origin, node: p.node, messageId: "principalWildcard", data: { field: `${key} ${p.type}`, value: p.value.trim(), fix } });
              continue;
            }
            check(origin, { value: p.value, node: p.node }, `${key} ${p.type}`);
          }
        }
        for (const c of stmt.conditions) {
          const arnOperator = c.op.startsWith("arn");
          if (!arnOperator && !ARN_CONDITION_KEYS.has(c.key)) continue;
          for (const v of distinct(c.values)) check(origin, v, `condition ${c.operator} ${c.keyAsWritten}`, arnOperator);
        }
      },
      permission(perm) {
        if (perm.origin.resourceType !== "AWS::Lambda::Permission") return;
        for (const v of fromProperty(perm.origin, perm.node, "SourceArn")) check(perm.origin, v, "SourceArn", true);
      },
      role(role) {
        if (role.origin.resourceType !== "AWS::IAM::Role") return;
        for (const v of fromProperty(role.origin, role.node, "ManagedPolicyArns")) check(role.origin, v, "ManagedPolicyArns", true);
        for (const v of fromProperty(role.origin, role.node, "PermissionsBoundary")) check(role.origin, v, "PermissionsBoundary", true);
      },
      lambdaFunction(fn) {
        const t = fn.origin.resourceType;
        if (t !== "AWS::Lambda::Function" && t !== "AWS::Serverless::Function") return;
        for (const v of fromProperty(fn.origin, fn.node, "Role")) check(fn.origin, v, "Role", false);
      },
    };
  },
});
