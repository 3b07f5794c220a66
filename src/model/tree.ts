/**
 * Memory-lean node classes shared by the JSON and YAML parsers. A node keeps its key in its parent and its range as
 * two numbers; its logical path and its `range` object are built only when asked for (a finding's location). This
 * matters because the trees of files kept for the cross-file phase stay in memory until the end of the run.
 */
import type { ArrayNode, ContainerNode, Node, ObjectEntry, ObjectNode, Path, PathSegment, Range, Scalar, ScalarNode } from "./node.js";

abstract class TNode {
  keyRange?: Range;
  protected s: number;
  protected e: number;
  constructor(
    range: Range,
    public parent: ContainerNode | undefined,
    private key: PathSegment | undefined,
  ) {
    this.s = range.start;
    this.e = range.end;
  }

  get range(): Range {
    return { start: this.s, end: this.e };
  }

  /** Sets the end once a container's closing bracket is read. */
  setRange(r: Range): void {
    this.s = r.start;
    this.e = r.end;
  }

  get path(): Path {
    const segs: PathSegment[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let n: TNode = this;
    while (n.parent) {
      segs.push(n.key!);
      n = n.parent as unknown as TNode;
    }
    segs.reverse();
    return segs;
  }
}

/**
 * Puts the root of an embedded document (a policy inside a JSON string) in the place of the string node it was
 * parsed from: same parent, same key, so its nodes' paths continue the outer document's (`Policy/Statement[0]`) and
 * a location falls back to the outer document's ancestors.
 */
export function replaceNode(root: Node, old: Node): void {
  const r = root as unknown as { parent?: ContainerNode; key?: PathSegment };
  r.parent = old.parent;
  r.key = (old as unknown as { key?: PathSegment }).key;
}

/**
 * Gives copied nodes back their classes: `structuredClone` (a model sent from a worker thread) keeps a node's own
 * fields and the links between nodes, not its prototype. The class follows from the fields.
 */
export function reviveNode(o: object): boolean {
  if ("entries" in o && "s" in o) Object.setPrototypeOf(o, TObject.prototype);
  else if ("items" in o && "s" in o) Object.setPrototypeOf(o, TArray.prototype);
  else if ("value" in o && "s" in o && "e" in o) Object.setPrototypeOf(o, TScalar.prototype);
  else return false;
  return true;
}

export class TObject extends TNode implements ObjectNode {
  get type(): "object" {
    return "object";
  }
  readonly entries: ObjectEntry[] = [];
}
export class TArray extends TNode implements ArrayNode {
  get type(): "array" {
    return "array";
  }
  readonly items: Node[] = [];
}
export class TScalar extends TNode implements ScalarNode {
  get type(): "scalar" {
    return "scalar";
  }
  constructor(
    readonly value: Scalar,
    range: Range,
    parent: ContainerNode | undefined,
    key: PathSegment | undefined,
  ) {
    super(range, parent, key);
  }
}

