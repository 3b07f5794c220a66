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
    private readonly key: PathSegment | undefined,
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
    const base = rootBase.get(n);
    return base ? [...base, ...segs] : segs;
  }
}

/** The path prefix of the root of an embedded document (a policy inside a JSON string), by root node. */
const rootBase = new WeakMap<TNode, Path>();

export function setRootBase(root: Node, base: Path): void {
  rootBase.set(root as unknown as TNode, base);
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

