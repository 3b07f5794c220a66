/**
 * Grants that do nothing (DPY206's judgement, also read by DPY103 so that it does not call public a grant that grants
 * nothing): for each action value of a statement, whether none of the statement's resources can be anything the
 * action applies to. Two ways:
 *
 * - `mismatch`: no resource can match any resource type the action applies to, per the catalog's ARN formats
 *   (`lambda:InvokeFunction` on an `execute-api` ARN, `s3:GetObject` on a bucket ARN). A bucket ARN built from a
 *   template value (`!Sub arn:aws:s3:::${Bucket}`, `${Bucket}` a resource or parameter, no `/` in the resource part)
 *   names a bucket: a bucket name has no `/`, so object actions cannot apply to it;
 * - `wildcardOnly`: the action has no resource-level permissions (the catalog lists no resource type), so IAM matches
 *   it only against `"Resource": "*"`, and every resource of the statement names one resource (`namesOneResource`:
 *   no wildcard or unknown in its resource part); calls that need no permission (`sts:GetCallerIdentity`) aside, and
 *   so are the few actions AWS authorizes against resources although the catalog lists no resource type for them
 *   (`authorizedOnResources` in `data/access-calibration.json`: CloudFormation's CreateStackSet on stack set ARNs, in
 *   AWS's own AWSControlTowerServiceRolePolicy) and AWS's own managed policies (where AWS's grant and the catalog
 *   disagree, the catalog is what lacks a resource type).
 *
 * Permissive by design — it must never claim "cannot match" wrongly:
 * - skipped: statements with NotResource, or (for `mismatch`) with a resource that is `"*"`, not an ARN (`${Fn.Arn}`,
 *   `execute-api:/*`), an ARN whose service is unknown (`arn:aws:${Service}:…`), a malformed ARN (DPY207's), or an
 *   AWS-owned resource (account `aws`, e.g. the `arn:aws:cloudformation:REGION:aws:transform/Serverless-2016-10-31`
 *   that CreateChangeSet is granted on, which the catalog does not list);
 * - skipped: unknown values, `"*"`, and actions the catalog does not know (DPY205's); a pattern (`lambda:*`,
 *   `s3:Get*`) is inert only when all of its actions are;
 * - an unknown in the resource part (`…:${TablePath}`) may be anything there, resource type included (the S3 bucket
 *   case above aside);
 * - a resource of another service is judged only when the catalog never lets the action's service authorize against
 *   other services' resources (lambda, sqs, sns, kms…: their actions only ever take their own ARNs). Services that do
 *   (ssm on EC2 instances and ECS tasks, wafv2 on load balancers, ec2 on license configurations) have undocumented
 *   targets (ssm on EKS connector clusters), and sibling or renamed services authorize each other's ARNs
 *   (`redshift:*ResourcePolicy` on `redshift-serverless` namespaces, `codestar-connections` on `codeconnections`);
 *   none of those is judged. An action whose resource types all belong to other services (`wafv2:DisassociateWebACL`)
 *   is not judged either.
 */
import { calibration } from "./access.js";
import type { Statement } from "./entities.js";
import type { CatalogAction } from "./iam-catalog.js";
import { hasWildcard, parseArnLoose, validateArn, type ParsedArn } from "./arn.js";
import { actionsForService, editDistance } from "./iam-catalog.js";
import { actionCouldApplyTo, actionShape, distinct, exampleArn, isStarOnly, listSome, shapeActions } from "./grants.js";
import { memoize2 } from "./memo.js";
import { hasUnknown, placeholders, replacePlaceholders, type Resolver, type Str } from "./resolve.js";

/** The ARNs of a statement's resources, or undefined when any of them could be anything. */
function concreteArns(values: string[], resolver: Resolver): ParsedArn[] | undefined {
  const out: ParsedArn[] = [];
  for (const raw of values) {
    const v = bucketProbe(raw.trim(), resolver);
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

/**
 * `arn:PARTITION:s3:::${Bucket}` (or `${Bucket}-logs`), each unknown a template resource or parameter and no `/` in
 * the resource part: a bucket name, written with a stand-in name so that it matches buckets only. Other values as
 * they are.
 */
function bucketProbe(v: string, resolver: Resolver): string {
  const m = /^(arn:(?:\$\{[^}]*\}|[^:]*):s3:::)([^/:]*)$/.exec(v);
  const t = resolver.template;
  if (!m || !t || !hasUnknown(m[2]!)) return v;
  const names = placeholders(m[2]!).map((x) => x.inner);
  if (!names.every((n) => t.resources.has(n) || t.parameters.has(n))) return v;
  return m[1]! + replacePlaceholders(m[2]!, () => "bucket-name");
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

/**
 * Calls that need no permission at all, so that a grant of them is moot wherever it is scoped: "No permissions are
 * required to perform this operation" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
const NEEDS_NO_PERMISSION = new Set(["sts:getcalleridentity"]);

/**
 * Actions the catalog lists without resource types that AWS authorizes against resource ARNs all the same
 * (`authorizedOnResources` in `data/access-calibration.json`, each with its evidence and source).
 */
function authorizedOnResources(a: CatalogAction): boolean {
  return calibration().authorizedOnResources.has(a.full.toLowerCase());
}

/**
 * An ARN that names one resource: `arn:` with a resource part free of wildcards and unknowns (region and account may
 * be `${AWS::Region}`, `*`). Only such a resource is certainly not what IAM matches a wildcard-only action against:
 * a pattern (`arn:aws:logs:*:*:*`) might match whatever a service puts in the request for such actions, and an
 * unknown (`${Param}`) might be `*`.
 */
function namesOneResource(v: string): boolean {
  const arn = parseArnLoose(v);
  return arn !== undefined && v.startsWith("arn:") && arn.resource !== "" && !/[*?]/.test(arn.resource) && !hasUnknown(arn.resource);
}

export interface InertAction {
  /** The action value as written (its node is where the finding goes). */
  value: Str;
  kind: "mismatch" | "wildcardOnly";
  /** The action, or the pattern quoted. */
  action: string;
  /** The statement's resources as written, for messages. */
  resources: string;
  /** mismatch: the resource types the action takes and an example ARN. */
  types?: string;
  example?: string;
}

/** The action values of a statement that grant (or, in a Deny, deny) nothing on its resources. */
export function inertActions(stmt: Statement): InertAction[] {
  if (!stmt.action || !stmt.resource || stmt.notResource) return [];
  const resolver = stmt.doc.origin.resolver;
  const written = stmt.resource.values.map((r) => r.value);
  const quoted = (xs: string[]) => (xs.length === 1 ? `"${xs[0]}"` : `any of ${listSome(xs.map((a) => `"${a}"`), 3)}`);
  const arns = concreteArns(written, resolver);
  const allNamed = written.length > 0 && written.every((r) => namesOneResource(r.trim()));
  // AWS's own policies (a managed policy, or a copy of one) are authorized as AWS wrote them: where the catalog and
  // AWS's own grant disagree, the catalog is the one missing a resource type.
  const awsOwn = stmt.doc.awsManaged !== undefined;
  const out: InertAction[] = [];
  for (const v of distinct(stmt.action.values)) {
    const all = shapeActions(actionShape(v.value));
    if (all.length === 0) continue;
    const label = (xs: CatalogAction[]) => (xs.length === 1 ? xs[0]!.full : `"${v.value.trim()}"`);
    const actions = all.filter((a) => !a.isWildcardOnly);
    if (actions.length === 0) {
      if (allNamed && !awsOwn && !all.some((a) => NEEDS_NO_PERMISSION.has(a.full.toLowerCase()) || authorizedOnResources(a))) out.push({ value: v, kind: "wildcardOnly", action: label(all), resources: quoted(written.map((r) => r.trim())) });
      continue;
    }
    if (!arns) continue;
    if (actions.some((a) => arns.some((arn) => !judged(a, arn) || actionCouldApplyTo(a, arn.raw)))) continue;
    const { types, example } = describeFor(v.value, arns[0]!.raw);
    out.push({ value: v, kind: "mismatch", action: label(actions), resources: quoted(written.map((r) => r.trim())), types, example });
  }
  return out;
}
