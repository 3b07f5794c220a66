/**
 * Memory-lean node classes shared by the JSON and YAML parsers. A node keeps its key in its parent and its range as
 * two numbers; its logical path and its `range` object are built only when asked for (a finding's location). This
 * matters because the trees of files kept for the cross-file phase stay in memory until the end of the run.
 */
import type { ArrayNode, ContainerNode, Node, ObjectEntry, ObjectNode, Path, PathSegment, Range, Scalar, ScalarNode } from "./node.js";

abstract class TNode {
  protected s: number;
  protected e: number;
  /** Range of the key when this node is a mapping entry's value (-1: none). Two numbers, not a Range object. */
  protected ks = -1;
  protected ke = -1;
  constructor(
    start: number,
    end: number,
    public parent: ContainerNode | undefined,
    private key: PathSegment | undefined,
  ) {
    this.s = start;
    this.e = end;
  }

  get range(): Range {
    return { start: this.s, end: this.e };
  }

  get keyRange(): Range | undefined {
    return this.ks < 0 ? undefined : { start: this.ks, end: this.ke };
  }

  set keyRange(r: Range | undefined) {
    this.ks = r ? r.start : -1;
    this.ke = r ? r.end : -1;
  }

  /** Sets the end once a container's closing bracket is read. */
  setEnd(end: number): void {
    this.e = end;
  }

  /** Sets the key range without a Range object (parsers). */
  setKeyRange(start: number, end: number): void {
    this.ks = start;
    this.ke = end;
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

/** A mapping entry: its key range is its value's (`TNode.keyRange`), so an entry holds no range object of its own. */
export class TEntry implements ObjectEntry {
  constructor(
    readonly key: string,
    readonly value: Node,
  ) {}
  get keyRange(): Range {
    return this.value.keyRange!;
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
  if ("key" in o && "value" in o && !("s" in o) && Object.keys(o).length === 2) Object.setPrototypeOf(o, TEntry.prototype);
  else if ("entries" in o && "s" in o) Object.setPrototypeOf(o, TObject.prototype);
  else if ("items" in o && "s" in o) Object.setPrototypeOf(o, TArray.prototype);
  else if ("value" in o && "s" in o && "e" in o) Object.setPrototypeOf(o, TScalar.prototype);
  else return false;
  return true;
}

export class TObject extends TNode implements ObjectNode {
  get type(): "object" {
    return "object";
  }
  entries: ObjectEntry[] = [];
  /** Once complete: an array grown by `push` has room for 16 more; a copy has exactly its length (memory). */
  fit(): void {
    if (this.entries.length > 0) this.entries = this.entries.slice();
  }
}
export class TArray extends TNode implements ArrayNode {
  get type(): "array" {
    return "array";
  }
  items: Node[] = [];
  /** See `TObject.fit`. */
  fit(): void {
    if (this.items.length > 0) this.items = this.items.slice();
  }
}
export class TScalar extends TNode implements ScalarNode {
  get type(): "scalar" {
    return "scalar";
  }
  readonly value: Scalar;
  /** `owned`: the value is already a copy of its own (another node's value), not a view into a file's text. */
  constructor(value: Scalar, start: number, end: number, parent: ContainerNode | undefined, key: PathSegment | undefined, owned = false) {
    super(start, end, parent, key);
    this.value = typeof value === "string" && !owned ? ownCopy(value) : value;
  }
}

/**
 * A string that does not keep the file text alive, and one copy of each short string. A parser's substring of 13 characters or more is, in V8, a view
 * into the whole text; one such value (or key: CloudFormation logical IDs are long) kept for the cross-file phase
 * would keep the entire file in memory after `SourceFile.release()`. Concatenating and cutting again yields a copy of just these characters.
 */
export function ownCopy(s: string): string {
  if (s.length >= 13) return (s + " ").slice(0, -1);
  // Short strings are copies already; the same few (`Effect`, `Allow`, `Type`, `*`) recur in every file: keep one.
  const hit = shortStrings.get(s);
  if (hit !== undefined) return hit;
  if (shortStrings.size < 50_000) shortStrings.set(s, s);
  return s;
}

const shortStrings = new Map<string, string>();

