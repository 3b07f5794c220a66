/**
 * YAML into positioned nodes, with CloudFormation short-form tags rewritten to their long form
 * (`!Sub x` becomes `{"Fn::Sub": x}`, `!GetAtt A.B` becomes `{"Fn::GetAtt": ["A", "B"]}`) so that rules and the
 * intrinsic resolver see one shape for JSON and YAML templates. Alias expansion and nesting depth are bounded.
 */
import { createRequire } from "node:module";
import type { Document, Node as YNode } from "yaml";
import { MAX_DEPTH } from "../engine/limits.js";
import type { Node, ObjectEntry, PathSegment, Range } from "../model/node.js";
import { ownCopy, TArray, TEntry, TObject, TScalar } from "../model/tree.js";
import { linkParents } from "../model/node.js";
import type { ParseProblem } from "./json.js";
import { blockYaml } from "./yaml-block.js";
import { fastYaml, getAttList, longForm, taggedRange } from "./yaml-fast.js";

export interface YamlParseResult {
  root?: Node;
  problems: ParseProblem[];
}

/** Nodes produced by alias expansion, at most: a "billion laughs" document stops here. */
const MAX_ALIAS_EXPANSION = 50_000;
/** Characters of the strings produced by alias expansion, at most: 50,000 nodes of long strings would be gigabytes. */
const MAX_ALIAS_CHARS = 10_000_000;

/** CloudFormation short-form tags and the long form each stands for. */
const CFN_TAGS: Record<string, string> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!Sub": "Fn::Sub",
  "!GetAtt": "Fn::GetAtt",
  "!Join": "Fn::Join",
  "!If": "Fn::If",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!FindInMap": "Fn::FindInMap",
  "!ImportValue": "Fn::ImportValue",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!GetAZs": "Fn::GetAZs",
  "!Equals": "Fn::Equals",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!Not": "Fn::Not",
  "!Transform": "Fn::Transform",
  "!ToJsonString": "Fn::ToJsonString",
  "!Length": "Fn::Length",
  "!ForEach": "Fn::ForEach",
};

/** The yaml package, loaded on first use: a run over JSON files only never pays for it. */
type YamlModule = typeof import("yaml");
let yamlModule: YamlModule | undefined;
function Y(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as YamlModule);
}

/**
 * The short-form tags declared to the yaml package as pass-through tags (scalar, sequence and mapping forms), so it
 * keeps the tag on the node without building an "Unresolved tag" warning (an Error with a stack trace) for each one.
 */
let cfnCustomTags: unknown[] | undefined;
function customTags(): unknown[] {
  return (cfnCustomTags ??= Object.keys(CFN_TAGS).flatMap((tag) => [
    { tag, resolve: (s: string) => s },
    { tag, collection: "seq", resolve: (c: unknown) => c },
    { tag, collection: "map", resolve: (c: unknown) => c },
  ]));
}

class LimitError extends Error {
  constructor(
    message: string,
    readonly range: Range,
  ) {
    super(message);
  }
}

export function parseYaml(text: string): YamlParseResult {
  // Most templates are plain block YAML, read by a line scanner; the rest take the path that builds nodes from the
  // package's concrete syntax tree; what that does not take is composed as a Document.
  // Flow collections nested past the limit: said before any parser spends seconds on them.
  const deep = flowDepthOver(text, MAX_DEPTH);
  if (deep >= 0) return { problems: [{ kind: "limit", message: `Nesting deeper than ${MAX_DEPTH} levels (safety limit)`, range: { start: deep, end: deep + 1 } }] };
  const blockDeep = blockDepthOver(text, MAX_DEPTH, BLOCK_DEPTH_HARD);
  if (blockDeep >= 0) return { problems: [{ kind: "limit", message: `Nesting deeper than ${MAX_DEPTH} levels (safety limit)`, range: { start: blockDeep, end: blockDeep + 1 } }] };
  try {
    const block = blockYaml(Y, text, CFN_TAGS, MAX_DEPTH);
    if (block) return { root: block.root, problems: [] };
    const fast = fastYaml(Y(), text, CFN_TAGS, MAX_DEPTH);
    if (fast) return { root: fast.root, problems: [] };
    return composeYaml(text);
  } catch (e) {
    // A stack overflow the pre-scans let through: one limit finding at the document's start, the same on any stack.
    if (e instanceof RangeError && e.message.includes("call stack")) return { problems: [{ kind: "limit", message: "YAML nested too deeply for the parser (safety limit)", range: { start: 0, end: 1 } }] };
    throw e;
  }
}

/** `parseYaml` through the yaml package's composer (a `Document`): every input, with its errors. */
export function composeYaml(text: string): YamlParseResult {
  const problems: ParseProblem[] = [];
  let doc: Document.Parsed;
  try {
    doc = Y().parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: false, customTags: customTags() as never });
  } catch (e) {
    // A stack overflow thrown out of the package (the pre-scans should leave none): the same limit finding at the
    // document's start whatever the thread's stack, not a message that depends on where it ran out.
    if (e instanceof RangeError && e.message.includes("call stack")) return { problems: [{ kind: "limit", message: "YAML nested too deeply for the parser (safety limit)", range: { start: 0, end: 1 } }] };
    return { problems: [{ kind: "syntax", message: `YAML: ${(e as Error).message}`, range: { start: 0, end: 1 } }] };
  }
  // The yaml package recurses per nesting level: 100,000 nested flow collections overflow its stack, once per
  // level it unwinds. That is the nesting limit, said once.
  const overflow = doc.errors.find((e) => e.message.includes("Maximum call stack size exceeded"));
  // Where the stack ran out depends on how deep it already was: the finding is put at the document's start, so that
  // the report is the same on every run.
  if (overflow) return { problems: [{ kind: "limit", message: "YAML nested too deeply for the parser (safety limit)", range: { start: 0, end: 1 } }] };
  for (const err of doc.errors) {
    const dup = err.code === "DUPLICATE_KEY";
    let range = { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0] + 1) };
    let message = `YAML: ${firstLine(err.message)}`;
    if (dup) {
      // Name the key and span it: the error position is its first character.
      const m = /^(["']?)([^"':\r\n]+)\1\s*:/.exec(text.slice(err.pos[0], err.pos[0] + 300));
      if (m) range = { start: err.pos[0], end: err.pos[0] + m[1]!.length * 2 + m[2]!.trimEnd().length };
      message = `Duplicate key${m ? ` "${m[2]!.trim()}"` : ""} in one mapping: the later value silently replaces the earlier one`;
    }
    problems.push({ kind: dup ? "duplicate-key" : "syntax", message, range });
  }
  if (problems.some((p) => p.kind === "syntax")) return { problems };
  if (!doc.contents) return { problems };
  const budget: Budget = { nodes: 0, chars: 0, resolved: new Map() };
  try {
    const root = convert(doc.contents, undefined, 0, doc, budget, new Set(), text);
    linkParents(root);
    return { root, problems };
  } catch (e) {
    if (e instanceof LimitError) {
      problems.push({ kind: "limit", message: e.message, range: e.range });
      return { problems };
    }
    throw e;
  }
}

/**
 * Where flow collections (`[`, `{`) first nest deeper than `max`, or -1; quoted scalars and comments are skipped. The
 * yaml package recurses once per level and takes seconds to overflow its stack on 100,000 levels: this one pass tells
 * first. (A `[` inside a plain scalar counts too; only a pathological file has 200 of them unclosed.)
 */
function flowDepthOver(text: string, max: number): number {
  // Fewer opening brackets than the limit cannot nest past it: most files are told by a few native scans.
  let opening = 0;
  for (let i = text.indexOf("["); i >= 0 && opening <= max; i = text.indexOf("[", i + 1)) opening++;
  for (let i = text.indexOf("{"); i >= 0 && opening <= max; i = text.indexOf("{", i + 1)) opening++;
  if (opening <= max) return -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if ((c === 34 || c === 39) && quoteMayStart(i === 0 ? 10 : text.charCodeAt(i - 1))) {
      // A quoted scalar: to its closing quote ('' and \" are escapes), not past the end. A quote inside a plain scalar
      // (`it's`, `a"b`) is a character of it, not a quote: skipping from there hid the brackets that followed.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (c === 34 && d === 92) i++;
        else if (d === c) {
          if (c === 39 && text.charCodeAt(i + 1) === 39) i++;
          else break;
        }
      }
    } else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 10 || text.charCodeAt(i - 1) === 9)) {
      const eol = text.indexOf("\n", i);
      if (eol < 0) break;
      i = eol;
    }
  }
  return -1;
}

/** Whether a quote after this character can open a quoted scalar: at a token's start (line start, blank, flow indicator, `:`, `-`, `?`). */
function quoteMayStart(prev: number): boolean {
  return prev === 10 || prev === 13 || prev === 32 || prev === 9 || prev === 91 || prev === 123 || prev === 44 || prev === 58 || prev === 45 || prev === 63;
}

/**
 * An upper bound of the nesting past which the yaml package is not given a file: it recurses per level and runs out
 * of stack at some 500–1,000 block levels on the main thread, further on a helper thread, so that a file in between
 * would be reported differently with `--workers 1` and `--workers 2`. Below it, the parsers report the 201st level
 * where it is.
 */
const BLOCK_DEPTH_HARD = 300;

/**
 * Where block nesting may pass `max`, when somewhere it may pass `hard`, or -1: one pass over the lines with an
 * upper bound of each line's block depth: its parent's (the nearest line above with less indentation, or the key line
 * at the same indentation that a `- ` sequence belongs to), plus one for each of its own `- `/`? ` indicators and
 * for each `: ` after the first (a root key line is level 0, as the parsers count). Block
 * scalars' content (after `|` or `>`) and comments are skipped. The bound errs high only on odd layouts (a sequence
 * item's later keys count one level more; flow collections over several lines, multi-line plain scalars), which no
 * real template nests hundreds deep. Flow collections themselves are `flowDepthOver`'s.
 */
function blockDepthOver(text: string, max: number, hard: number): number {
  const stack: { indent: number; base: number; depth: number; seq: boolean }[] = [];
  let firstOver = -1;
  let scalarIndent = -1;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - start;
    const blank = i >= end || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 35;
    if (!blank && !(scalarIndent >= 0 && indent > scalarIndent)) {
      scalarIndent = -1;
      while (stack.length > 0 && stack[stack.length - 1]!.indent > indent) stack.pop();
      let indicators = 0;
      for (;;) {
        const c = text.charCodeAt(i);
        if ((c === 45 || c === 63) && (i + 1 >= end || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 13)) {
          indicators++;
          i += 2;
          while (i < end && text.charCodeAt(i) === 32) i++;
        } else break;
      }
      let base = 0;
      const top = stack[stack.length - 1];
      if (top && top.indent === indent) {
        // A sequence at its key's indentation is that key's value; otherwise a sibling of the line above.
        if (indicators > 0 && !top.seq) base = top.depth + 1;
        else {
          base = top.base;
          stack.pop();
        }
      } else if (top) base = top.depth + 1;
      // `a: b: c: …` on one line is invalid YAML, but the yaml package recurses once per `: ` before it says so.
      const depth = base + indicators + Math.max(0, mappingIndicators(text, i, end) - 1);
      if (depth > max && firstOver < 0) firstOver = start + indent;
      if (depth > hard) return firstOver;
      stack.push({ indent, base, depth, seq: indicators > 0 });
      // A block scalar header ends the line (`key: |`, `- >-`, `key: |2 # comment`): its content lines follow.
      const line = text.slice(i, Math.min(end, i + 4096)).replace(/\s+#.*$/, "").trimEnd();
      if (/(^|[\s:])[|>][-+0-9]*$/.test(line)) scalarIndent = indent;
    }
    start = end + 1;
  }
  return -1;
}

/** How many `: ` mapping indicators text[from..end) has outside quoted scalars and before a comment. */
function mappingIndicators(text: string, from: number, end: number): number {
  let n = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) {
      const d = i + 1 < end ? text.charCodeAt(i + 1) : 32;
      if (d === 32 || d === 9 || d === 13) n++;
    } else if (c === 34 || c === 39) {
      for (i++; i < end; i++) {
        const d = text.charCodeAt(i);
        if (c === 34 && d === 92) i++;
        else if (d === c) break;
      }
    } else if (c === 35 && i > from && text.charCodeAt(i - 1) === 32) break;
  }
  return n;
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

function rangeOf(n: YNode): Range {
  const r = n.range ?? [0, 0, 0];
  return { start: r[0], end: Math.max(r[1], r[0]) };
}


type Key = PathSegment | undefined;

/** Nodes produced through aliases so far, and each alias node's target (null: no such anchor). */
interface Budget {
  nodes: number;
  /** Characters of the scalars produced through aliases. */
  chars: number;
  resolved: Map<YNode, YNode | null>;
}

function convert(n: YNode, key: Key, depth: number, doc: Document.Parsed, budget: Budget, aliasStack: Set<YNode>, text: string): Node {
  if (depth > MAX_DEPTH) throw new LimitError(`Nesting deeper than ${MAX_DEPTH} levels (safety limit)`, rangeOf(n));
  if (Y().isAlias(n)) {
    // An alias that names no anchor counts against the expansion budget too (it produces a node); each alias node is
    // resolved once (the yaml package walks the document from its start on every resolve: a bomb of aliases to an unknown
    // anchor cost minutes).
    let target = budget.resolved.get(n);
    if (target === undefined) {
      target = (n.resolve(doc) as YNode | undefined) ?? null;
      budget.resolved.set(n, target);
    }
    if (!target && aliasStack.size > 0 && ++budget.nodes > MAX_ALIAS_EXPANSION) throw new LimitError(`YAML expands to more than ${MAX_ALIAS_EXPANSION} nodes through aliases (safety limit)`, rangeOf(n));
    const r = rangeOf(n);
    if (!target) return new TScalar(null, r.start, r.end, undefined, key);
    if (aliasStack.has(target)) throw new LimitError("Recursive YAML alias (safety limit)", r);
    aliasStack.add(target);
    const out = convert(target, key, depth + 1, doc, budget, aliasStack, text);
    aliasStack.delete(target);
    // An alias reports at the alias, not at the anchor it copies.
    return relocate(out, r, key);
  }
  if (aliasStack.size > 0 && ++budget.nodes > MAX_ALIAS_EXPANSION) throw new LimitError(`YAML expands to more than ${MAX_ALIAS_EXPANSION} nodes through aliases (safety limit)`, rangeOf(n));
  const tag = (n as { tag?: string }).tag;
  const long = tag ? CFN_TAGS[tag] : undefined;
  if (long) {
    const r = taggedRange(text, rangeOf(n), tag!);
    const inner = long === "Fn::GetAtt" && Y().isScalar(n) && typeof n.value === "string" ? getAttList(n.value, r) : convertPlain(n, long, depth, doc, budget, aliasStack, text);
    return longForm(long, inner, r, key);
  }
  return convertPlain(n, key, depth, doc, budget, aliasStack, text);
}

function convertPlain(n: YNode, key: Key, depth: number, doc: Document.Parsed, budget: Budget, aliasStack: Set<YNode>, text: string): Node {
  const range = rangeOf(n);
  if (Y().isMap(n)) {
    const obj = new TObject(range.start, range.end, undefined, key);
    const entries: ObjectEntry[] = obj.entries;
    for (const pair of n.items) {
      if (!Y().isPair(pair)) continue;
      const k = pair.key as YNode | null;
      let name: string;
      let keyRange: Range;
      if (k && Y().isScalar(k)) {
        name = ownCopy(String(k.value));
        keyRange = rangeOf(k);
      } else if (k === null || k === undefined) {
        name = "";
        keyRange = range;
      } else {
        if (Y().isAlias(k)) {
          const t = k.resolve(doc) as YNode | undefined;
          name = t && Y().isScalar(t) ? String(t.value) : "";
        } else name = "";
        keyRange = rangeOf(k);
      }
      // `<<` merge keys: copy the merged mapping's entries.
      if (name === "<<" && pair.value) {
        const merged = convert(pair.value as YNode, key, depth + 1, doc, budget, aliasStack, text);
        const sources = merged.type === "array" ? merged.items : [merged];
        for (const src of sources) if (src.type === "object") for (const e of src.entries) if (!entries.some((x) => x.key === e.key)) entries.push(e);
        continue;
      }
      const v = pair.value as YNode | null;
      const value: Node = v ? convert(v, name, depth + 1, doc, budget, aliasStack, text) : new TScalar(null, keyRange.end, keyRange.end, undefined, name);
      value.keyRange = keyRange;
      entries.push(new TEntry(name, value));
    }
    obj.fit();
    return obj;
  }
  if (Y().isSeq(n)) {
    const arr = new TArray(range.start, range.end, undefined, key);
    n.items.forEach((item, i) => {
      arr.items.push(item ? convert(item as YNode, i, depth + 1, doc, budget, aliasStack, text) : new TScalar(null, range.start, range.end, undefined, i));
    });
    arr.fit();
    return arr;
  }
  if (Y().isScalar(n)) {
    let value = n.value as unknown;
    // Keep the written text where the YAML number loses it (`012345678901` is an account ID, not 12345678901).
    const src = (n as { source?: string }).source;
    if (typeof value === "number" && typeof src === "string" && String(value) !== src) value = src;
    if (value instanceof Date) value = src ?? value.toISOString();
    if (typeof value === "bigint") value = String(value);
    if (value !== null && typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") value = src ?? String(value);
    if (aliasStack.size > 0 && typeof value === "string" && (budget.chars += value.length) > MAX_ALIAS_CHARS) {
      throw new LimitError(`YAML expands to more than ${MAX_ALIAS_CHARS} characters through aliases (safety limit)`, range);
    }
    return new TScalar(value as string | number | boolean | null, range.start, range.end, undefined, key);
  }
  return new TScalar(null, range.start, range.end, undefined, key);
}

/** A copy of a subtree (from an alias) whose every range is the alias's range; parents are linked afterwards. */
function relocate(n: Node, r: Range, key: Key): Node {
  switch (n.type) {
    case "scalar":
      // The value is a node's already: copying it again for every alias level cost seconds on an alias bomb.
      return new TScalar(n.value, r.start, r.end, undefined, key, true);
    case "array": {
      const a = new TArray(r.start, r.end, undefined, key);
      n.items.forEach((c, i) => a.items.push(relocate(c, r, i)));
      return a;
    }
    case "object": {
      const o = new TObject(r.start, r.end, undefined, key);
      for (const e of n.entries) {
        const value = relocate(e.value, r, e.key);
        value.keyRange = r;
        o.entries.push({ key: e.key, keyRange: r, value });
      }
      return o;
    }
  }
}
