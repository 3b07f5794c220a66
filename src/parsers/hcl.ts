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

/** A plain copy of a tree-sitter node (one cursor walk is far cheaper than tree-sitter's node objects). */
class LNode implements TSNode {
  readonly children: LNode[] = [];
  constructor(
    readonly type: string,
    readonly named: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}
  get childCount(): number {
    return this.children.length;
  }
  child(i: number): LNode | null {
    return this.children[i] ?? null;
  }
  get namedChildren(): LNode[] {
    return this.children.filter((c) => c.named);
  }
  get hasError(): boolean {
    return false;
  }
  get isMissing(): boolean {
    return false;
  }
}

/** The whole tree as `LNode`s, depth-bounded. */
function snapshot(tree: TSTree): LNode {
  const c = tree.walk();
  try {
    const root = new LNode(c.nodeType, c.nodeIsNamed, c.startIndex, c.endIndex);
    const stack: LNode[] = [root];
    if (!c.gotoFirstChild()) return root;
    for (;;) {
      // Anonymous nodes (punctuation) are only ever asked their type.
      const id = c.nodeTypeId;
      const type = typeNames[id] ?? c.nodeType;
      const n = typeNamed[id] ? new LNode(type, true, c.startIndex, c.endIndex) : new LNode(type, false, -1, -1);
      stack[stack.length - 1]!.children.push(n);
      if (stack.length > MAX_DEPTH * 4) throw new DepthError(n.startIndex);
      if (c.gotoFirstChild()) {
        stack.push(n);
        continue;
      }
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) return root;
        stack.pop();
        if (stack.length === 0) return root;
      }
    }
  } finally {
    c.delete();
  }
}
interface TSParser {
  parse(text: string, old?: null, options?: { progressCallback?: (state: { currentOffset: number }) => boolean | void }): TSTree | null;
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
    await ts.Parser.init({ wasmBinary: readFileSync(runtime) });
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
  })();
  return loading;
}

/** Nesting deeper than this is reported (DPY001), as for JSON and YAML. */
const MAX_DEPTH = 200;

class DepthError extends Error {
  constructor(readonly offset: number) {
    super("Nesting deeper than 200 levels (safety limit)");
  }
}

/** Time tree-sitter may spend on one file before the parse is cancelled (DPY001); real files take milliseconds. */
const PARSE_BUDGET_MS = 5_000;

/**
 * The offset where bracket nesting (`{`, `[`, `(`, `${`, `%{`) first goes deeper than MAX_DEPTH, counted over the raw
 * text before tree-sitter runs: deeply nested or unclosed openers (`${${${…`) make its error recovery take seconds
 * per megabyte. Brackets inside strings and comments are counted too, which only real files with hundreds of
 * unbalanced brackets in their text could notice.
 */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91 || c === 40) {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === 125 || c === 93 || c === 41) && depth > 0) depth--;
  }
  return undefined;
}

/** Parses HCL text. The parser must be loaded (`loadHcl`). */
export function parseHcl(text: string): HclParseResult {
  if (!parser) return { problems: [{ kind: "syntax", message: "The HCL parser is not loaded", range: { start: 0, end: 0 } }] };
  const deep = tooDeep(text);
  if (deep !== undefined) return { problems: [{ kind: "limit", message: new DepthError(deep).message, range: { start: deep, end: deep + 1 } }] };
  const until = Date.now() + PARSE_BUDGET_MS;
  let at = 0;
  const tree = parser.parse(text, null, {
    progressCallback: (state) => {
      at = state.currentOffset;
      return Date.now() > until;
    },
  });
  if (!tree) {
    // currentOffset counts bytes of the UTF-16 input the wasm build is given: two per character.
    const start = Math.min(Math.floor(at / 2), Math.max(0, text.length - 1));
    return { problems: [{ kind: "limit", message: `HCL parsing took longer than ${PARSE_BUDGET_MS / 1000} s and was stopped (safety limit)`, range: { start, end: start + 1 } }] };
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) {
      const bad = firstError(root);
      const range: Range = bad ? { start: bad.startIndex, end: Math.max(bad.startIndex + 1, bad.isMissing ? bad.startIndex + 1 : bad.endIndex) } : { start: 0, end: 1 };
      const what = bad?.isMissing ? `missing ${bad.type}` : "unexpected " + describe(text, bad);
      return { problems: [{ kind: "syntax", message: `HCL syntax error: ${what}`, range: { start: range.start, end: Math.min(range.end, range.start + 80) } }] };
    }
    const c = new Converter(text);
    const copy = snapshot(tree);
    const bodyNode = copy.namedChildren.find((n) => n.type === "body");
    return { body: bodyNode ? c.body(bodyNode, 0) : { attrs: [], blocks: [] }, problems: [] };
  } catch (e) {
    if (e instanceof DepthError) return { problems: [{ kind: "limit", message: e.message, range: { start: e.offset, end: e.offset + 1 } }] };
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

function children(n: TSNode): TSNode[] {
  const out: TSNode[] = [];
  for (let i = 0; i < n.childCount; i++) out.push(n.child(i)!);
  return out;
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

class Converter {
  constructor(private readonly text: string) {}

  private src(n: TSNode): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  body(n: TSNode, depth: number): HBody {
    if (depth > MAX_DEPTH) throw new DepthError(n.startIndex);
    const out: HBody = { attrs: [], blocks: [] };
    for (const c of n.namedChildren) {
      if (c.type === "attribute") {
        const id = c.namedChildren.find((x) => x.type === "identifier");
        const ex = c.namedChildren.find((x) => x.type === "expression");
        if (!id || !ex) continue;
        out.attrs.push({ name: this.src(id), ks: id.startIndex, ke: id.endIndex, expr: this.expr(ex, depth + 1), s: c.startIndex, e: c.endIndex });
      } else if (c.type === "block") {
        out.blocks.push(this.block(c, depth + 1));
      }
    }
    return out;
  }

  private block(n: TSNode, depth: number): HBlock {
    let type = "";
    let ts = n.startIndex;
    let te = n.startIndex;
    const labels: string[] = [];
    let body: HBody = { attrs: [], blocks: [] };
    for (const c of n.namedChildren) {
      if (c.type === "identifier") {
        if (type === "") {
          type = this.src(c);
          ts = c.startIndex;
          te = c.endIndex;
        } else labels.push(this.src(c));
      } else if (c.type === "string_lit") {
        labels.push(unescapeQuoted(c.namedChildren.filter((x) => x.type === "template_literal").map((x) => this.src(x)).join("")));
      } else if (c.type === "body") body = this.body(c, depth + 1);
    }
    return { type, labels, ts, te, body, s: n.startIndex, e: n.endIndex };
  }

  expr(n: TSNode, depth: number): HExpr {
    if (depth > MAX_DEPTH) throw new DepthError(n.startIndex);
    const s = n.startIndex;
    const e = n.endIndex;
    switch (n.type) {
      case "expression": {
        const kids = children(n);
        // `( expr )`
        if (kids.length === 3 && kids[0]!.type === "(") return this.expr(kids[1]!, depth + 1);
        const named = n.namedChildren.filter((x) => x.type !== "comment");
        if (named.length === 0) return { k: "other", s, e };
        const head = named[0]!;
        if (named.length === 1) return this.expr(head, depth + 1);
        // A postfix chain: variable_expr / function_call / ... followed by get_attr, index, splat.
        const base = this.expr(head, depth + 1);
        const steps: HStep[] = [];
        for (const p of named.slice(1)) {
          if (p.type === "get_attr") {
            const id = p.namedChildren.find((x) => x.type === "identifier");
            steps.push({ attr: id ? this.src(id) : "" });
          } else if (p.type === "index") {
            const inner = p.namedChildren[0];
            if (inner?.type === "new_index") {
              const ex = inner.namedChildren.find((x) => x.type === "expression");
              steps.push({ index: ex ? this.expr(ex, depth + 1) : { k: "other", s: p.startIndex, e: p.endIndex } });
            } else if (inner?.type === "legacy_index") {
              const lit = this.src(inner).replace(/^\./, "");
              steps.push({ index: { k: "lit", v: Number(lit), s: inner.startIndex, e: inner.endIndex } });
            } else steps.push({ splat: true });
          } else steps.push({ splat: true });
        }
        if (base.k === "ref") return { k: "ref", root: base.root, steps: [...base.steps, ...steps], s, e };
        return { k: "other", s, e };
      }
      case "variable_expr": {
        const id = n.namedChildren.find((x) => x.type === "identifier");
        return { k: "ref", root: id ? this.src(id) : this.src(n), steps: [], s, e };
      }
      case "literal_value": {
        const c = n.namedChildren[0];
        if (!c) return { k: "other", s, e };
        if (c.type === "numeric_lit") return { k: "lit", v: Number(this.src(c)), s, e };
        if (c.type === "bool_lit") return { k: "lit", v: this.src(c) === "true", s, e };
        if (c.type === "null_lit") return { k: "lit", v: null, s, e };
        if (c.type === "string_lit") return this.template(c, false, depth);
        return { k: "other", s, e };
      }
      case "template_expr": {
        const c = n.namedChildren[0];
        if (!c) return { k: "other", s, e };
        return this.template(c, c.type === "heredoc_template", depth);
      }
      case "collection_value":
        return n.namedChildren[0] ? this.expr(n.namedChildren[0], depth + 1) : { k: "other", s, e };
      case "tuple":
        return { k: "tuple", items: n.namedChildren.filter((x) => x.type === "expression").map((x) => this.expr(x, depth + 1)), s, e };
      case "object": {
        const entries: { key: HExpr; value: HExpr }[] = [];
        for (const el of n.namedChildren) {
          if (el.type !== "object_elem") continue;
          const exprs = el.namedChildren.filter((x) => x.type === "expression");
          if (exprs.length < 2) continue;
          entries.push({ key: this.expr(exprs[0]!, depth + 1), value: this.expr(exprs[1]!, depth + 1) });
        }
        return { k: "object", entries, s, e };
      }
      case "function_call": {
        const id = n.namedChildren.find((x) => x.type === "identifier");
        const argsNode = n.namedChildren.find((x) => x.type === "function_arguments");
        const args = argsNode ? argsNode.namedChildren.filter((x) => x.type === "expression").map((x) => this.expr(x, depth + 1)) : [];
        const expand = argsNode ? children(argsNode).some((x) => x.type === "expand_args" || x.type === "...") : false;
        if (expand) return { k: "other", s, e };
        return { k: "call", name: id ? this.src(id) : "", args, s, e };
      }
      default:
        return { k: "other", s, e };
    }
  }

  private template(n: TSNode, heredoc: boolean, depth: number): HExpr {
    const parts: HPart[] = [];
    let cs: number | undefined;
    let ce: number | undefined;
    const kids = children(n);
    if (heredoc) {
      // Content: from the line after `<<EOF` to the start of the closing marker's line.
      const ids = kids.filter((x) => x.type === "heredoc_identifier");
      const open = ids[0];
      const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
      if (open) {
        const nl = this.text.indexOf("\n", open.endIndex);
        cs = nl < 0 ? open.endIndex : nl + 1;
      }
      if (close) {
        const prevNl = this.text.lastIndexOf("\n", close.startIndex - 1);
        ce = prevNl < 0 ? close.startIndex : prevNl + 1;
      }
    }
    let pos = cs;
    for (const c of kids) {
      if (c.type === "template_literal") {
        if (heredoc && pos !== undefined && c.startIndex > pos) parts.push({ lit: this.text.slice(pos, c.startIndex), s: pos, e: c.startIndex });
        parts.push({ lit: heredoc ? this.src(c) : unescapeQuoted(this.src(c)), s: c.startIndex, e: c.endIndex });
        pos = c.endIndex;
      } else if (c.type === "template_interpolation") {
        if (heredoc && pos !== undefined && c.startIndex > pos) parts.push({ lit: this.text.slice(pos, c.startIndex), s: pos, e: c.startIndex });
        const ex = c.namedChildren.find((x) => x.type === "expression");
        parts.push(ex ? { expr: this.expr(ex, depth + 1), s: c.startIndex, e: c.endIndex } : { directive: true, s: c.startIndex, e: c.endIndex });
        pos = c.endIndex;
      } else if (c.type === "template_directive") {
        parts.push({ directive: true, s: c.startIndex, e: c.endIndex });
        pos = c.endIndex;
      }
    }
    if (heredoc && pos !== undefined && ce !== undefined && ce > pos) parts.push({ lit: this.text.slice(pos, ce), s: pos, e: ce });
    if (heredoc && parts.length === 0 && cs !== undefined && ce !== undefined && ce > cs) parts.push({ lit: this.text.slice(cs, ce), s: cs, e: ce });
    return { k: "tmpl", parts, heredoc, s: n.startIndex, e: n.endIndex, cs, ce };
  }
}
