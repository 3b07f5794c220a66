/**
 * DPY102: an `sts:ExternalId` condition that does not bind. Operator problems (`...IfExists`, `ForAllValues:`,
 * `StringNotEquals`/`StringNotLike`, `Null`) are reported on the operator key, and only when no other condition of
 * the statement binds the external ID (conditions under different operators must all hold, so one `StringEquals`
 * makes a redundant `Null` harmless). Value problems (empty, wildcard, a wildcard pattern under `StringLike`, a
 * placeholder, a non-UUID value for a Genesys Cloud principal, a value other than the configured `genesys.orgId`) are
 * reported on the value. A value from a parameter or a variable (`${...}`) is fine. Allow statements only: a Deny with
 * `StringNotEquals` on the external ID is the correct way to guard with a Deny.
 */
import { pushAll } from "../engine/arrays.js";
import { defineRule, type FixProposal } from "../engine/rule.js";
import type { TextEdit } from "../engine/finding.js";
import { CfnRef, editorFor, type EditValue } from "../engine/text-edits.js";
import type { Condition, Origin, Statement } from "../model/entities.js";
import { externalIdValue, setValueEdits } from "../model/fixes.js";
import type { Node, ObjectNode } from "../model/node.js";
import { principalAccountId } from "../model/accounts.js";
import { conditionBinds, hasLiteralWildcard, isLikeOperator, isNegatedOperator, isWildcardOnly, looksLikeExternalIdPlaceholder } from "../model/conditions.js";
import { isGenesysAccount, isUuid } from "../model/genesys.js";
import { conditionsOn, isAllow } from "../model/policy.js";
import { hasUnknown } from "../model/resolve.js";

function genesysPrincipal(s: Statement): string | undefined {
  for (const p of s.principals ?? []) {
    if (p.type !== "AWS") continue;
    const a = principalAccountId(p);
    if (a && isGenesysAccount(a)) return a;
  }
  return undefined;
}

/** The operator mapping (`"StringNotEquals": {...}`) of a condition, to report on its key. */
function operatorNode(c: Condition): Node {
  return c.node.parent ?? c.node;
}

/** Whether a value of an external ID condition is one to keep (a real ID, or one from a parameter). */
function realValue(c: Condition, value: string, genesys: string | undefined, orgId: string | undefined): boolean {
  if (hasUnknown(value)) return true;
  const v = value.trim();
  if (v === "" || isWildcardOnly(v) || (isLikeOperator(c) && hasLiteralWildcard(v)) || looksLikeExternalIdPlaceholder(v)) return false;
  if (genesys && !isUuid(v)) return false;
  if (genesys && orgId && v.toLowerCase() !== orgId.toLowerCase()) return false;
  return true;
}

/**
 * The repair of one external ID condition: its operator becomes StringEquals (StringLike, ...IfExists,
 * ForAllValues:), and each value that is not a real ID becomes the template's organization ID parameter or the
 * configured organization ID. Undefined when there is nothing to put in its place, or the operator block holds other
 * keys or the Condition already has a StringEquals block (renaming would change or collide with them).
 */
function conditionFix(origin: Origin, c: Condition, genesys: string | undefined, orgId: string | undefined): FixProposal | undefined {
  if (isNegatedOperator(c) || c.op === "null") return undefined;
  const edits: TextEdit[] = [];
  const changes: string[] = [];
  const renames = c.ifExists || c.set !== undefined || c.op !== "stringequals";
  const unreal = c.values.filter((v) => !realValue(c, v.value, genesys, orgId));
  if (renames) {
    if (c.op !== "stringequals" && c.op !== "stringlike") return undefined;
    const opObject = c.node.parent;
    const block = opObject?.parent;
    if (!opObject || opObject.type !== "object" || !block || block.type !== "object") return undefined;
    const editor = editorFor(origin.file);
    if (opObject.entries.some((e) => e.key.toLowerCase() !== "sts:externalid") || block.entries.some((e) => e.key === "StringEquals")) {
      // The operator block holds other keys, or the Condition has a StringEquals block already: the external ID moves
      // to StringEquals and the rest stays as it is.
      const moved = movedEdits(origin, c, opObject, block, unreal.length > 0 ? externalIdValue(origin, genesys ? orgId : undefined) : undefined);
      if (!moved) return undefined;
      return { description: `Move sts:ExternalId from ${c.operator} to StringEquals${moved.label ? ` and take it from ${moved.label}` : ""}`, edits: moved.edits };
    }
    const e = editor.renameKey(opObject, "StringEquals");
    if (!e) return undefined;
    pushAll(edits, e);
    changes.push(`use StringEquals instead of ${c.operator}`);
  }
  if (unreal.length > 0) {
    // The configured organization ID is Genesys Cloud's external ID: for another party only a parameter will do.
    const to = externalIdValue(origin, genesys ? orgId : undefined);
    if (!to || unreal.length !== c.values.length || c.values.length !== 1) return undefined;
    const e = setValueEdits(origin, unreal[0]!.node, to.value);
    if (!e) return undefined;
    pushAll(edits, e);
    changes.push(`take the external ID from ${to.label}`);
  }
  if (edits.length === 0) return undefined;
  const text = changes.join(" and ");
  return { description: text[0]!.toUpperCase() + text.slice(1), edits };
}

/**
 * The external ID entry taken out of its operator block (or the whole block, when it is the only key) and added to the
 * Condition's StringEquals block (made when there is none), with its value when real, else `to`.
 */
function movedEdits(
  origin: Origin,
  c: Condition,
  opObject: ObjectNode,
  block: ObjectNode,
  to: { value: EditValue; label: string } | undefined,
): { edits: TextEdit[]; label?: string } | undefined {
  if (c.values.length !== 1) return undefined;
  const unreal = to !== undefined;
  let value: EditValue | undefined = to?.value;
  if (!unreal) {
    const v = c.values[0]!.value;
    const ref = c.node.type === "object" && c.node.entries.length === 1 && c.node.entries[0]!.key === "Ref" ? c.node.entries[0]!.value : undefined;
    if (!hasUnknown(v)) value = v;
    else if (ref && ref.type === "scalar" && typeof ref.value === "string") value = new CfnRef(ref.value);
  }
  if (value === undefined) return undefined;
  const editor = editorFor(origin.file);
  const eq = block.entries.find((e) => e.key === "StringEquals")?.value;
  if (eq && (eq.type !== "object" || eq.entries.some((e) => e.key.toLowerCase() === "sts:externalid") || origin.resolver.isIntrinsic(eq))) return undefined;
  const out =
    opObject.entries.length > 1
      ? editor.removeEntry(opObject, opObject.entries.findIndex((e) => e.value === c.node))
      : editor.removeEntry(block, block.entries.findIndex((e) => e.value === opObject));
  const add = eq ? editor.addEntry(eq as ObjectNode, c.keyAsWritten, value) : editor.addEntry(block, "StringEquals", { [c.keyAsWritten]: value });
  if (!out || !add) return undefined;
  return { edits: [...out, ...add], label: to?.label };
}

export default defineRule({
  code: "DPY102",
  name: "trust-weak-external-id",
  severity: "error",
  category: "Trust and confused deputy",
  securitySeverity: 7.5,
  fixable: "unsafe",
  description: "An sts:ExternalId condition must bind the external ID to a real value",
  fullDescription:
    "An sts:ExternalId condition exists but does not bind: an operator that lets a request without the right value through (StringLike with a wildcard, StringNotEquals, any ...IfExists, ForAllValues:, which is true when the key is absent), an empty or wildcard value, a placeholder (YOUR_..., <...>, CHANGEME, example, org-id, ...), or, for a Genesys Cloud account, a literal value that is not a UUID (the Genesys Cloud organization ID). A value from a parameter or variable is fine.",
  messages: {
    ifExists:
      "{{operator}} is true when the request carries no sts:ExternalId, so a caller that sends no external ID passes and the condition protects nothing. Use StringEquals.",
    forAllValues:
      "{{operator}} is true when sts:ExternalId is absent, so a caller that sends no external ID passes. Use StringEquals (sts:ExternalId is single-valued).",
    negated:
      "{{operator}} on sts:ExternalId lets through every request whose external ID is not the listed value, including requests with none. Use StringEquals with the expected external ID.",
    null: "Null only checks whether sts:ExternalId is present, so any external ID passes. Use StringEquals with the expected external ID.",
    empty:
      "The sts:ExternalId value is empty: no caller can send an empty external ID, so the intended value is missing. Set the external ID the trusted party issues you (for Genesys Cloud, your organization ID), or take it from a parameter.",
    wildcard:
      "The sts:ExternalId value \"{{value}}\" matches any external ID, so it binds nothing. Use StringEquals with the exact external ID.",
    literalWildcard:
      "{{operator}} compares \"{{value}}\" literally (it has no wildcards), and no caller sends that external ID, so the intended value is missing. Use StringEquals with the external ID the trusted party issues you (for Genesys Cloud, your organization ID).",
    pattern:
      "{{operator}} with the pattern \"{{value}}\" accepts any external ID that fits it, not one value. Use StringEquals with the exact external ID.",
    placeholder:
      "The sts:ExternalId value \"{{value}}\" looks like a placeholder left in the template. Replace it with the external ID the trusted party issues you (for Genesys Cloud, your organization ID), or take it from a parameter.",
    notUuid:
      "Genesys Cloud (account {{account}}) sends your Genesys Cloud organization ID, a UUID, as the external ID; \"{{value}}\" is not a UUID, so Genesys can never assume this role. Use your organization ID, or take it from a parameter.",
    wrongOrg:
      "\"{{value}}\" is not the Genesys Cloud organization ID in the configuration ({{orgId}}); Genesys Cloud sends the organization ID as the external ID, so this condition fails for your organization. Use {{orgId}}.",
  },
  create(ctx) {
    const orgId = ctx.project.config.genesys?.orgId?.trim();
    return {
      statement(s) {
        if (s.doc.kind === "identity" || !isAllow(s)) return;
        const conds = conditionsOn(s, "sts:ExternalId");
        if (conds.length === 0) return;
        const origin = s.doc.origin;
        const bound = conds.some((c) => conditionBinds(c) && c.values.every((v) => v.value !== "" && !(isLikeOperator(c) && hasLiteralWildcard(v.value))));
        const genesys = genesysPrincipal(s);
        for (const c of conds) {
          const opNode = operatorNode(c);
          const fix = conditionFix(origin, c, genesys, orgId);
          const atOperator = (messageId: "ifExists" | "forAllValues" | "negated" | "null") =>
            ctx.report({ origin, node: opNode, range: opNode.keyRange, messageId, data: { operator: c.operator }, fix });
          if (!bound) {
            if (isNegatedOperator(c)) atOperator("negated");
            else if (c.op === "null") atOperator("null");
            else if (c.ifExists) atOperator("ifExists");
            else if (c.set === "forallvalues") atOperator("forAllValues");
          }
          if (isNegatedOperator(c) || c.op === "null") continue;
          for (const v of c.values) {
            const value = v.value;
            const data = { value, operator: c.operator, account: genesys ?? "", orgId: orgId ?? "" };
            if (value === "") {
              ctx.report({ origin, node: v.node, messageId: "empty", data, fix });
            } else if (isWildcardOnly(value)) {
              if (!isLikeOperator(c)) ctx.report({ origin, node: v.node, messageId: "literalWildcard", data, fix });
              else if (!bound) ctx.report({ origin, node: v.node, messageId: "wildcard", data, fix });
            } else if (isLikeOperator(c) && hasLiteralWildcard(value)) {
              if (!bound) ctx.report({ origin, node: v.node, messageId: "pattern", data, fix });
            } else if (hasUnknown(value)) {
              continue;
            } else if (looksLikeExternalIdPlaceholder(value)) {
              ctx.report({ origin, node: v.node, messageId: "placeholder", data, fix });
            } else if (genesys && !isUuid(value.trim())) {
              ctx.report({ origin, node: v.node, messageId: "notUuid", data, fix });
            } else if (genesys && orgId && value.trim().toLowerCase() !== orgId.toLowerCase()) {
              ctx.report({ origin, node: v.node, messageId: "wrongOrg", data, fix });
            }
          }
        }
      },
    };
  },
});
