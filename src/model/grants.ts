/**
 * What an `Action` value stands for, in catalog terms, for the permissions rules (DPY201, DPY202, DPY203, DPY205,
 * DPY206), and a few shared helpers for the messages those rules write. Every answer is cached per distinct value:
 * rules run over thousands of files that repeat the same few hundred actions.
 *
 * `"*"` (and `"*:*"`) is never expanded: expanding it reads all ~450 services (a few hundred ms), and no rule needs the
 * list — it obviously includes every action, resource-level and permissions-management ones included.
 */
import type { CatalogAction } from "./iam-catalog.js";
import { isPermissionsManagementRanked } from "./access.js";
import { expandActionPattern, lookupAction, serviceArnFormats, serviceExists } from "./iam-catalog.js";
import type { ParsedArn } from "./arn.js";
import { arnMatchesFormat, parseArnLoose } from "./arn.js";
import { memoize, memoize2 } from "./memo.js";
import { hasUnknown } from "./resolve.js";

export type ActionShape =
  /** Contains an unresolved `${...}` part: unknown, never a wildcard, never a mistake. */
  | { kind: "unknown" }
  /** `*` or `*:*`: every action of every service. */
  | { kind: "all" }
  /** No `service:` prefix (`"s3GetObject"`, `""`). */
  | { kind: "malformed" }
  /** `svc:*` with a literal service prefix: every action of one service (`known` false when the prefix is not in the catalog). */
  | { kind: "service"; service: string; known: boolean; actions: CatalogAction[] }
  /** Any other pattern with `*` or `?` (in the action name or the service prefix). */
  | { kind: "pattern"; service: string; serviceKnown: boolean; actions: CatalogAction[] }
  /** An exact action; `action` is undefined when the catalog does not have it. */
  | { kind: "exact"; service: string; serviceKnown: boolean; action?: CatalogAction };

const isGlob = (s: string): boolean => s.includes("*") || s.includes("?");

/**
 * The shape of an action value (trimmed; case-insensitive, as IAM compares actions). Four rules ask about every action
 * value: the value as written answers without trimming or lowercasing it again; values that differ only in case or
 * spacing share one shape.
 */
export const actionShape: (raw: string) => ActionShape = memoize((raw) => shapeByKey(raw.trim().toLowerCase(), raw.trim()), 20_000);

// Keyed by the lowercase value (IAM compares actions case-insensitively); the value as written rides along.
const shapeByKey = memoize((_key: string, value?: string) => computeShape(value!), 20_000);

function computeShape(value: string): ActionShape {
  if (hasUnknown(value)) return { kind: "unknown" };
  if (/^\*+(?::\*+)?$/.test(value)) return { kind: "all" };
  const colon = value.indexOf(":");
  if (colon <= 0 || colon === value.length - 1) return { kind: "malformed" };
  const service = value.slice(0, colon).toLowerCase();
  const name = value.slice(colon + 1);
  if (isGlob(service)) {
    return { kind: "pattern", service, serviceKnown: true, actions: expandActionPattern(value) };
  }
  const serviceKnown = serviceExists(service);
  if (/^\*+$/.test(name)) return { kind: "service", service, known: serviceKnown, actions: serviceKnown ? expandActionPattern(`${service}:*`) : [] };
  if (isGlob(name)) return { kind: "pattern", service, serviceKnown, actions: serviceKnown ? expandActionPattern(value) : [] };
  return { kind: "exact", service, serviceKnown, action: serviceKnown ? lookupAction(value) : undefined };
}

const scopedCache = new WeakMap<ActionShape, CatalogAction[]>();
/** The actions of a shape that `needsScoping` (cached per shape). */
export function scopedActions(s: ActionShape): CatalogAction[] {
  let v = scopedCache.get(s);
  if (!v) {
    v = shapeActions(s).filter(needsScoping);
    scopedCache.set(s, v);
  }
  return v;
}

/** The catalog actions a shape stands for (`[]` for unknown, malformed and `all`). */
export function shapeActions(s: ActionShape): CatalogAction[] {
  switch (s.kind) {
    case "service":
    case "pattern":
      return s.actions;
    case "exact":
      return s.action ? [s.action] : [];
    default:
      return [];
  }
}

/**
 * Whether an action changes who can do what: the catalog's "Permissions management" label, calibrated on what the
 * action does (a reading verb is never permissions management: see `access.ts`). Cached on the entry.
 */
export function isPermissionsManagement(a: CatalogAction): boolean {
  return (a.derived.permissionsManagement ??= isPermissionsManagementRanked(a));
}

/** `a, b, c and 4 more` — the first `max` items of a list and how many were left out. */
export function listSome(items: readonly string[], max = 4): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/** A value made only of `*` (`"*"`, `"**"`): every resource, every action. */
export function isStarOnly(v: string): boolean {
  return /^\*+$/.test(v.trim());
}

/**
 * A catalog ARN format as an example to write: `${Partition}` → `aws`, `${Region}` → `REGION`, `${Account}` →
 * `ACCOUNT`, `${FunctionName}` after `function:` → `NAME`, other placeholders in UPPER_SNAKE (`${BucketName}` →
 * `BUCKET_NAME`). `known` fills header fields from a concrete ARN (a literal, wildcard-free partition, region, account).
 */
export function exampleArn(format: string, known?: { partition?: string; region?: string; account?: string }): string {
  const literal = (v: string | undefined): string | undefined => (v && !/[*?$]/.test(v) ? v : undefined);
  let out = "";
  let last = 0;
  const re = /\$\{([^}]*)\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(format))) {
    const before = format.slice(last, m.index);
    out += before;
    last = re.lastIndex;
    const name = m[1]!;
    let sub: string;
    if (name === "Partition") sub = literal(known?.partition) ?? "aws";
    else if (name === "Region") sub = literal(known?.region) ?? "REGION";
    else if (name === "Account") sub = literal(known?.account) ?? "ACCOUNT";
    else {
      // `function:${FunctionName}`, `table/${TableName}`, `log-group:${LogGroupName}`: the type already says what it is.
      const type = /([A-Za-z-]+)[:/]$/.exec(before)?.[1]?.replace(/-/g, "").toLowerCase();
      const base = name.replace(/Name$/, "");
      sub = type && name.endsWith("Name") && base.toLowerCase() === type ? "NAME" : name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
    }
    out += sub;
  }
  return out + format.slice(last);
}

// ---------------------------------------------------------------------------
// Resources

const matchFormat = memoize2((format: string, arn: string) => arnMatchesFormat(arn, format) || (arn.endsWith("/") && arnMatchesFormat(`${arn}x`, format)));
/**
 * Cached `arnMatchesFormat`, a little more permissive: an ARN ending in `/` may leave the last format placeholder
 * empty (`…:abc/prod/GET/` invokes the API's root path).
 */
export function arnCouldMatch(arn: string, format: string): boolean {
  return matchFormat(format, arn);
}

/** True when one of the action's resource types could be this ARN (cached per resource types and ARN). */
export function actionCouldApplyTo(a: CatalogAction, arn: string): boolean {
  return couldApply(a.typesKey, arn, a);
}

// Keyed by `typesKey`, which stands for the resource types: the action rides along for the first computation.
const couldApply = memoize2((_types: string, arn: string, a?: CatalogAction) => a!.resourceTypes.some((rt) => rt.arnFormats.some((f) => arnCouldMatch(arn, f))));

/** Literal text of a format's resource part before its first placeholder (`function:`, `table/`, `""`). */
const formatResourcePrefix = memoize((format: string): string => {
  const parsed = parseArnLoose(format);
  if (!parsed) return "";
  const i = parsed.resource.indexOf("${");
  return (i < 0 ? parsed.resource : parsed.resource.slice(0, i)).toLowerCase();
}, 5_000);

/**
 * The resource type (and format) of the action that this ARN could be, preferring one whose literal resource prefix
 * the ARN spells out (`volume/*` is a volume, although a `*` in its region could stretch it to match other types).
 * With `strict`, only such a type (or any, when the ARN's resource part starts with a wildcard) is returned.
 */
export function matchingResourceType(a: CatalogAction, arn: string, strict = false): { name: string; format: string } | undefined {
  return (strict ? strictType : anyType)(a.typesKey, arn, a);
}

// Keyed by `typesKey` (the answer depends on the action's service and resource types only): actions share answers.
const anyType = memoize2((_types: string, arn: string, a?: CatalogAction) => computeMatchingType(a!, arn, false));
const strictType = memoize2((_types: string, arn: string, a?: CatalogAction) => computeMatchingType(a!, arn, true));

function computeMatchingType(a: CatalogAction, arn: string, strict: boolean): { name: string; format: string } | undefined {
  const parsed = parseArnLoose(arn);
  const res = parsed?.resource.toLowerCase() ?? "";
  let fallback: { name: string; format: string; score: number; fits: boolean } | undefined;
  for (const rt of a.resourceTypes) {
    for (const f of rt.arnFormats) {
      if (!arnCouldMatch(arn, f)) continue;
      const p = formatResourcePrefix(f);
      // The ARN's service is the format's (`sts:AssumeRole` acts on `iam` roles, `ssm:SendCommand` on `ec2` instances).
      const fitsPrefix = parsed !== undefined && parsed.service.toLowerCase() === formatService(f) && res.startsWith(p);
      // Longest literal prefix first; among equals, the simplest format (`table/${TableName}` before its indexes).
      const score = fitsPrefix ? p.length * 100 - (f.match(/\$\{/g) ?? []).length : -Infinity;
      if (!fallback || score > fallback.score) fallback = { name: rt.name, format: f, score, fits: fitsPrefix };
    }
  }
  if (!fallback || (strict && !fallback.fits && !res.startsWith("*"))) return undefined;
  return { name: fallback.name, format: fallback.format };
}

const words = (n: string): string[] =>
  n
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3);

/**
 * Whether granting the action on `"*"` reaches more than it needs: the action supports resource-level permissions and
 * every call of it names such a resource. Wildcard-only actions never do. An action whose resource types are all
 * optional can often be called without any of them — then only `"*"` allows it (`cloudwatch:PutMetricData` and its
 * optional `dataset`, `rekognition:DetectModerationLabels` and its optional custom model, `rds:DescribeGlobalClusters`
 * listing all of them) — unless its optional types are alternatives for the resource it always acts on (S3's `object`
 * or `accesspointobject`, `execute-api:Invoke`'s two ARN forms): at least two types, one named in the action
 * (`GetObject` / `object`) or after the service (`execute-api-general`).
 */
export function needsScoping(a: CatalogAction): boolean {
  return (a.derived.needsScoping ??= computeNeedsScoping(a));
}

function computeNeedsScoping(a: CatalogAction): boolean {
  if (a.isWildcardOnly) return false;
  if (a.resourceTypes.some((rt) => rt.required)) return true;
  const name = a.name.toLowerCase();
  return (
    a.resourceTypes.length >= 2 &&
    a.resourceTypes.some((rt) => rt.name.toLowerCase().startsWith(a.service) || words(rt.name).some((w) => name.includes(w.replace(/s$/, ""))))
  );
}

/** The format to show as an example for an action: its required type with the simplest ARN, else its simplest. */
export function exampleFormat(a: CatalogAction): string | undefined {
  return (a.derived.exampleFormat ??= computeExampleFormat(a) ?? null) ?? undefined;
}

function computeExampleFormat(a: CatalogAction): string | undefined {
  const placeholders = (f: string): number => (f.match(/\$\{/g) ?? []).length;
  let best: { f: string; score: number } | undefined;
  for (const rt of a.resourceTypes) {
    for (const f of rt.arnFormats) {
      // A format without a placeholder in its resource part names one fixed resource (`…:marketplace/model-endpoint/all-access`).
      const fixed = placeholders(parseArnLoose(f)?.resource ?? "") === 0 ? 50 : 0;
      const score = (rt.required ? 0 : 100) + fixed + placeholders(f);
      if (!best || score < best.score) best = { f, score };
    }
  }
  return best?.f;
}

/**
 * Whether an ARN leaves the resource name to a bare wildcard for some resource type of its service
 * (see `leavesNameToWildcard`); an unknown service or an unknown in the name never does.
 */
export function hasBareWildcardName(arn: ParsedArn): boolean {
  const service = arn.service.toLowerCase();
  if (hasUnknown(service) || !arn.resource.includes("*")) return false;
  return serviceArnFormats(service).some((f) => formatService(f) === service && leavesNameToWildcard(arn.resource, f));
}

const formatService = (f: string): string => parseArnLoose(f)?.service.toLowerCase() ?? "";

/** Splits on '/' and ':' outside `${...}` spans. */
function segments(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "$" && value[i + 1] === "{") {
      const close = value.indexOf("}", i + 2);
      if (close > 0) {
        i = close;
        continue;
      }
    }
    if (value[i] === "/" || value[i] === ":") {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

const STARS = /^\*+$/;

/**
 * Whether an ARN leaves every name of a catalog format to a bare wildcard: each placeholder segment of the format's
 * resource part (`function:${FunctionName}`, `table/${TableName}/backup/${BackupName}`) is `*` in the ARN, and a
 * trailing `*` covers the rest. `function:*`, `table/*`, `table/*` + `/backup/*`, `arn:aws:s3:::*` and
 * `arn:aws:logs:*:*:*` do; `function:lookup:*` (a qualifier wildcard), `bucket/*`, `*` + `/AWSLogs/*` (a key prefix),
 * `autoScalingGroup:*:autoScalingGroupName/eb-*` (a name prefix) and `function:${Name}` (unknown) do not.
 */
export function leavesNameToWildcard(arnResource: string, format: string): boolean {
  return leavesFor(format, arnResource);
}

// Asked for every action of a statement, and actions share formats: one answer per format and resource.
const leavesFor = memoize2((format: string, arnResource: string) => computeLeaves(arnResource, format));

function computeLeaves(arnResource: string, format: string): boolean {
  const f = segments(parseArnLoose(format)?.resource ?? "");
  const a = segments(arnResource);
  const isPlaceholder = (s: string): boolean => /^\$\{[^}]*\}$/.test(s);
  let placeholders = 0;
  for (let i = 0; i < f.length; i++) {
    if (i >= a.length) return a.length > 0 && STARS.test(a[a.length - 1]!) && placeholders > 0;
    // The last format segment absorbs the rest of the ARN (S3 keys, log group names hold '/').
    const seg = i === f.length - 1 ? a.slice(i).join("/") : a[i]!;
    if (isPlaceholder(f[i]!)) {
      placeholders++;
      if (!/^[*/]+$/.test(seg) || !seg.includes("*")) return false;
    } else if (!STARS.test(seg) && seg.toLowerCase() !== f[i]!.toLowerCase()) {
      // A trailing `*` covers this literal and everything after it.
      return i === a.length - 1 && STARS.test(a[i]!) && placeholders > 0;
    } else if (STARS.test(seg) && i === a.length - 1) {
      return true;
    }
  }
  return placeholders > 0;
}

/**
 * The values without repeats of the same text on the same node (a `!Sub` whose variables branch with `Fn::If` can
 * yield one text twice), so a rule reports each offending value once.
 */
export function distinct<T extends { value: string; node: { range: { start: number } } }>(values: readonly T[]): readonly T[] {
  if (values.length < 2) return values;
  // Several rules ask about the same list: one answer per list.
  const hit = distinctCache.get(values);
  if (hit) return hit as readonly T[];
  const out = computeDistinct(values);
  distinctCache.set(values, out);
  return out;
}

const distinctCache = new WeakMap<readonly object[], readonly object[]>();

function computeDistinct<T extends { value: string; node: { range: { start: number } } }>(values: readonly T[]): readonly T[] {
  // Repeats come from one node yielding a text twice: when every value starts at a place of its own, there are none.
  const starts = new Set<number>();
  for (const v of values) starts.add(v.node.range.start);
  if (starts.size === values.length) return values;
  const seen = new Set<string>();
  const out: T[] = [];
  for (const v of values) {
    const key = `${v.node.range.start}\u0000${v.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

const wildcardActionsCache = new WeakMap<object, string[]>();
/**
 * The action values DPY201 reports in a document's Allow statements (`"*"`, a whole-service wildcard of a known
 * service, a pattern that matches a permissions-management action; and `NotAction`, DPY204's, as "every action
 * except …"), without repeats; cached per document. Used to
 * report an AWS managed policy once, where it is attached.
 */
export function wildcardActionsOf(doc: {
  statements: readonly { effect?: string; action?: { values: readonly { value: string }[] }; notAction?: { values: readonly { value: string }[] } }[];
}): string[] {
  let v = wildcardActionsCache.get(doc);
  if (!v) {
    const out = new Set<string>();
    for (const s of doc.statements) {
      if (s.effect !== "Allow") continue;
      if (s.notAction) out.add(`every action except ${listSome(s.notAction.values.map((v) => v.value.trim()), 3)}`);
      for (const a of s.action?.values ?? []) {
        const shape = actionShape(a.value);
        if (shape.kind === "all" || (shape.kind === "service" && shape.known) || (shape.kind === "pattern" && shape.actions.some(isPermissionsManagement))) out.add(a.value.trim());
      }
    }
    v = [...out];
    wildcardActionsCache.set(doc, v);
  }
  return v;
}
