/**
 * What a large run keeps after a file's per-file rules have run. Cross-file rules (DPY105, DPY301, DPY302, DPY404,
 * and `deputy graph`) read roles, functions, function URLs, permissions, data actions, Genesys role references,
 * trust and resource-based documents, and identity documents that can grant Lambda actions. A file with none of
 * these (most standalone identity policies) is dropped, so memory stays bounded by what the cross-file phase needs.
 */
import type { FileModel, PolicyDocument } from "../model/entities.js";
import { hasUnknown } from "../model/resolve.js";

function mayGrantLambda(d: PolicyDocument): boolean {
  for (const s of d.statements) {
    for (const list of [s.action, s.notAction]) {
      if (!list) continue;
      if (s.notAction === list) return true;
      for (const v of list.values) {
        const a = v.value.toLowerCase();
        if (a === "*" || a.startsWith("lambda:") || a.startsWith("lambda*") || hasUnknown(a) || a.startsWith("*")) return true;
      }
    }
  }
  return false;
}

export function neededAcrossFiles(m: FileModel): boolean {
  if (m.roles.length || m.functions.length || m.functionUrls.length || m.permissions.length || m.dataActions.length || m.roleReferences.length) return true;
  return m.documents.some((d) => d.kind !== "identity" || mayGrantLambda(d));
}
