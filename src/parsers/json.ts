/**
 * A small, strict JSON parser that keeps source ranges and logical paths, reports duplicate keys (JSON.parse keeps
 * the last value silently, which can hide a grant) and bounds nesting depth. Errors are returned, never thrown past
 * the caller of `parseJson`.
 */
import { MAX_DEPTH, MAX_NODES, MAX_STRING_CHARS } from "../engine/limits.js";
import type { ContainerNode, Node, PathSegment, Range } from "../model/node.js";
import { ownCopy, TArray, TEntry, TObject, TScalar } from "../model/tree.js";

export interface ParseProblem {
  message: string;
  range: Range;
  /** "syntax" stops parsing; "duplicate-key" and "limit" are reported as DPY001 too. */
  kind: "syntax" | "duplicate-key" | "limit" | "encoding";
}

export interface JsonParseResult {
  root?: Node;
  problems: ParseProblem[];
}

export interface JsonParseOptions {
  maxDepth?: number;
  /** Maps offsets of `text` to offsets in the enclosing file (a JSON document embedded in a JSON string). */
  offsetMap?: Int32Array;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** A safety limit (engine/limits.ts) rather than a syntax error. */
    readonly limit = false,
  ) {
    super(message);
  }
}

const DEFAULT_MAX_DEPTH = MAX_DEPTH;

/** A run of string characters that need no decoding (no quote, backslash or control character). */
// eslint-disable-next-line no-control-regex
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

export function parseJson(text: string, opts: JsonParseOptions = {}): JsonParseResult {
  const p = new Parser(text, opts);
  try {
    p.skipWs();
    const root = p.value(undefined, undefined, 0);
    p.skipWs();
    if (p.pos < text.length) p.fail("Unexpected content after the end of the JSON document");
    return { root, problems: p.problems };
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      const at = p.map(e.offset);
      p.problems.unshift({ message: e.message, range: { start: at, end: at + 1 }, kind: e.limit ? "limit" : "syntax" });
      return { problems: p.problems };
    }
    throw e;
  }
}

class Parser {
  pos = 0;
  problems: ParseProblem[] = [];
  private readonly maxDepth: number;
  private readonly offsetMap?: Int32Array;

  constructor(
    private readonly text: string,
    opts: JsonParseOptions,
  ) {
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.offsetMap = opts.offsetMap;
  }

  map(offset: number): number {
    const m = this.offsetMap;
    if (!m) return offset;
    if (offset < m.length) return m[offset]!;
    return m.length > 0 ? m[m.length - 1]! : 0;
  }


  fail(message: string, offset = this.pos): never {
    throw new JsonSyntaxError(message, offset);
  }

  private nodes = 0;

  /** Stops at a safety limit (DPY001 "limit" at `offset`). */
  limit(message: string, offset = this.pos): never {
    throw new JsonSyntaxError(message, offset, true);
  }

  private tooLong(first: number): never {
    this.limit(`String longer than ${MAX_STRING_CHARS.toLocaleString("en-US")} characters (safety limit)`, first - 1);
  }

  skipWs(): void {
    const t = this.text;
    let i = this.pos;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.pos = i;
  }

  value(parent: ContainerNode | undefined, key: PathSegment | undefined, depth: number): Node {
    if (depth > this.maxDepth) this.limit(`Nesting deeper than ${this.maxDepth} levels (safety limit)`);
    if (++this.nodes > MAX_NODES) this.limit(`More than ${MAX_NODES.toLocaleString("en-US")} values in one file (safety limit)`);
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    const start = this.pos;
    switch (c) {
      case 123 /* { */:
        return this.object(parent, key, depth);
      case 91 /* [ */:
        return this.array(parent, key, depth);
      case 34 /* " */: {
        const s = this.string();
        return new TScalar(s, this.map(start), this.map(this.pos), parent, key);
      }
      case 116 /* t */:
        return this.literal("true", true, parent, key);
      case 102 /* f */:
        return this.literal("false", false, parent, key);
      case 110 /* n */:
        return this.literal("null", null, parent, key);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number(parent, key);
        if (Number.isNaN(c)) this.fail("Unexpected end of JSON input");
        this.fail(`Unexpected character '${t[this.pos]}' in JSON`);
    }
  }

  literal(word: string, value: boolean | null, parent: ContainerNode | undefined, key: PathSegment | undefined): Node {
    const start = this.pos;
    if (this.text.startsWith(word, start)) {
      this.pos += word.length;
      return new TScalar(value, this.map(start), this.map(this.pos), parent, key);
    }
    this.fail(`Unexpected token in JSON (expected ${word})`);
  }

  number(parent: ContainerNode | undefined, key: PathSegment | undefined): Node {
    const t = this.text;
    const start = this.pos;
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = start;
    const r = m.exec(t);
    if (!r) this.fail("Invalid number in JSON");
    this.pos = start + r[0].length;
    return new TScalar(Number(r[0]), this.map(start), this.map(this.pos), parent, key);
  }

  string(): string {
    const t = this.text;
    const first = this.pos + 1;
    // Most strings have no escape: find their end with one native scan.
    PLAIN_RUN.lastIndex = first;
    PLAIN_RUN.test(t);
    let i = PLAIN_RUN.lastIndex;
    if (t.charCodeAt(i) === 34) {
      if (i - first > MAX_STRING_CHARS) this.tooLong(first);
      this.pos = i + 1;
      return t.slice(first, i);
    }
    let out = "";
    let chunk = first;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) {
        out += t.slice(chunk, i);
        if (out.length > MAX_STRING_CHARS) this.tooLong(first);
        this.pos = i + 1;
        return out;
      }
      if (c === 92 /* \ */) {
        out += t.slice(chunk, i);
        const e = t[i + 1];
        switch (e) {
          case '"':
          case "\\":
          case "/":
            out += e;
            i += 2;
            break;
          case "b":
            out += "\b";
            i += 2;
            break;
          case "f":
            out += "\f";
            i += 2;
            break;
          case "n":
            out += "\n";
            i += 2;
            break;
          case "r":
            out += "\r";
            i += 2;
            break;
          case "t":
            out += "\t";
            i += 2;
            break;
          case "u": {
            const hex = t.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("Invalid \\u escape in JSON string", i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            break;
          }
          default:
            this.fail("Invalid escape in JSON string", i);
        }
        chunk = i;
        continue;
      }
      if (Number.isNaN(c)) this.fail("Unterminated string in JSON", this.pos);
      if (c < 32) this.fail("Control character in JSON string (unescaped newline or tab?)", i);
      i++;
    }
  }

  object(parent: ContainerNode | undefined, key: PathSegment | undefined, depth: number): Node {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    // The range is patched in when the closing brace is reached.
    const node = new TObject(this.map(start), this.map(start), parent, key);
    const entries = node.entries;
    let seen: Set<string> | undefined;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 125) {
      this.pos++;
      return this.close(node);
    }
    for (;;) {
      this.skipWs();
      if (t.charCodeAt(this.pos) !== 34) {
        if (t.charCodeAt(this.pos) === 125) this.fail("Trailing comma in JSON object");
        this.fail("Expected a property name in double quotes");
      }
      const keyStart = this.map(this.pos);
      const k = ownCopy(this.string());
      const keyEnd = this.map(this.pos);
      if (entries.length > 0) {
        // Small objects are scanned; a Set only for large ones.
        let dup: boolean;
        if (entries.length < 16) dup = entries.some((e) => e.key === k);
        else {
          if (!seen) seen = new Set(entries.map((e) => e.key));
          dup = seen.has(k);
        }
        seen?.add(k);
        if (dup) {
          this.problems.push({
            kind: "duplicate-key",
            range: { start: keyStart, end: keyEnd },
            message: `Duplicate key "${k}" in one object: the later value silently replaces the earlier one`,
          });
        }
      }
      this.skipWs();
      if (t.charCodeAt(this.pos) !== 58) this.fail("Expected ':' after property name");
      this.pos++;
      this.skipWs();
      const value = this.value(node, k, depth + 1);
      (value as TObject | TArray | TScalar).setKeyRange(keyStart, keyEnd);
      entries.push(new TEntry(k, value));
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        return this.close(node);
      }
      if (Number.isNaN(c)) this.fail("Unexpected end of JSON input (unclosed object)");
      this.fail("Expected ',' or '}' after property value");
    }
  }

  array(parent: ContainerNode | undefined, key: PathSegment | undefined, depth: number): Node {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    const node = new TArray(this.map(start), this.map(start), parent, key);
    const items = node.items;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 93) {
      this.pos++;
      return this.close(node);
    }
    for (;;) {
      this.skipWs();
      if (t.charCodeAt(this.pos) === 93) this.fail("Trailing comma in JSON array");
      items.push(this.value(node, items.length, depth + 1));
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        return this.close(node);
      }
      if (Number.isNaN(c)) this.fail("Unexpected end of JSON input (unclosed array)");
      this.fail("Expected ',' or ']' after array element");
    }
  }

  /** Sets a container's final range once its closing bracket is read. */
  private close<T extends TObject | TArray>(node: T): T {
    node.setEnd(this.map(this.pos));
    node.fit();
    return node;
  }
}

/**
 * For a JSON string literal starting at `literalStart` in `fileText` (at the opening quote), returns the decoded
 * text and, for each decoded character, its offset in the file (plus one last entry: the closing quote). Used to parse a policy that a CLI output carries as
 * a JSON string (`lambda get-policy`) so that findings inside it point into the string.
 */
export function decodeStringLiteralWithMap(fileText: string, literalStart: number): { text: string; map: Int32Array } | undefined {
  if (fileText.charCodeAt(literalStart) !== 34) return undefined;
  const chars: string[] = [];
  const offsets: number[] = [];
  let i = literalStart + 1;
  while (i < fileText.length) {
    const c = fileText[i]!;
    if (c === '"') {
      // One more entry: the end of the last character (the closing quote), so a range end maps too.
      offsets.push(i);
      return { text: chars.join(""), map: Int32Array.from(offsets) };
    }
    if (c === "\\") {
      const e = fileText[i + 1];
      let out: string;
      let len = 2;
      if (e === "u") {
        out = String.fromCharCode(parseInt(fileText.slice(i + 2, i + 6), 16));
        len = 6;
      } else out = ({ n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" } as Record<string, string>)[e ?? ""] ?? e ?? "";
      chars.push(out);
      offsets.push(i);
      i += len;
      continue;
    }
    chars.push(c);
    offsets.push(i);
    i++;
  }
  return undefined;
}
