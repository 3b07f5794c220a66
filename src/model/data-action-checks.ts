/**
 * Pure checks behind the Genesys data action rules DPY401–DPY405 (see the rule catalog).
 * All functions take template strings as they appear in a data action export (or a Terraform
 * `genesyscloud_integration_action`, where `$${` escapes `${`) and never throw.
 */
import { parseTemplate, type ExprSegment, type Segment } from "./genesys-template.js";

// ---------------------------------------------------------------------------------------------------------------
// DPY401: literal secrets
// ---------------------------------------------------------------------------------------------------------------

/** Authorization-style headers: the first word of the value is an authentication scheme. */
const AUTH_HEADER = /^(proxy-)?authorization$/i;

/** Authentication scheme words that may start a secret header value ("Bearer <token>"). Lower case. */
const AUTH_SCHEMES = new Set([
  "bearer",
  "basic",
  "digest",
  "token",
  "apikey",
  "api-key",
  "key",
  "ssws",
  "oauth",
  "negotiate",
  "ntlm",
  "hoba",
  "mutual",
  "hawk",
  "aws4-hmac-sha256",
  "splunk",
  "geniekey",
  "sso-key",
  "jwt",
  "dpop",
  "bot",
  "zoho-oauthtoken",
  "sharedaccesssignature",
]);

/**
 * Whether a header name announces a credential: `Authorization`, `Proxy-Authorization`, `X-API-Key`, or any name
 * containing `secret`, `token`, `password`/`passwd`, `api-key`/`apikey`/`api_key`, or ending in an access/auth/
 * subscription/functions/client/private key. Case-insensitive. `Content-Type`, `Accept`, `UserAgent`,
 * `Idempotency-Key` and the like are not secret, nor are names that describe a credential rather than carry one (a
 * secret word followed by `-source`, `-type`, `-name`, `-id`, `-expires`…: `x-amazon-apigateway-api-key-source`).
 */
const DESCRIBES_CREDENTIAL =
  /(secret|token|passw(or)?d|key)[-_ ](source|type|name|id|header|location|format|version|expires?(-at|-in)?|expiry|ttl|url|uri|endpoint|length)$/;

export function isSecretHeaderName(name: string): boolean {
  if (typeof name !== "string") return false;
  const n = name.trim().toLowerCase();
  if (n === "") return false;
  if (AUTH_HEADER.test(n)) return true;
  // A name that describes a credential rather than carries one: `x-amazon-apigateway-api-key-source: HEADER`,
  // `X-Token-Type: Bearer`, `X-Secret-Name`.
  if (DESCRIBES_CREDENTIAL.test(n)) return false;
  if (/secret|token|passw(or)?d|api[-_ ]?key/.test(n)) return true;
  if (/(^|[-_ ])(access|auth|private|subscription|functions|client|app|master|signing|license)[-_ ]?key$/.test(n)) {
    return true;
  }
  return /(^|[-_ ])(pwd|pass|credentials?)$/.test(n);
}

/** Where a literal secret sits: offsets into the header value or the URL passed in. */
export interface SecretHit {
  start: number;
  end: number;
  kind: "header" | "query";
  /** The header name or query parameter name (never the secret). */
  name: string;
}

/**
 * Whether a value is a placeholder rather than a real value: `<token>`, `{{apiKey}}`, `[key]`, `YOUR_TOKEN`,
 * `your-lambda-function-arn`, `REPLACE_ME`, `CHANGEME`, `xxxx`, `****`, `LAMBDA_ARN`, a bare word such as `token`.
 */
export function looksLikePlaceholder(text: string): boolean {
  const t = text.trim();
  if (t === "") return false;
  if (/<[^<>]*>/.test(t) || /\{\{[^{}]*\}\}/.test(t) || /^\[[^\]]*\]$/.test(t)) return true;
  if (/(^|[^a-z])your([^a-z]|$)/i.test(t)) return true;
  if (
    /replace[-_ ]?(me|this|with)|change[-_ ]?me|placeholder|insert[-_ ]?(here|your)|fix[-_ ]?me|redacted|dummy|example/i.test(
      t,
    )
  ) {
    return true;
  }
  if (/(^|[^a-z])(todo|tbd)([^a-z]|$)/i.test(t)) return true;
  if (/x{4,}|\*{3,}|•{3,}|\.{3,}/i.test(t)) return true;
  if (/^(.)\1*$/.test(t)) return true; // "0000", "----"
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(t)) return true; // CONSTANT_CASE: API_KEY, LAMBDA_ARN
  return /^(token|api[-_]?key|secret|password|passwd|key|access[-_]?token|arn|(lambda|function)[-_ ]?arn|none|null|undefined|true|false|test|string|value)$/i.test(
    t,
  );
}

interface Span {
  start: number;
  end: number;
}

/** Trim whitespace (and surrounding quotes) from [start, end) of `s`. */
function trimSpan(s: string, start: number, end: number): Span {
  while (start < end && /[\s"']/.test(s[start] as string)) start++;
  while (end > start && /[\s"']/.test(s[end - 1] as string)) end--;
  return { start, end };
}

/** Whether [start, end) of `s` looks like a real secret value (long enough, not a placeholder). */
function isSecretText(s: string, span: Span): boolean {
  const text = s.slice(span.start, span.end);
  if (text.length < 4 || !/[A-Za-z0-9]/.test(text)) return false;
  if (AUTH_SCHEMES.has(text.toLowerCase())) return false;
  return !looksLikePlaceholder(text);
}

/**
 * Whether the string literals of an expression produce constant output: arguments of a top-level function
 * (`$encodeBase64("...")`), of an escaping tool (`$esc.url("...")`) or of `#set`. String arguments of a method called
 * on a data reference (`${input.key.replace(' ','%20')}`) only transform that reference and are not values.
 */
function producesConstantStrings(e: ExprSegment): boolean {
  if (e.text.startsWith("#")) return /^#\{?set\b/.test(e.text);
  const m = /^\$(?:\$(?=\{))?!?\{?\s*([A-Za-z_][\w-]*)(\s*\()?/.exec(e.text);
  if (!m) return false;
  if (m[2] !== undefined) return true;
  return /^(esc|base64|encoder|math|number|convert)$/i.test(m[1] as string);
}

/**
 * The literal secret among `segs` (segments of `value`, possibly clipped to a range): a constant string argument of a
 * function (for `user:password` forms, the part after the first colon), or — when no expression of the range reads a
 * reference — the literal text itself, after an authentication scheme word.
 */
function findLiteralSecret(value: string, segs: Segment[], authHeader: boolean): Span | undefined {
  const found: Span[] = [];
  let readsRef = false;
  for (const seg of segs) {
    if (seg.kind !== "expr") continue;
    if (seg.refs.length > 0) readsRef = true;
    if (!producesConstantStrings(seg)) continue;
    for (const lit of seg.literals) {
      const colon = lit.text.indexOf(":");
      const span = trimSpan(value, colon >= 0 ? lit.start + colon + 1 : lit.start, lit.end);
      if (isSecretText(value, span)) found.push(span);
    }
  }
  if (!readsRef) {
    let first = true;
    for (const seg of segs) {
      if (seg.kind !== "literal") {
        first = false;
        continue;
      }
      let start = seg.start;
      if (first) {
        // Strip a leading authentication scheme ("Bearer ", "Basic ").
        const m = /^(\s*)([A-Za-z][\w.~+/-]*)(\s+|$)/.exec(seg.text);
        if (m) {
          const word = (m[2] as string).toLowerCase();
          const followedBySpace = (m[3] as string).length > 0;
          const known = AUTH_SCHEMES.has(word);
          if ((authHeader && followedBySpace) || known) start = seg.start + m[0].length;
        }
      }
      first = false;
      const span = trimSpan(value, start, seg.end);
      if (isSecretText(value, span)) found.push(span);
    }
  }
  found.sort((a, b) => a.start - b.start);
  return found[0];
}

/**
 * DPY401 for one header. Returns the location (in `value`) of a literal credential when the header is secret-named
 * and its value carries one that is not built from `${credentials.*}` or any other reference:
 *  - `Bearer ${credentials.token}`, `${input.token}`, `Basic $encodeBase64("${credentials.user}:${credentials.pass}")`,
 *    `Basic $encodeBase64("admin:${credentials.pass}")` (a literal user name is no secret), `Bearer `, `Bearer`,
 *    placeholders (`Bearer <token>`, `YOUR_API_KEY`) → undefined;
 *  - `Bearer abc123def456` → the token after the scheme; `abc123def456` in `X-API-Key` → the whole value;
 *  - `Basic $encodeBase64("user:hunter2")` or `$encodeBase64("${credentials.user}:hunter2")` → `hunter2`.
 * Values shorter than 4 characters are ignored.
 */
export function literalSecretInHeader(name: string, value: string): SecretHit | undefined {
  if (typeof value !== "string" || !isSecretHeaderName(name)) return undefined;
  const span = findLiteralSecret(value, parseTemplate(value), AUTH_HEADER.test(name.trim()));
  return span && { ...span, kind: "header", name };
}

/** Query parameter names whose value is a credential (case-insensitive). */
export function isSecretQueryName(name: string): boolean {
  const n = name.trim().toLowerCase();
  if (/^(key|code|sig|signature|pass|pwd|passwd|auth|apikey|api_key|api-key)$/.test(n)) return true;
  return /token|secret|password|passw(or)?d|api[-_]?key|(^|[-_])(access|auth|private|subscription|client|app)[-_]?key$|[-_]key$/.test(
    n,
  );
}

/** Segments of `segs` that fall in [start, end), literal segments clipped to the range. */
function clip(segs: Segment[], start: number, end: number): Segment[] {
  const out: Segment[] = [];
  for (const seg of segs) {
    if (seg.end <= start || seg.start >= end) continue;
    if (seg.kind === "expr") {
      out.push(seg);
    } else {
      const a = Math.max(seg.start, start);
      const b = Math.min(seg.end, end);
      out.push({ kind: "literal", text: seg.text.slice(a - seg.start, b - seg.start), start: a, end: b });
    }
  }
  return out;
}

/** Offsets of the first occurrences of `chars` in literal text at or after `from`, in order. */
function literalPositions(segs: Segment[], chars: string, from: number): number[] {
  const out: number[] = [];
  for (const seg of segs) {
    if (seg.kind !== "literal" || seg.end <= from) continue;
    for (let i = Math.max(seg.start, from); i < seg.end; i++) {
      if (chars.includes(seg.text[i - seg.start] as string)) out.push(i);
    }
  }
  return out;
}

/**
 * DPY401 for a URL: query parameters with a credential name (`key`, `code`, `token`, `apikey`, `api_key`,
 * `access_token`, `client_secret`, `password`, `sig`, `*-key`...) whose value is a literal (not `${credentials.*}`,
 * `${input.*}` or any other reference, and not a placeholder). Offsets are into `url`; `name` is the parameter name.
 * Only `?`, `&`, `=` and `#` found in literal text delimit the query (never characters inside expressions).
 */
export function literalSecretsInUrl(url: string): SecretHit[] {
  if (typeof url !== "string") return [];
  const segs = parseTemplate(url);
  const q = literalPositions(segs, "?", 0)[0];
  if (q === undefined) return [];
  const hash = literalPositions(segs, "#", q + 1)[0] ?? url.length;
  const amps = literalPositions(segs, "&", q + 1).filter((p) => p < hash);
  const bounds = [q, ...amps, hash];
  const hits: SecretHit[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = (bounds[k] as number) + 1;
    const b = bounds[k + 1] as number;
    const part = clip(segs, a, b);
    const eq = literalPositions(part, "=", a)[0];
    if (eq === undefined) continue;
    const nameSegs = clip(part, a, eq);
    if (nameSegs.some((s) => s.kind === "expr")) continue;
    let name = url.slice(a, eq);
    try {
      name = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    if (!isSecretQueryName(name)) continue;
    const span = findLiteralSecret(url, clip(part, eq + 1, b), false);
    if (span) hits.push({ ...span, kind: "query", name });
  }
  return hits;
}

/** A stand-in for a secret that reveals none of its characters, only its length: `[REDACTED 24 chars]`. */
export function redact(value: string): string {
  const n = typeof value === "string" ? Array.from(value).length : 0;
  return `[REDACTED ${n} char${n === 1 ? "" : "s"}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// DPY402 / DPY403: URL target and transport
// ---------------------------------------------------------------------------------------------------------------

export type EndpointKind = "lambda-function-url" | "api-gateway";

/** `url` with every template expression replaced by \uE000 characters (same length, so offsets still match). */
function maskExpressions(url: string): string {
  let out = "";
  for (const seg of parseTemplate(url)) out += seg.kind === "expr" ? "\uE000".repeat(seg.end - seg.start) : seg.text;
  return out;
}

/**
 * DPY402: whether a URL targets an AWS endpoint that needs SigV4 or is otherwise open: a Lambda function URL
 * (`*.lambda-url.REGION.on.aws`) or an API Gateway endpoint (`*.execute-api.REGION.amazonaws.com`, `.amazonaws.com.cn`).
 * Template expressions may stand for any part of the host except the fixed labels
 * (`https://${input.apiId}.execute-api.${input.region}.amazonaws.com/prod`). Case-insensitive; the scheme is optional.
 * `host` is the host as written (no scheme, user info or port).
 */
export function awsEndpointKind(url: string): { kind: EndpointKind; host: string } | undefined {
  if (typeof url !== "string") return undefined;
  const masked = maskExpressions(url);
  const pre = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/)?/i.exec(masked) as RegExpExecArray;
  let hs = pre[0].length;
  let he = masked.length;
  const stop = /[/?#\s]/.exec(masked.slice(hs));
  if (stop) he = hs + stop.index;
  const at = masked.lastIndexOf("@", he - 1);
  if (at >= hs) hs = at + 1;
  const port = /:[0-9\uE000]*$/.exec(masked.slice(hs, he));
  if (port) he -= port[0].length;
  const host = masked.slice(hs, he).toLowerCase();
  const label = "[a-z0-9\uE000-]+";
  if (new RegExp(`^[^\\s]+\\.lambda-url\\.${label}\\.on\\.aws\\.?$`).test(host)) {
    return { kind: "lambda-function-url", host: url.slice(hs, he) };
  }
  if (new RegExp(`^[^\\s]+\\.execute-api\\.${label}\\.amazonaws\\.com(\\.cn)?\\.?$`).test(host)) {
    return { kind: "api-gateway", host: url.slice(hs, he) };
  }
  return undefined;
}

/** DPY403: the URL uses plain `http://` (case-insensitive, leading whitespace allowed). */
export function isInsecureHttp(url: string): boolean {
  return typeof url === "string" && /^\s*http:\/\//i.test(url);
}

// ---------------------------------------------------------------------------------------------------------------
// DPY405: Lambda data action target
// ---------------------------------------------------------------------------------------------------------------

export interface LambdaArnCheck {
  ok: boolean;
  /** Why the value is not a Lambda function ARN, phrased to follow the value: `"…" is a placeholder, …`. */
  reason?: string;
  /** The parsed ARN when `ok` and the value is a literal ARN (absent for values with template expressions). */
  arn?: { partition: string; region: string; account: string; functionName: string; qualifier?: string };
}

const PARTITIONS = new Set(["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]);
const EXPECTED = "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]";

function fail(reason: string): LambdaArnCheck {
  return { ok: false, reason };
}

/** Whether the value contains an expression deputy cannot resolve: Velocity, Terraform (`${`, `%{`) or CDK tokens. */
function hasUnresolved(value: string): boolean {
  const v = value.replace(/:\$LATEST(?=\s*$)/, "");
  if (v.includes("${") || v.includes("%{")) return true;
  return parseTemplate(v).some((seg) => seg.kind === "expr");
}

function checkArn(t: string): LambdaArnCheck {
  const parts = t.split(":");
  if (parts[0] !== "arn") return fail(`is not a Lambda function ARN (ARNs start with lowercase "arn:"; expected ${EXPECTED})`);
  const [, partition = "", service = "", region = "", account = "", type = "", name = "", qualifier] = parts;
  if (service !== "lambda") {
    if (service === "") return fail(`is a partial ARN, not a Lambda function ARN (expected ${EXPECTED})`);
    return fail(`is an ARN of another service (${service}), not a Lambda function ARN`);
  }
  if (parts.length < 7) return fail(`is a partial ARN, not a full Lambda function ARN (expected ${EXPECTED})`);
  if (!PARTITIONS.has(partition)) {
    return fail(looksLikePlaceholder(partition) ? "contains a placeholder partition" : `has an unknown partition "${partition}"`);
  }
  if (region === "") return fail("has no region");
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(region)) {
    return fail(looksLikePlaceholder(region) || /^[A-Z_]+$/.test(region) ? "contains a placeholder region" : `has an invalid region "${region}"`);
  }
  if (!/^\d{12}$/.test(account)) {
    if (account === "") return fail("has no account ID");
    if (looksLikePlaceholder(account) || /^[A-Za-z_-]+$/.test(account)) return fail("contains a placeholder account ID");
    return fail(`has an account ID that is not 12 digits ("${account}")`);
  }
  if (type !== "function") return fail(`is a Lambda ${type || "resource"} ARN, not a function ARN`);
  if (name === "") return fail("is a partial ARN: the function name is missing");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    return fail(looksLikePlaceholder(name) ? "contains a placeholder function name" : `has an invalid function name "${name}"`);
  }
  if (/(^|[^a-z])your([^a-z]|$)/i.test(name)) return fail("contains a placeholder function name");
  if (parts.length > 8) return fail("has too many parts for a Lambda function ARN");
  if (qualifier !== undefined) {
    if (qualifier === "") return fail("ends with an empty qualifier");
    if (qualifier !== "$LATEST" && !/^[A-Za-z0-9_-]{1,128}$/.test(qualifier)) {
      return fail(`has an invalid qualifier "${qualifier}" (expected $LATEST, a version number or an alias)`);
    }
  }
  return {
    ok: true,
    arn: { partition, region, account, functionName: name, ...(qualifier !== undefined ? { qualifier } : {}) },
  };
}

/**
 * DPY405: whether an `aws-lambda-data-actions` `requestUrlTemplate` is a Lambda function ARN
 * (`arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`). Values with template expressions or Terraform/CDK
 * interpolation are unknown and pass (`ok` without `arn`). Failures carry a specific reason: a placeholder, an https
 * URL (or a function URL / API Gateway URL), another service's ARN, a partial ARN, a bare function name...
 */
export function checkLambdaDataActionUrl(url: string): LambdaArnCheck {
  if (typeof url !== "string") return fail("is not a string");
  if (url.trim() === "") return fail("is empty");
  if (hasUnresolved(url)) return { ok: true };
  const t = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    const ep = awsEndpointKind(t);
    if (ep?.kind === "lambda-function-url") {
      return fail("is a Lambda function URL, not a Lambda function ARN (Lambda data actions invoke the function by ARN)");
    }
    if (ep?.kind === "api-gateway") return fail("is an API Gateway URL, not a Lambda function ARN");
    const scheme = (/^([a-z][a-z0-9+.-]*):/i.exec(t) as RegExpExecArray)[1]?.toLowerCase();
    return fail(`is ${scheme === "http" ? "an http" : scheme === "https" ? "an https" : `a ${scheme}`} URL, not a Lambda function ARN`);
  }
  if (/^arn:/i.test(t)) return t !== url ? fail("has leading or trailing whitespace") : checkArn(t);
  if (looksLikePlaceholder(t)) return fail(`is a placeholder, not a Lambda function ARN (expected ${EXPECTED})`);
  if (t !== url) return fail("has leading or trailing whitespace");
  if (/^(\d{12}:)?function:/.test(t)) return fail(`is a partial ARN, not a full Lambda function ARN (expected ${EXPECTED})`);
  if (/^[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/.test(t)) {
    return fail(`is a function name, not a Lambda function ARN (expected ${EXPECTED})`);
  }
  return fail(`is not a Lambda function ARN (expected ${EXPECTED})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/**
 * A URL or template as it may appear in a message: every literal secret in its query (see `literalSecretsInUrl`) is
 * replaced by `redact(...)`, and an overlong value is shortened. Messages of every data action rule go through it, so
 * no rule can leak a secret by quoting the URL.
 */
export function safeForMessage(url: string, max = 160): string {
  if (typeof url !== "string") return "";
  let out = url;
  const hits = literalSecretsInUrl(url).sort((a, b) => b.start - a.start);
  for (const h of hits) out = out.slice(0, h.start) + redact(url.slice(h.start, h.end)) + out.slice(h.end);
  // User info (`https://user:password@host`) is a credential too.
  out = out.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i, (_m, scheme: string, info: string) => `${scheme}${redact(info)}@`);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
