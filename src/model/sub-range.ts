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
