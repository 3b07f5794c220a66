/**
 * Narrowing a finding to part of a string value (the secret inside a header, the host or scheme of a URL): offsets
 * into the decoded value become offsets into the file when the mapping is exact — a JSON (or JSON-compatible
 * double-quoted YAML) string, through its escapes; a YAML plain scalar or a single-quoted scalar written verbatim.
 * Otherwise (folded or block scalars, `''` escapes, values whose decoding does not give back the value) there is no
 * exact mapping and the caller reports the whole value node.
 */
import type { SourceFile } from "../engine/source.js";
import { decodeStringLiteralWithMap } from "../parsers/json.js";
import type { Node, Range } from "./node.js";

export function valueSubRange(file: SourceFile, node: Node | undefined, value: string, start: number, end: number): Range | undefined {
  if (!node || node.type !== "scalar" || start < 0 || end > value.length || start > end) return undefined;
  const raw = file.text.slice(node.range.start, node.range.end);
  if (raw === value) return { start: node.range.start + start, end: node.range.start + end };
  const q = raw[0];
  if (q === '"' && raw[raw.length - 1] === '"') {
    const decoded = decodeStringLiteralWithMap(file.text, node.range.start);
    if (!decoded || decoded.text !== value || decoded.map[decoded.map.length - 1] !== node.range.end - 1) return undefined;
    return { start: decoded.map[start]!, end: decoded.map[end]! };
  }
  if (q === "'" && raw.length === value.length + 2 && raw[raw.length - 1] === q && raw.slice(1, -1) === value) {
    return { start: node.range.start + 1 + start, end: node.range.start + 1 + end };
  }
  return undefined;
}

/**
 * The decoded text of a string node with the file offset of each of its characters (plus one for the end), when that
 * mapping is exact: a JSON or double-quoted YAML string (through its escapes), a single-quoted or plain scalar written
 * verbatim, or a YAML literal block scalar (`|`, `|-`, `|+`) whose lines are the value's lines after the block's
 * indentation. Undefined otherwise (folded scalars, `''` escapes): the caller then locates everything at the node.
 */
export function scalarTextWithMap(file: SourceFile, node: Node): { text: string; map: Int32Array } | undefined {
  if (node.type !== "scalar" || typeof node.value !== "string") return undefined;
  const value = node.value;
  const { start, end } = node.range;
  const t = file.text;
  const q = t[start];
  if (q === '"') {
    const d = decodeStringLiteralWithMap(t, start);
    return d && d.text === value ? d : undefined;
  }
  const linear = (from: number) => {
    const map = new Int32Array(value.length + 1);
    for (let i = 0; i <= value.length; i++) map[i] = from + i;
    return { text: value, map };
  };
  if (q === "'" && t.slice(start + 1, start + 1 + value.length) === value && t[start + 1 + value.length] === "'") return linear(start + 1);
  if (q !== "|") return t.slice(start, start + value.length) === value && !/^[>|]/.test(q ?? "") ? linear(start) : undefined;
  // A literal block: after the header line, each line of the value sits at the block's indentation.
  let pos = t.indexOf("\n", start);
  if (pos < 0 || pos > end) return undefined;
  pos += 1;
  const lines = value.split("\n");
  const first = lines.find((l) => l !== "");
  if (first === undefined) return undefined;
  // The indentation: the spaces before the first non-empty line.
  let probe = pos;
  while (probe < end && (t[probe] === "\n" || t[probe] === "\r")) probe++;
  let indent = 0;
  while (t[probe + indent] === " ") indent++;
  const map = new Int32Array(value.length + 1);
  let k = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (line === "") {
      // An empty line: skip its (at most indentation-deep) spaces.
      let p = pos;
      while (t[p] === " ") p++;
      if (li < lines.length - 1) {
        if (t[p] === "\r") p++;
        if (t[p] !== "\n" && p < t.length) return undefined;
        map[k++] = p;
        pos = p + 1;
      } else map[k] = p;
      continue;
    }
    for (let s = 0; s < indent; s++) if (t[pos + s] !== " ") return undefined;
    pos += indent;
    if (t.slice(pos, pos + line.length) !== line) return undefined;
    for (let c = 0; c < line.length; c++) map[k++] = pos + c;
    pos += line.length;
    if (li < lines.length - 1) {
      if (t[pos] === "\r") pos++;
      map[k++] = pos;
      pos += 1;
    } else map[k] = pos;
  }
  return k === value.length ? { text: value, map } : undefined;
}
