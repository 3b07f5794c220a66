/**
 * DPY206: no resource of the statement can be any resource type an action applies to (per the catalog's ARN formats),
 * e.g. `lambda:InvokeFunction` on an `execute-api` ARN or `s3:GetObject` on a bucket ARN: the grant (or the Deny)
 * does nothing for that action.
 *
 * Permissive by design — it must never claim "cannot match" wrongly:
 * - skipped: statements with NotResource, or with a resource that is `"*"`, not an ARN (`${Fn.Arn}`,
 *   `execute-api:/*`), an ARN whose service is unknown (`arn:aws:${Service}:…`), a malformed ARN (DPY207's), or an AWS-owned resource (account `aws`, e.g. the
 *   `arn:aws:cloudformation:REGION:aws:transform/Serverless-2016-10-31` that CreateChangeSet is granted on, which the
 *   catalog does not list);
 * - skipped: actions that are wildcard-only (their resource is `"*"`), unknown values, `"*"`, and actions the catalog
 *   does not know (DPY205's);
 * - an unknown in the resource part (`…:${TablePath}`) may be anything there, resource type included;
 * - a pattern (`lambda:*`, `s3:Get*`) is reported only when none of its resource-level actions fits any resource;
 * - a resource of another service is judged only when the catalog never lets the action's service authorize against
 *   other services' resources (lambda, sqs, sns, kms…: their actions only ever take their own ARNs). Services that do
 *   (ssm on EC2 instances and ECS tasks, wafv2 on load balancers, ec2 on license configurations) have undocumented
 *   targets (ssm on EKS connector clusters), and sibling or renamed services authorize each other's ARNs
 *   (`redshift:*ResourcePolicy` on `redshift-serverless` namespaces, `codestar-connections` on `codeconnections`);
 *   none of those is judged. An action whose resource types all belong to other services (`wafv2:DisassociateWebACL`)
 *   is not judged either.
 */
import { defineRule } from "../engine/rule.js";
import type { CatalogAction } from "../model/iam-catalog.js";
import { hasWildcard, parseArnLoose, validateArn, type ParsedArn } from "../model/arn.js";
import { actionsForService, editDistance } from "../model/iam-catalog.js";
import { actionCouldApplyTo, actionShape, distinct, exampleArn, isStarOnly, listSome, shapeActions } from "../model/grants.js";
import { memoize2 } from "../model/memo.js";
import { hasUnknown } from "../model/resolve.js";

/** The ARNs of a statement's resources, or undefined when any of them could be anything. */
function concreteArns(values: string[]): ParsedArn[] | undefined {
  const out: ParsedArn[] = [];
  for (const raw of values) {
    const v = raw.trim();
    if (isStarOnly(v) || !v.startsWith("arn:")) return undefined;
    const arn = parseArnLoose(v);
    if (!arn || validateArn(v)) return undefined;
    if (hasUnknown(arn.service) || hasWildcard(arn.service) || arn.accountId === "aws") return undefined;
    // An unknown in the resource part (`…:${TablePath}`) may stand for anything there, type included: arnMatchesFormat
    // treats it so, and only answers "cannot match" when no value of it could.
    out.push(arn);
  }
  return out.length > 0 ? out : undefined;
}

/** Services renamed by AWS whose old and new ARNs are both in use. */
const RENAMED: Record<string, string> = { "codestar-connections": "codeconnections", codeconnections: "codestar-connections" };

/** `redshift` / `redshift-serverless`, `waf` / `waf-regional` / `wafv2`, `s3` / `s3-outposts`, and renamed pairs. */
function siblings(a: string, b: string): boolean {
  return RENAMED[a] === b || a.startsWith(`${b}-`) || b.startsWith(`${a}-`) || a === `${b}v2` || b === `${a}v2`;
}

const formatService = (f: string): string => parseArnLoose(f)?.service.toLowerCase() ?? "";

const foreignCache = new Map<string, boolean>();
/** Whether any action of the service takes another service's ARN (per the catalog). */
function authorizesForeign(service: string): boolean {
  let v = foreignCache.get(service);
  if (v === undefined) {
    v = actionsForService(service).some((a) => a.resourceTypes.some((rt) => rt.arnFormats.some((f) => formatService(f) !== service)));
    foreignCache.set(service, v);
  }
  return v;
}

/** Whether the catalog is trusted to say that this action cannot apply to a resource of this ARN's service. */
function judged(a: CatalogAction, arn: ParsedArn): boolean {
  const own = a.service;
  const svc = arn.service.toLowerCase();
  if (svc === own) return a.resourceTypes.some((rt) => rt.arnFormats.some((f) => formatService(f) === own));
  return !authorizesForeign(own) && !siblings(own, svc);
}

/** The actions of an action value that take resources (wildcard-only ones accept nothing but "*"). */
function resourceActions(value: string): CatalogAction[] {
  return shapeActions(actionShape(value)).filter((a) => !a.isWildcardOnly);
}

/** `describeTypes` for an action value and a written ARN, cached: the same pair recurs across files. */
const describeFor = memoize2((value: string, arn: string) => describeTypes(resourceActions(value), parseArnLoose(arn)!));

/** Resource type names of the actions, and the example ARN (from their formats) closest to what was written. */
function describeTypes(actions: CatalogAction[], written: ParsedArn): { types: string; example: string } {
  const names: string[] = [];
  // A service's actions share a few resource types: each distinct format is written out and compared once.
  const formats = new Set<string>();
  for (const a of actions) {
    for (const rt of a.resourceTypes) {
      if (!names.includes(rt.name)) names.push(rt.name);
      for (const f of rt.arnFormats) formats.add(f);
    }
  }
  let example = "";
  let best = Infinity;
  const known = { partition: written.partition, region: written.region, account: written.accountId };
  for (const f of formats) {
    const e = exampleArn(f, known);
    // Only a distance below the best so far matters: bounded at best - 1, the comparison stops as soon as it cannot
    // be (a length difference of `best` or more stops it before any table is built).
    const d = editDistance(e, written.raw, best - 1);
    if (d < best) {
      best = d;
      example = e;
    }
  }
  return { types: listSome(names, 3).replace(/, ([^,]*)$/, " or $1"), example };
}

export default defineRule({
  code: "DPY206",
  name: "resource-type-mismatch",
  severity: "error",
  category: "Permissions",
  securitySeverity: 3.0,
  description: "An action's resources must be of a type the action applies to",
  fullDescription:
    "None of a statement's resources can match any resource type that an action applies to (for example lambda:InvokeFunction on an execute-api ARN), so the grant does nothing for that action.",
  messages: {
    mismatch: "{{action}} does not apply to {{resources}}: it takes {{types}} ARNs such as {{example}}, so {{effect}}.",
  },
  create(ctx) {
    return {
      statement(stmt) {
        if (!stmt.action || !stmt.resource || stmt.notResource) return;
        const arns = concreteArns(stmt.resource.values.map((r) => r.value));
        if (!arns) return;
        const effect = stmt.effect === "Deny" ? "this Deny never applies to it" : "the grant does nothing";
        const resources = arns.length === 1 ? `"${arns[0]!.raw}"` : `any of ${listSome(arns.map((a) => `"${a.raw}"`), 3)}`;
        for (const v of distinct(stmt.action.values)) {
          const actions = resourceActions(v.value);
          if (actions.length === 0) continue;
          if (actions.some((a) => arns.some((arn) => !judged(a, arn) || actionCouldApplyTo(a, arn.raw)))) continue;
          const { types, example } = describeFor(v.value, arns[0]!.raw);
          ctx.report({
            origin: stmt.doc.origin,
            node: v.node,
            messageId: "mismatch",
            data: { action: actions.length === 1 ? actions[0]!.full : `"${v.value.trim()}"`, types, example, resources, effect },
          });
        }
      },
    };
  },
});
