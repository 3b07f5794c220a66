/**
 * Does a condition bind? Helpers for the trust and confused-deputy rules (DPY102–DPY104): whether a condition on a key
 * actually restricts the request, or lets a request without the right value through. Condition keys are compared
 * case-insensitively (IAM does); unknown values (`${Param}`, policy variables) count as binding, never as wildcards.
 */
import type { Condition, Statement } from "./entities.js";
import { literalParts, replacePlaceholders } from "./resolve.js";
import { looksLikePlaceholder } from "./data-action-checks.js";

/** Operators that compare a key against values positively (no negation). Lowercase base operator names. */
const POSITIVE_OPS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);

/** `StringNotEquals`, `StringNotLike`, `ArnNotEquals`, `ArnNotLike`, `StringNotEqualsIgnoreCase`. */
export function isNegatedOperator(c: Condition): boolean {
  return /^(string|arn)not/.test(c.op);
}

/** Whether the operator matches with wildcards (`StringLike`, `ArnLike`, and `ArnEquals`, which IAM treats alike). */
export function isLikeOperator(c: Condition): boolean {
  return c.op === "stringlike" || c.op === "arnlike" || c.op === "arnequals";
}

/** A value made only of wildcards (`*`, `?*`), ignoring nothing: an unknown `${...}` part is not a wildcard. */
export function isWildcardOnly(value: string): boolean {
  return value !== "" && /^[*?]+$/.test(value);
}

/**
 * Whether a value matches any caller whatever it is: only wildcards, or an ARN whose account and resource parts are
 * empty or wildcards (`arn:aws:s3:::*`, `arn:aws:sns:*:*:*`): any account's resource of that service.
 */
export function matchesAnything(value: string): boolean {
  if (isWildcardOnly(value)) return true;
  // Unknown parts (`${AWS::Partition}`, `${Bucket}`) become one opaque character: never a wildcard, never a ':'.
  const parts = replacePlaceholders(value, () => "\u0000").split(":");
  if (parts[0] !== "arn" || parts.length < 6) return false;
  const account = parts[4]!;
  const resource = parts.slice(5).join(":");
  const wild = (s: string) => s === "" || isWildcardOnly(s);
  return wild(account) && wild(resource);
}

/**
 * Whether a condition restricts its key to concrete values: a positive operator (`StringEquals`, `StringLike`,
 * `ArnLike`...), not `...IfExists` (true when the key is absent), not `ForAllValues:` (true when the key is absent),
 * with at least one value and no value that matches anything (values are OR-ed, so one `*` lets everything through).
 */
export function conditionBinds(c: Condition): boolean {
  if (c.ifExists || c.set === "forallvalues") return false;
  if (!POSITIVE_OPS.has(c.op)) return false;
  if (c.values.length === 0) return false;
  return c.values.every((v) => !matchesAnything(v.value));
}

/** The binding conditions of a statement on any of `keys` (lowercase compare). */
export function bindingConditions(s: Statement, keys: readonly string[]): Condition[] {
  const ks = new Set(keys.map((k) => k.toLowerCase()));
  return s.conditions.filter((c) => ks.has(c.key) && conditionBinds(c));
}

/** Whether a StringLike/ArnLike value has a wildcard in its literal (known) parts. */
export function hasLiteralWildcard(value: string): boolean {
  return /[*?]/.test(literalParts(value));
}

/**
 * Whether an external ID value is a placeholder left in a template: `YOUR_EXTERNAL_ID`, `<org-id>`, `CHANGEME`,
 * `example`, `org-id`, `xxxx`, `EXTERNAL_ID`, `my-external-id`, `{{orgId}}`, `0000`, `test`...
 */
export function looksLikeExternalIdPlaceholder(value: string): boolean {
  const t = value.trim();
  if (t === "") return false;
  if (looksLikePlaceholder(t)) return true;
  // A nil UUID or one of a single repeated digit: `00000000-0000-0000-0000-000000000000`.
  if (/^([0-9a-f])\1{7}-\1{4}-\1{4}-\1{4}-\1{12}$/i.test(t)) return true;
  // A name of the thing instead of the thing: `org-id`, `external_id`, `myExternalId`, `your-org-id-here`,
  // `genesys-organization-id`, `sample-external-id`.
  const name =
    /^(?:(?:my|your|the|an?|some|sample|dummy|test|genesys(?:[-_ ]?cloud)?|purecloud)[-_ ]?)*(?:unique[-_ ]?)?(?:external[-_ ]?id|ext[-_ ]?id|org(?:ani[sz]ation)?[-_ ]?id|tenant[-_ ]?id)(?:[-_ ]?(?:here|value|goes[-_ ]?here|placeholder))?$/i;
  return name.test(t);
}
