/**
 * DPY002: the IAM policy grammar, checked with ajv against `schemas/iam-policy.schema.json`; each schema error is
 * mapped to the element it concerns (the unknown key, the missing element's statement, the bad value).
 */
import type { ErrorObject } from "ajv";
import * as generated from "../generated/policy-validators.js";
import type { GeneratedValidator } from "../generated/policy-validators.js";
import { defineRule } from "../engine/rule.js";
import { levenshtein } from "../model/edit-distance.js";
import type { PolicyDocument, Statement } from "../model/entities.js";
import type { Node, ObjectNode } from "../model/node.js";
import { toJS } from "../model/node.js";
import { hasUnknown } from "../model/resolve.js";

const STATEMENT_KEYS = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
const DOCUMENT_KEYS = ["Version", "Id", "Statement"];
const PRINCIPAL_TYPES = ["AWS", "Service", "Federated", "CanonicalUser"];

/** Messages for the schema's named constraints (`$comment` in the schema). */
const NAMED: Record<string, string> = {
  "both-action": "The statement has both Action and NotAction; use one of them",
  "both-resource": "The statement has both Resource and NotResource; use one of them",
  "both-principal": "The statement has both Principal and NotPrincipal; use one of them",
  "need-action": "The statement has no Action or NotAction, so IAM rejects the policy; add the actions it grants or denies",
  "no-principal": "An identity-based policy cannot have Principal or NotPrincipal (IAM rejects it); remove it, or move the statement to a trust or resource-based policy",
  "need-resource": "The statement has no Resource or NotResource, so IAM rejects the policy; add the resources it applies to",
  "need-principal": "A trust or resource-based policy statement needs a Principal; name who the statement applies to",
};

/**
 * The grammar validators: ajv compiled ahead of time from `schemas/iam-policy.schema.json` by
 * `scripts/build-validators.mjs`, so a run does not load ajv itself.
 */
type ValidateFunction = GeneratedValidator;
function getValidators(): Record<"document" | "identity" | "trust" | "resource", ValidateFunction> {
  return generated;
}

function nodeAt(base: Node, instancePath: string): Node {
  let cur: Node = base;
  for (const raw of instancePath.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    let next: Node | undefined;
    if (cur.type === "object") next = cur.entries.find((e) => e.key === seg)?.value;
    else if (cur.type === "array") next = cur.items[Number(seg)];
    if (!next) break;
    cur = next;
  }
  return cur;
}

function suggestKey(key: string, known: string[]): string | undefined {
  const ci = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (ci) return ci;
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = levenshtein(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

const POLICY_VARIABLE = /\$\{[A-Za-z0-9-]+:[^:}][^}]*\}/;

function usesPolicyVariables(n: Node): boolean {
  if (n.type === "scalar") return typeof n.value === "string" && hasUnknown(n.value) && POLICY_VARIABLE.test(n.value);
  if (n.type === "array") return n.items.some(usesPolicyVariables);
  return n.entries.some((e) => usesPolicyVariables(e.value));
}

interface Problem {
  node: Node;
  keyRange?: { start: number; end: number };
  detail: string;
}

/** The named constraint a `required`-branches `anyOf` expresses (`need-action`…), from the properties it wanted. */
function anyOfName(e: ErrorObject, errors: ErrorObject[]): string | undefined {
  for (const x of errors) {
    if (x.keyword !== "required" || x.instancePath !== e.instancePath || !x.schemaPath.startsWith(e.schemaPath + "/")) continue;
    const missing = String((x.params as { missingProperty: string }).missingProperty);
    if (missing === "Action" || missing === "NotAction") return "need-action";
    if (missing === "Resource" || missing === "NotResource") return "need-resource";
    if (missing === "Principal" || missing === "NotPrincipal") return "need-principal";
  }
  return undefined;
}

/** The named constraints a failed `not` can stand for, read off the instance (ajv does not say which `not` failed). */
function notNames(node: Node): string[] {
  if (node.type !== "object") return [];
  const has = (k: string) => node.entries.some((x) => x.key === k);
  const out: string[] = [];
  if (has("Action") && has("NotAction")) out.push("both-action");
  if (has("Resource") && has("NotResource")) out.push("both-resource");
  if (has("Principal") && has("NotPrincipal")) out.push("both-principal");
  if (out.length === 0 && (has("Principal") || has("NotPrincipal"))) out.push("no-principal");
  return out;
}

/** Turns ajv errors into one problem per offending element. */
function mapErrors(errors: ErrorObject[], base: Node, known: string[], what: string): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const add = (p: Problem) => {
    const k = `${p.node.range.start}:${p.detail}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(p);
  };
  // A failed type union (an `anyOf` that is not a named constraint) is one problem: drop the failures of its
  // branches, which ajv reports at the same path or below it.
  const unions = errors.filter((e) => e.keyword === "anyOf" && !anyOfName(e, errors));
  const inUnion = (e: ErrorObject) => unions.some((u) => u !== e && (e.instancePath === u.instancePath || e.instancePath.startsWith(u.instancePath + "/")));
  for (const e of errors) {
    if (inUnion(e)) continue;
    // Branch failures of a named `anyOf` (`need-action`) are explained by the anyOf itself.
    if (e.keyword === "required" && /\/anyOf\/\d+\/required$/.test(e.schemaPath)) continue;
    const node = nodeAt(base, e.instancePath);
    let p: Problem | undefined;
    if (e.keyword === "not") {
      for (const name of notNames(node)) {
        const target = name === "no-principal" && node.type === "object" ? (node.entries.find((x) => x.key === "Principal" || x.key === "NotPrincipal")?.value ?? node) : node;
        add({ node: target, detail: NAMED[name]! });
      }
      continue;
    } else if (e.keyword === "anyOf" && anyOfName(e, errors)) {
      p = { node, detail: NAMED[anyOfName(e, errors)!]! };
    } else if (e.keyword === "additionalProperties") {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const entry = node.type === "object" ? node.entries.find((x) => x.key === key) : undefined;
      const s = suggestKey(key, known);
      const hint = s ? `; did you mean "${s}"? (policy element names are case-sensitive)` : `; ${what} elements are ${known.join(", ")}`;
      p = { node: entry?.value ?? node, keyRange: entry?.keyRange, detail: `Unknown key "${key}" in ${what}${hint}` };
    } else if (e.keyword === "required") {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      // `"effect"` for `"Effect"`: the unknown-key finding already says it, on the key itself.
      if (node.type === "object" && node.entries.some((x) => x.key.toLowerCase() === missing.toLowerCase())) continue;
      p = { node, detail: `The ${what} has no ${missing}, so IAM rejects the policy; add "${missing}"${missing === "Effect" ? ': "Allow" or "Deny"' : ""}` };
    } else if (e.keyword === "enum" || e.keyword === "const" || (e.keyword === "anyOf" && /\/(Effect|Version)$/.test(e.instancePath))) {
      const field = e.instancePath.split("/").pop() ?? "";
      const actual = node.type === "scalar" ? JSON.stringify(node.value) : node.type;
      if (field === "Effect") p = { node, detail: `Effect must be "Allow" or "Deny" (case-sensitive), not ${actual}` };
      else if (field === "Version") p = { node, detail: `Version must be "2012-10-17", not ${actual}` };
      else p = { node, detail: `${field} has an invalid value ${actual}` };
    } else if (/Principal$/.test(e.instancePath) && node.type === "object" && node.entries.some((x) => !PRINCIPAL_TYPES.includes(x.key))) {
      // One problem per unknown principal type, on its key.
      for (const x of node.entries.filter((y) => !PRINCIPAL_TYPES.includes(y.key))) {
        const sug = suggestKey(x.key, PRINCIPAL_TYPES);
        const detail = `Unknown principal type "${x.key}"${sug ? `; did you mean "${sug}"? (case-sensitive)` : `; use ${PRINCIPAL_TYPES.join(", ")}`}`;
        out.push({ node: x.value, keyRange: x.keyRange, detail });
      }
      continue;
    } else {
      const field = e.instancePath.split("/").filter((x) => !/^\d+$/.test(x)).pop() ?? what;
      const expect = /Principal$/.test(field)
        ? '"*" or a mapping of AWS, Service, Federated or CanonicalUser to strings'
        : field === "Condition"
          ? "a mapping of condition operators to mappings of condition keys to values"
          : field === "Statement"
            ? "a statement object or a list of statement objects"
            : field === "Sid" || field === "Version" || field === "Id" || field === "Effect"
              ? "one string"
              : "a string or a list of strings";
      const actual = node.type === "scalar" ? (node.value === null ? "null" : typeof node.value === "string" ? JSON.stringify(node.value) : `the ${typeof node.value} ${String(node.value)}`) : `a ${node.type === "array" ? "list" : "mapping"}`;
      // A Sid is one string (letters and digits, in IAM policies); a number such as `Sid: 1` is rejected by IAM.
      const hint = field === "Sid" && node.type === "scalar" && node.value !== null ? `; quote it ("Sid": "${String(node.value)}")` : "";
      p = { node, detail: `${field} must be ${expect}, not ${actual}${hint}` };
    }
    add(p);
  }
  return out;
}

export default defineRule({
  code: "DPY002",
  name: "invalid-policy-document",
  severity: "error",
  category: "Input",
  securitySeverity: 4.0,
  description: "A policy document breaks the IAM policy grammar",
  fullDescription:
    "A recognised policy document breaks the IAM policy grammar: missing or unknown Effect; missing Action/NotAction or Resource/NotResource where required; both Action and NotAction; misspelled or wrong-case keys; Principal in an identity policy or missing in a trust/resource policy; a Version other than 2012-10-17 (2008-10-17 is a warning; a missing Version is reported only when the document uses policy variables, which need 2012-10-17).",
  messages: {
    invalid: "{{detail}}.",
    oldVersion: 'Version "2008-10-17" is the legacy policy language: policy variables such as ${aws:username} are not replaced under it. Use "Version": "2012-10-17".',
    missingVersion: 'The policy uses policy variables ({{variable}}) but has no Version, so IAM treats them as literal text. Add "Version": "2012-10-17".',
  },
  create(ctx) {
    const check = (doc: PolicyDocument) => {
      const v = getValidators();
      const origin = doc.origin;
      const r = origin.resolver;
      const report = (p: Problem) => ctx.report({ origin, node: p.node, range: p.keyRange, messageId: "invalid", data: { detail: p.detail } });
      if (!v.document(documentShape(doc.node))) for (const p of mapErrors(v.document.errors ?? [], doc.node, DOCUMENT_KEYS, "policy document")) report(p);
      const versionNode = doc.node.entries.find((e) => e.key === "Version")?.value;
      const version = versionNode ? r.string(versionNode)?.value : undefined;
      if (version === "2008-10-17") ctx.report({ origin, node: versionNode, messageId: "oldVersion", severity: "warning" });
      if (!versionNode && usesPolicyVariables(doc.node)) {
        const m = POLICY_VARIABLE.exec(JSON.stringify(toJS(doc.node)));
        ctx.report({ origin, node: doc.node.entries.find((e) => e.key === "Statement")?.value ?? doc.node, messageId: "missingVersion", data: { variable: m?.[0] ?? "${...}" } });
      }
      const validate = v[doc.kind];
      // An Effect from an intrinsic (`!If [c, Allow, Deny]`): every literal branch must still be Allow or Deny.
      for (const s of doc.statements) {
        if (!s.effectNode || !r.isIntrinsic(s.effectNode)) continue;
        for (const alt of r.strings(s.effectNode)) {
          if (alt.node.type === "scalar" && alt.value !== "Allow" && alt.value !== "Deny") {
            report({ node: alt.node, detail: `Effect must be "Allow" or "Deny" (case-sensitive), not ${JSON.stringify(alt.value)}` });
          }
        }
      }
      for (const s of doc.statements) checkStatement(s, validate, report);
    };
    return { document: check };
  },
});

/**
 * What the document-level schema looks at: the top-level keys and values, and only the kind (and, for an object, the
 * keys: an intrinsic) of a nested value — statements are validated one by one, so converting them here too would
 * double the work.
 */
function documentShape(n: ObjectNode): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const e of n.entries) {
    const v = e.value;
    if (v.type === "scalar") o[e.key] = v.value;
    else if (v.type === "array") o[e.key] = [];
    else o[e.key] = Object.fromEntries(v.entries.map((x) => [x.key, null]));
  }
  return o;
}

function checkStatement(s: Statement, validate: ValidateFunction, report: (p: Problem) => void): void {
  const node: ObjectNode = s.node;
  // CloudFormation turns YAML numbers and booleans into strings (`Sid: 1`); raw JSON policies get no such help.
  const value = toJS(node, s.doc.origin.resolver.template !== undefined);
  if (validate(value)) return;
  for (const p of mapErrors(validate.errors ?? [], node, STATEMENT_KEYS, "statement")) report(p);
}
