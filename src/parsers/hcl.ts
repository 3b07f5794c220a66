/**
 * HCL (Terraform `.tf`, `.tfvars`) syntax with exact source ranges, read by tree-sitter's HCL grammar
 * (`@tree-sitter-grammars/tree-sitter-hcl`, its prebuilt `tree-sitter-terraform.wasm`) under `web-tree-sitter`: a
 * maintained grammar (the one editors use), no native build, UTF-16 offsets that are ours. The parser is loaded
 * lazily (`loadHcl`, asynchronous because WebAssembly instantiation is): a run without `.tf` files never loads it.
 *
 * The tree-sitter tree is turned at once into a small syntax tree (`HBody`, `HBlock`, `HExpr`) and freed, so no
 * WebAssembly memory outlives a file. Depth is bounded like JSON and YAML.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { MAX_DEPTH, MAX_HCL_CHARS, MAX_NODES, MAX_STRING_CHARS } from "../engine/limits.js";
import type { Range } from "../model/node.js";
import type { ParseProblem } from "./json.js";

// ---------------------------------------------------------------------------------------------------------------
// Syntax tree

export interface HAttribute {
  name: string;
  /** Range of the name. */
  ks: number;
  ke: number;
  expr: HExpr;
  s: number;
  e: number;
}

export interface HBlock {
  type: string;
  labels: string[];
  /** Range of the block type keyword (`resource`). */
  ts: number;
  te: number;
  body: HBody;
  s: number;
  e: number;
}

export interface HBody {
  attrs: HAttribute[];
  blocks: HBlock[];
}

/** A template part: literal text (escapes decoded, `$${` kept as written) or an interpolation. */
export type HPart = { lit: string; s: number; e: number } | { expr: HExpr; s: number; e: number } | { directive: true; s: number; e: number };

/** `src`: the expression's text when its range is not its own (an expression inside a Terraform JSON string). */
export type HExpr = (
  | { k: "lit"; v: string | number | boolean | null; s: number; e: number }
  | { k: "tmpl"; parts: HPart[]; heredoc: boolean; s: number; e: number; /** heredoc content range */ cs?: number; ce?: number }
  | { k: "tuple"; items: HExpr[]; s: number; e: number }
  | { k: "object"; entries: { key: HExpr; value: HExpr }[]; s: number; e: number }
  | { k: "ref"; root: string; steps: HStep[]; s: number; e: number }
  | { k: "call"; name: string; args: HExpr[]; s: number; e: number }
  | { k: "other"; s: number; e: number }
) & { src?: string };

export type HStep = { attr: string } | { index: HExpr } | { splat: true };

export interface HclParseResult {
  body?: HBody;
  problems: ParseProblem[];
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

interface TSNode {
  type: string;
  startIndex: number;
  endIndex: number;
  childCount: number;
  child(i: number): TSNode | null;
  namedChildren: TSNode[];
  hasError: boolean;
  isMissing: boolean;
  fieldNameForChild?(i: number): string | null;
}
interface TSCursor {
  nodeType: string;
  nodeTypeId: number;
  nodeIsNamed: boolean;
  startIndex: number;
  endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}
interface TSTree {
  rootNode: TSNode;
  walk(): TSCursor;
  delete(): void;
}

// ---------------------------------------------------------------------------------------------------------------
// Walking the tree

/**
 * A tree-sitter cursor, as the reader moves it: on one node at a time, asked for its type id and range. Two
 * implementations: `FastCursor` calls the WebAssembly functions directly, `PublicCursor` goes through
 * web-tree-sitter's `TreeCursor` (the fallback, and the reference the tests compare the fast one with).
 */
interface Cur {
  id(): number;
  start(): number;
  end(): number;
  first(): boolean;
  next(): boolean;
  up(): boolean;
  /** Frees the cursor (after the walk, or when it was abandoned by an error). */
  done(): void;
}

class PublicCursor implements Cur {
  private readonly c: TSCursor;
  constructor(tree: TSTree) {
    this.c = tree.walk();
  }
  id(): number {
    return this.c.nodeTypeId;
  }
  start(): number {
    return this.c.startIndex;
  }
  end(): number {
    return this.c.endIndex;
  }
  first(): boolean {
    return this.c.gotoFirstChild();
  }
  next(): boolean {
    return this.c.gotoNextSibling();
  }
  up(): boolean {
    return this.c.gotoParent();
  }
  done(): void {
    this.c.delete();
  }
}

/**
 * The WebAssembly functions that web-tree-sitter's `TreeCursor` wraps, called directly. Each `TreeCursor` method
 * copies the cursor's four words into the module's transfer buffer, calls the C function (which reads the cursor from
 * there and, for moves, writes it back) and copies the four words out again; with four or five calls per node, that
 * copying took about as long as parsing itself (269 ms for the 170k nodes of the benchmark's 1,000-file repository,
 * against 400 ms of parsing). Here the cursor stays in the transfer buffer for the whole walk (nothing else calls into
 * the module meanwhile) and is copied back into the `TreeCursor` at the end, so that `delete()` frees the cursor's
 * current stack. Used only when `loadHcl` found every function and the check in `checkFast` passed.
 */
interface WasmCursorFns {
  first(tree: number): number;
  next(tree: number): number;
  parent(tree: number): number;
  typeId(tree: number): number;
  start(tree: number): number;
  end(tree: number): number;
  getValue(ptr: number, type: "i32"): number;
  /** Address of the transfer buffer the cursor functions read and write. */
  buffer: number;
}

class FastCursor implements Cur {
  private readonly c: TSCursor & { handles: number[] };
  private readonly t: number;
  constructor(
    tree: TSTree,
    private readonly f: WasmCursorFns,
  ) {
    // tree.walk() leaves the new cursor in the transfer buffer (and a copy in the TreeCursor's handles).
    this.c = tree.walk() as TSCursor & { handles: number[] };
    this.t = (tree as unknown as { 0: number })[0];
  }
  id(): number {
    return this.f.typeId(this.t);
  }
  start(): number {
    return this.f.start(this.t);
  }
  end(): number {
    return this.f.end(this.t);
  }
  first(): boolean {
    return this.f.first(this.t) !== 0;
  }
  next(): boolean {
    return this.f.next(this.t) !== 0;
  }
  up(): boolean {
    return this.f.parent(this.t) !== 0;
  }
  done(): void {
    for (let i = 0; i < 4; i++) this.c.handles[i] = this.f.getValue(this.f.buffer + 4 * i, "i32");
    this.c.delete();
  }
}

let fast: WasmCursorFns | undefined;

/** The cursor functions on web-tree-sitter's Emscripten module object (the `Parser.init` options), when all are there. */
function findFastCursor(m: Record<string, unknown>): WasmCursorFns | undefined {
  const fn = (name: string) => (typeof m[name] === "function" ? (m[name] as (...a: unknown[]) => number) : undefined);
  const first = fn("_ts_tree_cursor_goto_first_child_wasm");
  const next = fn("_ts_tree_cursor_goto_next_sibling_wasm");
  const parent = fn("_ts_tree_cursor_goto_parent_wasm");
  const typeId = fn("_ts_tree_cursor_current_node_type_id_wasm");
  const start = fn("_ts_tree_cursor_start_index_wasm");
  const end = fn("_ts_tree_cursor_end_index_wasm");
  const init = fn("_ts_init");
  const getValue = fn("getValue");
  if (!first || !next || !parent || !typeId || !start || !end || !init || !getValue) return undefined;
  // ts_init() returns the transfer buffer (and writes the language versions into its first two words, as the
  // first call did: nothing is in flight here).
  const buffer = init();
  if (typeof buffer !== "number" || buffer <= 0) return undefined;
  return { first, next, parent, typeId, start, end, getValue: getValue as WasmCursorFns["getValue"], buffer };
}

/** A file with every kind of node the reader reads, for the check of the fast cursor (`checkFast`). */
export const FAST_CHECK = 'resource "a" "b" {\n  x = [1, "s${var.v}", { k = f(a.b[0], c.*.d) }, (true)]\n  y = <<-EOF\n    {"j": "${x}"}\n  EOF\n  block { z = null }\n}\n# comment\n';

/** The fast cursor's reading of FAST_CHECK must be this (the public cursor's; test/unit/hcl-walk.test.ts checks it is). */
export const FAST_CHECK_BODY =
  "{\"attrs\":[],\"blocks\":[{\"type\":\"resource\",\"labels\":[\"a\",\"b\"],\"ts\":0,\"te\":8,\"body\":{\"attrs\":[{\"name\":\"x\",\"ks\":21,\"ke\":22,\"expr\":{\"k\":\"tuple\",\"items\":[{\"k\":\"lit\",\"v\":1,\"s\":26,\"e\":27},{\"k\":\"tmpl\",\"parts\":[{\"lit\":\"s\",\"s\":30,\"e\":31},{\"expr\":{\"k\":\"ref\",\"root\":\"var\",\"steps\":[{\"attr\":\"v\"}],\"s\":33,\"e\":38},\"s\":31,\"e\":39}],\"heredoc\":false,\"s\":29,\"e\":40},{\"k\":\"object\",\"entries\":[{\"key\":{\"k\":\"ref\",\"root\":\"k\",\"steps\":[],\"s\":44,\"e\":45},\"value\":{\"k\":\"call\",\"name\":\"f\",\"args\":[{\"k\":\"ref\",\"root\":\"a\",\"steps\":[{\"attr\":\"b\"},{\"index\":{\"k\":\"lit\",\"v\":0,\"s\":54,\"e\":55}}],\"s\":50,\"e\":56},{\"k\":\"ref\",\"root\":\"c\",\"steps\":[{\"splat\":true}],\"s\":58,\"e\":63}],\"s\":48,\"e\":64}}],\"s\":42,\"e\":66},{\"k\":\"lit\",\"v\":true,\"s\":69,\"e\":73}],\"s\":25,\"e\":75},\"s\":21,\"e\":75},{\"name\":\"y\",\"ks\":78,\"ke\":79,\"expr\":{\"k\":\"tmpl\",\"parts\":[{\"lit\":\"{\\\"j\\\": \\\"\",\"s\":93,\"e\":100},{\"expr\":{\"k\":\"ref\",\"root\":\"x\",\"steps\":[],\"s\":102,\"e\":103},\"s\":100,\"e\":104},{\"lit\":\"\\\"}\\n\",\"s\":104,\"e\":107}],\"heredoc\":true,\"s\":82,\"e\":112,\"cs\":89,\"ce\":107},\"s\":78,\"e\":112}],\"blocks\":[{\"type\":\"block\",\"labels\":[],\"ts\":115,\"te\":120,\"body\":{\"attrs\":[{\"name\":\"z\",\"ks\":123,\"ke\":124,\"expr\":{\"k\":\"lit\",\"v\":null,\"s\":127,\"e\":131},\"s\":123,\"e\":131}],\"blocks\":[]},\"s\":115,\"e\":133}]},\"s\":0,\"e\":135}]}";

/** Whether the HCL parser reads trees with the fast cursor (tests). */
export function hclFastWalk(): boolean {
  return fast !== undefined;
}

interface TSParser {
  parse(text: string, old?: null, options?: { progressCallback?: (state: { currentOffset: number }) => boolean | void }): TSTree | null;
  /** Starts the next parse from the beginning (after a cancelled one, the next call would resume it). */
  reset(): void;
}

let parser: TSParser | undefined;
/** Node type id -> name, and whether it is named (read once from the grammar: one call per node fewer). */
const typeNames: string[] = [];
const typeNamed: boolean[] = [];
let loading: Promise<void> | undefined;

/** Whether the HCL parser is loaded (a `.tf` file can be parsed synchronously). */
export function hclLoaded(): boolean {
  return parser !== undefined;
}

/** Loads the WebAssembly HCL parser once; later calls return at once. */
export function loadHcl(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const ts = (await import("web-tree-sitter")) as unknown as {
      Parser: { init(o?: object): Promise<void>; new (): TSParser & { setLanguage(l: unknown): void } };
      Language: { load(b: Uint8Array): Promise<unknown> };
    };
    const runtime = require.resolve("web-tree-sitter/web-tree-sitter.wasm");
    // Emscripten puts the module's exports on the options object (see WasmCursorFns).
    const moduleObject: Record<string, unknown> = { wasmBinary: readFileSync(runtime) };
    await ts.Parser.init(moduleObject);
    const grammar = require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm");
    const lang = await ts.Language.load(readFileSync(grammar));
    const p = new ts.Parser();
    p.setLanguage(lang);
    const l = lang as { nodeTypeCount: number; nodeTypeForId(id: number): string | null; nodeTypeIsNamed(id: number): boolean };
    for (let id = 0; id < l.nodeTypeCount; id++) {
      typeNames[id] = l.nodeTypeForId(id) ?? "ERROR";
      typeNamed[id] = l.nodeTypeIsNamed(id);
    }
    parser = p;
    const f = findFastCursor(moduleObject);
    if (f && checkFast(p, f)) fast = f;
  })();
  return loading;
}

/** Whether the fast cursor reads FAST_CHECK as expected (and web-tree-sitter's cursor has the shape it copies into). */
function checkFast(p: TSParser, f: WasmCursorFns): boolean {
  const tree = p.parse(FAST_CHECK);
  if (!tree) return false;
  try {
    const c = tree.walk() as TSCursor & { handles?: unknown };
    const shaped = Array.isArray(c.handles) && c.handles.length === 4 && c.handles.every((h) => typeof h === "number");
    c.delete();
    return shaped && JSON.stringify(readTree(FAST_CHECK, new FastCursor(tree, f))) === FAST_CHECK_BODY;
  } catch {
    return false; // not the web-tree-sitter this was written for: the public cursor
  } finally {
    tree.delete();
  }
}

/** Reads a parsed tree into the syntax tree, with the given cursor (freed at the end). */
function readTree(text: string, cur: Cur, limits: ReadLimits = { stringChars: MAX_STRING_CHARS, values: MAX_NODES }): HBody {
  try {
    return new Reader(text, cur, limits).file();
  } finally {
    cur.done();
  }
}

/** A safety limit broken at `offset` (DPY001 there). */
class LimitError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class DepthError extends LimitError {
  constructor(offset: number) {
    super("Nesting deeper than 200 levels (safety limit)", offset);
  }
}

/** The string and value limits of JSON and YAML (engine/limits.ts); smaller ones in tests. */
interface ReadLimits {
  stringChars: number;
  values: number;
}

/**
 * Time tree-sitter may spend on one file before the parse is cancelled (DPY001). Real files take milliseconds, a valid
 * 2 MiB file about 1.5 s; error recovery on a broken file of that size can take several seconds (4.75 s for a 1.2 MB
 * file of `*` runs, the slowest of a 100,000-input fuzz run), which this cuts short.
 */
const PARSE_BUDGET_MS = 3_000;

/**
 * The offset where nesting first goes deeper than MAX_DEPTH, found in one linear pass over the raw text before
 * tree-sitter runs: deeply nested or unclosed openers (`${${${…`) make its error recovery take seconds per megabyte.
 * Counted are the real openers only: `{`, `[` and `(` in expressions, and `${` / `%{` in quoted strings and heredocs
 * (`$${` and `%%{` are escapes). Text inside comments (`#`, `//`, `/* *\/`), quoted strings and heredocs is skipped,
 * so a file with many brackets in its string text is not reported. A quoted string ends at its line's end as tree-sitter
 * recovers it, so an unclosed quote does not hide the rest of the file.
 */
export function tooDeep(text: string): number | undefined {
  // The contexts entered: B a bracket, I an interpolation (both count), S a quoted string, H a heredoc.
  const kinds: number[] = [];
  const markers: (string | undefined)[] = [];
  const B = 0, I = 1, S = 2, H = 3;
  let depth = 0;
  const n = text.length;
  const push = (kind: number, at: number, marker?: string): boolean => {
    kinds.push(kind);
    markers.push(marker);
    if (kind === B || kind === I) return ++depth > MAX_DEPTH && at >= 0;
    return false;
  };
  const pop = (): void => {
    const k = kinds.pop();
    markers.pop();
    if (k === B || k === I) depth--;
  };
  let i = 0;
  while (i < n) {
    const top = kinds.length > 0 ? kinds[kinds.length - 1]! : B;
    const c = text.charCodeAt(i);
    if (top === S) {
      if (c === 92 /* \ */) i += 2;
      else if (c === 34 /* " */ || c === 10) {
        pop();
        i++;
      } else if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === 123) i += 3;
      else if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === 123) {
        if (push(I, i + 1)) return i + 1;
        i += 2;
      } else i++;
      continue;
    }
    if (top === H) {
      if (i === 0 || text.charCodeAt(i - 1) === 10) {
        let e = text.indexOf("\n", i);
        if (e < 0) e = n;
        if (text.slice(i, e).trim() === markers[markers.length - 1]) {
          pop();
          i = e;
          continue;
        }
      }
      if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === 123) i += 3;
      else if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === 123) {
        if (push(I, i + 1)) return i + 1;
        i += 2;
      } else i++;
      continue;
    }
    // Expression text (the file's body, a bracket, an interpolation).
    if (c === 35 /* # */ || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      // Scanned by hand, not with `text.indexOf("\n", i)`: V8's optimizing compiler merges that call with the same
      // one of the heredoc branch and runs it on every character, a scan to the line's end each time (quadratic on a
      // long line, such as a minified megabyte string).
      while (i < n && text.charCodeAt(i) !== 10) i++;
      i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf("*/", i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === 34) {
      push(S, -1);
      i++;
    } else if (c === 60 && text.charCodeAt(i + 1) === 60) {
      const m = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 300));
      if (m) {
        push(H, -1, m[1]);
        i += m[0].length;
      } else i += 2;
    } else if (c === 123 || c === 91 || c === 40) {
      if (push(B, i)) return i;
      i++;
    } else if (c === 125 || c === 93 || c === 41) {
      // A closer pops a bracket; only `}` ends an interpolation (back to its string or heredoc).
      if (kinds.length > 0 && (kinds[kinds.length - 1] === B || c === 125)) pop();
      i++;
    } else i++;
  }
  return undefined;
}

/**
 * Parses HCL text. The parser must be loaded (`loadHcl`). `publicCursor`: read the tree through web-tree-sitter's
 * `TreeCursor` even when the fast cursor is available (tests compare the two).
 */
export function parseHcl(text: string, opts?: { publicCursor?: boolean; limits?: Partial<ReadLimits>; budgetMs?: number; maxChars?: number }): HclParseResult {
  if (!parser) return { problems: [{ kind: "syntax", message: "The HCL parser is not loaded", range: { start: 0, end: 0 } }] };
  const deep = tooDeep(text);
  if (deep !== undefined) return { problems: [{ kind: "limit", message: new DepthError(deep).message, range: { start: deep, end: deep + 1 } }] };
  // Tree-sitter's memory grows with the tokens of a file (about 200 bytes each): a large file could exhaust the
  // WebAssembly heap before the time budget stops it, on a fast machine.
  const maxChars = opts?.maxChars ?? MAX_HCL_CHARS;
  if (text.length > maxChars) return { problems: [{ kind: "limit", message: `HCL file larger than ${maxChars / 1024 / 1024} MiB (safety limit)`, range: { start: 0, end: 0 } }] };
  const budget = opts?.budgetMs ?? PARSE_BUDGET_MS;
  const until = Date.now() + budget;
  let tree: ReturnType<TSParser["parse"]> = null;
  try {
    tree = parser.parse(text, null, {
      progressCallback: () => Date.now() > until,
    });
  } catch (e) {
    // The parser's WebAssembly heap ran out (an abort): a limit of this file, not an internal error.
    if (!(e instanceof Error && e.name === "RuntimeError")) throw e;
    return { problems: [{ kind: "limit", message: "HCL parsing ran out of the parser's memory and was stopped (safety limit)", range: { start: 0, end: 0 } }] };
  } finally {
    // A cancelled parse is resumed by the parser's next call unless it is reset: the next file (another file of the
    // module, read for its configuration) would be parsed as the rest of this one.
    if (!tree) parser.reset();
  }
  if (!tree) {
    // At the file's start, not where the parser had got to: that depends on the machine's speed, and a report (its
    // locations, fingerprints and baselines) must not.
    return { problems: [{ kind: "limit", message: `HCL parsing took longer than ${budget / 1000} s and was stopped (safety limit)`, range: { start: 0, end: 1 } }] };
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) {
      const bad = firstError(root);
      const range: Range = bad ? { start: bad.startIndex, end: Math.max(bad.startIndex + 1, bad.isMissing ? bad.startIndex + 1 : bad.endIndex) } : { start: 0, end: 1 };
      const what = bad?.isMissing ? `missing ${bad.type}` : "unexpected " + describe(text, bad);
      return { problems: [{ kind: "syntax", message: `HCL syntax error: ${what}`, range: { start: range.start, end: Math.min(range.end, range.start + 80) } }] };
    }
    const usePublic = opts?.publicCursor === true || !fast;
    const limits = { stringChars: opts?.limits?.stringChars ?? MAX_STRING_CHARS, values: opts?.limits?.values ?? MAX_NODES };
    return { body: readTree(text, usePublic ? new PublicCursor(tree) : new FastCursor(tree, fast!), limits), problems: [] };
  } catch (e) {
    if (e instanceof LimitError) return { problems: [{ kind: "limit", message: e.message, range: { start: e.offset, end: e.offset + 1 } }] };
    throw e;
  } finally {
    tree.delete();
  }
}

function describe(text: string, n: TSNode | undefined): string {
  if (!n) return "input";
  const t = text.slice(n.startIndex, Math.min(n.endIndex, n.startIndex + 30)).split(/\r?\n/)[0]!.trim();
  return t ? `"${t}"` : "end of input";
}

/** The first ERROR or MISSING node, in document order. */
function firstError(n: TSNode): TSNode | undefined {
  const stack: TSNode[] = [n];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.type === "ERROR" || x.isMissing) return x;
    if (!x.hasError && !x.isMissing) continue;
    for (let i = x.childCount - 1; i >= 0; i--) {
      const c = x.child(i);
      if (c && (c.hasError || c.isMissing || c.type === "ERROR")) stack.push(c);
    }
  }
  return undefined;
}

/** Decodes a quoted template literal's escapes (`\n`, `\"`, `\\`, `\uXXXX`); `$${` and `%%{` are kept as written. */
function unescapeQuoted(raw: string): string {
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, (_m, c: string) => {
    switch (c[0]) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u":
      case "U": {
        const cp = parseInt(c.slice(1), 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
      }
      default:
        return "\\" + c;
    }
  });
}

/**
 * The parts of an indented heredoc (`<<-EOT`) as Terraform reads them: the least indentation of its lines is removed
 * from every line (HCL's rule: measured on the written text, not on interpolated values; a line that starts with an
 * interpolation or directive counts as unindented; a line of only whitespace counts neither way and keeps its
 * whitespace). Literal parts become one part per line, each still the exact range of its text (a stripped line starts
 * after the removed whitespace), so a part's text is always its source. Heredoc literals are raw text (no escapes), so
 * offsets within a part are source offsets.
 */
export function flushHeredoc(parts: readonly HPart[]): HPart[] {
  // Line tokens: literal text split after each line break; interpolations and directives as they are.
  const toks: HPart[] = [];
  let cur: { lit: string; s: number; e: number } | undefined;
  const add = (lit: string, s: number, e: number) => {
    if (cur && cur.e === s) cur = { lit: cur.lit + lit, s: cur.s, e };
    else {
      if (cur) toks.push(cur);
      cur = { lit, s, e };
    }
  };
  for (const p of parts) {
    if (!("lit" in p)) {
      if (cur) toks.push(cur);
      cur = undefined;
      toks.push(p);
      continue;
    }
    let from = 0;
    for (let nl = p.lit.indexOf("\n"); nl >= 0; nl = p.lit.indexOf("\n", from)) {
      add(p.lit.slice(from, nl + 1), p.s + from, p.s + nl + 1);
      toks.push(cur!);
      cur = undefined;
      from = nl + 1;
    }
    if (from < p.lit.length) add(p.lit.slice(from), p.s + from, p.e);
  }
  if (cur) toks.push(cur);
  // The least indentation of the lines that count, and the lines to strip.
  let least = Infinity;
  let lineStart = true;
  const strip: number[] = [];
  toks.forEach((t, i) => {
    if (lineStart) {
      lineStart = false;
      if (!("lit" in t)) least = 0;
      else {
        const indent = /^\s*/.exec(t.lit)![0].length;
        if (!(indent === t.lit.length && t.lit.endsWith("\n"))) {
          least = Math.min(least, indent);
          strip.push(i);
        }
      }
    }
    if ("lit" in t && t.lit.endsWith("\n")) lineStart = true;
  });
  if (least === 0 || least === Infinity) return toks;
  for (const i of strip) {
    const t = toks[i] as { lit: string; s: number; e: number };
    toks[i] = { lit: t.lit.slice(least), s: t.s + least, e: t.e };
  }
  return toks.filter((t) => !("lit" in t) || t.lit !== "");
}

/**
 * The tree-sitter tree into the syntax tree, in one walk of a cursor: each method is called with the cursor on its
 * node and returns with the cursor there again. Subtrees the evaluator does not read (conditionals, for expressions,
 * operations) are not entered.
 */
class Reader {
  /** Expressions read so far (the file's values, bounded as JSON's and YAML's are). */
  private values = 0;

  constructor(
    private readonly text: string,
    private readonly c: Cur,
    private readonly limits: ReadLimits,
  ) {}

  /** A string (literal text, a name, a label) of `length` characters at `start`, within the string limit. */
  private checkString(start: number, length: number): void {
    if (length > this.limits.stringChars) throw new LimitError(`String longer than ${this.limits.stringChars.toLocaleString("en-US")} characters (safety limit)`, start);
  }

  private type(): string {
    return typeNames[this.c.id()] ?? "ERROR";
  }

  private src(): string {
    return this.text.slice(this.c.start(), this.c.end());
  }

  /** The root (`config_file`): its first `body`. */
  file(): HBody {
    const c = this.c;
    let out: HBody | undefined;
    if (c.first()) {
      do if (out === undefined && this.type() === "body") out = this.body(0);
      while (c.next());
      c.up();
    }
    return out ?? { attrs: [], blocks: [] };
  }

  private body(depth: number): HBody {
    const c = this.c;
    if (depth > MAX_DEPTH) throw new DepthError(c.start());
    const out: HBody = { attrs: [], blocks: [] };
    if (!c.first()) return out;
    do {
      const t = this.type();
      if (t === "attribute") {
        const a = this.attribute(depth);
        if (a) out.attrs.push(a);
      } else if (t === "block") out.blocks.push(this.block(depth + 1));
    } while (c.next());
    c.up();
    return out;
  }

  private attribute(depth: number): HAttribute | undefined {
    const c = this.c;
    const s = c.start();
    const e = c.end();
    let name: string | undefined;
    let ks = s;
    let ke = s;
    let expr: HExpr | undefined;
    if (c.first()) {
      do {
        const t = this.type();
        if (t === "identifier" && name === undefined) {
          ks = c.start();
          ke = c.end();
          this.checkString(ks, ke - ks);
          name = this.text.slice(ks, ke);
        } else if (t === "expression" && expr === undefined) expr = this.expr(t, depth + 1);
      } while (c.next());
      c.up();
    }
    return name !== undefined && expr ? { name, ks, ke, expr, s, e } : undefined;
  }

  private block(depth: number): HBlock {
    const c = this.c;
    const s = c.start();
    const e = c.end();
    let type = "";
    let ts = s;
    let te = s;
    const labels: string[] = [];
    let body: HBody = { attrs: [], blocks: [] };
    if (c.first()) {
      do {
        const t = this.type();
        if (t === "identifier") {
          if (type === "") {
            ts = c.start();
            te = c.end();
            type = this.text.slice(ts, te);
          } else {
            this.checkString(c.start(), c.end() - c.start());
            labels.push(this.src());
          }
        } else if (t === "string_lit") {
          this.checkString(c.start(), c.end() - c.start());
          let raw = "";
          if (c.first()) {
            do if (this.type() === "template_literal") raw += this.src();
            while (c.next());
            c.up();
          }
          labels.push(unescapeQuoted(raw));
        } else if (t === "body") body = this.body(depth + 1);
      } while (c.next());
      c.up();
    }
    return { type, labels, ts, te, body, s, e };
  }

  /** The expression the cursor is on, of node type `t`. */
  private expr(t: string, depth: number): HExpr {
    const c = this.c;
    if (depth > MAX_DEPTH) throw new DepthError(c.start());
    if (t === "expression") {
      // One named child (`( expr )` included), or a postfix chain: variable_expr / function_call / ... followed by
      // get_attr, index, splat. Its own range is asked only when it is not its one child's.
      let base: HExpr | undefined;
      let steps: HStep[] | undefined;
      if (c.first()) {
        do {
          const id = c.id();
          if (!typeNamed[id]) continue;
          const ct = typeNames[id] ?? "ERROR";
          if (ct === "comment") continue;
          if (base === undefined) base = this.expr(ct, depth + 1);
          else (steps ??= []).push(this.step(ct, depth));
        } while (c.next());
        c.up();
      }
      if (base !== undefined && steps === undefined) return base;
      const s = c.start();
      const e = c.end();
      if (base?.k === "ref") return { k: "ref", root: base.root, steps: [...base.steps, ...steps!], s, e };
      return { k: "other", s, e };
    }
    const s = c.start();
    // A value; the wrappers (`expression` above, `collection_value`, `template_expr`) are not counted, so that a file
    // has as many values as JSON would.
    if (t !== "collection_value" && t !== "template_expr" && ++this.values > this.limits.values) throw new LimitError(`More than ${this.limits.values.toLocaleString("en-US")} values in one file (safety limit)`, s);
    const e = c.end();
    const other: HExpr = { k: "other", s, e };
    switch (t) {
      case "variable_expr": {
        let root: string | undefined;
        if (c.first()) {
          do if (root === undefined && this.type() === "identifier") root = this.src();
          while (c.next());
          c.up();
        }
        return { k: "ref", root: root ?? this.text.slice(s, e), steps: [], s, e };
      }
      case "literal_value": {
        let out: HExpr = other;
        if (!c.first()) return other;
        do {
          const id = c.id();
          if (!typeNamed[id]) continue;
          const ct = typeNames[id];
          if (ct === "numeric_lit") out = { k: "lit", v: Number(this.src()), s, e };
          else if (ct === "bool_lit") out = { k: "lit", v: this.src() === "true", s, e };
          else if (ct === "null_lit") out = { k: "lit", v: null, s, e };
          else if (ct === "string_lit") out = this.template(false, depth);
          break;
        } while (c.next());
        c.up();
        return out;
      }
      case "template_expr":
      case "collection_value": {
        let out: HExpr = other;
        if (!c.first()) return other;
        do {
          const id = c.id();
          if (!typeNamed[id]) continue;
          const ct = typeNames[id] ?? "ERROR";
          if (t === "template_expr") out = this.template(ct === "heredoc_template", depth);
          else out = this.expr(ct, depth + 1);
          break;
        } while (c.next());
        c.up();
        return out;
      }
      case "tuple": {
        const items: HExpr[] = [];
        if (c.first()) {
          do {
            const ct = this.type();
            if (ct === "expression") items.push(this.expr(ct, depth + 1));
          } while (c.next());
          c.up();
        }
        return { k: "tuple", items, s, e };
      }
      case "object": {
        const entries: { key: HExpr; value: HExpr }[] = [];
        if (c.first()) {
          do {
            if (this.type() !== "object_elem" || !c.first()) continue;
            let key: HExpr | undefined;
            let value: HExpr | undefined;
            do {
              const ct = this.type();
              if (ct !== "expression") continue;
              if (key === undefined) key = this.expr(ct, depth + 1);
              else if (value === undefined) value = this.expr(ct, depth + 1);
            } while (c.next());
            c.up();
            if (key && value) entries.push({ key, value });
          } while (c.next());
          c.up();
        }
        return { k: "object", entries, s, e };
      }
      case "function_call": {
        let name = "";
        const args: HExpr[] = [];
        let expand = false;
        if (c.first()) {
          do {
            const ct = this.type();
            if (ct === "identifier" && name === "") name = this.src();
            else if (ct === "function_arguments" && c.first()) {
              do {
                const at = this.type();
                if (at === "expression") args.push(this.expr(at, depth + 1));
                else if (at === "ellipsis" || at === "expand_args" || at === "...") expand = true;
              } while (c.next());
              c.up();
            }
          } while (c.next());
          c.up();
        }
        // `f(list...)`: the arguments are the list's elements, unknown here.
        if (expand) return other;
        return { k: "call", name, args, s, e };
      }
      default:
        return other;
    }
  }

  /** One step of a postfix chain (the cursor on a get_attr, index or splat node). */
  private step(t: string, depth: number): HStep {
    const c = this.c;
    if (t === "get_attr") {
      let attr = "";
      if (c.first()) {
        do if (attr === "" && this.type() === "identifier") attr = this.src();
        while (c.next());
        c.up();
      }
      return { attr };
    }
    if (t !== "index") return { splat: true };
    const s = c.start();
    const e = c.end();
    let out: HStep = { splat: true };
    if (!c.first()) return out;
    do {
      const id = c.id();
      if (!typeNamed[id]) continue;
      const it = typeNames[id];
      if (it === "new_index") {
        let ex: HExpr | undefined;
        if (c.first()) {
          do {
            const xt = this.type();
            if (ex === undefined && xt === "expression") ex = this.expr(xt, depth + 1);
          } while (c.next());
          c.up();
        }
        out = { index: ex ?? { k: "other", s, e } };
      } else if (it === "legacy_index") {
        const lit = this.src().replace(/^\./, "");
        out = { index: { k: "lit", v: Number(lit), s: c.start(), e: c.end() } };
      }
      break;
    } while (c.next());
    c.up();
    return out;
  }

  /** A quoted string, quoted template or heredoc (the cursor on it). */
  private template(heredoc: boolean, depth: number): HExpr {
    const c = this.c;
    const text = this.text;
    const s = c.start();
    const e = c.end();
    // One string value, however many parts: bounded as a whole, as a JSON string is.
    this.checkString(s, e - s);
    const parts: HPart[] = [];
    let cs: number | undefined;
    let ce: number | undefined;
    // Heredoc content: from the line after `<<EOF` to the start of the closing marker's line.
    let identifiers = 0;
    let closeStart = 0;
    let pos: number | undefined;
    let flush = false;
    if (c.first()) {
      do {
        const t = this.type();
        if (t === "template_literal") {
          const ls = c.start();
          const le = c.end();
          if (heredoc && pos !== undefined && ls > pos) parts.push({ lit: text.slice(pos, ls), s: pos, e: ls });
          const raw = text.slice(ls, le);
          parts.push({ lit: heredoc ? raw : unescapeQuoted(raw), s: ls, e: le });
          pos = le;
        } else if (t === "template_interpolation") {
          const is = c.start();
          const ie = c.end();
          if (heredoc && pos !== undefined && is > pos) parts.push({ lit: text.slice(pos, is), s: pos, e: is });
          let ex: HExpr | undefined;
          if (c.first()) {
            do {
              const xt = this.type();
              if (ex === undefined && xt === "expression") ex = this.expr(xt, depth + 1);
            } while (c.next());
            c.up();
          }
          parts.push(ex ? { expr: ex, s: is, e: ie } : { directive: true, s: is, e: ie });
          pos = ie;
        } else if (t === "template_directive") {
          const ds = c.start();
          const de = c.end();
          parts.push({ directive: true, s: ds, e: de });
          pos = de;
        } else if (heredoc && t === "heredoc_start") {
          flush = this.src().endsWith("-");
        } else if (heredoc && t === "heredoc_identifier") {
          if (identifiers++ === 0) {
            const oe = c.end();
            const nl = text.indexOf("\n", oe);
            cs = nl < 0 ? oe : nl + 1;
            pos = cs;
          } else closeStart = c.start();
        }
      } while (c.next());
      c.up();
    }
    if (heredoc && identifiers > 1) {
      const prevNl = text.lastIndexOf("\n", closeStart - 1);
      ce = prevNl < 0 ? closeStart : prevNl + 1;
    }
    if (heredoc && pos !== undefined && ce !== undefined && ce > pos) parts.push({ lit: text.slice(pos, ce), s: pos, e: ce });
    if (heredoc && parts.length === 0 && cs !== undefined && ce !== undefined && ce > cs) parts.push({ lit: text.slice(cs, ce), s: cs, e: ce });
    return { k: "tmpl", parts: flush ? flushHeredoc(parts) : parts, heredoc, s, e, cs, ce };
  }
}
