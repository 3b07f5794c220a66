/**
 * A fast path for the YAML that templates are made of: positioned nodes straight from the `yaml` package's concrete
 * syntax tree (its Lexer and Parser), without composing a `Document`. Composing costs about a third of `parseDocument`
 * on CloudFormation YAML, and deputy throws the Document away once it has its own nodes.
 *
 * It takes only the plain shapes: one document; block and flow mappings and sequences; plain, quoted and block
 * scalars (resolved by the package's own `CST.resolveAsScalar`); empty values (`Key:`, `- `, `!GetAZs` with nothing
 * after it), placed where the composer places them; CloudFormation short-form tags; comments. Anything else — an
 * error token, a directive, anchors and aliases, explicit keys, merge keys, an empty value in a flow mapping,
 * duplicate or multi-line keys, tabs, other tags, a construct the composer might warn about — answers `undefined`,
 * and the caller composes the document as before (`parseYaml`), so problems are reported exactly as they were. (Most
 * templates do not get here: the line scanner in `yaml-block.ts` reads them first.) For what it does
 * take, the nodes (values, ranges, keys) are those the composer-based path builds: test/unit/yaml-fast.test.ts checks
 * that on every YAML fixture and template it can find.
 */
import type { CST } from "yaml";
import type { Node, PathSegment, Range, Scalar } from "../model/node.js";
import { linkParents } from "../model/node.js";
import { ownCopy, TArray, TEntry, TObject, TScalar } from "../model/tree.js";

type Token = CST.Token;
type SourceToken = CST.SourceToken;
type CollectionItem = CST.CollectionItem;

/** What the fast path needs of the yaml package (loaded by the caller). */
export interface YamlCst {
  Parser: typeof import("yaml").Parser;
  CST: typeof import("yaml").CST;
}

/** Thrown (and caught in `fastYaml`) when the input leaves the supported subset. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();
function bail(): never {
  throw UNSUPPORTED;
}

interface Ctx {
  y: YamlCst;
  text: string;
  tags: Record<string, string>;
  maxDepth: number;
}

/** A built node and where the composer would say it ends, trailing comments and line breaks included. */
interface Built {
  node: Node;
  end: number;
}

/**
 * The positioned tree of a YAML text, or undefined when the text is outside the subset this path takes (then the
 * caller composes it). `tags` maps CloudFormation short-form tags to their long form.
 */
export function fastYaml(y: YamlCst, text: string, tags: Record<string, string>, maxDepth: number): { root?: Node } | undefined {
  const ctx: Ctx = { y, text, tags, maxDepth };
  try {
    let doc: CST.Document | undefined;
    for (const t of new y.Parser().parse(text)) {
      if (t.type === "document") {
        if (doc) bail();
        doc = t;
      } else if (!onlyTrivia([t as SourceToken])) bail();
    }
    // Nothing but comments: no contents, as a composed empty document.
    if (!doc) return { root: undefined };
    if (!onlyTrivia(doc.start.filter((t) => t.type !== "doc-start")) || !onlyTrivia(doc.end)) bail();
    if (!doc.value || isEmptyScalar(doc.value)) return doc.value ? undefined : { root: undefined };
    const root = build(ctx, doc.value, undefined, undefined, 0).node;
    linkParents(root);
    return { root };
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

const isEmptyScalar = (t: Token): boolean => t.type === "scalar" && t.source === "";

/** Checks the properties before a node (a tag, comments, the indicator) the way the composer reads them. */
function props(tokens: readonly SourceToken[], indicator: string | undefined, flow: boolean, startOnNewline: boolean, next: Token | undefined): { found: boolean; tag?: SourceToken; comma: boolean; newlineAfterTag: boolean; hasNewline: boolean } {
  let hasSpace = startOnNewline;
  let reqSpace = false;
  let tag: SourceToken | undefined;
  let found = false;
  let comma = false;
  let newlineAfterTag = false;
  let hasNewline = false;
  for (const t of tokens) {
    if (reqSpace) {
      if (t.type !== "space" && t.type !== "newline" && t.type !== "comma") bail();
      reqSpace = false;
    }
    switch (t.type) {
      case "space":
        if (t.source.includes("\t")) bail();
        hasSpace = true;
        break;
      case "comment":
        if (!hasSpace) bail();
        break;
      case "newline":
        hasNewline = true;
        if (tag) newlineAfterTag = true;
        hasSpace = true;
        break;
      case "tag":
        if (tag) bail();
        tag = t;
        hasSpace = false;
        reqSpace = true;
        break;
      case "comma":
        if (!flow || comma) bail();
        comma = true;
        hasSpace = false;
        break;
      default:
        if (indicator === undefined || t.type !== indicator || found || tag) bail();
        found = true;
        hasSpace = false;
    }
  }
  if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma") bail();
  return { found, tag, comma, newlineAfterTag, hasNewline };
}

/** The long form of a CloudFormation short-form tag; any other tag leaves the subset. */
function cfnTag(ctx: Ctx, tag: SourceToken | undefined): string | undefined {
  if (!tag) return undefined;
  return ctx.tags[tag.source] ?? bail();
}

function build(ctx: Ctx, t: Token, key: PathSegment | undefined, tag: SourceToken | undefined, depth: number): Built {
  if (depth > ctx.maxDepth) bail();
  const long = cfnTag(ctx, tag);
  if (!long) return buildPlain(ctx, t, key, depth);
  const inner = buildPlain(ctx, t, long, depth, true);
  return { node: tagged(ctx.text, tag!.source, long, inner.node, key), end: inner.end };
}

/**
 * A node under a CloudFormation short-form tag (built with the long form as its key) as that long form, spanning the
 * tag and its value (`taggedRange`); `!GetAtt A.B` in its list form. Shared by both fast YAML paths.
 */
export function tagged(text: string, tag: string, long: string, inner: Node, key: PathSegment | undefined): TObject {
  const r = taggedRange(text, inner.range, tag);
  const node = long === "Fn::GetAtt" && inner.type === "scalar" && typeof inner.value === "string" ? getAttList(inner.value, r) : inner;
  return longForm(long, node, r, key);
}

/** `!GetAtt Role.Arn` in its list form ["Role", "Arn"], spanning the tagged text. */
export function getAttList(text: string, r: Range): TArray {
  const dot = text.indexOf(".");
  const parts = dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
  const arr = new TArray(r.start, r.end, undefined, "Fn::GetAtt");
  parts.forEach((v, i) => arr.items.push(new TScalar(v, r.start, r.end, undefined, i)));
  return arr;
}

/** A short-form tag's node as its long form: `{ "Fn::Sub": node }`, both spanning the tag and its value. */
export function longForm(long: string, node: Node, r: Range, key: PathSegment | undefined): TObject {
  node.keyRange = r;
  const wrapper = new TObject(r.start, r.end, undefined, key);
  wrapper.entries.push(new TEntry(long, node));
  return wrapper;
}

function buildPlain(ctx: Ctx, t: Token, key: PathSegment | undefined, depth: number, tagged = false): Built {
  switch (t.type) {
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
    case "block-scalar": {
      const s = resolveScalar(ctx, t);
      const value: Scalar = tagged ? s.source : typedValue(t.type, s.source);
      return { node: new TScalar(value, s.range[0], s.range[1], undefined, key), end: s.range[2] };
    }
    case "block-map":
      return blockMap(ctx, t, key, depth);
    case "block-seq":
      return blockSeq(ctx, t, key, depth);
    case "flow-collection":
      return flowCollection(ctx, t, key, depth);
    default:
      return bail();
  }
}

/** A scalar's resolved text and range, by the package's own resolver; any error or warning leaves the subset. */
function resolveScalar(ctx: Ctx, t: Token): { source: string; range: [number, number, number] } {
  const r = ctx.y.CST.resolveAsScalar(t as CST.FlowScalar | CST.BlockScalar, false, () => bail());
  if (!r) bail();
  return { source: r.value, range: r.range };
}

// The YAML 1.2 core schema's tests for plain scalars, in the composer's order (yaml/dist/schema/core/schema.js).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const MAYBE_TYPED = new Set([..."~nNtTfF0123456789+-."].map((c) => c.charCodeAt(0)));

/**
 * What the composer makes of a scalar's text (core schema; quoted and block scalars stay strings), then what
 * `parseYaml` keeps of it: a number whose text is not how JavaScript writes it (`012345678901`, `1.0`, `0x1F`, `.inf`)
 * stays the text as written.
 */
export function typedValue(type: string, source: string): Scalar {
  if (type !== "scalar") return source;
  const v = coreValue(source);
  if (typeof v === "number" && String(v) !== source) return source;
  return v;
}

/** The composer's value for a plain scalar (keys are written `String(value)`). */
export function coreValue(source: string): string | number | boolean | null {
  // Only these first characters can start a null, a boolean or a number: most scalars are names and stop here.
  if (source.length > 0 && !MAYBE_TYPED.has(source.charCodeAt(0))) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === "t" || source[0] === "T";
  if (INT_OCT.test(source)) return parseInt(source.slice(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.slice(2), 16);
  if (FLOAT_NAN.test(source)) return source.endsWith("nan") || source.endsWith("NaN") || source.endsWith("NAN") ? NaN : source[0] === "-" ? -Infinity : Infinity;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return source;
}

/** A mapping key: a one-line flow scalar at the mapping's indentation, written as the composer's `String(value)`. */
function keyOf(ctx: Ctx, k: Token | null | undefined, indent: number | undefined): { name: string; range: Range; end: number } {
  if (!k || (k.type !== "scalar" && k.type !== "single-quoted-scalar" && k.type !== "double-quoted-scalar")) bail();
  if (indent !== undefined && k.indent !== indent) bail();
  if (k.source.includes("\n") || k.source.includes("\r") || k.end?.some((t) => t.type === "newline")) bail();
  const s = resolveScalar(ctx, k);
  const name = k.type === "scalar" ? String(coreValue(s.source)) : s.source;
  if (name === "<<") bail();
  return { name: ownCopy(name), range: { start: s.range[0], end: s.range[1] }, end: s.range[2] };
}

/** Comments, line breaks and spaces only (a tab leaves the subset: the composer may call it indentation). */
function onlyTrivia(tokens: readonly SourceToken[] | undefined): boolean {
  return (tokens ?? []).every((t) => t.type === "comment" || t.type === "newline" || (t.type === "space" && !t.source.includes("\t")));
}

function blockMap(ctx: Ctx, bm: CST.BlockMap, key: PathSegment | undefined, depth: number): Built {
  const obj = new TObject(bm.offset, bm.offset, undefined, key);
  const names = new Set<string>();
  let offset = bm.offset;
  let commentEnd: number | undefined;
  bm.items.forEach((item: CollectionItem, i) => {
    const { start, key: k, sep, value } = item;
    if (!k && !sep && !value && onlyTrivia(start) && i === bm.items.length - 1) {
      // Trailing comments: the mapping's value ends before them, the node after them.
      commentEnd = tokensEnd(start, offset);
      return;
    }
    if (!onlyTrivia(start)) bail();
    const kk = keyOf(ctx, k, bm.indent);
    if (names.has(kk.name)) bail();
    names.add(kk.name);
    if (!sep) bail();
    const p = props(sep, "map-value-ind", false, k?.type === "block-scalar", value);
    if (!p.found) bail();
    if (value?.type === "block-map" && !p.hasNewline) bail();
    if (value?.type === "block-seq" && p.tag && !p.newlineAfterTag) bail();
    const v = value ? build(ctx, value, kk.name, p.tag, depth + 1) : emptyValue(ctx, sep, kk.end, true, kk.name, p.tag, depth + 1);
    v.node.keyRange = kk.range;
    obj.entries.push(new TEntry(kk.name, v.node));
    offset = v.end;
  });
  obj.setEnd(offset);
  obj.fit();
  return { node: obj, end: commentEnd ?? offset };
}

/**
 * The node the composer makes for a missing value (`composeEmptyNode`): an empty plain scalar (null, or "" under a
 * tag), placed where `emptyScalarPosition` places it: after the properties `before` (`offset` when there are none),
 * or, with `back`, after the last of them that is not a space, comment or line break, and the spaces after that. A
 * comment among `before` extends the node's end to theirs.
 */
function emptyValue(ctx: Ctx, before: readonly SourceToken[], offset: number, back: boolean, key: PathSegment, tag: SourceToken | undefined, depth: number): Built {
  const end = tokensEnd(before, offset);
  let at = end;
  if (back) {
    let i = before.length - 1;
    for (; i >= 0; i--) {
      const t = before[i]!;
      if (t.type !== "space" && t.type !== "comment" && t.type !== "newline") break;
      at -= t.source.length;
    }
    if (i >= 0) for (let j = i + 1; j < before.length && before[j]!.type === "space"; j++) at += before[j]!.source.length;
  }
  const token: CST.FlowScalar = { type: "scalar", offset: at, indent: -1, source: "" };
  const v = build(ctx, token, key, tag, depth);
  return before.some((t) => t.type === "comment") ? { node: v.node, end } : v;
}

/** Where a run of tokens ends (`offset` when there are none), as the composer's `resolveProps` says. */
function tokensEnd(tokens: readonly SourceToken[], offset: number): number {
  const last = tokens[tokens.length - 1];
  return last ? last.offset + last.source.length : offset;
}

function blockSeq(ctx: Ctx, bs: CST.BlockSequence, key: PathSegment | undefined, depth: number): Built {
  const arr = new TArray(bs.offset, bs.offset, undefined, key);
  let offset = bs.offset;
  let commentEnd: number | undefined;
  bs.items.forEach(({ start, value }, i) => {
    const p = props(start, "seq-item-ind", false, true, value);
    if (!p.found) {
      if (!value && !p.tag && i === bs.items.length - 1) {
        commentEnd = tokensEnd(start, offset);
        return;
      }
      bail();
    }
    if (value?.type === "block-seq" && p.tag && !p.newlineAfterTag) bail();
    const v = value ? build(ctx, value, arr.items.length, p.tag, depth + 1) : emptyValue(ctx, start, offset, true, arr.items.length, p.tag, depth + 1);
    arr.items.push(v.node);
    offset = v.end;
  });
  arr.setEnd(offset);
  arr.fit();
  return { node: arr, end: commentEnd ?? offset };
}

function flowCollection(ctx: Ctx, fc: CST.FlowCollection, key: PathSegment | undefined, depth: number): Built {
  const isMap = fc.start.source === "{";
  const out = isMap ? new TObject(fc.offset, fc.offset, undefined, key) : new TArray(fc.offset, fc.offset, undefined, key);
  const names = new Set<string>();
  let offset = fc.offset + fc.start.source.length;
  fc.items.forEach(({ start, key: k, sep, value }, i) => {
    const p = props(start, undefined, true, false, k ?? sep?.[0] ?? value);
    if (!value && !sep && !k && !p.tag) {
      // Only comments, line breaks or a trailing comma: nothing, as the composer reads it (elsewhere it reports an
      // empty item).
      if (i < fc.items.length - 1 || (i === 0 && p.comma)) bail();
      return;
    }
    if (p.comma !== i > 0) bail();
    if (value && (value.type === "block-map" || value.type === "block-seq")) bail();
    if (!isMap) {
      if (k || sep) bail();
      const v = value ? build(ctx, value, (out as TArray).items.length, p.tag, depth + 1) : emptyValue(ctx, start, offset, false, (out as TArray).items.length, p.tag, depth + 1);
      (out as TArray).items.push(v.node);
      offset = v.end;
      return;
    }
    if (p.tag) bail();
    const kk = keyOf(ctx, k, undefined);
    if (names.has(kk.name)) bail();
    names.add(kk.name);
    if (!sep || !value) bail();
    const vp = props(sep, "map-value-ind", true, false, value);
    if (!vp.found) bail();
    const v = build(ctx, value, kk.name, vp.tag, depth + 1);
    v.node.keyRange = kk.range;
    (out as TObject).entries.push(new TEntry(kk.name, v.node));
    offset = v.end;
  });
  const [ce, ...rest] = fc.end;
  if (ce?.source !== (isMap ? "}" : "]")) bail();
  const closed = ce.offset + ce.source.length;
  let end = closed;
  for (const t of rest) {
    if (t.type !== "comment" && t.type !== "newline" && t.type !== "space") bail();
    end += t.source.length;
  }
  out.setEnd(closed);
  out.fit();
  return { node: out, end };
}

/** Where a tagged node starts: at its tag (`!Ref X` starts at `!`), not at the value after it. */
export function taggedRange(text: string, r: Range, tag: string): Range {
  const i = text.lastIndexOf(tag, r.start);
  if (i >= 0 && r.start - i <= tag.length + 64 && text.slice(i + tag.length, r.start).trim() === "") return { start: i, end: r.end };
  return r;
}
