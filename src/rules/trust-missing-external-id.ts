/**
 * DPY101: another account may assume the role with no `sts:ExternalId` condition.
 *
 * Who the other account is decides the finding:
 *   - a Genesys Cloud account (error): any Genesys organization could otherwise get Genesys to assume the role;
 *   - a known vendor or AWS service account (`data/known-aws-accounts.json`, fwd:cloudsec's list; error): the same
 *     confused deputy, and the message names the vendor;
 *   - the AWS documentation's example account 123456789012 (or one digit twelve times; warning): a placeholder copied
 *     from an example and never filled in, a different mistake, and the message says so;
 *   - any other account (warning), unless it is first-party: an account the scanned files show the owner deploys to or
 *     dumps from (a CDK stack's environment, a template's own ARNs, an AWS CLI output's account, `accounts.own`), or a
 *     principal that is a role the scanned files define (by name: a role of the same solution in another of its
 *     accounts). The message says how to mark an own account in the configuration.
 * Genesys and known vendor accounts are never taken for first-party by inference (only `accounts.own` can say so).
 *
 * An `sts:ExternalId` condition that a CloudFormation `Fn::If` can drop (`Condition: !If [HasExternalId, {...},
 * !Ref AWS::NoValue]`) is no condition in that branch: reported, naming the CloudFormation condition.
 *
 * Runs in the cross-file phase, since first-party accounts and roles come from every scanned file.
 *
 * Out of scope: same-account principals (`${AWS::AccountId}`, the account of the role's own ARN), unknown ones
 * (`${Param}`, `<ACCOUNT_ID>`), service and federated principals, Deny statements. Any unconditional condition on
 * `sts:ExternalId` satisfies this rule, whatever its operator or value: DPY102 judges whether it binds.
 *
 * Accounts listed in `accounts.trusted` are still reported: that list says an account is a known party (DPY105 stops
 * calling it unknown), not that the confused-deputy risk is gone; a third party trusted on purpose is exactly the one
 * that should be given an external ID. Suppress the finding with a reason when the party cannot use one.
 */
import type { Project } from "../engine/project.js";
import { defineRule, type FixProposal } from "../engine/rule.js";
import { editorFor } from "../engine/text-edits.js";
import { externalIdValue } from "../model/fixes.js";
import { isObject } from "../model/node.js";
import { accountRelation, inferredAccount, principalAccountId } from "../model/accounts.js";
import type { Origin, Principal, Statement } from "../model/entities.js";
import { isGenesysAccount } from "../model/genesys.js";
import { isPlaceholderAccount, knownVendor, vendorLabel } from "../model/known-accounts.js";
import { conditionsOn, isAllow, statementAllowsAction } from "../model/policy.js";

/** How a principal is named in messages: `account 123456789012`, or the role/user ARN and its account. */
export function principalLabel(value: string, account: string): string {
  const v = value.trim();
  if (/^\d{12}$/.test(v) || /:root$/.test(v)) return `account ${account}`;
  return `principal ${v} (account ${account})`;
}

/**
 * The accounts the scanned files show as the owner's: each entity's own account (a CLI output's, a role ARN's) or
 * the account its template or CDK stack deploys to, and `accounts.own`. Genesys and known vendor accounts are left
 * out (a file can show them without being theirs).
 */
export function firstPartyAccounts(project: Project): Set<string> {
  return project.memo("dpy101FirstPartyAccounts", () => {
    const own = new Set<string>();
    const origins: Origin[] = [...project.documents, ...project.roles, ...project.functions, ...project.functionUrls, ...project.permissions].map((e) => e.origin);
    for (const o of origins) {
      const a = o.ownAccount ?? (o.file ? inferredAccount(o) : undefined);
      if (a && !isGenesysAccount(a) && !knownVendor(a)) own.add(a);
    }
    for (const a of project.config.accounts?.own ?? []) own.add(String(a).trim());
    return own;
  });
}

/** Whether an AWS principal is a role the scanned files define (same name), other than through a `${...}` name. */
function roleOfTheSolution(project: Project, origin: Origin, p: Principal): boolean {
  const m = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(p.value.trim());
  if (!m || m[1]!.includes("${")) return false;
  return project.resolveRole(origin, { value: p.value.trim(), node: p.node }) !== undefined;
}

/**
 * The repair with a configured organization ID: `"Condition": {"StringEquals": {"sts:ExternalId": ...}}` on the
 * statement (merged into its Condition or StringEquals block when it has one), the value a `Ref` to the template's
 * organization ID parameter when there is one. Only when every principal of the statement is a Genesys account: the
 * condition would lock any other principal out.
 */
function externalIdFix(s: Statement, orgId: string | undefined): FixProposal | undefined {
  // An external ID condition an Fn::If can drop: the template's own choice, not a condition to add.
  if (!orgId?.trim() || conditionsOn(s, "sts:ExternalId").length > 0) return undefined;
  const principals = s.principals ?? [];
  if (s.notPrincipalNode || principals.length === 0 || !principals.every((p) => p.type === "AWS" && isGenesysAccount(principalAccountId(p) ?? ""))) return undefined;
  const origin = s.doc.origin;
  const to = externalIdValue(origin, orgId);
  if (!to) return undefined;
  const editor = editorFor(origin.file);
  const cond = s.conditionNode;
  let edits;
  // Terraform's aws_iam_policy_document: one more condition block (blocks with the same test are merged).
  if (editor.isBlock(s.node)) edits = editor.addEntry(s.node, "Condition", { StringEquals: { "sts:ExternalId": to.value } });
  else if (!cond) edits = editor.addEntry(s.node, "Condition", { StringEquals: { "sts:ExternalId": to.value } });
  else if (isObject(cond) && !origin.resolver.isIntrinsic(cond)) {
    const eq = cond.entries.find((e) => e.key === "StringEquals")?.value;
    if (!eq) edits = editor.addEntry(cond, "StringEquals", { "sts:ExternalId": to.value });
    else if (isObject(eq) && !origin.resolver.isIntrinsic(eq)) edits = editor.addEntry(eq, "sts:ExternalId", to.value);
  }
  return edits ? { description: `Require sts:ExternalId to be ${to.label}`, edits } : undefined;
}

export default defineRule({
  code: "DPY101",
  name: "trust-missing-external-id",
  severity: "error",
  category: "Trust and confused deputy",
  securitySeverity: 7.5,
  fixable: "safe",
  description: "Require an sts:ExternalId condition when another account may assume a role",
  fullDescription:
    "An Allow statement of a trust policy lets an AWS principal from another account (an account ID, arn:aws:iam::ACCOUNT:root, or a role or user ARN in another account) perform sts:AssumeRole, directly or through a wildcard, with no sts:ExternalId condition (or with one that a CloudFormation Fn::If can drop). An error when the account is a Genesys Cloud account or a known vendor or AWS service account (named in the message, from fwd:cloudsec's known AWS accounts list); a warning for the AWS documentation's example account 123456789012 (a placeholder never filled in) and for other accounts. First-party accounts are out of scope: the accounts the scanned files deploy to or were dumped from, accounts.own in the configuration, and roles the scanned files define. Same-account and service principals are out of scope.",
  messages: {
    genesys:
      'The Genesys Cloud account {{account}} can assume this role {{without}}, so any Genesys Cloud organization, not only yours, could have Genesys use it (confused deputy). Add "Condition": {"StringEquals": {"sts:ExternalId": "<your Genesys Cloud organization ID>"}}.',
    vendor:
      'The {{principal}} belongs to {{vendor}} (known AWS accounts list) and can assume this role {{without}}: any other {{vendor}} customer could have {{vendor}} act on this role (confused deputy). Add "Condition": {"StringEquals": {"sts:ExternalId": "<the external ID {{vendor}} issues you>"}}.',
    placeholder:
      "The account {{account}} is the AWS documentation's example account ID, not a party anyone means to trust: this trust was copied from an example and never filled in. Put the account ID of whoever must assume the role (and, for a third party, a StringEquals condition on sts:ExternalId).",
    other:
      'The {{principal}} can assume this role {{without}}: if it is a third-party service, any of its other customers could have it act on this role (confused deputy). Add a StringEquals condition on sts:ExternalId with the ID the third party issues you; if the account is yours, list it in the configuration (accounts: {own: ["{{account}}"]} in deputy.config.yaml).',
  },
  create(ctx) {
    const config = ctx.project.config;
    function check(project: Project, s: Statement): void {
      if (!isAllow(s) || !statementAllowsAction(s, "sts:AssumeRole")) return;
      const ext = conditionsOn(s, "sts:ExternalId");
      const optional = ext.length > 0 && ext.every((c) => c.optional) ? ext[0]!.optional! : undefined;
      if (ext.length > 0 && !optional) return;
      const without = optional
        ? `with no sts:ExternalId condition whenever the CloudFormation condition ${optional.when} is ${optional.present ? "false" : "true"} (the Fn::If around the condition then drops it)`
        : "with no sts:ExternalId condition";
      const origin = s.doc.origin;
      for (const p of s.principals ?? []) {
        if (p.type !== "AWS" || accountRelation(p, origin, config) !== "other") continue;
        const account = principalAccountId(p)!;
        const principal = principalLabel(p.value, account);
        if (isGenesysAccount(account)) {
          ctx.report({ origin, node: p.node, messageId: "genesys", data: { account, without }, fix: externalIdFix(s, config.genesys?.orgId) });
          continue;
        }
        const vendor = knownVendor(account);
        if (vendor) {
          ctx.report({ origin, node: p.node, messageId: "vendor", data: { principal, vendor: vendorLabel(vendor), without } });
        } else if (isPlaceholderAccount(account)) {
          ctx.report({ origin, node: p.node, messageId: "placeholder", severity: "warning", data: { account } });
        } else if (!firstPartyAccounts(project).has(account) && !roleOfTheSolution(project, origin, p)) {
          ctx.report({ origin, node: p.node, messageId: "other", severity: "warning", data: { principal, account, without } });
        }
      }
    }
    return {
      project(project) {
        for (const d of project.documents) if (d.kind === "trust") for (const s of d.statements) check(project, s);
      },
    };
  },
});
