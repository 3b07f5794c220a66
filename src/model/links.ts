/**
 * The cross-file picture the Lambda and data action rules (DPY301, DPY302, DPY404) and `deputy graph` query:
 *
 *   Genesys data action ──invokes──▶ function ARN ◀──lambda:InvokeFunction── Genesys-facing role
 *   function ──execution role──▶ role          function ──URL──▶ function URL ◀──permission── principal
 *
 * wherever the pieces are: one template, several templates, a data action export in one folder and the
 * CloudFormation in another, CLI outputs.
 *
 * Coverage of a function ARN by a grant's `Resource` is three-valued:
 *  - `yes`: the resource is literal and matches (IAM globbing: `*` and `?` match any characters, `:` included);
 *  - `no`: it cannot match, whatever its unknown parts stand for;
 *  - `maybe`: it has unknown parts (`${Param}`, `${AWS::Region}`, a policy variable) that could make it match.
 * Unknown parts are never wildcards, but the rules that use coverage to say "nothing grants this" (DPY404) treat
 * `maybe` as covering: an unknown grant that could be the function produces no finding. What is known is used:
 *  - `${Fn.Arn}` / `!Ref Fn` of a function in the same template become its ARN / name; with a literal
 *    `FunctionName` the name is exact, otherwise it is an unknown that cannot contain `:` — so `!GetAtt Fn.Arn` is
 *    known to be an unqualified ARN and does not cover an alias ARN, and `${Fn.Arn}:*` covers only qualified ARNs;
 *  - pseudo parameters (`${AWS::Region}`, `${AWS::AccountId}`, `${AWS::Partition}`) stand for one ARN field (no `:`);
 *  - any other unknown (a parameter, an import, a policy variable) may stand for anything.
 * Qualifiers (Lambda Developer Guide, permissions reference): a grant on the unqualified ARN does not cover
 * `…:function:f:alias`; `…:function:f:*` covers qualified ARNs only; `*` and `…:function:*` cover both. A target
 * qualified with `$LATEST` is treated as covered by either form (conservative).
 *
 * A role's grants are *complete* only when every policy attached to it is in the scanned files: a CloudFormation role
 * whose `ManagedPolicyArns` name a policy deputy has not seen (other than a few AWS managed policies known not to grant
 * `lambda:InvokeFunction`), a role from `iam get-role` / `iam list-roles` (which list no policies), or a role from
 * `get-account-authorization-details` whose attached managed policy is not in the output, may be allowed more than
 * deputy sees; for such a role "not covered" becomes `maybe`.
 */
import { groupBy, type Project } from "../engine/project.js";
import type { DataAction, FunctionUrl, LambdaFunction, LambdaPermission, Origin, PolicyDocument, Role, Statement } from "./entities.js";
import { genesysFacing } from "./genesys-facing.js";
import { isArray, prop, stringValue } from "./node.js";
import { actionGlobMatches, conditionsOn, isAllow, statementAllowsAction } from "./policy.js";
import { hasUnknown, replacePlaceholders, type Str } from "./resolve.js";
import { lambdaFunctionArn } from "./arn.js";
import { ANY_ONE, ANY_RUN, compileGlob, FIELD_RUN, NOT_COLON, type GlobAtom, type GlobMatcher } from "./glob.js";
import { parseTemplate } from "./genesys-template.js";

export const INVOKE = "lambda:InvokeFunction";
export const INVOKE_URL = "lambda:InvokeFunctionUrl";

export type Coverage = "yes" | "maybe" | "no";

const RANK: Record<Coverage, number> = { no: 0, maybe: 1, yes: 2 };
export function maxCoverage(a: Coverage, b: Coverage): Coverage {
  return RANK[a] >= RANK[b] ? a : b;
}

// ---------------------------------------------------------------------------------------------------------------
// Data actions

export type DataActionKind = "lambda" | "rest" | "platform" | "other";

/**
 * What a data action is: its `integrationType`, or — when that is not known (a Terraform action whose integration is
 * not in the file) — what its URL says: a Lambda ARN means an AWS Lambda action, an absolute http(s) URL a web
 * services action (the only integration type that takes one).
 */
export function dataActionKind(a: DataAction): DataActionKind | undefined {
  switch (a.integrationType) {
    case "aws-lambda-data-actions":
      return "lambda";
    case "custom-rest-actions":
      return "rest";
    case "purecloud-data-actions":
      return "platform";
    case undefined:
      break;
    default:
      return "other";
  }
  const url = a.url?.trim() ?? "";
  if (/^arn:[^:]*:lambda:/i.test(url)) return "lambda";
  if (/^https?:\/\//i.test(url)) return "rest";
  return undefined;
}

export interface LambdaTarget {
  /** The ARN as written (trimmed). */
  arn: string;
  partition: string;
  region: string;
  account: string;
  name: string;
  qualifier?: string;
  /** `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME`. */
  unqualified: string;
}

/** A literal Lambda function ARN (no template expression, no unknown, no wildcard), parsed. */
export function literalLambdaTarget(value: string | undefined): LambdaTarget | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (t.includes("${") || t.includes("%{") || /[*?]/.test(t)) return undefined;
  if (parseTemplate(t.replace(/:\$LATEST$/, "")).some((s) => s.kind === "expr")) return undefined;
  const p = lambdaFunctionArn(t);
  if (!p || !/^\d{12}$/.test(p.account) || !/^[A-Za-z0-9_-]{1,64}$/.test(p.name)) return undefined;
  const unqualified = `arn:${p.partition}:lambda:${p.region}:${p.account}:function:${p.name}`;
  return { arn: t, partition: p.partition, region: p.region, account: p.account, name: p.name, qualifier: p.qualifier, unqualified };
}

/** The literal Lambda ARN a data action invokes, when it is an AWS Lambda action with a literal ARN. */
export function dataActionTarget(a: DataAction): LambdaTarget | undefined {
  return dataActionKind(a) === "lambda" ? literalLambdaTarget(a.url) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Functions

/** The literal function name of a function entity (from `FunctionName` or a literal ARN). */
export function functionName(fn: LambdaFunction): string | undefined {
  if (fn.name && !hasUnknown(fn.name.value)) return fn.name.value;
  if (fn.arn && !hasUnknown(fn.arn.value)) return lambdaFunctionArn(fn.arn.value)?.name;
  return undefined;
}

/** A label for a function: its name, else its logical ID. */
export function functionLabel(fn: LambdaFunction): string {
  return functionName(fn) ?? fn.origin.logicalId ?? fn.arn?.value ?? "function";
}

/** The functions in the scanned files a literal ARN names (by ARN, or by name when the account/region are unknown). */
export function functionsForTarget(project: Project, t: LambdaTarget): LambdaFunction[] {
  // Candidates by name (the ARN's function name, or the function's name), in project order.
  const byName = project.memo("functionsByName", () =>
    groupBy(project.functions, (fn) => (fn.arn && !hasUnknown(fn.arn.value) ? lambdaFunctionArn(fn.arn.value)?.name : functionName(fn))),
  );
  return (byName.get(t.name) ?? []).filter((fn) => {
    if (fn.arn && !hasUnknown(fn.arn.value)) {
      const p = lambdaFunctionArn(fn.arn.value);
      return !!p && p.name === t.name && p.account === t.account && p.region === t.region;
    }
    return functionName(fn) === t.name;
  });
}

/** The execution role of a function, when it is in the scanned files. */
export function executionRole(project: Project, fn: LambdaFunction): Role | undefined {
  return fn.role ? project.resolveRole(fn.origin, fn.role) : undefined;
}

/** The functions whose execution role is `role`. */
export function functionsRunAs(project: Project, role: Role): LambdaFunction[] {
  const byRole = project.memo("functionsByRole", () => groupBy(project.functions, (fn) => executionRole(project, fn)));
  return byRole.get(role) ?? [];
}

const fnIds = new WeakMap<LambdaFunction, number>();
let nextFnId = 1;

/**
 * A key that identifies the function a value refers to (a `Ref`/`GetAtt`, a literal name or ARN): the function
 * entity when it is in the scanned files, else the unqualified ARN, else the value itself within its file (two
 * permissions naming the same parameter name the same function).
 */
export function functionKey(project: Project, origin: Origin, v: Str | undefined): string | undefined {
  if (!v) return undefined;
  const fn = project.resolveFunction(origin, v);
  if (fn) return functionEntityKey(fn);
  const t = literalLambdaTarget(v.value);
  if (t) return `arn|${t.unqualified}`;
  return `value|${origin.file.path}|${v.value}`;
}

export function functionEntityKey(fn: LambdaFunction): string {
  let id = fnIds.get(fn);
  if (id === undefined) {
    id = nextFnId++;
    fnIds.set(fn, id);
  }
  if (fn.arn && !hasUnknown(fn.arn.value)) {
    const t = literalLambdaTarget(fn.arn.value);
    if (t) return `arn|${t.unqualified}`;
  }
  return `fn|${id}`;
}

/** The function a function URL belongs to, when it is in the scanned files. */
export function functionOfUrl(project: Project, url: FunctionUrl): LambdaFunction | undefined {
  return project.resolveFunction(url.origin, url.target);
}

/** The function a permission applies to, when it is in the scanned files. */
export function functionOfPermission(project: Project, perm: LambdaPermission): LambdaFunction | undefined {
  return project.resolveFunction(perm.origin, perm.functionName);
}

// ---------------------------------------------------------------------------------------------------------------
// Resource coverage

const ONE_FIELD = "\u0001";
const ONE_NAME = "\u0002";
const ANYTHING = "\u0003";
const PSEUDO = /^AWS::(Region|AccountId|Partition|URLSuffix)$/;

/** The function resource (same file, same template) a `${X}` / `${X.Arn}` token names. */
function templateFunction(project: Project, origin: Origin, logicalId: string): LambdaFunction | undefined {
  return project.functionsByRef(origin, logicalId)[0];
}

/** Replaces `${...}` tokens by what is known about them (see the module comment). */
function substitute(project: Project, origin: Origin, value: string): string {
  return replacePlaceholders(value, (inner) => {
    if (PSEUDO.test(inner)) return ONE_FIELD;
    const m = /^([A-Za-z0-9]+)(?:\.(Arn))?$/.exec(inner);
    const fn = m ? templateFunction(project, origin, m[1]!) : undefined;
    if (!fn) return ANYTHING;
    const name = fn.name && !hasUnknown(fn.name.value) ? fn.name.value : ONE_NAME;
    return m![2] ? `arn:${ONE_FIELD}:lambda:${ONE_FIELD}:${ONE_FIELD}:function:${name}` : name;
  });
}

// Resource values come from input: matched without building a regular expression from them (see glob.ts).
const patternCache = new Map<string, GlobMatcher>();
function patternRegex(p: string): GlobMatcher {
  let hit = patternCache.get(p);
  if (!hit) {
    hit = compilePattern(p);
    patternCache.set(p, hit);
  }
  return hit;
}

function compilePattern(p: string): GlobMatcher {
  const atoms: GlobAtom[] = [];
  for (const c of p) {
    if (c === "*" || c === ANYTHING) atoms.push(ANY_RUN);
    else if (c === "?") atoms.push(ANY_ONE);
    else if (c === ONE_FIELD) atoms.push(FIELD_RUN);
    // One name: one character other than ':', then any run of them.
    else if (c === ONE_NAME) atoms.push(NOT_COLON, FIELD_RUN);
    else for (let i = 0; i < c.length; i++) atoms.push(c.charCodeAt(i));
  }
  return compileGlob(atoms);
}

/** Whether an IAM `Resource` value (in its document's origin) covers a literal function ARN. */
export function resourceCovers(project: Project, origin: Origin, resource: string, arn: string): Coverage {
  const value = resource.trim();
  if (value === "*") return "yes";
  const sub = substitute(project, origin, value);
  const unknown = sub.includes(ONE_FIELD) || sub.includes(ONE_NAME) || sub.includes(ANYTHING);
  if (!patternRegex(sub).test(arn)) return "no";
  return unknown ? "maybe" : "yes";
}

/** Coverage of a target by one statement's resources (`Resource`, or everything outside `NotResource`). */
export function statementCovers(project: Project, s: Statement, arn: string): Coverage {
  const origin = s.doc.origin;
  if (s.resource) {
    let best: Coverage = "no";
    for (const r of s.resource.values) best = maxCoverage(best, resourceCovers(project, origin, r.value, arn));
    return best;
  }
  if (s.notResource) {
    let excluded: Coverage = "no";
    for (const r of s.notResource.values) excluded = maxCoverage(excluded, resourceCovers(project, origin, r.value, arn));
    return excluded === "yes" ? "no" : excluded === "maybe" ? "maybe" : "yes";
  }
  return "no";
}

/** Coverage of a target, accepting both forms of a `$LATEST`-qualified ARN. */
function targetCoverage(cover: (arn: string) => Coverage, t: LambdaTarget): Coverage {
  const c = cover(t.arn);
  return t.qualifier === "$LATEST" ? maxCoverage(c, cover(t.unqualified)) : c;
}

// ---------------------------------------------------------------------------------------------------------------
// Roles and their grants

/** AWS managed policies known not to grant `lambda:InvokeFunction` (execution-role and other-service policies). */
const HARMLESS_AWS_MANAGED = new Set(
  [
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess",
    "CloudWatchLambdaInsightsExecutionRolePolicy",
    "AmazonLexRunBotsOnly",
    "AmazonPollyReadOnlyAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonDynamoDBReadOnlyAccess",
    "AmazonKinesisVideoStreamsReadOnlyAccess",
    "AmazonTranscribeReadOnlyAccess",
  ].map((s) => s.toLowerCase()),
);

/** An AWS managed policy known not to grant lambda:InvokeFunction (a role with it is still complete). */
export function harmlessManagedPolicy(arn: string): boolean {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn.trim().replace(/^arn:\$\{AWS::Partition\}:/, "arn:aws:"));
  return !!m && HARMLESS_AWS_MANAGED.has(m[1]!.toLowerCase());
}

export interface RoleGrantInfo {
  /** Identity policy documents of the role deputy has seen (inline, attached in the same template/output, or attached by name elsewhere). */
  policies: PolicyDocument[];
  /** Whether those are all the role's policies. */
  complete: boolean;
  /** Why not, for messages ("it has managed policies deputy has not seen"). */
  incompleteReason?: string;
}

/** The identity policies of a role, and whether deputy has seen all of them (see the module comment). */
export function roleGrantInfo(project: Project, role: Role): RoleGrantInfo {
  // Policies in other files count: cached on the project.
  const grantCache = project.entityCache<Role, RoleGrantInfo>("roleGrantInfo");
  const hit = grantCache.get(role);
  if (hit) return hit;
  const policies = [...role.policies];
  const incompleteReason = roleLocalIncompleteReason(role, project.modelOf(role.origin.file)?.kind ?? "") ?? undefined;
  if (role.origin.resourceType === "AWS::IAM::Role") {
    // Policies in other templates attached by the role's literal name.
    const name = role.name && !hasUnknown(role.name.value) ? role.name.value : undefined;
    if (name)
      for (const d of policiesAttachedByName(project).get(name) ?? []) {
        if (policies.includes(d) || d.origin.file === role.origin.file) continue;
        policies.push(d);
      }
  }
  const info: RoleGrantInfo = { policies, complete: incompleteReason === undefined, incompleteReason };
  grantCache.set(role, info);
  return info;
}

/** CloudFormation policy resources (identity documents) by the role names they attach to, in project order. */
function policiesAttachedByName(project: Project): Map<string, PolicyDocument[]> {
  return project.memo("policiesByRoleName", () => {
    const idx = new Map<string, PolicyDocument[]>();
    for (const d of project.documents) {
      if (d.kind !== "identity") continue;
      const t = d.origin.resourceType;
      if (t !== "AWS::IAM::Policy" && t !== "AWS::IAM::ManagedPolicy" && t !== "AWS::IAM::RolePolicy") continue;
      const names = documentRoleNames(d);
      for (const n of new Set(t === "AWS::IAM::RolePolicy" ? names.roleName : names.roles)) {
        const l = idx.get(n);
        if (l) l.push(d);
        else idx.set(n, [d]);
      }
    }
    return idx;
  });
}

/**
 * What a role's own file says about the completeness of its policies (`null`: nothing missing there): managed
 * policies it attaches that are not in the file, CLI outputs that do not list policies, unexpanded SAM policy
 * templates. Read from the file's tree once and kept on the role, so the cross-file phase does not need the tree.
 */
export function roleLocalIncompleteReason(role: Role, kind: string): string | null {
  if (role.localIncompleteReason !== undefined) return role.localIncompleteReason;
  const policies = role.policies;
  let reason: string | null = null;
  if (kind === "cli:iam-get-role" || kind === "cli:iam-list-roles") {
    reason = "the CLI output does not list its policies";
  } else if (kind === "cli:iam-get-account-authorization-details") {
    const attached = prop(role.node, "AttachedManagedPolicies");
    if (isArray(attached)) {
      const seen = new Set(policies.map((d) => stringValue(prop(d.origin.resourceNode, "Arn"))));
      for (const a of attached.items) {
        const arn = stringValue(prop(a, "PolicyArn")) ?? "";
        if (!seen.has(arn) && !harmlessManagedPolicy(arn)) reason = `its managed policy ${arn} is not in the scanned files`;
      }
    }
  } else if (role.origin.resourceType === "AWS::IAM::Role") {
    const r = role.origin.resolver;
    const attachedIds = new Set(policies.map((d) => d.origin.logicalId));
    for (const arn of r.list(prop(prop(role.node, "Properties"), "ManagedPolicyArns"))) {
      if (arn.ref && attachedIds.has(arn.ref.logicalId)) continue;
      if (harmlessManagedPolicy(arn.value)) continue;
      reason = `its managed policy ${arn.value} is not in the scanned files`;
    }
  } else if (role.origin.resourceType === "AWS::Serverless::Function") {
    const items = role.origin.resolver.items(prop(prop(role.node, "Properties"), "Policies"));
    if (items.some((p) => prop(p, "Statement") === undefined)) reason = "its SAM policy templates or managed policies are not expanded";
  }
  role.localIncompleteReason = reason;
  return reason;
}

/**
 * The role names a CloudFormation policy resource attaches itself to (`Roles` of AWS::IAM::Policy / ManagedPolicy,
 * `RoleName` of AWS::IAM::RolePolicy), resolved once and kept on the document (see `roleLocalIncompleteReason`).
 */
export function documentRoleNames(d: PolicyDocument): { roles: string[]; roleName: string[] } {
  if (d.roleNames) return d.roleNames;
  const props = prop(d.origin.resourceNode, "Properties");
  const r = d.origin.resolver;
  d.roleNames = { roles: r ? r.list(prop(props, "Roles")).map((s) => s.value) : [], roleName: r ? r.strings(prop(props, "RoleName")).map((s) => s.value) : [] };
  return d.roleNames;
}

/** A role's Allow statements that allow `action` (directly or through a wildcard). */
export function roleAllowStatements(project: Project, role: Role, action: string): Statement[] {
  const allowCache = project.entityCache<Role, Map<string, Statement[]>>("roleAllowStatements");
  let byAction = allowCache.get(role);
  if (!byAction) allowCache.set(role, (byAction = new Map()));
  const hit = byAction.get(action);
  if (hit) return hit;
  const out: Statement[] = [];
  for (const d of roleGrantInfo(project, role).policies) for (const s of d.statements) if (isAllow(s) && statementAllowsAction(s, action)) out.push(s);
  byAction.set(action, out);
  return out;
}

export interface InvokeCheck {
  coverage: Coverage;
  /** Allow statements for `lambda:InvokeFunction` and their coverage of the target. */
  grants: { stmt: Statement; coverage: Coverage }[];
  /** A Deny statement (without conditions) that refuses the target. */
  deniedBy?: Statement;
}

/** Whether a role may call `lambda:InvokeFunction` on a literal function ARN. */
export function roleInvokeCoverage(project: Project, role: Role, t: LambdaTarget): InvokeCheck {
  const grants = roleAllowStatements(project, role, INVOKE).map((stmt) => ({ stmt, coverage: targetCoverage((a) => statementCovers(project, stmt, a), t) }));
  let coverage = grants.reduce<Coverage>((c, g) => maxCoverage(c, g.coverage), "no");
  let deniedBy: Statement | undefined;
  for (const d of roleGrantInfo(project, role).policies)
    for (const s of d.statements) {
      if (s.effect !== "Deny" || s.conditions.length > 0 || !s.action || !s.action.values.some((v) => !hasUnknown(v.value) && actionGlobMatches(v.value, INVOKE))) continue;
      if (targetCoverage((a) => statementCovers(project, s, a), t) === "yes") deniedBy = s;
    }
  if (deniedBy) coverage = "no";
  else if (coverage === "no" && !roleGrantInfo(project, role).complete) coverage = "maybe";
  return { coverage, grants, deniedBy };
}

/**
 * Whether a role can be assumed by an AWS account at all: not a SAM function's implicit execution role, and its trust
 * policy (when known) allows an AWS principal (an account, a role, `*` or an unknown value), not only services or
 * federated identities. A Lambda execution role whose name mentions Genesys is not a role Genesys can assume.
 */
export function assumableByAccount(role: Role): boolean {
  if (role.origin.resourceType === "AWS::Serverless::Function") return false;
  const trust = role.trust;
  if (!trust || trust.statements.length === 0) return true;
  return trust.statements.some((s) => isAllow(s) && (s.principals ?? []).some((p) => p.type === "AWS" || p.type === "*"));
}

export interface GenesysRole {
  role: Role;
  reason: string;
}

/** The Genesys-facing roles Genesys can assume (see `assumableByAccount`), in project order. */
export function genesysRoles(project: Project): GenesysRole[] {
  const out: GenesysRole[] = [];
  for (const role of project.roles) {
    const g = genesysFacing(role, project);
    if (g && assumableByAccount(role)) out.push({ role, reason: g.reason });
  }
  return out;
}

/** A display name for a role: its name, logical ID or ARN. */
export function roleLabel(role: Role): string {
  if (role.name && !hasUnknown(role.name.value)) return role.name.value;
  return role.origin.logicalId ?? role.arn?.value ?? "role";
}

// ---------------------------------------------------------------------------------------------------------------
// Function URL grants

/** Whether an action value grants `lambda:InvokeFunctionUrl` specifically (not as part of a wider wildcard that also grants `lambda:InvokeFunction`). */
export function namesInvokeFunctionUrl(action: string): boolean {
  return !hasUnknown(action) && actionGlobMatches(action, INVOKE_URL) && !actionGlobMatches(action, INVOKE);
}

/** The condition values of `lambda:FunctionUrlAuthType` in a statement (`StringEquals`-style), or undefined when absent. */
export function functionUrlAuthTypeCondition(s: Statement): string[] | undefined {
  const cs = conditionsOn(s, "lambda:FunctionUrlAuthType");
  if (cs.length === 0) return undefined;
  return cs.flatMap((c) => c.values.map((v) => v.value));
}

/** Whether a principal value is an AWS service principal (`lambda.amazonaws.com`, `*.amazonaws.com.cn`). */
export function isServicePrincipal(value: string): boolean {
  return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(value.trim());
}

/**
 * Whether a `Resource` value names one specific function — the same function `fn` — with no wildcard in the name:
 * `${Fn.Arn}`, `${Fn.Arn}:*`, `!Ref Fn`, or a literal ARN with `fn`'s name.
 */
export function resourceNamesFunction(project: Project, origin: Origin, resource: string, fn: LambdaFunction): boolean {
  const v = resource.trim();
  const m = /^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}(?::.*)?$/.exec(v) ?? /:function:\$\{([A-Za-z0-9]+)\}(?::.*)?$/.exec(v);
  if (m) return templateFunction(project, origin, m[1]!) === fn;
  if (hasUnknown(v)) return false;
  const p = lambdaFunctionArn(v);
  if (!p || /[*?]/.test(p.name)) return false;
  const name = functionName(fn);
  if (name !== p.name) return false;
  if (fn.arn && !hasUnknown(fn.arn.value)) {
    const q = lambdaFunctionArn(fn.arn.value);
    if (q && (q.account !== p.account || q.region !== p.region)) return false;
  }
  return true;
}
