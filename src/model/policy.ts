/**
 * The IAM policy statement model: normalises every written form (string or array, `Principal` shapes, condition
 * operator families, mis-cased keys) into `Statement`s, and answers the questions rules ask of them.
 */
import type { Condition, Origin, PolicyDocument, PolicyKind, Principal, PrincipalType, Statement, ValueList } from "./entities.js";
import type { Node, ObjectNode } from "./node.js";
import { globMatcher, type GlobMatcher } from "./glob.js";
import { memoize2 } from "./memo.js";
import { isObject } from "./node.js";
import type { Resolver, Str } from "./resolve.js";
import { hasUnknown } from "./resolve.js";

/** Finds a key case-insensitively; returns the key as written and its value. */
export function findKey(obj: ObjectNode, key: string): { key: string; value: Node } | undefined {
  const k = key.toLowerCase();
  let found: { key: string; value: Node } | undefined;
  for (const e of obj.entries) {
    if (e.key === key) return { key: e.key, value: e.value };
    if (!found && e.key.toLowerCase() === k) found = { key: e.key, value: e.value };
  }
  return found;
}

export function buildDocument(node: ObjectNode, kind: PolicyKind, origin: Origin, label: string): PolicyDocument {
  const doc: PolicyDocument = { kind, node, origin, statements: [], label };
  const st = findKey(node, "Statement");
  if (!st) return doc;
  const r = origin.resolver;
  const stmtNodes = st.value.type === "array" ? r.items(st.value).flatMap((n) => r.objects(n)) : r.objects(st.value);
  stmtNodes.forEach((sn, index) => doc.statements.push(buildStatement(doc, sn, index)));
  return doc;
}

function valueList(stmt: ObjectNode, key: string, origin: Origin): ValueList | undefined {
  const f = findKey(stmt, key);
  if (!f) return undefined;
  return { node: f.value, key: f.key, values: origin.resolver.list(f.value) };
}

function buildStatement(doc: PolicyDocument, node: ObjectNode, index: number): Statement {
  const origin = doc.origin;
  const r = origin.resolver;
  const sidN = findKey(node, "Sid");
  const effN = findKey(node, "Effect");
  const stmt: Statement = {
    doc,
    node,
    index,
    sid: sidN && sidN.value.type === "scalar" ? String(sidN.value.value) : undefined,
    effect: effN ? r.string(effN.value)?.value : undefined,
    effectNode: effN?.value,
    action: valueList(node, "Action", origin),
    notAction: valueList(node, "NotAction", origin),
    resource: valueList(node, "Resource", origin),
    notResource: valueList(node, "NotResource", origin),
    conditions: [],
  };
  const p = findKey(node, "Principal");
  if (p) {
    stmt.principalNode = p.value;
    stmt.principals = principals(p.value, origin);
  }
  const np = findKey(node, "NotPrincipal");
  if (np) {
    stmt.notPrincipalNode = np.value;
    stmt.notPrincipals = principals(np.value, origin);
  }
  const c = findKey(node, "Condition");
  if (c) {
    stmt.conditionNode = c.value;
    for (const block of r.objects(c.value)) {
      for (const opEntry of block.entries) {
        for (const keys of r.objects(opEntry.value)) {
          for (const ke of keys.entries) stmt.conditions.push(condition(opEntry.key, ke.key, ke.value, origin));
        }
      }
    }
    if (r.template) for (const cond of stmt.conditions) cond.optional = optionalVia(c.value, cond.key, r);
  }
  return stmt;
}

/**
 * The `Fn::If` (outermost first) with a branch in which condition key `key` is absent, walking down from the
 * statement's `Condition` value (`level` "condition") through `Fn::If` branches and operator blocks to the keys of
 * each operator (`level` "keys"): `Condition: !If [HasExternalId, {StringEquals: {sts:ExternalId: ...}},
 * !Ref AWS::NoValue]` makes `sts:externalid` optional, and so does `StringEquals: !If [C, {...}, !Ref AWS::NoValue]`.
 * Undefined when every alternative has the key.
 */
function optionalVia(n: Node, key: string, r: Resolver, level: "condition" | "keys" = "condition", depth = 0): Condition["optional"] {
  if (depth > 8) return undefined;
  const has = level === "condition" ? mayHaveKey : keysHave;
  if (r.isIntrinsic(n) && isObject(n)) {
    const e = n.entries[0]!;
    if (e.key !== "Fn::If" || e.value.type !== "array") return undefined;
    const [name, yes, no] = e.value.items;
    const when = name?.type === "scalar" ? String(name.value) : "?";
    const hasYes = yes !== undefined && has(yes, key, r);
    const hasNo = no !== undefined && has(no, key, r);
    if (hasYes && !hasNo) return { ifNode: n, when, present: true };
    if (hasNo && !hasYes) return { ifNode: n, when, present: false };
    if (!hasYes || !hasNo) return undefined;
    return optionalVia(yes!, key, r, level, depth + 1) ?? optionalVia(no!, key, r, level, depth + 1);
  }
  if (level === "keys" || !isObject(n)) return undefined;
  let found: Condition["optional"];
  for (const op of n.entries) {
    if (!keysHave(op.value, key, r)) continue;
    const via = optionalVia(op.value, key, r, "keys", depth + 1);
    if (!via) return undefined;
    found ??= via;
  }
  return found;
}

/** Whether some alternative of a `Condition` value has condition key `key`. */
function mayHaveKey(n: Node, key: string, r: Resolver): boolean {
  return r.objects(n).some((block) => block.entries.some((op) => keysHave(op.value, key, r)));
}

/** Whether some alternative of one operator's keys (`{"sts:ExternalId": ...}`) has condition key `key`. */
function keysHave(n: Node, key: string, r: Resolver): boolean {
  return r.objects(n).some((keys) => keys.entries.some((k) => k.key.toLowerCase() === key));
}

export function parseOperator(operator: string): { op: string; ifExists: boolean; set?: "forallvalues" | "foranyvalue" } {
  let o = operator.toLowerCase();
  let set: "forallvalues" | "foranyvalue" | undefined;
  if (o.startsWith("forallvalues:")) {
    set = "forallvalues";
    o = o.slice(13);
  } else if (o.startsWith("foranyvalue:")) {
    set = "foranyvalue";
    o = o.slice(12);
  }
  const ifExists = o.endsWith("ifexists");
  if (ifExists) o = o.slice(0, -8);
  return { op: o, ifExists, set };
}

function condition(operator: string, key: string, value: Node, origin: Origin): Condition {
  const { op, ifExists, set } = parseOperator(operator);
  return { operator, op, ifExists, set, key: key.toLowerCase(), keyAsWritten: key, values: origin.resolver.list(value), node: value };
}

function principals(n: Node, origin: Origin): Principal[] {
  const r = origin.resolver;
  const out: Principal[] = [];
  if (n.type === "scalar" || r.isIntrinsic(n)) {
    for (const s of r.strings(n)) out.push({ type: s.value === "*" ? "*" : "AWS", value: s.value, node: s.node, ref: s.ref });
    return out;
  }
  for (const obj of r.objects(n)) {
    for (const e of obj.entries) {
      const type = normalisePrincipalType(e.key);
      for (const s of r.list(e.value)) out.push({ type, value: s.value, node: s.node, ref: s.ref });
    }
  }
  return out;
}

function normalisePrincipalType(k: string): PrincipalType {
  switch (k.toLowerCase()) {
    case "service":
      return "Service";
    case "federated":
      return "Federated";
    case "canonicaluser":
      return "CanonicalUser";
    default:
      return "AWS";
  }
}

/** The 12-digit account of an AWS principal (`123456789012`, `arn:aws:iam::123456789012:root`, role/user ARNs). */
export function principalAccount(p: Principal | string): string | undefined {
  const v = typeof p === "string" ? p : p.value;
  if (/^\d{12}$/.test(v)) return v;
  const m = /^arn:[^:]*:(?:iam|sts)::([^:]*):/.exec(v);
  return m ? m[1] : undefined;
}

/** A digit string that looks like an account ID (possibly mistyped: 9–15 digits), from a bare ID or an IAM/STS ARN. */
export function principalAccountLoose(p: Principal | string): string | undefined {
  const v = typeof p === "string" ? p : p.value;
  if (/^\d{9,15}$/.test(v)) return v;
  const m = /^arn:[^:]*:(?:iam|sts)::(\d+):/.exec(v);
  return m ? m[1] : undefined;
}

export function isAllow(s: Statement): boolean {
  return s.effect === "Allow";
}

/** Whether `pattern` (an IAM action glob, case-insensitive) matches `action`. */
export function actionGlobMatches(pattern: string, action: string): boolean {
  // Most values name another service, which their first character tells before any cache lookup: a pattern that does
  // not start with a wildcard matches only if its first character is the action's, in either case (`| 0x20` folds
  // ASCII letters and leaves '*', '?', ':' and digits as they are).
  const p = pattern.charCodeAt(0);
  if (p !== 42 && p !== 63 && (p | 0x20) !== (action.charCodeAt(0) | 0x20)) return false;
  return globMatchMemo(action, pattern);
}

// Rules ask about a handful of actions (sts:AssumeRole, lambda:InvokeFunction…) against every action value.
const globMatchMemo = memoize2((action: string, pattern: string) => globMatches(pattern, action));

function globMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  if (p === "*" || p === a) return true;
  if (!p.includes("*") && !p.includes("?")) return false;
  return globRe(p).test(a);
}

// Patterns come from input: matched without building a regular expression from them (see glob.ts).
const globCache = new Map<string, GlobMatcher>();
function globRe(p: string): GlobMatcher {
  let re = globCache.get(p);
  if (!re) {
    re = globMatcher(p);
    globCache.set(p, re);
  }
  return re;
}

/** True when the statement's Action (or NotAction) lets `action` through. Unknown values do not match. */
export function statementAllowsAction(s: Statement, action: string): boolean {
  if (s.action) return s.action.values.some((v) => !hasUnknown(v.value) && actionGlobMatches(v.value, action));
  if (s.notAction) return !s.notAction.values.some((v) => hasUnknown(v.value) || actionGlobMatches(v.value, action));
  return false;
}

/** The action values of a statement that match `action`. */
export function matchingActions(s: Statement, action: string): Str[] {
  return (s.action?.values ?? []).filter((v) => !hasUnknown(v.value) && actionGlobMatches(v.value, action));
}

/** Conditions on a key (lowercase compare). */
export function conditionsOn(s: Statement, key: string): Condition[] {
  const k = key.toLowerCase();
  return s.conditions.filter((c) => c.key === k);
}

/** Whether a document node looks like a trust policy: a statement allows an sts:AssumeRole* action with a Principal. */
export function looksLikeTrust(doc: ObjectNode): boolean {
  const st = findKey(doc, "Statement");
  if (!st) return false;
  const stmts = st.value.type === "array" ? st.value.items : [st.value];
  return stmts.some((s) => {
    if (!isObject(s) || !findKey(s, "Principal")) return false;
    const a = findKey(s, "Action");
    if (!a) return false;
    const vals = a.value.type === "array" ? a.value.items : [a.value];
    return vals.some((v) => v.type === "scalar" && typeof v.value === "string" && /^sts:(assumerole|tagsession|setsourceidentity|\*)/i.test(v.value));
  });
}

/**
 * Whether a standalone document is a trust or resource-based policy: most of its statements name a Principal (a
 * lone Principal in an otherwise identity-based policy is that policy's mistake, not a change of kind).
 */
export function hasPrincipal(doc: ObjectNode): boolean {
  const st = findKey(doc, "Statement");
  if (!st) return false;
  const stmts = (st.value.type === "array" ? st.value.items : [st.value]).filter(isObject);
  const withPrincipal = stmts.filter((s) => findKey(s, "Principal") !== undefined || findKey(s, "NotPrincipal") !== undefined).length;
  return withPrincipal > 0 && withPrincipal * 2 >= stmts.length;
}
