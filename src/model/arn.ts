/**
 * ARN parsing, validation (DPY207) and "could this ARN match that resource type" (DPY206).
 *
 * Values may hold unresolved parts written `${...}`: CloudFormation intrinsics such as
 * `${AWS::Partition}` or `${FnName}`, and IAM policy variables such as `${aws:username}`.
 * Such a segment is UNKNOWN: it is an opaque token (its inner ':' never splits fields), it is
 * never a wildcard and never malformed, and when asking "could this match" it may match anything.
 * The IAM escapes `${*}`, `${?}` and `${$}` stand for the literal characters and are not unknowns.
 *
 * Why not @aws-sdk/util-arn-parser at runtime: its parse() is `split(":")` plus a length check,
 * which splitColons() below does identically for literal ARNs (test/unit/arn.test.ts checks
 * parity), but importing it loads @aws-sdk/core/util and @smithy/core: 30-40 ms of startup,
 * too much for a pre-commit hook. It also cannot cope with `${AWS::Partition}`.
 */
import { serviceArnFormats, serviceExists } from "./iam-catalog.js";
import { ANY_ONE, ANY_RUN, compileGlob, type GlobAtom, type GlobMatcher } from "./glob.js";
import { memoize } from "./memo.js";
import { literalParts, replacePlaceholders } from "./resolve.js";

/** A split ARN. `parseArnLoose` memoizes: one object is shared by every caller that asks about the same ARN. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the fifth ':' (may itself contain ':'). */
  readonly resource: string;
  readonly raw: string;
}

export type ArnProblem = { message: string };

/** Partitions deputy accepts. */
export const ARN_PARTITIONS: readonly string[] = [
  "aws",
  "aws-cn",
  "aws-us-gov",
  "aws-iso",
  "aws-iso-b",
  "aws-iso-e",
  "aws-iso-f",
  "aws-eusc",
];
const PARTITIONS = new Set(ARN_PARTITIONS);

// ---------------------------------------------------------------------------
// Scanning helpers: `${...}` spans are opaque

/** If `value[i]` starts a `${...}` span, returns the index just past its '}', else -1. */
function spanEnd(value: string, i: number): number {
  if (value[i] !== "$" || value[i + 1] !== "{") return -1;
  // Where the value's last '}' is, so that `${${${…` with no '}' costs one scan, not one per `${` (quadratic).
  if (value !== lastValue) {
    lastValue = value;
    lastClose = value.lastIndexOf("}");
  }
  if (lastClose < i + 2) return -1;
  return value.indexOf("}", i + 2) + 1;
}
let lastValue = "";
let lastClose = -1;

/** `${*}`, `${?}`, `${$}`: IAM escapes for a literal character. */
function escapedChar(span: string): string | undefined {
  return span === "${*}" || span === "${?}" || span === "${$}" ? span[2] : undefined;
}

/** Splits on ':' outside `${...}` spans. */
function splitColons(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const end = spanEnd(value, i);
    if (end > 0) {
      i = end - 1;
    } else if (value[i] === ":") {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/** True if the value contains an unresolved `${...}` (intrinsic or policy variable). */
export function hasUnknown(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const end = spanEnd(value, i);
    if (end > 0) {
      if (escapedChar(value.slice(i, end)) === undefined) return true;
      i = end - 1;
    }
  }
  return false;
}

/** True if the value contains an IAM wildcard (`*` or `?`) outside `${...}` spans. */
export function hasWildcard(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const end = spanEnd(value, i);
    if (end > 0) i = end - 1;
    else if (value[i] === "*" || value[i] === "?") return true;
  }
  return false;
}

/** True if the value contains `*` outside `${...}` spans. */
function hasStar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const end = spanEnd(value, i);
    if (end > 0) i = end - 1;
    else if (value[i] === "*") return true;
  }
  return false;
}

/** A field whose value is not fully known: contains a wildcard or an unknown. */
const isOpen = (field: string): boolean => hasWildcard(field) || hasUnknown(field);

// ---------------------------------------------------------------------------
// Parsing

/**
 * Splits an ARN into its six parts (the resource keeps any further ':'). `${...}` spans are
 * opaque, so `${AWS::Partition}` stays one field; for literal ARNs the result equals
 * @aws-sdk/util-arn-parser's parse(). Returns undefined when the value does not start with
 * "arn:" or has fewer than six parts. No other validation: see validateArn().
 */
export function parseArnLoose(value: string): ParsedArn | undefined {
  return parseArnMemo(value);
}

const parseArnMemo = memoize((value: string): ParsedArn | undefined => {
  const parts = splitColons(value);
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition, service, region, accountId] = parts;
  return Object.freeze({ partition, service, region, accountId, resource: parts.slice(5).join(":"), raw: value });
});

/**
 * Parses a Lambda function ARN `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
 * Unknown segments are kept verbatim. Returns undefined for anything else.
 */
export function lambdaFunctionArn(
  value: string,
): { partition: string; region: string; account: string; name: string; qualifier?: string } | undefined {
  const arn = parseArnLoose(value);
  if (!arn || arn.service !== "lambda") return undefined;
  const res = splitColons(arn.resource);
  if (res[0] !== "function" || res.length < 2 || res.length > 3 || !res[1]) return undefined;
  if (res.length === 3 && !res[2]) return undefined;
  const out = { partition: arn.partition, region: arn.region, account: arn.accountId, name: res[1] };
  return res.length === 3 ? { ...out, qualifier: res[2] } : out;
}

// ---------------------------------------------------------------------------
// Validation (DPY207)

/** Account field of a catalog ARN format ("" when the format has fewer parts). */
const formatAccount = (format: string): string => splitColons(format)[4] ?? "";

/**
 * AWS-owned resources whose ARNs have an empty account although the catalog's format shows
 * `${Account}` (matched against "service:region:resource"): SSM documents and public
 * parameters (arn:aws:ssm:us-east-1::document/AWS-RunShellScript), Security Hub products
 * (arn:aws:securityhub:us-east-1::product/aws/guardduty), Step Functions service
 * integrations (arn:aws:states:::lambda:invoke).
 */
const AWS_OWNED_EMPTY_ACCOUNT: RegExp[] = [
  /^ssm:[^:]*:(document|automation-definition|parameter)\//,
  /^securityhub:[^:]*:product\//,
  /^states::/,
];

/**
 * Does an ARN with an empty account field need one? Looks at the catalog formats of the
 * ARN's service (those whose service field is that service), prefers the formats this ARN
 * could match, and says "required" only if all of them carry a `${...}` account.
 * Unknown services never require one.
 */
function accountRequired(parts: string[]): boolean {
  const service = parts[2].toLowerCase();
  if (!serviceExists(service)) return false;
  const probeResource = parts.slice(5).join(":");
  // An unknown region (`${AWS::Region}`) holds colons of its own: test the shape with it as one field.
  const region = replacePlaceholders(parts[3], () => "REGION");
  if (AWS_OWNED_EMPTY_ACCOUNT.some((r) => r.test(`${service}:${region}:${probeResource}`))) return false;
  const formats = serviceArnFormats(service).filter((f) => splitColons(f)[2] === service);
  if (formats.length === 0) return false;
  // An unknown in the account field stands for one colon-free field (a '*' would span ':').
  const probe = [...parts.slice(0, 4), "${Account}", ...parts.slice(5)].join(":");
  const matching = formats.filter((f) => arnMatchesFormat(probe, f));
  const candidates = matching.length > 0 ? matching : formats;
  return candidates.every((f) => formatAccount(f).includes("${"));
}

/** Literal non-numeric accounts the catalog uses (e.g. "aws" in arn:aws:iam::aws:policy/...). */
function literalAccountAllowed(service: string, account: string): boolean {
  if (account === "aws") return true;
  if (isOpen(service)) return false;
  return serviceArnFormats(service.toLowerCase()).some((f) => formatAccount(f) === account);
}

function whitespaceIn(field: string): boolean {
  // Whitespace inside `${...}` belongs to the unknown and is not ours to judge.
  return /\s/.test(literalParts(field));
}

/**
 * Checks that an ARN-valued field holds a well-formed ARN (DPY207): the right number of parts,
 * "arn" prefix, a known partition, a 12-digit account where one is required, no stray whitespace.
 * Wildcards are fine ("*" alone, or in any field); unknown `${...}` parts are never malformed and
 * a value with fewer than six parts is accepted when an unknown or a wildcard could supply the rest.
 *
 * `requireAccountFor` (default true): also flag an EMPTY account when the catalog says this
 * service's ARN (of this shape) carries one. With false, only a present-but-malformed account
 * is flagged.
 */
export function validateArn(value: string, opts: { requireAccountFor?: boolean } = {}): ArnProblem | undefined {
  return (opts.requireAccountFor ?? true) ? validateStrict(value) : validateLenient(value);
}

const validateStrict = memoize((value: string) => checkArn(value, true));
const validateLenient = memoize((value: string) => checkArn(value, false));

function checkArn(value: string, requireAccount: boolean): ArnProblem | undefined {
  if (value.length === 0) return { message: "empty ARN" };
  if (value !== value.trimStart()) return { message: `ARN "${value}" has leading whitespace` };
  if (value !== value.trimEnd()) return { message: `ARN "${value}" has trailing whitespace` };
  if (/[\t\r\n\v\f]/.test(value)) return { message: "ARN contains a tab or line break" };
  if (/^[*?]+$/.test(value)) return undefined;

  const parts = splitColons(value);
  if (parts.length < 6) {
    // An unknown may expand to several parts (e.g. "${FnArn}:*"); a '*' may span ':' too.
    if (hasUnknown(value) || hasWildcard(value)) return undefined;
    return {
      message: `ARN "${value}" has ${parts.length} colon-separated part${parts.length === 1 ? "" : "s"}; expected at least 6 (arn:partition:service:region:account:resource)`,
    };
  }
  const [prefix, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(":");

  if (prefix !== "arn" && !isOpen(prefix)) {
    return { message: `ARN must start with "arn:", found "${prefix}:"` };
  }
  const fields: [string, string][] = [
    ["partition", partition],
    ["service", service],
    ["region", region],
    ["account", account],
  ];
  for (const [label, field] of fields) {
    if (whitespaceIn(field)) return { message: `whitespace in the ${label} part "${field}"` };
  }
  if (/^\s/.test(resource)) return { message: `whitespace at the start of the resource part "${resource}"` };

  // IAM's '*' can span ':', so once a header field holds one, the later fields may sit
  // elsewhere: only fields before the first '*' have a certain position.
  const spans = (i: number): boolean => parts.slice(0, i).some((f) => hasStar(f));
  if (!spans(1) && !isOpen(partition) && !PARTITIONS.has(partition)) {
    return { message: `unknown partition "${partition}"; expected one of ${ARN_PARTITIONS.join(", ")}` };
  }
  if (service === "" && !spans(2)) return { message: "the service part is empty" };
  if (resource === "" && !spans(5)) return { message: "the resource part is empty" };

  if (!spans(4) && !isOpen(account) && !/^\d{12}$/.test(account)) {
    if (account === "") {
      if (requireAccount && !isOpen(service) && accountRequired(parts)) {
        return { message: `account is empty; ${service} ARNs of this kind need a 12-digit account ID` };
      }
    } else if (/^\d+$/.test(account)) {
      return {
        message: `account "${account}" is ${account.length} digit${account.length === 1 ? "" : "s"}; an account ID has 12`,
      };
    } else if (!literalAccountAllowed(service, account)) {
      return { message: `account "${account}" is not a 12-digit account ID` };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Matching (DPY206)

/**
 * A matcher: element i accepts one character of class `cls[i]`, or with `rep[i]` a run (zero or more) of them.
 * Classes: a literal character (its lowercase char code, >= 0), {@link ANY} or {@link NOCOLON}. Typed arrays, since
 * a large policy set builds thousands of these.
 */
interface Elems {
  cls: Int32Array;
  rep: Uint8Array;
  length: number;
}
const ANY = -1;
const NOCOLON = -2;
const COLON = 58;

function elems(capacity: number): Elems {
  return { cls: new Int32Array(capacity), rep: new Uint8Array(capacity), length: 0 };
}
function add(e: Elems, cls: number, rep: boolean): void {
  e.cls[e.length] = cls;
  e.rep[e.length++] = rep ? 1 : 0;
}

/** Index of the 5th ':' outside spans (end of the ARN header), or -1. */
function headerEnd(value: string): number {
  let colons = 0;
  for (let i = 0; i < value.length; i++) {
    const end = spanEnd(value, i);
    if (end > 0) i = end - 1;
    else if (value[i] === ":" && ++colons === 5) return i;
  }
  return -1;
}

/**
 * Elements of an ARN pattern: `*` any run, `?` any char, `${...}` an unknown run.
 * An unknown inside the header of an "arn:"-prefixed value (e.g. `${AWS::Region}`) stands for
 * one field, so it cannot contain ':'; elsewhere (resource part, or a value like `${FnArn}:*`)
 * it may be anything.
 */
function patternElems(value: string): Elems {
  const out = elems(value.length);
  const header = value.startsWith("arn:") ? headerEnd(value) : -1;
  const lower = value.toLowerCase();
  for (let i = 0; i < value.length; i++) {
    const end = spanEnd(value, i);
    if (end > 0) {
      const esc = escapedChar(value.slice(i, end));
      if (esc !== undefined) add(out, esc.charCodeAt(0), false);
      else add(out, i < header ? NOCOLON : ANY, true);
      i = end - 1;
    } else if (value[i] === "*") {
      add(out, ANY, true);
    } else if (value[i] === "?") {
      add(out, ANY, false);
    } else {
      add(out, lowerCode(value, lower, i), false);
    }
  }
  return out;
}

/**
 * Elements of a catalog ARN format: `${Placeholder}` is non-empty text, without ':' in the
 * header (partition/service/region/account) and with anything in the resource part (so
 * `function:${FunctionName}` also covers `function:name:alias`, and S3 keys may hold '/').
 * A literal `*` in a format (some catalog entries have one) is any run.
 */
function formatElems(format: string): Elems {
  const out = elems(format.length * 2);
  const header = headerEnd(format);
  const lower = format.toLowerCase();
  for (let i = 0; i < format.length; i++) {
    const end = spanEnd(format, i);
    if (end > 0) {
      const cls = i < header ? NOCOLON : ANY;
      add(out, cls, false);
      add(out, cls, true);
      i = end - 1;
    } else if (format[i] === "*") {
      add(out, ANY, true);
    } else {
      add(out, lowerCode(format, lower, i), false);
    }
  }
  return out;
}

/** The lowercase char code at `i` (`lower` is `value.toLowerCase()`, which a few non-ASCII letters lengthen). */
function lowerCode(value: string, lower: string, i: number): number {
  return lower.length === value.length ? lower.charCodeAt(i) : value[i]!.toLowerCase().charCodeAt(0);
}

/** Is there a character in both classes? */
function overlaps(a: number, b: number): boolean {
  if (a >= 0 && b >= 0) return a === b;
  if (a >= 0) return b === ANY || a !== COLON;
  if (b >= 0) return a === ANY || b !== COLON;
  return true;
}

/** Is there a string accepted by both element sequences? (product-automaton search) */
function intersects(p: Elems, f: Elems): boolean {
  const n = p.length;
  const m = f.length;
  const seen = new Uint8Array((n + 1) * (m + 1));
  const stack: number[] = [0, 0];
  seen[0] = 1;
  const push = (i: number, j: number): void => {
    const k = i * (m + 1) + j;
    if (!seen[k]) {
      seen[k] = 1;
      stack.push(i, j);
    }
  };
  while (stack.length > 0) {
    const j = stack.pop() as number;
    const i = stack.pop() as number;
    if (i === n && j === m) return true;
    const pr = i < n && p.rep[i] === 1;
    const fr = j < m && f.rep[j] === 1;
    if (pr) push(i + 1, j);
    if (fr) push(i, j + 1);
    if (i < n && j < m && overlaps(p.cls[i]!, f.cls[j]!)) push(pr ? i : i + 1, fr ? j : j + 1);
  }
  return false;
}

/**
 * Could this ARN or ARN pattern match the catalog resource-type ARN format?
 * Pattern: `*` / `?` wildcards (crossing ':' and '/'), `${...}` unknowns. Format: `${Partition}`,
 * `${Region}`, `${Account}`, `${FunctionName}`... placeholders. Case-insensitive and permissive:
 * it only answers false when no concrete ARN could satisfy both.
 */
export function arnMatchesFormat(arn: string, format: string): boolean {
  if (/^\*+$/.test(arn)) return true;
  // Most pairs asked about name different services: the header tells without the automaton.
  const service = fixedService(arn);
  if (service !== undefined) {
    const other = fixedService(format);
    if (other !== undefined && other !== service) return false;
  }
  return intersects(patternElemsOf(arn), formatElemsOf(format));
}

// Policies repeat ARNs and every action of a service shares its formats.
const patternElemsOf = memoize(patternElems, 20_000);
const formatElemsOf = memoize(formatElems, 5_000);

/**
 * The service field (lowercase) of an `arn:` value when its place is certain and its text literal: no `*` or `?` in
 * the first three fields (a wildcard could stand for ':' and shift the fields), each `${...}` there one field (the
 * matchers treat an unknown in the header as text without ':'), and no `${...}` in the service itself.
 */
function fixedService(value: string): string | undefined {
  if (!value.startsWith("arn:")) return undefined;
  let field = 1;
  let start = 4;
  for (let i = 4; i < value.length; i++) {
    const end = spanEnd(value, i);
    if (end > 0) {
      if (field === 2) return undefined;
      i = end - 1;
      continue;
    }
    const c = value[i];
    if (c === "*" || c === "?") return undefined;
    if (c === ":") {
      if (field === 2) return value.slice(start, i).toLowerCase();
      field++;
      start = i + 1;
    }
  }
  return undefined;
}

/**
 * IAM glob to an anchored matcher (no RegExp is built from input): `*` any run, `?` one char, everything else literal
 * (including ':' and '/'). Options: `caseInsensitive` (default false; ARNs are case-sensitive,
 * actions are not); `unknownMatchesAnything` (default false) makes a `${...}` span match any text,
 * otherwise it is matched literally. `${*}`, `${?}`, `${$}` always match the literal character.
 */
export function globToRegExp(
  pattern: string,
  opts: { caseInsensitive?: boolean; unknownMatchesAnything?: boolean } = {},
): GlobMatcher {
  // Patterns come from input: matched without building a regular expression from them (see glob.ts).
  const fold = (s: string): string => (opts.caseInsensitive ? s.toLowerCase() : s);
  const atoms: GlobAtom[] = [];
  const literal = (s: string): void => {
    for (let k = 0; k < s.length; k++) atoms.push(s.charCodeAt(k));
  };
  for (let i = 0; i < pattern.length; i++) {
    const end = spanEnd(pattern, i);
    if (end > 0) {
      const span = pattern.slice(i, end);
      const esc = escapedChar(span);
      if (esc !== undefined) literal(fold(esc));
      else if (opts.unknownMatchesAnything) atoms.push(ANY_RUN);
      else literal(fold(span));
      i = end - 1;
    } else if (pattern[i] === "*") {
      atoms.push(ANY_RUN);
    } else if (pattern[i] === "?") {
      atoms.push(ANY_ONE);
    } else {
      literal(fold(pattern[i]!));
    }
  }
  const m = compileGlob(atoms);
  return opts.caseInsensitive ? { test: (s) => m.test(s.toLowerCase()) } : m;
}
