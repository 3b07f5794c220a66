/**
 * Source-preserving edits for fixes: each helper turns one structural change (replace a value, rename a key, add a
 * mapping entry, drop a list item) into text edits by range, written in the syntax and style of the file around it —
 * JSON, YAML block or flow collections, quoting style, indentation, line endings — so nothing else in the file moves.
 * A file is never re-serialised. A helper returns `undefined` when it cannot make the edit exactly (a block scalar, a
 * value whose text does not decode to the node's value, an empty collection): then the rule offers no fix.
 *
 * Documents embedded in a string (a policy inside a CLI output's JSON string, escaped or URL-encoded) are edited in
 * place too: new text is encoded the way the surrounding string encodes it, and laid out on one line.
 */
import type { Node, ObjectNode } from "../model/node.js";
import type { TextEdit } from "./finding.js";
import type { SourceFile } from "./source.js";

export type Syntax = "json" | "yaml" | "hcl";

/** A CloudFormation `Ref` to a template parameter: `!Ref Name` (or `Ref: Name`) in YAML, `{"Ref": "Name"}` in JSON. */
export class CfnRef {
  constructor(readonly name: string) {}
}

/** A value a fix writes: a string, a `Ref`, a list, or a mapping (in insertion order). */
export type EditValue = string | CfnRef | readonly EditValue[] | { readonly [key: string]: EditValue };

/** The syntax a file is read with (as the loader decides: by extension, else by its first character). */
export function syntaxOf(file: SourceFile): Syntax {
  const p = file.path.toLowerCase();
  if (p.endsWith(".tf")) return "hcl";
  if (p.endsWith(".json")) return "json";
  if (p.endsWith(".yaml") || p.endsWith(".yml")) return "yaml";
  return /^\s*[{[]/.test(file.text) ? "json" : "yaml";
}

export function eolOf(text: string): string {
  const i = text.indexOf("\n", 0);
  return i > 0 && text[i - 1] === "\r" ? "\r\n" : "\n";
}

/**
 * How far the layout helpers look along a line. A line longer than this (minified JSON, a hostile file) is laid out
 * inline or not edited: no fix may cost time in proportion to the file for each finding.
 */
const MAX_LINE = 2000;

/** Start of the line that holds `pos`, or -1 when it is more than `MAX_LINE` characters back. */
function lineStart(text: string, pos: number): number {
  let i = pos;
  const stop = Math.max(0, pos - MAX_LINE);
  while (i > stop && text[i - 1] !== "\n" && text[i - 1] !== "\r") i--;
  return i > 0 && i === stop && text[i - 1] !== "\n" && text[i - 1] !== "\r" ? -1 : i;
}

/** The text from the start of `pos`'s line to `pos` (undefined for a very long line). */
function linePrefix(text: string, pos: number): string | undefined {
  const ls = lineStart(text, pos);
  return ls < 0 ? undefined : text.slice(ls, pos);
}

/** Offset just past the line break ending the line that holds `pos` (or the text's end); -1 for a very long line. */
function nextLineStart(text: string, pos: number): number {
  let i = pos;
  const stop = Math.min(text.length, pos + MAX_LINE);
  while (i < stop && text[i] !== "\n" && text[i] !== "\r") i++;
  if (i === stop && stop < text.length) return -1;
  if (text[i] === "\r" && text[i + 1] === "\n") return i + 2;
  return i < text.length ? i + 1 : i;
}

/** Whether only spaces/tabs lie between the start of `pos`'s line and `pos`. */
function atLineIndent(text: string, pos: number): boolean {
  let i = pos;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  return i === 0 || text[i - 1] === "\n" || text[i - 1] === "\r";
}

/** How a string literal of the file is written around a node: directly, or inside a JSON string (escaped, or URL-encoded too). */
type Codec = "plain" | "json-string" | "url-json-string";

function encode(codec: Codec, s: string): string {
  if (codec === "plain") return s;
  if (codec === "json-string") return JSON.stringify(s).slice(1, -1);
  return JSON.stringify(encodeURIComponent(s)).slice(1, -1);
}

function firstString(n: Node, depth = 0): (Node & { type: "scalar"; value: string }) | undefined {
  if (n.type === "scalar") return typeof n.value === "string" ? (n as Node & { type: "scalar"; value: string }) : undefined;
  if (depth > 8) return undefined;
  const kids = n.type === "object" ? n.entries.map((e) => e.value) : n.items;
  for (const k of kids) {
    const s = firstString(k, depth + 1);
    if (s) return s;
  }
  return undefined;
}

function tryParse(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** The file's way of writing the document `node` belongs to (JSON files only; YAML documents are never embedded). */
function codecAt(file: SourceFile, node: Node): Codec | undefined {
  const text = file.text;
  let probe: Node | undefined = node;
  let s: (Node & { value: string }) | undefined;
  for (let i = 0; probe && i < 4 && !s; i++, probe = probe.parent) s = firstString(probe);
  if (!s) return "plain";
  const raw = text.slice(s.range.start, s.range.end);
  if (raw.startsWith('"') && tryParse(raw) === s.value) return "plain";
  const inner = tryParse(`"${raw}"`);
  if (typeof inner === "string") {
    if (tryParse(inner) === s.value) return "json-string";
    if (/^%22/i.test(inner)) {
      try {
        if (tryParse(decodeURIComponent(inner)) === s.value) return "url-json-string";
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const YAML_NON_STRING = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\.\d+|\d[\d_]*(?:\.\d*)?)(?:[eE][-+]?\d+)?|0x[0-9a-f_]+|0o?[0-7_]+|[-+]?\.(?:inf|nan)|\d+(?::[0-5]?\d)+(?:\.\d*)?|=|<<)$/i;

/** Whether a string can be written as a YAML plain scalar and read back as the same string. */
export function yamlPlainSafe(v: string, flow: boolean): boolean {
  // eslint-disable-next-line no-control-regex
  if (v === "" || v.trim() !== v || /[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(v)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(v)) return false;
  if (/: |:$| #/.test(v)) return false;
  if (flow && /[,[\]{}]/.test(v)) return false;
  return !YAML_NON_STRING.test(v);
}

function yamlDouble(v: string): string {
  return JSON.stringify(v);
}

/** A string in YAML, in a style like `like` (`"`, `'` or plain), falling back to double quotes when it must. */
function yamlString(v: string, like: string, flow: boolean): string {
  if (like === "'" && !/[\n\r]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  if (like === '"') return yamlDouble(v);
  return yamlPlainSafe(v, flow) ? v : yamlDouble(v);
}

/** Whether a YAML node sits in a flow collection (`[...]`, `{...}`), itself or through an ancestor. */
function inFlow(text: string, node: Node): boolean {
  for (let n: Node | undefined = node.parent; n; n = n.parent) {
    const c = text[n.range.start];
    if ((n.type === "object" && c === "{") || (n.type === "array" && c === "[")) return true;
  }
  return false;
}

function isFlowCollection(text: string, n: Node): boolean {
  const c = text[n.range.start];
  return (n.type === "object" && c === "{") || (n.type === "array" && c === "[");
}

/** Whether the file writes CloudFormation intrinsics in the short form (`!Ref`). */
function shortTags(whole: string): boolean {
  const text = whole.length > 262144 ? whole.slice(0, 262144) : whole;
  return /(^|[\s:[{,-])!(Ref|GetAtt|Sub|Join|If|Select|Split|FindInMap|ImportValue|Equals|Not|And|Or|Base64|Cidr|GetAZs)\b/.test(text);
}

/** The indentation unit of a JSON or YAML file (the smallest step between nested lines), 2 by default. */
function indentUnit(whole: string): string {
  const text = whole.length > 65536 ? whole.slice(0, 65536) : whole;
  const m = /\n(\t+)\S/.exec(text);
  if (m) return "\t";
  let best = 0;
  let prev = -1;
  const re = /^( *)\S/gm;
  let count = 0;
  for (let r = re.exec(text); r && count < 400; r = re.exec(text), count++) {
    const w = r[1]!.length;
    if (prev >= 0 && w > prev && (best === 0 || w - prev < best)) best = w - prev;
    prev = w;
  }
  return " ".repeat(best > 0 && best <= 8 ? best : 2);
}

/** Separators the JSON around a node uses: after `:` and after `,` (`": "` / `", "`, or minified). */
function jsonSpacing(text: string, obj: ObjectNode): { colon: string; comma: string } {
  const e = obj.entries[0];
  let colon = ": ";
  if (e) {
    const between = text.slice(e.keyRange.end, e.value.range.start);
    colon = between.replace(/\s+$/, "").length === between.length ? ":" : between.includes(": ") ? ": " : ":";
    if (!between.includes(":")) colon = ": ";
  }
  let comma = ", ";
  if (obj.entries.length > 1) {
    const between = text.slice(obj.entries[0]!.value.range.end, obj.entries[1]!.keyRange.start);
    if (!/\s/.test(between)) comma = ",";
  }
  return { colon, comma };
}

/** An EditValue as one line of JSON, with the file's separators. */
function jsonInline(v: EditValue, sp: { colon: string; comma: string }): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof CfnRef) return `{${JSON.stringify("Ref")}${sp.colon}${JSON.stringify(v.name)}}`;
  if (Array.isArray(v)) return `[${(v as readonly EditValue[]).map((x) => jsonInline(x, sp)).join(sp.comma)}]`;
  const o = v as { readonly [key: string]: EditValue };
  return `{${Object.keys(o)
    .map((k) => `${JSON.stringify(k)}${sp.colon}${jsonInline(o[k]!, sp)}`)
    .join(sp.comma)}}`;
}

/** An EditValue as JSON over several lines: nested mappings indented by `unit` from `indent`; lists of strings inline. */
function jsonBlock(v: EditValue, indent: string, unit: string, eol: string): string {
  if (typeof v === "string" || Array.isArray(v)) return jsonInline(v as EditValue, { colon: ": ", comma: ", " });
  const o = v instanceof CfnRef ? { Ref: v.name } : (v as { readonly [key: string]: EditValue });
  const inner = indent + unit;
  return `{${eol}${Object.keys(o)
    .map((k) => `${inner}${JSON.stringify(k)}: ${jsonBlock(o[k]!, inner, unit, eol)}`)
    .join(`,${eol}`)}${eol}${indent}}`;
}

function yamlKey(k: string, flow: boolean): string {
  return yamlPlainSafe(k, flow) ? k : yamlDouble(k);
}

/** An EditValue as YAML flow (one line). */
function yamlFlow(v: EditValue, short: boolean, like: string): string {
  if (typeof v === "string") return yamlString(v, like, true);
  if (v instanceof CfnRef) return short ? `!Ref ${yamlString(v.name, "", true)}` : `{Ref: ${yamlString(v.name, "", true)}}`;
  if (Array.isArray(v)) return `[${(v as readonly EditValue[]).map((x) => yamlFlow(x, short, like)).join(", ")}]`;
  const o = v as { readonly [key: string]: EditValue };
  return `{${Object.keys(o)
    .map((k) => `${yamlKey(k, true)}: ${yamlFlow(o[k]!, short, like)}`)
    .join(", ")}}`;
}

/** A YAML block mapping entry `key: value` at `indent`, with nested mappings as blocks; ends with a line break. */
function yamlBlockEntry(key: string, v: EditValue, indent: string, unit: string, eol: string, short: boolean, like: string): string {
  if (typeof v === "string" || v instanceof CfnRef || Array.isArray(v)) {
    if (v instanceof CfnRef && !short) return `${indent}${yamlKey(key, false)}:${eol}${indent}${unit}Ref: ${yamlString(v.name, "", false)}${eol}`;
    const s = typeof v === "string" ? yamlString(v, like, false) : yamlFlow(v as EditValue, short, like);
    return `${indent}${yamlKey(key, false)}: ${s}${eol}`;
  }
  const o = v as { readonly [key: string]: EditValue };
  return `${indent}${yamlKey(key, false)}:${eol}${Object.keys(o)
    .map((k) => yamlBlockEntry(k, o[k]!, indent + unit, unit, eol, short, like))
    .join("")}`;
}

/** Quote style of a YAML scalar's text (`"`, `'`, or "" for plain); undefined for block scalars and anything tagged. */
function yamlStyle(raw: string): string | undefined {
  const c = raw[0];
  if (c === '"' || c === "'") return c;
  if (c === "|" || c === ">" || c === "!" || c === "&" || c === "*") return undefined;
  return "";
}

/** A string as a Terraform string literal; undefined when it holds a template sequence (`${`, `%{`). */
function hclString(v: string): string | undefined {
  return /[$%]\{/.test(v) ? undefined : JSON.stringify(v);
}

const HCL_IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An EditValue as a Terraform expression on one line (`{ StringEquals = { "sts:ExternalId" = "x" } }`). */
function hclInline(v: EditValue): string | undefined {
  if (typeof v === "string") return hclString(v);
  if (v instanceof CfnRef) return undefined;
  if (Array.isArray(v)) {
    const items = (v as readonly EditValue[]).map(hclInline);
    return items.some((i) => i === undefined) ? undefined : `[${items.join(", ")}]`;
  }
  const o = v as { readonly [key: string]: EditValue };
  const parts: string[] = [];
  for (const k of Object.keys(o)) {
    const val = hclInline(o[k]!);
    if (val === undefined) return undefined;
    parts.push(`${HCL_IDENT.test(k) ? k : JSON.stringify(k)} = ${val}`);
  }
  return `{ ${parts.join(", ")} }`;
}

/** A Terraform block header (`statement {`, `principals {`) at the start of a node's text. */
const HCL_BLOCK = /^[A-Za-z_][\w-]*(?:\s+"[^"\n]*")*\s*\{/;

/**
 * Edits for one file. Every method returns the edits of one change, or undefined when the change cannot be written
 * exactly here.
 */
export class FileEditor {
  readonly text: string;
  readonly syntax: Syntax;
  readonly eol: string;

  private unitCache?: string;
  private shortCache?: boolean;

  constructor(readonly file: SourceFile) {
    this.text = file.text;
    this.syntax = syntaxOf(file);
    this.eol = eolOf(this.text);
  }

  /** The file's indentation step (read once). */
  private unit(): string {
    return (this.unitCache ??= indentUnit(this.text));
  }

  /** Whether the file writes intrinsics with short-form tags (read once). */
  private shortTags(): boolean {
    return (this.shortCache ??= shortTags(this.text));
  }

  private edit(start: number, end: number, text: string): TextEdit {
    return { file: this.file.path, start, end, text };
  }

  /** How strings around `node` are encoded (undefined: not exactly known, no edit). */
  private codec(node: Node): Codec | undefined {
    return this.syntax === "json" ? codecAt(this.file, node) : "plain";
  }

  /**
   * In a Terraform file, how the document around a node is written: JSON (a heredoc), an HCL object (`jsonencode`),
   * or `aws_iam_policy_document` blocks. Elsewhere the file's syntax.
   */
  private dialect(node: Node): "json" | "yaml" | "hcl" | "block" {
    if (this.syntax !== "hcl") return this.syntax;
    for (let n: Node | undefined = node; n; n = n.parent) {
      if (n.type !== "object" || n.entries.length === 0) continue;
      if (HCL_BLOCK.test(this.text.slice(n.range.start, n.range.start + 200))) return n === node ? "block" : "hcl";
      const e = n.entries[0]!;
      const between = this.text.slice(e.keyRange.end, e.value.range.start);
      if (/^\s*:/.test(between)) return "json";
      if (/^\s*=/.test(between) || /=\s*$/.test(this.text.slice(e.keyRange.start, e.keyRange.end))) return "hcl";
    }
    return "hcl";
  }

  /** Whether a scalar node's text decodes to its value here (a literal we can rewrite). */
  private literal(node: Node): { raw: string; codec: Codec } | undefined {
    if (node.type !== "scalar" || typeof node.value !== "string") return undefined;
    const raw = this.text.slice(node.range.start, node.range.end);
    const codec = this.codec(node);
    if (!codec) return undefined;
    if (this.syntax === "hcl") {
      if (!raw.startsWith('"') || /[$%]\{/.test(raw) || tryParse(raw) !== node.value) return undefined;
      return { raw, codec };
    }
    if (this.syntax === "json") {
      const lit = codec === "plain" ? raw : tryParse(`"${raw}"`);
      const inner = typeof lit === "string" ? (codec === "url-json-string" ? safeDecodeUri(lit) : lit) : undefined;
      if (inner === undefined || tryParse(inner) !== node.value) return undefined;
      return { raw, codec };
    }
    const style = yamlStyle(raw);
    if (style === undefined) return undefined;
    if (style === "" && raw !== node.value) return undefined;
    if (style === "'" && raw !== `'${node.value.replace(/'/g, "''")}'`) return undefined;
    if (style === '"' && tryParse(raw) !== node.value) return undefined;
    return { raw, codec };
  }

  /**
   * A CloudFormation intrinsic written in place (`!Sub "..."`, `{"Fn::Sub": "..."}`): the quote style of its string, to
   * replace the whole intrinsic by a literal. Undefined for anything else.
   */
  private intrinsic(node: Node): { like: string } | undefined {
    if (node.type !== "object" || node.entries.length !== 1 || this.syntax === "hcl") return undefined;
    const k = node.entries[0]!.key;
    if (k !== "Ref" && !k.startsWith("Fn::")) return undefined;
    if (this.syntax === "json") return this.codec(node) === "plain" && this.text[node.range.start] === "{" ? { like: '"' } : undefined;
    const inner = node.entries[0]!.value;
    const raw = inner.type === "scalar" ? this.text.slice(inner.range.start, inner.range.end) : "";
    return { like: raw.startsWith("'") ? "'" : raw.startsWith('"') ? '"' : "" };
  }

  /** Replaces a string scalar's value, keeping its quoting style (or an intrinsic by a string literal). */
  replaceString(node: Node, value: string): TextEdit[] | undefined {
    const intr = this.intrinsic(node);
    if (intr) return [this.edit(node.range.start, node.range.end, this.syntax === "json" ? JSON.stringify(value) : yamlString(value, intr.like, inFlow(this.text, node)))];
    const lit = this.literal(node);
    if (!lit) return undefined;
    let out: string;
    if (this.syntax === "hcl") {
      const h = hclString(value);
      if (h === undefined) return undefined;
      out = h;
    } else if (this.syntax === "json") out = encode(lit.codec, JSON.stringify(value));
    else out = yamlString(value, yamlStyle(lit.raw)!, inFlow(this.text, node));
    return [this.edit(node.range.start, node.range.end, out)];
  }

  /**
   * Replaces the part `[from, to)` of a string scalar's value (offsets into the value) with `replacement`, touching
   * only those characters when the value is written verbatim; otherwise the whole scalar.
   */
  replaceInString(node: Node, from: number, to: number, replacement: string): TextEdit[] | undefined {
    const lit = this.literal(node);
    if (!lit || node.type !== "scalar" || typeof node.value !== "string") return undefined;
    const v = node.value;
    const next = v.slice(0, from) + replacement + v.slice(to);
    // Verbatim inside the literal: plain YAML, or quotes around exactly the value's characters.
    const body = lit.codec === "plain" && (lit.raw === v || (lit.raw.length === v.length + 2 && lit.raw.slice(1, -1) === v)) ? (lit.raw === v ? 0 : 1) : -1;
    const safe = /^[A-Za-z0-9:/._*-]*$/.test(replacement);
    if (body >= 0 && safe && (this.syntax !== "yaml" || yamlStyle(lit.raw) !== "" || yamlPlainSafe(next, inFlow(this.text, node)))) {
      const s = node.range.start + body;
      return [this.edit(s + from, s + to, replacement)];
    }
    return this.replaceString(node, next);
  }

  /** Renames the key of the mapping entry whose value is `value` (`StringLike` → `StringEquals`), in the key's quoting. */
  renameKey(value: Node, key: string): TextEdit[] | undefined {
    const kr = value.keyRange;
    if (!kr) return undefined;
    const raw = this.text.slice(kr.start, kr.end);
    let out: string;
    if (this.syntax === "hcl") {
      const q = hclString(key);
      if (q === undefined) return undefined;
      // `test = "StringLike"` (a condition block's attribute), `"key"` or `key` (an object key).
      const attr = /^([A-Za-z_][\w-]*\s*=\s*)("(?:[^"\\\n]|\\.)*")\s*$/.exec(raw);
      if (attr) return [this.edit(kr.start + attr[1]!.length, kr.start + attr[1]!.length + attr[2]!.length, q)];
      if (raw.startsWith('"')) out = q;
      else if (HCL_IDENT.test(raw)) out = HCL_IDENT.test(key) ? key : q;
      else return undefined;
      return [this.edit(kr.start, kr.end, out)];
    }
    if (this.syntax === "json") {
      const codec = this.codec(value);
      if (!codec) return undefined;
      out = encode(codec, JSON.stringify(key));
    } else {
      const style = yamlStyle(raw);
      if (style === undefined) return undefined;
      out = style === "" ? yamlKey(key, inFlow(this.text, value) || isFlowCollection(this.text, value.parent!)) : yamlString(key, style, true);
    }
    return [this.edit(kr.start, kr.end, out)];
  }

  /** Adds `key: value` as the last entry of a mapping, laid out like the entries already there. */
  addEntry(obj: ObjectNode, key: string, value: EditValue): TextEdit[] | undefined {
    const last = obj.entries[obj.entries.length - 1];
    if (!last) return undefined;
    const text = this.text;
    const end = last.value.range.end;
    if (this.syntax === "hcl") {
      const d = this.dialect(obj);
      if (d === "block") return key === "Condition" ? this.addConditionBlocks(obj, value) : undefined;
      if (d === "hcl") {
        const v = hclInline(value);
        if (v === undefined) return undefined;
        const k = HCL_IDENT.test(key) ? key : JSON.stringify(key);
        const multiLine = /[\r\n]/.test(text.slice(obj.range.start, obj.entries[0]!.keyRange.start)) && atLineIndent(text, last.keyRange.start);
        if (!multiLine) return [this.edit(end, end, `, ${k} = ${v}`)];
        const indent = linePrefix(text, last.keyRange.start) ?? "";
        const commas = obj.entries.length > 1 && text.slice(obj.entries[0]!.value.range.end, obj.entries[1]!.keyRange.start).includes(",");
        return [this.edit(end, end, `${commas ? "," : ""}${this.eol}${indent}${k} = ${v}`)];
      }
      // JSON in a heredoc: as JSON (below), with no template sequences in what is written.
      if (JSON.stringify(value).match(/[$%]\{/)) return undefined;
    }
    if (this.syntax === "json" || this.syntax === "hcl") {
      const codec = this.codec(obj);
      if (!codec) return undefined;
      const sp = jsonSpacing(text, obj);
      const multiLine = codec === "plain" && /[\r\n]/.test(text.slice(obj.range.start, obj.entries[0]!.keyRange.start)) && atLineIndent(text, last.keyRange.start);
      if (!multiLine) return [this.edit(end, end, encode(codec, `${sp.comma.startsWith(",") ? sp.comma : ", "}${JSON.stringify(key)}${sp.colon}${jsonInline(value, sp)}`))];
      const indent = linePrefix(text, last.keyRange.start) ?? "";
      return [this.edit(end, end, `,${this.eol}${indent}${JSON.stringify(key)}: ${jsonBlock(value, indent, this.unit(), this.eol)}`)];
    }
    const short = this.shortTags();
    const like = this.quoteLike(obj);
    if (isFlowCollection(text, obj)) {
      const flowValue = value instanceof CfnRef && short ? `!Ref ${yamlString(value.name, "", true)}` : yamlFlow(value, short, like);
      return [this.edit(end, end, `, ${yamlKey(key, true)}: ${flowValue}`)];
    }
    // A block mapping: a new line at the keys' column, after the line where the last entry ends.
    const keyPrefix = linePrefix(text, last.keyRange.start);
    if (keyPrefix === undefined || !/^[ \t]*(- +)*$/.test(keyPrefix)) return undefined;
    const indent = " ".repeat(keyPrefix.length);
    const at = end > 0 && (text[end - 1] === "\n" || text[end - 1] === "\r") ? end : nextLineStart(text, end);
    if (at < 0) return undefined;
    const needsBreak = at === text.length && text.length > 0 && text[text.length - 1] !== "\n";
    return [this.edit(at, at, `${needsBreak ? this.eol : ""}${yamlBlockEntry(key, value, indent, this.yamlUnit(obj), this.eol, short, like)}`)];
  }

  /**
   * Terraform `aws_iam_policy_document`: a `condition` block per operator and key of `value` (`{StringEquals:
   * {"sts:ExternalId": v}}`), before the statement block's closing brace, indented like its attributes.
   */
  private addConditionBlocks(stmt: ObjectNode, value: EditValue): TextEdit[] | undefined {
    const text = this.text;
    const close = stmt.range.end - 1;
    if (text[close] !== "}" || !atLineIndent(text, close)) return undefined;
    const first = stmt.entries.map((e) => e.keyRange.start).filter((k) => k > stmt.range.start && k < close && atLineIndent(text, k)).sort((a, b) => a - b)[0];
    if (first === undefined) return undefined;
    const indent = linePrefix(text, first) ?? "";
    const outer = linePrefix(text, close) ?? "";
    const unit = indent.startsWith(outer) && indent.length > outer.length ? indent.slice(outer.length) : "  ";
    if (typeof value !== "object" || value instanceof CfnRef || Array.isArray(value)) return undefined;
    let out = "";
    const ops = value as { readonly [key: string]: EditValue };
    for (const op of Object.keys(ops)) {
      const keys = ops[op]!;
      if (typeof keys !== "object" || keys instanceof CfnRef || Array.isArray(keys)) return undefined;
      for (const k of Object.keys(keys)) {
        const v = (keys as { readonly [key: string]: EditValue })[k]!;
        const values = hclInline(Array.isArray(v) ? v : [v]);
        const t = hclString(op);
        const variable = hclString(k);
        if (values === undefined || t === undefined || variable === undefined) return undefined;
        out += `${indent}condition {${this.eol}${indent}${unit}test     = ${t}${this.eol}${indent}${unit}variable = ${variable}${this.eol}${indent}${unit}values   = ${values}${this.eol}${indent}}${this.eol}`;
      }
    }
    const at = close - outer.length;
    return [this.edit(at, at, out)];
  }

  /** Whether a node is a Terraform block (`statement { ... }` of an `aws_iam_policy_document`). */
  isBlock(node: Node): boolean {
    return this.syntax === "hcl" && node.type === "object" && this.dialect(node) === "block";
  }

  /** Quote style of the string values around a YAML mapping (so new values look like their neighbours). */
  private quoteLike(obj: ObjectNode): string {
    for (const e of obj.entries) {
      if (e.value.type === "scalar" && typeof e.value.value === "string") {
        const s = yamlStyle(this.text.slice(e.value.range.start, e.value.range.end));
        if (s !== undefined) return s;
      }
    }
    return "";
  }

  /** The YAML indentation step inside a mapping: from a nested block mapping if it has one, else the file's. */
  private yamlUnit(obj: ObjectNode): string {
    const text = this.text;
    const stack: Node[] = [obj];
    for (let guard = 0; stack.length > 0 && guard < 200; guard++) {
      const n = stack.pop()!;
      if (n.type !== "object") continue;
      for (const e of n.entries) {
        const v = e.value;
        if (v.type === "object" && v.entries.length > 0 && !isFlowCollection(text, v)) {
          const k = v.entries[0]!.keyRange.start;
          if (atLineIndent(text, k) && atLineIndent(text, e.keyRange.start)) {
            const step = (linePrefix(text, k)?.length ?? 0) - (linePrefix(text, e.keyRange.start)?.length ?? 0);
            if (step > 0 && step <= 8) return " ".repeat(step);
          }
        }
        stack.push(v);
      }
    }
    const u = this.unit();
    return u === "\t" ? "  " : u;
  }

  /** Replaces any node by a value (a string becomes a `Ref`, a list...), written inline. */
  replaceValue(node: Node, value: EditValue): TextEdit[] | undefined {
    if (typeof value === "string") return this.replaceString(node, value);
    const text = this.text;
    if (this.syntax === "hcl") {
      if (this.dialect(node) === "json") {
        if (value instanceof CfnRef || JSON.stringify(value).match(/[$%]\{/)) return undefined;
        return [this.edit(node.range.start, node.range.end, jsonInline(value, { colon: ": ", comma: ", " }))];
      }
      const v = hclInline(value);
      return v === undefined ? undefined : [this.edit(node.range.start, node.range.end, v)];
    }
    if (this.syntax === "json") {
      const codec = this.codec(node);
      if (!codec) return undefined;
      const parent = node.parent;
      const sp = parent && parent.type === "object" ? jsonSpacing(text, parent) : { colon: ": ", comma: ", " };
      return [this.edit(node.range.start, node.range.end, encode(codec, jsonInline(value, sp)))];
    }
    if (node.type === "scalar" && yamlStyle(text.slice(node.range.start, node.range.end)) === undefined) return undefined;
    const short = this.shortTags();
    const like = node.type === "scalar" ? (yamlStyle(text.slice(node.range.start, node.range.end)) ?? "") : "";
    // A tagged node (`!Ref X`) starts at its tag: replace from there.
    let start = node.range.start;
    const before = text.slice(Math.max(0, start - 200), start);
    const tag = /!\S+\s+$/.exec(before);
    if (tag && node.type !== "scalar") start -= tag[0].length;
    return [this.edit(start, node.range.end, yamlFlow(value, short, like))];
  }

  /** Replaces one item of a list by several, in the list's layout (a JSON or flow list inline, YAML block items as lines). */
  replaceItemWithMany(list: Node, index: number, values: string[]): TextEdit[] | undefined {
    if (list.type !== "array") return undefined;
    const item = list.items[index];
    if (!item || values.length === 0) return undefined;
    if (values.length === 1) return this.replaceString(item, values[0]!);
    const intr = this.intrinsic(item);
    const lit = intr ? { raw: intr.like === "'" ? "''" : '""', codec: "plain" as Codec } : this.literal(item);
    if (!lit) return undefined;
    const text = this.text;
    if (this.syntax === "hcl" && values.some((v) => hclString(v) === undefined)) return undefined;
    if (this.syntax === "json" || this.syntax === "hcl") {
      const codec = lit.codec;
      const start = item.range.start;
      const multiLine = codec === "plain" && atLineIndent(text, start) && list.items.length > 1;
      const sep = multiLine ? `,${this.eol}${linePrefix(text, start) ?? ""}` : ", ";
      return [this.edit(item.range.start, item.range.end, values.map((v) => encode(codec, JSON.stringify(v))).join(codec === "plain" ? sep : encode(codec, ", ")))];
    }
    const like = yamlStyle(lit.raw)!;
    if (isFlowCollection(text, list)) return [this.edit(item.range.start, item.range.end, values.map((v) => yamlString(v, like, true)).join(", "))];
    const m = /^([ \t]*)- +$/.exec(linePrefix(text, item.range.start) ?? "x");
    if (!m) return undefined;
    return [this.edit(item.range.start, item.range.end, values.map((v) => yamlString(v, like, false)).join(`${this.eol}${m[1]}- `))];
  }

  /** Removes one item of a list with more than one item: its separator in JSON and flow lists, its lines in a YAML block list. */
  removeItem(list: Node, index: number): TextEdit[] | undefined {
    if (list.type !== "array" || list.items.length < 2) return undefined;
    const item = list.items[index];
    if (!item) return undefined;
    if (!this.codec(list)) return undefined;
    const text = this.text;
    if (this.syntax !== "yaml" || isFlowCollection(text, list)) {
      if (index > 0) return [this.edit(list.items[index - 1]!.range.end, item.range.end, "")];
      return [this.edit(item.range.start, list.items[1]!.range.start, "")];
    }
    const ls = lineStart(text, item.range.start);
    if (ls < 0 || !/^[ \t]*- +$/.test(text.slice(ls, item.range.start))) return undefined;
    const next = list.items[index + 1];
    const end = item.range.end;
    // Up to the start of the next item's line, or past the line break after this item.
    const stop = next ? lineStart(text, next.range.start) : nextLineStart(text, end > item.range.start && /[\r\n]/.test(text[end - 1] ?? "") ? end - 1 : end);
    if (stop < 0 || (next && !/^[ \t]*- +$/.test(text.slice(stop, next.range.start)))) return undefined;
    return [this.edit(ls, stop, "")];
  }

  /**
   * Removes one entry of a mapping with more than one entry: with its separator in JSON, flow mappings and Terraform
   * objects, as its lines in a YAML block mapping. Not in Terraform blocks.
   */
  removeEntry(obj: ObjectNode, index: number): TextEdit[] | undefined {
    if (obj.entries.length < 2) return undefined;
    const entry = obj.entries[index];
    if (!entry || !this.codec(obj)) return undefined;
    const text = this.text;
    if (this.syntax === "hcl" && this.dialect(obj) === "block") return undefined;
    if (this.syntax !== "yaml" || isFlowCollection(text, obj)) {
      if (index > 0) return [this.edit(obj.entries[index - 1]!.value.range.end, entry.value.range.end, "")];
      return [this.edit(entry.keyRange.start, obj.entries[1]!.keyRange.start, "")];
    }
    if (!atLineIndent(text, entry.keyRange.start)) return undefined;
    const ls = lineStart(text, entry.keyRange.start);
    const next = obj.entries[index + 1];
    const end = entry.value.range.end;
    const stop = next ? lineStart(text, next.keyRange.start) : end > 0 && /[\r\n]/.test(text[end - 1] ?? "") ? end : nextLineStart(text, end);
    if (ls < 0 || stop < 0 || (next && !atLineIndent(text, next.keyRange.start))) return undefined;
    return [this.edit(ls, stop, "")];
  }
}

function safeDecodeUri(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

const editors = new WeakMap<SourceFile, FileEditor>();

/** The editor of a file: one per file, so what it learns of the file's layout is read once however many fixes it has. */
export function editorFor(file: SourceFile): FileEditor {
  let e = editors.get(file);
  if (!e || e.text !== file.text) {
    e = new FileEditor(file);
    editors.set(file, e);
  }
  return e;
}

/** Applies edits (sorted, non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end < e.start || e.end > text.length) throw new Error(`overlapping or out-of-range edit at ${e.start}`);
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
