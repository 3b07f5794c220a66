/**
 * The fastest YAML path: a line scanner for the block YAML most CloudFormation templates are written in, building
 * positioned nodes without the `yaml` package's lexer and parser (which run at about 5 MB/s and were most of the
 * time a large run spends on YAML).
 *
 * It takes a narrow, common subset: block mappings and sequences (`- key: value` and `- - x` included); plain and
 * quoted scalars, over several lines too, and values on a line below their key; flow collections, over several lines
 * too (but not a plain scalar inside one); literal and folded block scalars; CloudFormation short-form tags; empty
 * values; comments and blank lines wherever their place cannot change a range. Anything else — a tab or a carriage
 * return anywhere, a comment inside a multi-line plain scalar, a single-pair mapping in a flow sequence, anchors,
 * aliases, explicit keys, merge keys, duplicate keys, directives, several documents, other tags, an indentation this
 * scanner does not expect, a comment line it cannot place — answers `undefined`, and `parseYaml` goes on to the path that
 * works from the package's concrete syntax tree (`yaml-fast.ts`), then to the composer. Values, ranges, key ranges
 * and paths are exactly what the composer-based path builds: test/unit/yaml-block.test.ts checks that on every
 * fixture and on seeded mutations of them.
 *
 * The rules that decide ranges, from the `yaml` package (2.x): a scalar's node spans its text (quotes included); a
 * block collection ends where its last value ends, that is after the line break of the value's line (a trailing
 * comment on that line included). Blank lines and comment lines after a collection's last entry change that only
 * when a comment in them is indented deeper than the collection (the parser attaches it to the last value) or as
 * deep as the collection away from the left margin (the collection keeps it): this scanner gives up on those cases
 * rather than reproduce them (`checkTrailing`).
 */
import type { CST } from "yaml";
import type { Node, PathSegment, Scalar } from "../model/node.js";
import { linkParents } from "../model/node.js";
import { ownCopy, TArray, TEntry, TObject, TScalar } from "../model/tree.js";
import { coreValue, tagged, typedValue, type YamlCst } from "./yaml-fast.js";

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();
function bail(): never {
  throw UNSUPPORTED;
}

const SPACE = 32;
const HASH = 35;
const NL = 10;
const COLON = 58;
const DASH = 45;
const SQUOTE = 39;
const DQUOTE = 34;
const BANG = 33;

/** A built node and where the composer says it ends (the offset after its line break, or after its text at the end). */
interface Built {
  node: Node;
  end: number;
}

class Scanner {
  /** Start of the current line. */
  pos = 0;
  /**
   * Columns of the comment lines skipped since the last line with content: when collections close before the next
   * content line, these decide whether the composer would keep them in one of the collections (`checkTrailing`).
   */
  comments: number[] = [];
  constructor(
    readonly text: string,
    private readonly yaml: YamlCst | (() => YamlCst),
    readonly tags: Record<string, string>,
    readonly maxDepth: number,
  ) {}

  /** The yaml package, loaded on first use: a template with only plain and simple quoted scalars does not need it. */
  get y(): YamlCst {
    return typeof this.yaml === "function" ? this.yaml() : this.yaml;
  }

  lineEnd(at: number): number {
    const i = this.text.indexOf("\n", at);
    return i < 0 ? this.text.length : i;
  }

  /** After the line break of the line holding `at` (the text's end on the last line). */
  nextLine(at: number): number {
    const i = this.text.indexOf("\n", at);
    return i < 0 ? this.text.length : i + 1;
  }

  /** Column of the first non-space character of the line starting at `start`. */
  indentOf(start: number): number {
    let i = start;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - start;
  }

  /** Moves `pos` to the start of the line after the one holding `at` (a line with content). */
  pastLine(at: number): void {
    this.pos = this.nextLine(at);
    this.comments = [];
  }

  /**
   * Moves `pos` to the next line with content (not blank, not only a comment) and returns its indentation, or -1 at
   * the end of the text. The columns of the comment lines skipped on the way go to `comments`.
   */
  skipToContent(): number {
    const t = this.text;
    while (this.pos < t.length) {
      const ind = this.indentOf(this.pos);
      const c = t.charCodeAt(this.pos + ind);
      if (c === NL || this.pos + ind >= t.length) {
        this.pos = this.nextLine(this.pos);
        continue;
      }
      if (c === HASH) {
        this.comments.push(ind);
        this.pos = this.nextLine(this.pos);
        continue;
      }
      return ind;
    }
    return -1;
  }
}

/**
 * The positioned tree of a YAML text, or undefined when the text is outside this scanner's subset (the caller then
 * takes the next path). `tags` maps CloudFormation short-form tags to their long form.
 */
export function blockYaml(y: YamlCst | (() => YamlCst), text: string, tags: Record<string, string>, maxDepth: number): { root?: Node } | undefined {
  if (text.includes("\t") || text.includes("\r")) return undefined;
  const s = new Scanner(text, y, tags, maxDepth);
  try {
    let ind = s.skipToContent();
    if (ind < 0) return undefined;
    if (ind === 0 && text.startsWith("---", s.pos)) {
      // A document start marker alone on its line.
      const after = s.pos + 3;
      const rest = text.slice(after, s.lineEnd(after));
      if (rest.trim() !== "" && !/^ +#/.test(rest)) bail();
      s.pos = s.nextLine(after);
      ind = s.skipToContent();
      if (ind < 0) bail();
    }
    if (ind !== 0) bail();
    const start = s.pos;
    const c = text.charCodeAt(start);
    let root: Node;
    if (c === DASH && isSeqIndicator(text, start)) root = blockSeq(s, 0, undefined, 0).node;
    else root = blockMap(s, 0, start, undefined, 0).node;
    // Only blank and comment lines may follow (they belong to the document, not to the root).
    if (s.skipToContent() >= 0) bail();
    linkParents(root);
    return { root };
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/** `-` followed by a space or a line break. */
function isSeqIndicator(text: string, at: number): boolean {
  const n = text.charCodeAt(at + 1);
  return n === SPACE || n === NL || at + 1 >= text.length;
}

/**
 * Closes a collection at `indent` that ends before the line at `s.pos`: the comment lines skipped since its last
 * entry must not be ones the composer would attach to it, which extends its end: one indented deeper than the
 * collection goes to its last value (the parser's `atIndentedComment`), one at its indentation stays in it (unless
 * it is at the left margin). Every collection closing at one line checks them: those the innermost does not keep
 * move to the one around it.
 */
function checkTrailing(s: Scanner, indent: number): void {
  if (s.comments.some((col) => col > indent || (col === indent && indent > 0))) bail();
}

/** A key at `at` on its line: plain or quoted, one line, then `:` and a space or the line's end. */
function keyAt(s: Scanner, at: number, eol: number): { name: string; start: number; end: number; colon: number } {
  const t = s.text;
  const c = t.charCodeAt(at);
  if (c === SQUOTE || c === DQUOTE) {
    const end = quotedEnd(t, at, eol);
    const name = resolveQuoted(s, at, end);
    let i = end;
    while (t.charCodeAt(i) === SPACE) i++;
    if (t.charCodeAt(i) !== COLON) bail();
    if (!isKeyTerminator(t, i + 1, eol)) bail();
    return { name: ownCopy(name), start: at, end, colon: i };
  }
  if (!plainStart(t, at, eol, false)) bail();
  // The first ": " (or ":" at the end of the line) ends the key.
  let i = at;
  for (;;) {
    i = t.indexOf(":", i);
    if (i < 0 || i >= eol) bail();
    if (isKeyTerminator(t, i + 1, eol)) break;
    i++;
  }
  let end = i;
  while (end > at && t.charCodeAt(end - 1) === SPACE) end--;
  const raw = t.slice(at, end);
  if (raw.includes(" #")) bail();
  const name = String(coreValue(raw));
  if (name === "<<") bail();
  return { name: ownCopy(name), start: at, end, colon: i };
}

function isKeyTerminator(t: string, i: number, eol: number): boolean {
  return i >= eol || t.charCodeAt(i) === SPACE;
}

/** Whether a plain scalar may start at `at` (in block context, or in a flow collection). */
function plainStart(t: string, at: number, eol: number, flow: boolean): boolean {
  if (at >= eol) return false;
  const c = t[at]!;
  if ("&*!|>%@`#'\"{}[],?".includes(c)) return false;
  if ((c === "-" || c === ":") && (at + 1 >= eol || t.charCodeAt(at + 1) === SPACE || (flow && ",[]{}".includes(t[at + 1]!)))) return false;
  return true;
}

/**
 * Where a quoted scalar starting at `at` ends (after its closing quote): on its line, or, given `indentNext`, on a
 * line below, every line between being blank or indented at least `indentNext` (the package's lexer ends the scalar
 * early, an error, at a line indented less). Bails otherwise.
 */
function quotedEnd(t: string, at: number, eol: number, indentNext?: number): number {
  const q = t[at]!;
  let i = at + 1;
  for (;;) {
    const j = t.indexOf(q, i);
    if (j < 0) bail();
    if (j >= eol) {
      if (indentNext === undefined) bail();
      for (let nl = t.indexOf("\n", at); nl >= 0 && nl < j; nl = t.indexOf("\n", nl + 1)) {
        let k = nl + 1;
        while (t.charCodeAt(k) === SPACE) k++;
        if (t.charCodeAt(k) !== NL && k - nl - 1 < indentNext) bail();
      }
    }
    if (q === "'") {
      if (t[j + 1] === "'") {
        i = j + 2;
        continue;
      }
      return j + 1;
    }
    // Double quotes: a quote after an odd number of backslashes is escaped.
    let k = j - 1;
    while (t[k] === "\\") k--;
    if ((j - 1 - k) % 2 === 1) {
      i = j + 1;
      continue;
    }
    return j + 1;
  }
}

function resolveQuoted(s: Scanner, start: number, end: number): string {
  // On one line, without escapes, the value is the text between the quotes ('' standing for ' in single quotes).
  const inner = s.text.slice(start + 1, end - 1);
  if (!inner.includes("\n")) {
    if (s.text.charCodeAt(start) === SQUOTE) return inner.includes("'") ? inner.replace(/''/g, "'") : inner;
    if (!inner.includes("\\")) return inner;
  }
  const token = { type: s.text.charCodeAt(start) === SQUOTE ? "single-quoted-scalar" : "double-quoted-scalar", offset: start, indent: 0, source: s.text.slice(start, end) } as CST.FlowScalar;
  const r = s.y.CST.resolveAsScalar(token, false, () => bail());
  if (!r) bail();
  return r.value;
}

/** What follows a value on its line: nothing, or spaces and a comment. Bails on anything else. */
function restOfLine(t: string, at: number, eol: number): void {
  let i = at;
  while (i < eol && t.charCodeAt(i) === SPACE) i++;
  if (i >= eol) return;
  if (t.charCodeAt(i) !== HASH || i === at) bail();
}

function cfnTag(s: Scanner, at: number, eol: number): { long: string; tag: string; end: number } | undefined {
  if (s.text.charCodeAt(at) !== BANG) return undefined;
  let e = at;
  // A tag ends at a space or a flow indicator (`[0, !GetAZs]`).
  while (e < eol && !" ,[]{}".includes(s.text[e]!)) e++;
  const tag = s.text.slice(at, e);
  const long = s.tags[tag];
  if (!long) bail();
  return { long, tag, end: e };
}

function blockMap(s: Scanner, indent: number, first: number, key: PathSegment | undefined, depth: number): Built {
  if (depth > s.maxDepth) bail();
  const obj = new TObject(first, first, undefined, key);
  const names = new Set<string>();
  let offset: number;
  for (;;) {
    const lineStart = s.pos;
    const at = lineStart + indent;
    const eol = s.lineEnd(at);
    const k = keyAt(s, at, eol);
    if (names.has(k.name)) bail();
    names.add(k.name);
    const v = value(s, indent, k.colon + 1, eol, k.name, depth + 1, true);
    v.node.keyRange = { start: k.start, end: k.end };
    obj.entries.push(new TEntry(k.name, v.node));
    offset = v.end;
    if (!continues(s, indent, false)) break;
  }
  obj.setEnd(offset);
  obj.fit();
  return { node: obj, end: offset };
}

/**
 * After an entry of a block collection at `indent` (a sequence: `seq`): whether the next line with content holds its
 * next entry. Deeper content is not ours (a continuation the entry did not take); shallower content closes the
 * collection, which `checkTrailing` judges.
 */
function continues(s: Scanner, indent: number, seq: boolean): boolean {
  const ind = s.skipToContent();
  if (ind === indent && (s.text.charCodeAt(s.pos + ind) === DASH && isSeqIndicator(s.text, s.pos + ind)) === seq) return true;
  if (ind > indent) bail();
  checkTrailing(s, indent);
  return false;
}

function blockSeq(s: Scanner, indent: number, key: PathSegment | undefined, depth: number): Built {
  if (depth > s.maxDepth) bail();
  const t = s.text;
  const first = s.pos + indent;
  const arr = new TArray(first, first, undefined, key);
  let offset: number;
  for (;;) {
    const at = s.pos + indent;
    const eol = s.lineEnd(at);
    if (t.charCodeAt(at) !== DASH || !isSeqIndicator(t, at)) bail();
    const v = seqItem(s, indent, at + 1, eol, arr.items.length, depth + 1);
    arr.items.push(v.node);
    offset = v.end;
    if (!continues(s, indent, true)) break;
  }
  arr.setEnd(offset);
  arr.fit();
  return { node: arr, end: offset };
}

/** A sequence item after its `-` (at `after`): a compact mapping (`- key: value`), or a value. */
function seqItem(s: Scanner, indent: number, after: number, eol: number, index: number, depth: number): Built {
  const t = s.text;
  let i = after;
  while (i < eol && t.charCodeAt(i) === SPACE) i++;
  if (t.charCodeAt(i) === DASH && isSeqIndicator(t, i)) {
    // `- - x`: a sequence whose items line up with this one.
    if (i === after) bail();
    return blockSeq(s, i - s.pos, index, depth);
  }
  if (i < eol && t.charCodeAt(i) !== HASH && looksLikeKey(s, i, eol)) {
    // `- key: value`: a mapping whose keys line up with this one.
    if (i === after) bail();
    return blockMap(s, i - s.pos, i, index, depth);
  }
  return value(s, indent, after, eol, index, depth, false);
}

/** Whether a mapping key (then `:` and a space or the line's end) starts at `at`. */
function looksLikeKey(s: Scanner, at: number, eol: number): boolean {
  const t = s.text;
  const c = t.charCodeAt(at);
  if (c === SQUOTE || c === DQUOTE) {
    // A quoted scalar that does not close on its line is no key (it may be a value over several lines).
    let e: number;
    try {
      e = quotedEnd(t, at, eol);
    } catch (x) {
      if (x instanceof Unsupported) return false;
      throw x;
    }
    let i = e;
    while (t.charCodeAt(i) === SPACE) i++;
    return t.charCodeAt(i) === COLON && isKeyTerminator(t, i + 1, eol);
  }
  if (!plainStart(t, at, eol, false)) return false;
  for (let i = t.indexOf(":", at); i >= 0 && i < eol; i = t.indexOf(":", i + 1)) {
    if (isKeyTerminator(t, i + 1, eol)) {
      // A comment before the colon means the colon is in the comment.
      return !t.slice(at, i).includes(" #");
    }
  }
  return false;
}

/**
 * The value after an indicator (`:` of a mapping entry at `indent`, or `-` of a sequence item at `indent`), which
 * starts at `after` on the line ending at `eol`: on the same line (a scalar, a flow collection, a block scalar, a tag
 * and its value), or on the lines below (a nested block collection), or nothing (an empty value).
 */
function value(s: Scanner, indent: number, after: number, eol: number, key: PathSegment, depth: number, inMap: boolean): Built {
  const t = s.text;
  let i = after;
  while (i < eol && t.charCodeAt(i) === SPACE) i++;
  if (i < eol && i === after && t.charCodeAt(i) !== HASH) bail();
  if (i >= eol || t.charCodeAt(i) === HASH) {
    const hasComment = i < eol;
    return below(s, indent, depth, inMap, key, false, () => {
      if (hasComment) bail();
      return emptyScalar(s, after, eol, key, false);
    });
  }
  return valueAt(s, i, eol, key, depth, indent, false);
}

/**
 * A value that starts at `at` on a line ending at `eol`, in a collection at `indent`: a tag and its value (on this line
 * or below, or none), a scalar or a flow collection. `underTag`: a tag came before (a second one is not ours).
 */
function valueAt(s: Scanner, at: number, eol: number, key: PathSegment, depth: number, indent: number, underTag: boolean): Built {
  const t = s.text;
  const tag = cfnTag(s, at, eol);
  if (!tag) return inline(s, at, eol, key, depth, underTag, indent);
  if (underTag) bail();
  const afterTag = tag.end;
  let i = afterTag;
  while (i < eol && t.charCodeAt(i) === SPACE) i++;
  // A comment after the tag: leave it to the next path.
  if (i < eol && (i === afterTag || t.charCodeAt(i) === HASH)) bail();
  // The tagged value on this line, or on the lines below, or none (an empty string under the tag).
  const long = tag.long;
  const v = i < eol ? inline(s, i, eol, long, depth, true, indent) : below(s, indent, depth, false, long, true, () => emptyScalar(s, afterTag, eol, long, true));
  return { node: tagged(t, tag.tag, long, v.node, key), end: v.end };
}

/**
 * The value on the lines below an entry at `indent` (`s.pos` is at the entry's line): a nested block mapping or
 * sequence (in a mapping, a sequence may also sit at the entry's own indentation), or, when the next content is not
 * deeper, `empty()`.
 */
function below(s: Scanner, indent: number, depth: number, sameIndentSeq: boolean, key: PathSegment, tagged: boolean, empty: () => Built): Built {
  const t = s.text;
  const entryLine = s.pos;
  s.pastLine(entryLine + indent);
  const next = s.pos;
  const ind = s.skipToContent();
  const at = s.pos + ind;
  const isSeq = ind >= 0 && t.charCodeAt(at) === DASH && isSeqIndicator(t, at);
  if (isSeq && (ind > indent || (sameIndentSeq && ind === indent))) return blockSeq(s, ind, key, depth);
  if (ind > indent) {
    const eol = s.lineEnd(at);
    if (looksLikeKey(s, at, eol)) return blockMap(s, ind, at, key, depth);
    // A value on a line of its own, below its key or indicator.
    return valueAt(s, at, eol, key, depth, indent, tagged);
  }
  // Nothing below: an empty value. Comment lines before the next content would be part of the empty value's
  // properties, extending its end: leave that to the next path. The caller goes on from the line after the entry.
  if (s.comments.length > 0) bail();
  s.pos = next;
  s.comments = [];
  return empty();
}

/**
 * The empty scalar the composer makes for a missing value: null, or "" under a tag, at the end of the indicator or
 * tag before it and the spaces after that.
 */
function emptyScalar(s: Scanner, after: number, eol: number, key: PathSegment, tagged: boolean): Built {
  let at = after;
  while (at < eol && s.text.charCodeAt(at) === SPACE) at++;
  if (at < eol) bail();
  return { node: new TScalar(tagged ? "" : null, at, at, undefined, key), end: at };
}

/** A value that starts at `at` and ends on its line: a scalar or a one-line flow collection. */
function inline(s: Scanner, at: number, eol: number, key: PathSegment, depth: number, tagged: boolean, indent: number): Built {
  const t = s.text;
  const c = t.charCodeAt(at);
  let node: Node;
  let end: number;
  if (c === 91 /* [ */ || c === 123 /* { */) {
    const r = flow(s, at, key, depth, { indentNext: indent + 1, level: 1 });
    node = r.node;
    end = r.end;
    if (end > eol) eol = s.lineEnd(end);
  } else if (c === SQUOTE || c === DQUOTE) {
    end = quotedEnd(t, at, eol, indent + 1);
    if (end > eol) eol = s.lineEnd(end);
    node = new TScalar(resolveQuoted(s, at, end), at, end, undefined, key);
  } else if (c === 124 /* | */ || c === 62 /* > */) {
    return blockScalar(s, at, eol, key, tagged, indent);
  } else {
    if (!plainStart(t, at, eol, false)) bail();
    end = eol;
    // A comment on the line (searched within the line: an unbounded search would read on to the text's end).
    let hash = at;
    while (hash < eol && !(t.charCodeAt(hash) === HASH && t.charCodeAt(hash - 1) === SPACE)) hash++;
    const comment = hash < eol;
    if (comment) end = hash - 1;
    while (end > at && t.charCodeAt(end - 1) === SPACE) end--;
    const first = t.slice(at, end);
    // `a: b: c` and `a: b:` are mappings where a scalar was expected (an error, or a compact mapping): not ours.
    if (/: |:$/.test(first)) bail();
    // Lines below indented deeper than the collection continue the scalar (blank lines among them too), unless a
    // comment ended it.
    if (!comment) {
      for (let q = eol + 1; q < t.length; ) {
        const li = s.indentOf(q);
        const ch = t.charCodeAt(q + li);
        if (ch === NL) {
          q += li + 1;
          continue;
        }
        if (q + li >= t.length || li < indent + 1 || ch === HASH) break;
        const le = s.lineEnd(q);
        const line = t.slice(q + li, le);
        if (line.includes(" #") || /: |:$/.test(line)) bail();
        eol = le;
        end = le;
        while (t.charCodeAt(end - 1) === SPACE) end--;
        q = le + 1;
      }
    }
    let source = first;
    if (end > at + first.length) {
      const r = s.y.CST.resolveAsScalar({ type: "scalar", offset: at, indent, source: t.slice(at, end) } as CST.FlowScalar, false, () => bail());
      if (!r) bail();
      source = r.value;
    }
    node = new TScalar(tagged ? source : (typedValue("scalar", source) as Scalar), at, end, undefined, key);
  }
  restOfLine(t, end, eol);
  // Entries go on from the line after this one.
  s.pastLine(eol);
  return { node, end: s.pos };
}

/**
 * A literal or folded block scalar whose header (`|`, `|-`, `>` or `>-`; no indentation indicator, no keep) is at
 * `at`, in a collection at `indent`. Its content lines are found as the package's lexer finds them
 * (`Lexer.parseBlockScalar`): the lines below indented deeper than the collection, blank lines among them, less the
 * blank lines at the end. The value and range come from the package's own resolver.
 */
function blockScalar(s: Scanner, at: number, eol: number, key: PathSegment, tagged: boolean, indent: number): Built {
  const t = s.text;
  let h = at + 1;
  if (t.charCodeAt(h) === DASH) h++;
  const props: CST.SourceToken[] = [{ type: "block-scalar-header", offset: at, indent, source: t.slice(at, h) }];
  let i = h;
  while (i < eol && t.charCodeAt(i) === SPACE) i++;
  if (i > h) props.push({ type: "space", offset: h, indent, source: t.slice(h, i) });
  if (i < eol) {
    if (i === h || t.charCodeAt(i) !== HASH) bail();
    props.push({ type: "comment", offset: i, indent, source: t.slice(i, eol) });
  }
  if (eol < t.length) props.push({ type: "newline", offset: eol, indent, source: "\n" });
  const pos = s.nextLine(eol);
  // The first line with content, and its indentation.
  let nl = pos - 1;
  let ind = 0;
  let j = pos;
  for (; j < t.length; j++) {
    const ch = t.charCodeAt(j);
    if (ch === SPACE) ind++;
    else if (ch === NL) {
      nl = j;
      ind = 0;
    } else break;
  }
  if (ind >= indent + 1) {
    // Lines go on while they are blank or indented at least as deep as the first.
    for (;;) {
      const from = nl + 1;
      let k = from;
      while (t.charCodeAt(k) === SPACE) k++;
      if (!(t.charCodeAt(k) === NL || k - from >= ind) || k >= t.length) {
        if (k >= t.length && k - from >= ind && k > from) nl = t.length;
        break;
      }
      const next = t.indexOf("\n", k);
      if (next < 0) {
        nl = t.length;
        break;
      }
      nl = next;
    }
  }
  // Blank lines at the end are not part of it.
  for (;;) {
    let k = nl - 1;
    const last = k;
    while (t.charCodeAt(k) === SPACE) k--;
    if (t.charCodeAt(k) === NL && k >= pos && k + 1 + ind > last) nl = k;
    else break;
  }
  const end = Math.min(nl + 1, t.length);
  const token = { type: "block-scalar", offset: at, indent, props, source: t.slice(pos, end) } as CST.BlockScalar;
  const r = s.y.CST.resolveAsScalar(token, false, () => bail());
  if (!r) bail();
  s.pos = end;
  s.comments = [];
  return { node: new TScalar(tagged ? r.value : (typedValue("block-scalar", r.value) as Scalar), r.range[0], r.range[1], undefined, key), end: r.range[2] };
}

/** Where a flow collection is: the indentation its lines need (the collection around it, plus one), its depth. */
interface FlowCtx {
  indentNext: number;
  level: number;
}

/**
 * Skips spaces, line breaks and comments inside a flow collection from `i`. A line of it must be indented at least
 * `indentNext` (the package's lexer ends the collection there, an error), except a comment line and, for the
 * outermost collection, its closing bracket one column less deep. A comment must follow a space (the composer
 * reports one at the start of a line inside a flow collection).
 */
function flowSpace(s: Scanner, i: number, fc: FlowCtx): number {
  const t = s.text;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === SPACE) i++;
    else if (c === HASH) {
      // A comment must follow a space, even at a line's start.
      if (t.charCodeAt(i - 1) !== SPACE) bail();
      i = s.lineEnd(i);
    } else if (c === NL) {
      const q = i + 1;
      const li = s.indentOf(q);
      if (q + li >= t.length) bail();
      const n = t.charCodeAt(q + li);
      if (n !== NL && n !== HASH && li < fc.indentNext && !(li === fc.indentNext - 1 && fc.level === 1 && (n === 93 || n === 125))) bail();
      i = q + li;
    } else return i;
  }
}

/** A flow collection, `[...]` or `{...}`, starting at `at` (it may go on over the lines below). */
function flow(s: Scanner, at: number, key: PathSegment | undefined, depth: number, fc: FlowCtx): Built {
  if (depth > s.maxDepth) bail();
  const t = s.text;
  const isMap = t.charCodeAt(at) === 123;
  const close = isMap ? 125 : 93;
  const out = isMap ? new TObject(at, at, undefined, key) : new TArray(at, at, undefined, key);
  const names = new Set<string>();
  const inner = { indentNext: fc.indentNext, level: fc.level + 1 };
  let i = flowSpace(s, at + 1, fc);
  let first = true;
  while (t.charCodeAt(i) !== close) {
    if (!first) {
      if (t.charCodeAt(i) !== 44 /* , */) bail();
      i = flowSpace(s, i + 1, fc);
      // A trailing comma.
      if (t.charCodeAt(i) === close) break;
    }
    first = false;
    if (i >= t.length) bail();
    if (isMap) {
      const k = flowScalar(s, i, true, fc);
      const name = k.quoted ? k.value : String(coreValue(k.value));
      if (names.has(name) || name === "<<") bail();
      names.add(name);
      i = k.end;
      while (t.charCodeAt(i) === SPACE) i++;
      if (t.charCodeAt(i) !== COLON) bail();
      i++;
      if (t.charCodeAt(i) !== SPACE && !k.quoted) bail();
      while (t.charCodeAt(i) === SPACE) i++;
      if (t.charCodeAt(i) === NL || t.charCodeAt(i) === HASH) bail();
      const v = flowValue(s, i, name, depth + 1, inner);
      v.node.keyRange = { start: k.start, end: k.end };
      (out as TObject).entries.push(new TEntry(ownCopy(name), v.node));
      i = v.end;
    } else {
      const v = flowValue(s, i, (out as TArray).items.length, depth + 1, inner);
      (out as TArray).items.push(v.node);
      i = v.end;
    }
    i = flowSpace(s, i, fc);
  }
  if (i >= t.length) bail();
  const closed = i + 1;
  out.setEnd(closed);
  out.fit();
  return { node: out, end: closed };
}

/** A value inside a flow collection at `at`; `end` is where it stops (before any spaces after it). */
function flowValue(s: Scanner, at: number, key: PathSegment, depth: number, fc: FlowCtx): Built {
  const t = s.text;
  const c = t.charCodeAt(at);
  if (c === BANG) {
    const eol = s.lineEnd(at);
    const tag = cfnTag(s, at, eol)!;
    let i = tag.end;
    const afterTag = i;
    while (i < eol && t.charCodeAt(i) === SPACE) i++;
    const n = t.charCodeAt(i);
    let v: Built;
    if (i >= eol || (i === afterTag && !(n === 44 || n === 93 || n === 125))) bail();
    if (n === 44 || n === 93 || n === 125) {
      // `!GetAZs ]`: an empty string under the tag, after the tag and the spaces after it.
      v = { node: new TScalar("", i, i, undefined, tag.long), end: i };
    } else v = flowValue(s, i, tag.long, depth, fc);
    return { node: tagged(t, tag.tag, tag.long, v.node, key), end: v.end };
  }
  if (c === 91 || c === 123) return flow(s, at, key, depth, fc);
  const sc = flowScalar(s, at, false, fc);
  const value = sc.quoted ? sc.value : typedValue("scalar", sc.value);
  return { node: new TScalar(value, sc.start, sc.end, undefined, key), end: sc.end };
}

/**
 * A scalar in a flow collection: quoted (over several lines too), or plain up to `,`, `]`, `}`, `: ` (or `:` after a
 * key) or ` #` on its line. A plain scalar the next line would continue is not ours.
 */
function flowScalar(s: Scanner, at: number, isKey: boolean, fc: FlowCtx): { value: string; quoted: boolean; start: number; end: number } {
  const t = s.text;
  const eol = s.lineEnd(at);
  const c = t.charCodeAt(at);
  if (c === SQUOTE || c === DQUOTE) {
    const end = quotedEnd(t, at, eol, isKey ? undefined : fc.indentNext);
    return { value: resolveQuoted(s, at, end), quoted: true, start: at, end };
  }
  if (!plainStart(t, at, eol, true)) bail();
  let i = at;
  while (i < eol) {
    const ch = t.charCodeAt(i);
    if (ch === 44 || ch === 93 || ch === 125 || ch === 91 || ch === 123) break;
    if (ch === COLON) {
      const n = t.charCodeAt(i + 1);
      if (n === SPACE || n === 44 || n === 93 || n === 125 || i + 1 >= eol) {
        if (!isKey) bail();
        break;
      }
    }
    if (ch === HASH && t.charCodeAt(i - 1) === SPACE) break;
    i++;
  }
  let end = i;
  while (end > at && t.charCodeAt(end - 1) === SPACE) end--;
  if (end === at) bail();
  if (i >= eol) {
    // The line's end ends the scalar only when the next line with content starts with `,`, `]`, `}` or a comment
    // (else the scalar goes on over it).
    if (isKey) bail();
    for (let q = eol; ; ) {
      if (q >= t.length) bail();
      const li = s.indentOf(q + 1);
      const n = t.charCodeAt(q + 1 + li);
      if (n === NL) {
        q += 1 + li;
        continue;
      }
      if (!(n === 44 || n === 93 || n === 125 || n === HASH)) bail();
      break;
    }
  }
  return { value: t.slice(at, end), quoted: false, start: at, end };
}
