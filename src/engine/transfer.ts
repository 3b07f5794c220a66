/**
 * A file model sent from a worker thread to the main thread. Worker threads parse and analyse every file, including
 * the ones the cross-file phase needs; those come back as their (pruned) model, copied by `postMessage`
 * (`structuredClone`), which keeps every field and every link between objects (parents, shared origins, resolvers)
 * but not classes. `reviveModel` gives the three kinds of class instance a model holds their prototypes back: tree
 * nodes, source files and resolvers. The main thread then adds the model to the project exactly as if it had parsed
 * the file itself.
 */
import type { FileModel } from "../model/entities.js";
import { Resolver } from "../model/resolve.js";
import { reviveNode } from "../model/tree.js";
import { SourceFile } from "./source.js";

/** Restores the classes of a model copied between threads, in place, and returns it. */
export function reviveModel(m: FileModel): FileModel {
  const seen = new Set<object>();
  const stack: unknown[] = [m];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== "object" || x === null || seen.has(x) || ArrayBuffer.isView(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const v of x) if (typeof v === "object" && v !== null) stack.push(v);
      continue;
    }
    if (x instanceof Map) {
      for (const [k, v] of x) stack.push(k, v);
      continue;
    }
    if (x instanceof Set) {
      for (const v of x) stack.push(v);
      continue;
    }
    if (!reviveNode(x)) {
      if ("absPath" in x && "path" in x && "onDisk" in x) Object.setPrototypeOf(x, SourceFile.prototype);
      else if ("resolver" in x && "file" in x) {
        const r = (x as { resolver?: object }).resolver;
        if (r && !(r instanceof Resolver)) Object.setPrototypeOf(r, Resolver.prototype);
      }
    }
    for (const k in x) {
      const v = (x as Record<string, unknown>)[k];
      if (typeof v === "object" && v !== null) stack.push(v);
    }
  }
  return m;
}
