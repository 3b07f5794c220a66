/**
 * The positioned tree every parser produces. A node carries its value, its logical path from the document root and
 * its source range (UTF-16 offsets into the file text; the engine turns offsets into 1-based line/column only when a
 * finding is rendered, so parsing never builds a line table).
 */

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface Range {
  readonly start: number;
  readonly end: number;
}

interface NodeBase {
  readonly path: Path;
  readonly range: Range;
  /** Range of the key (`"Action"`) when this node is the value of a mapping entry. */
  keyRange?: Range;
  parent?: ContainerNode;
}

export interface ObjectEntry {
  readonly key: string;
  readonly keyRange: Range;
  readonly value: Node;
}

export interface ObjectNode extends NodeBase {
  readonly type: "object";
  readonly entries: ObjectEntry[];
}

export interface ArrayNode extends NodeBase {
  readonly type: "array";
  readonly items: Node[];
}

export type Scalar = string | number | boolean | null;

export interface ScalarNode extends NodeBase {
  readonly type: "scalar";
  readonly value: Scalar;
}

export type ContainerNode = ObjectNode | ArrayNode;
export type Node = ObjectNode | ArrayNode | ScalarNode;

export function isObject(n: Node | undefined): n is ObjectNode {
  return n !== undefined && n.type === "object";
}
export function isArray(n: Node | undefined): n is ArrayNode {
  return n !== undefined && n.type === "array";
}
export function isScalar(n: Node | undefined): n is ScalarNode {
  return n !== undefined && n.type === "scalar";
}
export function isString(n: Node | undefined): n is ScalarNode & { value: string } {
  return n !== undefined && n.type === "scalar" && typeof n.value === "string";
}

/** The value of `key` in a mapping (exact case). With duplicate keys the last wins, as JSON.parse does. */
export function prop(n: Node | undefined, key: string): Node | undefined {
  if (!n || n.type !== "object") return undefined;
  const e = n.entries;
  for (let i = e.length - 1; i >= 0; i--) if (e[i]!.key === key) return e[i]!.value;
  return undefined;
}

/** Case-insensitive lookup (IAM condition keys, HTTP header names). */
export function propCI(n: Node | undefined, key: string): Node | undefined {
  if (!n || n.type !== "object") return undefined;
  const k = key.toLowerCase();
  const e = n.entries;
  for (let i = e.length - 1; i >= 0; i--) if (e[i]!.key.toLowerCase() === k) return e[i]!.value;
  return undefined;
}

/** Follows a path of keys / indexes. */
export function at(n: Node | undefined, ...path: PathSegment[]): Node | undefined {
  let cur = n;
  for (const seg of path) {
    if (!cur) return undefined;
    if (typeof seg === "number") cur = cur.type === "array" ? cur.items[seg] : undefined;
    else cur = prop(cur, seg);
  }
  return cur;
}

export function stringValue(n: Node | undefined): string | undefined {
  return n && n.type === "scalar" && typeof n.value === "string" ? n.value : undefined;
}

/** A node as a string or array of nodes (IAM allows `"Action": "x"` and `"Action": ["x"]`). */
export function asList(n: Node | undefined): Node[] {
  if (!n) return [];
  return n.type === "array" ? n.items : [n];
}

/** Plain JavaScript value of a node; with `stringScalars`, numbers and booleans become strings (as CloudFormation does). */
export function toJS(n: Node, stringScalars = false): unknown {
  switch (n.type) {
    case "scalar":
      return stringScalars && (typeof n.value === "number" || typeof n.value === "boolean") ? String(n.value) : n.value;
    case "array":
      return n.items.map((i) => toJS(i, stringScalars));
    case "object": {
      const o: Record<string, unknown> = {};
      for (const e of n.entries) o[e.key] = toJS(e.value, stringScalars);
      return o;
    }
  }
}

export function pathToString(path: Path): string {
  let s = "";
  for (const seg of path) s += typeof seg === "number" ? `[${seg}]` : s === "" ? seg : `/${seg}`;
  return s;
}

/** Sets `parent` links (parsers call it once on the root). */
export function linkParents(root: Node): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "object") {
      for (const e of n.entries) {
        e.value.parent = n;
        stack.push(e.value);
      }
    } else if (n.type === "array") {
      for (const c of n.items) {
        c.parent = n;
        stack.push(c);
      }
    }
  }
}

/** Finds the deepest node at `path`, falling back to the nearest existing ancestor. */
export function nodeAtPath(root: Node, path: Path): Node {
  let cur: Node = root;
  for (const seg of path) {
    const next: Node | undefined = typeof seg === "number" ? (cur.type === "array" ? cur.items[seg] : undefined) : prop(cur, seg);
    if (!next) break;
    cur = next;
  }
  return cur;
}
