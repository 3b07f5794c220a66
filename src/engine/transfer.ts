/**
 * A file model sent from a helper thread to the main thread. Helper threads parse and analyse files, including ones
 * the cross-file phase needs; those come back as their compacted model, copied by `postMessage`
 * (`structuredClone`), which keeps every field and every link between objects (parents, shared origins, resolvers)
 * but not classes. `reviveModel` gives the three kinds of class instance a model holds their prototypes back: tree
 * nodes, source files and resolvers. The main thread then adds the model to the project exactly as if it had parsed
 * the file itself.
 */
import type { FileModel } from "../model/entities.js";
import { Resolver } from "../model/resolve.js";
import { reviveNode } from "../model/tree.js";
import { SourceFile } from "./source.js";
import { walkObjects } from "./walk.js";

/** Restores the classes of a model copied between threads, in place, and returns it. */
export function reviveModel(m: FileModel): FileModel {
  walkObjects([m], (x) => {
    if (reviveNode(x)) return;
    if ("absPath" in x && "path" in x && "onDisk" in x) Object.setPrototypeOf(x, SourceFile.prototype);
    else if ("resolver" in x && "file" in x) {
      const r = (x as { resolver?: object }).resolver;
      if (r && !(r instanceof Resolver)) Object.setPrototypeOf(r, Resolver.prototype);
    }
  });
  return m;
}
