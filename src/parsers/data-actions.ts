/**
 * Exported Genesys Cloud data actions (Admin > Integrations > Actions > Export): one action, an array of them, or a
 * Platform API listing (`GET /api/v2/integrations/actions`: `{"entities": [...]}`, actions carrying `integrationId`
 * instead of `integrationType`). Recognised by content (`config.request.requestUrlTemplate` with `integrationType`,
 * `contract`, `integrationId` or `category`), whatever the file name.
 */
import type { SourceFile } from "../engine/source.js";
import type { DataAction, FileModel, Origin } from "../model/entities.js";
import { emptyModel } from "../model/entities.js";
import type { Node } from "../model/node.js";
import { at, isObject, prop, stringValue } from "../model/node.js";
import { PLAIN } from "../model/resolve.js";

export function isDataActionExport(n: Node): boolean {
  if (!isObject(n)) return false;
  const request = at(n, "config", "request");
  const marker = ["integrationType", "contract", "integrationId", "category"].some((k) => prop(n, k) !== undefined);
  return marker && isObject(request) && prop(request, "requestUrlTemplate") !== undefined;
}

export function extractDataActions(file: SourceFile, root: Node): FileModel | undefined {
  const entities = prop(root, "entities");
  const items = root.type === "array" ? root.items : isObject(root) && entities?.type === "array" && !isDataActionExport(root) ? entities.items : [root];
  if (items.length === 0 || !items.every(isDataActionExport)) return undefined;
  const model = emptyModel(file, "genesys-data-action", root);
  for (const n of items) model.dataActions.push(dataActionFromExport(file, n));
  return model;
}

function dataActionFromExport(file: SourceFile, n: Node): DataAction {
  const name = stringValue(prop(n, "name"));
  const origin: Origin = { file, resolver: PLAIN, resourceNode: n, logicalId: name };
  const request = at(n, "config", "request");
  const urlNode = prop(request, "requestUrlTemplate");
  const headersNode = prop(request, "headers");
  const bodyNode = prop(request, "requestTemplate");
  return {
    origin,
    node: n,
    name,
    integrationType: stringValue(prop(n, "integrationType")),
    url: stringValue(urlNode),
    urlNode,
    headers: isObject(headersNode) ? headersNode.entries.map((e) => ({ name: e.key, value: stringValue(e.value) ?? "", node: e.value })) : [],
    body: stringValue(bodyNode),
    bodyNode,
  };
}
