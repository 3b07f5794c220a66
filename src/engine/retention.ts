/**
 * What a large run keeps after a file's per-file rules have run. Cross-file rules (DPY105, DPY301, DPY302, DPY404,
 * and `deputy graph`) read roles, functions, function URLs, permissions, data actions, Genesys role references,
 * trust and resource-based documents, and identity documents that can grant Lambda actions. A file with none of
 * these (most standalone identity policies) is dropped, so memory stays bounded by what the cross-file phase needs.
 */
import type { FileModel, PolicyDocument } from "../model/entities.js";
import { hasUnknown } from "../model/resolve.js";
import { inferredAccount } from "../model/accounts.js";

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

/**
 * Lets go of the template resources no entity refers to (log groups, queues, tables…) in a model kept for the
 * cross-file phase: entities keep their own nodes, and each node's parent chain would otherwise keep the whole tree.
 */
export function pruneForProject(m: FileModel): void {
  // Answers read from the whole template are settled before it is pruned.
  for (const list of [m.roles, m.functions, m.functionUrls, m.permissions, m.documents, m.dataActions, m.roleReferences]) {
    for (const e of list) if (!e.origin.ownAccount) inferredAccount(e.origin);
  }
  const root = m.root;
  if (!root || root.type !== "object") return;
  const resources = root.entries.find((e) => e.key === "Resources")?.value;
  if (!resources || resources.type !== "object") return;
  const keep = new Set<string>();
  for (const list of [m.roles, m.functions, m.functionUrls, m.permissions, m.documents, m.dataActions, m.roleReferences]) {
    for (const e of list) if (e.origin.logicalId !== undefined) keep.add(e.origin.logicalId);
  }
  const kept = resources.entries.filter((e) => keep.has(e.key));
  if (kept.length < resources.entries.length) resources.entries.splice(0, resources.entries.length, ...kept);
}
