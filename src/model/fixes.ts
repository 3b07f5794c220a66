/**
 * Repairs shared by several rules, written with `engine/text-edits.ts`: replacing or dropping one action of a
 * statement, and the value a fix gives `sts:ExternalId` (a template parameter for it, else the configured Genesys
 * Cloud organization ID).
 */
import type { TextEdit } from "../engine/finding.js";
import { CfnRef, editorFor, type EditValue } from "../engine/text-edits.js";
import type { Origin, ValueList } from "./entities.js";
import type { Node } from "./node.js";
import type { Str } from "./resolve.js";

/**
 * Edits that make the action `value` of `list` read `replacement`: the value replaced, or — when the list already
 * names `replacement` — the value dropped from the list.
 */
export function replaceActionEdits(origin: Origin, list: ValueList, value: Str, replacement: string): TextEdit[] | undefined {
  const editor = editorFor(origin.file);
  const listNode = list.node;
  if (listNode.type === "array") {
    const index = listNode.items.indexOf(value.node);
    if (index < 0) return undefined;
    const already = list.values.some((v) => v.node !== value.node && v.value.trim().toLowerCase() === replacement.toLowerCase());
    if (already) return editor.removeItem(listNode, index);
  } else if (listNode !== value.node) return undefined;
  return editor.replaceString(value.node, replacement);
}

/** Parameter names that hold an external ID or a Genesys Cloud organization ID. */
const ORG_PARAMETER = /(?:org(?:ani[sz]ation)?_?id|external_?id)$/i;

/** The template parameter that holds the organization ID (or external ID), when the template declares exactly one. */
export function orgIdParameter(origin: Origin): string | undefined {
  const params = origin.resolver?.template?.parameters;
  if (!params) return undefined;
  const names = [...params].filter((p) => ORG_PARAMETER.test(p));
  if (names.length === 1) return names[0];
  const genesys = names.filter((p) => /genesys|purecloud/i.test(p));
  return genesys.length === 1 ? genesys[0] : undefined;
}

/**
 * The value a fix writes for `sts:ExternalId`: a `Ref` to the template's organization ID parameter, else the
 * configured organization ID; undefined when there is neither.
 */
export function externalIdValue(origin: Origin, orgId: string | undefined): { value: EditValue; label: string } | undefined {
  const param = orgIdParameter(origin);
  if (param) return { value: new CfnRef(param), label: `the template parameter ${param}` };
  const id = orgId?.trim();
  if (id) return { value: id, label: `the Genesys Cloud organization ID ${id}` };
  return undefined;
}

/** The edits that make a node hold `value` (a string, or a `Ref`). */
export function setValueEdits(origin: Origin, node: Node, value: EditValue): TextEdit[] | undefined {
  return editorFor(origin.file).replaceValue(node, value);
}
