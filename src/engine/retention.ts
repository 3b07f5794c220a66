/**
 * What a large run keeps after a file's per-file rules have run. Cross-file rules (DPY105, DPY301, DPY302, DPY404,
 * and `deputy graph`) read roles, functions, function URLs, permissions, data actions, Genesys role references,
 * trust and resource-based documents, and the identity statements that may allow or deny lambda:InvokeFunction or
 * lambda:InvokeFunctionUrl. A file with none of these (most standalone identity policies) is dropped; a file that has
 * them is cut down to what its entities point at (`compactForProject`), so memory grows with the entities the
 * cross-file phase reads, not with file sizes.
 */
import type { FileModel, Statement } from "../model/entities.js";
import { inferredAccount } from "../model/accounts.js";
import type { Origin } from "../model/entities.js";
import { documentRoleNames, INVOKE, INVOKE_URL, roleLocalIncompleteReason } from "../model/links.js";
import { actionGlobMatches } from "../model/policy.js";
import type { Node } from "../model/node.js";
import { hasUnknown, Resolver } from "../model/resolve.js";
import { TArray, TObject, TScalar } from "../model/tree.js";
import { SourceFile } from "./source.js";
import { walkObjects } from "./walk.js";

/**
 * Whether an identity statement matters to the cross-file phase, which asks identity policies one thing: who may call
 * lambda:InvokeFunction or lambda:InvokeFunctionUrl (allowed or denied). NotAction and unknown values (`${...}`) might.
 */
function concernsInvoke(s: Statement): boolean {
  if (s.notAction) return true;
  for (const v of s.action?.values ?? []) {
    if (hasUnknown(v.value) || actionGlobMatches(v.value, INVOKE) || actionGlobMatches(v.value, INVOKE_URL)) return true;
  }
  return false;
}

export function neededAcrossFiles(m: FileModel): boolean {
  if (m.roles.length || m.functions.length || m.functionUrls.length || m.permissions.length || m.dataActions.length || m.roleReferences.length) return true;
  return m.documents.some((d) => d.kind !== "identity" || d.statements.some(concernsInvoke));
}

/**
 * Makes a model kept for the cross-file phase small: settles the answers that need the whole file (the account a
 * template deploys to, a role's managed policies, the roles a policy attaches to), drops the identity statements that
 * do not concern invoking functions (`concernsInvoke`), then keeps of its tree only the nodes its entities point at
 * (for locations), their ancestors (for logical paths; a statement keeps its `Sid`) and the template's `Mappings` (for
 * the resolver). Everything else — resources no entity comes from, function code,
 * environments, tags of other resources, metadata — is let go: cross-file rules read entities, never the tree.
 */
export function compactForProject(m: FileModel): void {
  for (const e of entitiesOf(m)) if (!e.origin.ownAccount) inferredAccount(e.origin);
  for (const r of m.roles) roleLocalIncompleteReason(r, m.kind);
  for (const d of m.documents) {
    documentRoleNames(d);
    if (d.kind === "identity") d.statements = d.statements.filter(concernsInvoke);
  }
  hollow(m);
  for (const k of ["documents", "roles", "functions", "functionUrls", "permissions", "dataActions", "roleReferences"] as const) {
    if (m[k].length > 0) (m as unknown as Record<string, unknown[]>)[k] = m[k].slice();
  }
}

function entitiesOf(m: FileModel): { origin: Origin }[] {
  return [...m.roles, ...m.functions, ...m.functionUrls, ...m.permissions, ...m.documents, ...m.dataActions, ...m.roleReferences];
}

const isNode = (x: object): x is Node => x instanceof TObject || x instanceof TArray || x instanceof TScalar;

function hollow(m: FileModel): void {
  // Nodes the entities point at, found by walking the entity objects (not into trees).
  const pointed = new Set<Node>();
  const whole: Node[] = [];
  walkObjects(entitiesOf(m), (x) => {
    if (isNode(x)) {
      pointed.add(x);
      // An intrinsic (`Fn::Sub` over `Fn::If` branches…) stays whole: the engine folds the findings on its
      // alternatives into one (`mergeAlternative`), which needs to know it is one.
      if (x instanceof TObject && x.entries.length === 1 && /^(Ref|Fn::.*)$/.test(x.entries[0]!.key)) whole.push(x);
      return false;
    }
    if (x instanceof SourceFile) return false;
    if (x instanceof Resolver) {
      if (x.template?.mappings) whole.push(x.template.mappings);
      return false;
    }
    if (Object.getPrototypeOf(x) !== Object.prototype) return;
    // Entity lists were grown by `push` (room for 16 more each): keep exact-length copies.
    const o = x as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (Array.isArray(v) && v.length > 0) o[k] = v.slice();
    }
  });
  // Keep: pointed nodes, their ancestors, and whole subtrees the resolver reads.
  const keep = new Set<Node>();
  for (const n of pointed) {
    for (let a: Node | undefined = n; a && !keep.has(a); a = a.parent) keep.add(a);
  }
  for (const w of whole) {
    for (let a: Node | undefined = w; a && !keep.has(a); a = a.parent) keep.add(a);
    const sub: Node[] = [w];
    while (sub.length > 0) {
      const n = sub.pop()!;
      keep.add(n);
      if (n.type === "object") for (const e of n.entries) sub.push(e.value);
      else if (n.type === "array") for (const i of n.items) sub.push(i);
    }
  }
  for (const n of keep) {
    if (n instanceof TObject) {
      const kept = n.entries.filter((e) => keep.has(e.value) || (e.key === "Sid" && isStatement(n)));
      if (kept.length < n.entries.length) n.entries = kept.slice();
    } else if (n instanceof TArray) {
      const kept = n.items.filter((i) => keep.has(i));
      if (kept.length < n.items.length) n.items = kept.slice();
    }
  }
}

/** A statement object: the value of `Statement`, or an item of its array (the `Sid` lookup of a logical location). */
function isStatement(n: Node): boolean {
  const p = n.parent;
  if (!p) return false;
  const last = n.path[n.path.length - 1];
  return last === "Statement" || (typeof last === "number" && p.path[p.path.length - 1] === "Statement");
}
