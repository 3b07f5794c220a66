/**
 * Whether a wildcard resource really reaches every resource (DPY202), from `data/permission-scoping.json`:
 *
 * - **Binding conditions.** A condition on a key that picks resources (`aws:ResourceTag/<k>`, `aws:ResourceAccount`,
 *   `kms:ViaService`, `iam:PassedToService`…) with a positive operator and a concrete value binds the wildcard for
 *   the actions that support that key per the IAM catalog (keys marked `global` apply to every action). Any other
 *   condition (`aws:RequestedRegion`, `aws:SourceVpc`, a negated operator, `…IfExists`, `ForAllValues:`, a `"*"`
 *   value, or a binding key the action does not support) narrows the request but binds no resource.
 * - **Unscopable grants.** Actions AWS documents with `Resource: "*"` (the Lambda VPC network-interface actions,
 *   `ecr:GetAuthorizationToken`, `logs:CreateLogGroup` on the account's log ARNs).
 *
 * Answers are cached per statement and per action and key: most statements have no condition, and those that do
 * repeat the same few keys.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Condition, Statement } from "./entities.js";
import type { CatalogAction } from "./iam-catalog.js";
import { memoizeOn } from "./memo.js";
import { hasUnknown, replacePlaceholders } from "./resolve.js";

interface BindingEntry {
  key: string;
  binds: string;
  global?: boolean;
  bool?: boolean;
  source: string;
}

interface UnscopableEntry {
  actions: string[];
  resources: string[];
  why: string;
  source: string;
}

interface ScopingData {
  bindingConditionKeys: BindingEntry[];
  unscopable: UnscopableEntry[];
}

let data: { binding: { entry: BindingEntry; re: RegExp }[]; unscopable: Map<string, { entry: UnscopableEntry; resources: RegExp[] }> } | undefined;

/** An IAM-style glob (`*` any run) as an anchored, case-insensitive RegExp. */
const glob = (p: string): RegExp => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, ".*")}$`, "is");

/** An ARN glob whose `*` stays within one `:`-separated part (`arn:*:logs:*:*:*` is not `…:log-group:x:*`). */
const arnGlob = (p: string): RegExp => (p === "*" ? /^\*$/ : new RegExp(`^${p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, "[^:]*")}$`, "i"));

function scopingData(): NonNullable<typeof data> {
  if (!data) {
    const file = fileURLToPath(new URL("../../data/permission-scoping.json", import.meta.url));
    const raw = JSON.parse(readFileSync(file, "utf8")) as ScopingData;
    const unscopable = new Map<string, { entry: UnscopableEntry; resources: RegExp[] }>();
    for (const entry of raw.unscopable) for (const a of entry.actions) unscopable.set(a.toLowerCase(), { entry, resources: entry.resources.map(arnGlob) });
    data = { binding: raw.bindingConditionKeys.map((entry) => ({ entry, re: glob(entry.key) })), unscopable };
  }
  return data;
}

/** The binding entry for a condition key (lowercase), if it is one that picks resources. */
function bindingEntry(key: string): BindingEntry | undefined {
  return scopingData().binding.find((b) => b.re.test(key))?.entry;
}

const POSITIVE = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);

/** Whether a condition requires a concrete value of its key (absent key → the statement does not apply). */
function requiresValue(c: Condition, entry: BindingEntry): boolean {
  if (c.ifExists || c.set === "forallvalues" || c.values.length === 0) return false;
  if (entry.bool) return c.op === "bool" && c.values.every((v) => v.value.trim().toLowerCase() === "true");
  if (!POSITIVE.has(c.op)) return false;
  // An unknown value (a parameter) is a concrete value; `""` and `"*"` are not.
  return c.values.every((v) => hasUnknown(v.value) || !/^[*?]*$/.test(v.value.trim()));
}

/** A statement's conditions, sorted into those that may bind (with their entry) and those that only narrow. */
export interface ConditionScope {
  binding: { condition: Condition; entry: BindingEntry }[];
  /** Keys as written, in order, without repeats. */
  narrowing: string[];
}

const scopeCache = new WeakMap<Statement, ConditionScope>();

export function conditionScope(stmt: Statement): ConditionScope {
  let s = scopeCache.get(stmt);
  if (!s) {
    s = { binding: [], narrowing: [] };
    for (const c of stmt.conditions) {
      const entry = bindingEntry(c.key);
      if (entry && requiresValue(c, entry)) s.binding.push({ condition: c, entry });
      else if (!s.narrowing.includes(c.keyAsWritten)) s.narrowing.push(c.keyAsWritten);
    }
    scopeCache.set(stmt, s);
  }
  return s;
}

/**
 * Whether the catalog lists a condition key (lowercase) for an action: `aws:resourcetag/team` ~
 * `aws:resourcetag/${tagkey}`; the catalog also writes the tag placeholder as `<key>` or `tag-key`
 * (`ssm:resourcetag/tag-key`).
 */
export const supportsKey = memoizeOn((a: CatalogAction, key: string): boolean => a.conditionKeys.some((k) => keyPattern(k).test(key)));

const keyPattern = (k: string): RegExp => {
  let re = keyPatterns.get(k);
  if (!re) {
    re = glob(k.replace(/\$\{[^}]*\}|<[^>]*>/g, "*").replace(/(tag\/)tag-key$/, "$1*"));
    keyPatterns.set(k, re);
  }
  return re;
};
const keyPatterns = new Map<string, RegExp>();

/**
 * The condition of a statement that binds a wildcard resource for an action (undefined when none does). Binding
 * keys the action does not support are reported as narrowing by `unboundKeys`.
 */
export function bindingCondition(scope: ConditionScope, a: CatalogAction): Condition | undefined {
  for (const b of scope.binding) if (b.entry.global || supportsKey(a, b.condition.key)) return b.condition;
  return undefined;
}

/** The condition keys (as written) of a statement that bind none of these actions. */
export function unboundKeys(scope: ConditionScope, actions: readonly CatalogAction[]): string[] {
  const out = [...scope.narrowing];
  for (const b of scope.binding) {
    if (b.entry.global) continue;
    if (!actions.some((a) => supportsKey(a, b.condition.key)) && !out.includes(b.condition.keyAsWritten)) out.push(b.condition.keyAsWritten);
  }
  return out;
}

const unscopableOf = new WeakMap<CatalogAction, { entry: UnscopableEntry; resources: RegExp[] } | null>();

/** Whether any action of a (cached) list is in the unscopable table, once per list. */
export function anyUnscopable(actions: readonly CatalogAction[]): boolean {
  let v = anyCache.get(actions);
  if (v === undefined) {
    v = actions.some((a) => {
      let u = unscopableOf.get(a);
      if (u === undefined) unscopableOf.set(a, (u = scopingData().unscopable.get(a.full.toLowerCase()) ?? null));
      return u !== null;
    });
    anyCache.set(actions, v);
  }
  return v;
}
const anyCache = new WeakMap<readonly CatalogAction[], boolean>();

/**
 * Whether AWS documents this grant with a wildcard resource: the action is listed as unscopable and the resource
 * value is one of the listed forms (unknown parts of the value, `${AWS::Region}`, match anything).
 */
export function isUnscopable(a: CatalogAction, resource: string): boolean {
  // Asked for every action of every wildcard statement: the table lookup is kept on the entry.
  let u = unscopableOf.get(a);
  if (u === undefined) unscopableOf.set(a, (u = scopingData().unscopable.get(a.full.toLowerCase()) ?? null));
  if (!u) return false;
  const value = replacePlaceholders(resource.trim(), () => "x");
  return u.resources.some((re) => re.test(value));
}
