/**
 * YAML into positioned nodes, with CloudFormation short-form tags rewritten to their long form
 * (`!Sub x` becomes `{"Fn::Sub": x}`, `!GetAtt A.B` becomes `{"Fn::GetAtt": ["A", "B"]}`) so that rules and the
 * intrinsic resolver see one shape for JSON and YAML templates. Alias expansion and nesting depth are bounded.
 */
import { createRequire } from "node:module";
import type { Document, Node as YNode } from "yaml";
import type { Node, ObjectEntry, Path, Range } from "../model/node.js";
import { linkParents } from "../model/node.js";
import type { ParseProblem } from "./json.js";

export interface YamlParseResult {
  root?: Node;
  problems: ParseProblem[];
}

const MAX_DEPTH = 200;
/** Nodes produced by alias expansion, at most: a "billion laughs" document stops here. */
const MAX_ALIAS_EXPANSION = 50_000;

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
  const problems: ParseProblem[] = [];
  let doc: Document.Parsed;
  try {
    doc = Y().parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: false, customTags: customTags() as never });
  } catch (e) {
    return { problems: [{ kind: "syntax", message: `YAML: ${(e as Error).message}`, range: { start: 0, end: 1 } }] };
  }
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
  const budget = { nodes: 0 };
  try {
    const root = convert(doc.contents, [], 0, doc, budget, new Set(), text);
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

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

function rangeOf(n: YNode): Range {
  const r = n.range ?? [0, 0, 0];
  return { start: r[0], end: Math.max(r[1], r[0]) };
}

/** Where a tagged node starts: at its tag (`!Ref X` starts at `!`), not at the value after it. */
function taggedRange(text: string, r: Range, tag: string): Range {
  const i = text.lastIndexOf(tag, r.start);
  if (i >= 0 && r.start - i <= tag.length + 64 && text.slice(i + tag.length, r.start).trim() === "") return { start: i, end: r.end };
  return r;
}

function convert(n: YNode, path: Path, depth: number, doc: Document.Parsed, budget: { nodes: number }, aliasStack: Set<YNode>, text: string): Node {
  if (depth > MAX_DEPTH) throw new LimitError(`Nesting deeper than ${MAX_DEPTH} levels (safety limit)`, rangeOf(n));
  if (Y().isAlias(n)) {
    const target = n.resolve(doc) as YNode | undefined;
    const r = rangeOf(n);
    if (!target) return { type: "scalar", value: null, path, range: r };
    if (aliasStack.has(target)) throw new LimitError("Recursive YAML alias (safety limit)", r);
    aliasStack.add(target);
    const out = convert(target, path, depth + 1, doc, budget, aliasStack, text);
    aliasStack.delete(target);
    // An alias reports at the alias, not at the anchor it copies.
    return relocate(out, r);
  }
  if (aliasStack.size > 0 && ++budget.nodes > MAX_ALIAS_EXPANSION) throw new LimitError(`YAML expands to more than ${MAX_ALIAS_EXPANSION} nodes through aliases (safety limit)`, rangeOf(n));
  const tag = (n as { tag?: string }).tag;
  const long = tag ? CFN_TAGS[tag] : undefined;
  if (long) {
    const r = taggedRange(text, rangeOf(n), tag!);
    let inner: Node;
    if (long === "Fn::GetAtt" && Y().isScalar(n) && typeof n.value === "string") {
      // `!GetAtt Role.Arn` is the list form ["Role", "Arn"].
      const s = n.value;
      const dot = s.indexOf(".");
      const parts = dot < 0 ? [s] : [s.slice(0, dot), s.slice(dot + 1)];
      const p = [...path, long];
      inner = { type: "array", path: p, range: r, items: parts.map((v, i) => ({ type: "scalar" as const, value: v, path: [...p, i], range: r })) };
    } else {
      inner = convertPlain(n, [...path, long], depth, doc, budget, aliasStack, text);
    }
    inner.keyRange = r;
    return { type: "object", path, range: r, entries: [{ key: long, keyRange: r, value: inner }] };
  }
  return convertPlain(n, path, depth, doc, budget, aliasStack, text);
}

function convertPlain(n: YNode, path: Path, depth: number, doc: Document.Parsed, budget: { nodes: number }, aliasStack: Set<YNode>, text: string): Node {
  const range = rangeOf(n);
  if (Y().isMap(n)) {
    const entries: ObjectEntry[] = [];
    for (const pair of n.items) {
      if (!Y().isPair(pair)) continue;
      const k = pair.key as YNode | null;
      let key: string;
      let keyRange: Range;
      if (k && Y().isScalar(k)) {
        key = String(k.value);
        keyRange = rangeOf(k);
      } else if (k === null || k === undefined) {
        key = "";
        keyRange = range;
      } else {
        if (Y().isAlias(k)) {
          const t = k.resolve(doc) as YNode | undefined;
          key = t && Y().isScalar(t) ? String(t.value) : "";
        } else key = "";
        keyRange = rangeOf(k);
      }
      // `<<` merge keys: copy the merged mapping's entries.
      if (key === "<<" && pair.value) {
        const merged = convert(pair.value as YNode, path, depth + 1, doc, budget, aliasStack, text);
        const sources = merged.type === "array" ? merged.items : [merged];
        for (const src of sources) if (src.type === "object") for (const e of src.entries) if (!entries.some((x) => x.key === e.key)) entries.push(e);
        continue;
      }
      const valuePath = [...path, key];
      const v = pair.value as YNode | null;
      const value: Node = v ? convert(v, valuePath, depth + 1, doc, budget, aliasStack, text) : { type: "scalar", value: null, path: valuePath, range: { start: keyRange.end, end: keyRange.end } };
      value.keyRange = keyRange;
      entries.push({ key, keyRange, value });
    }
    return { type: "object", path, range, entries };
  }
  if (Y().isSeq(n)) {
    const items: Node[] = [];
    n.items.forEach((item, i) => {
      const p = [...path, i];
      items.push(item ? convert(item as YNode, p, depth + 1, doc, budget, aliasStack, text) : { type: "scalar", value: null, path: p, range });
    });
    return { type: "array", path, range, items };
  }
  if (Y().isScalar(n)) {
    let value = n.value as unknown;
    // Keep the written text where the YAML number loses it (`012345678901` is an account ID, not 12345678901).
    const src = (n as { source?: string }).source;
    if (typeof value === "number" && typeof src === "string" && String(value) !== src) value = src;
    if (value instanceof Date) value = src ?? value.toISOString();
    if (typeof value === "bigint") value = String(value);
    if (value !== null && typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") value = src ?? String(value);
    return { type: "scalar", path, range, value: value as string | number | boolean | null };
  }
  return { type: "scalar", path, range, value: null };
}

/** A copy of a subtree (from an alias) whose every range is the alias's range. */
function relocate(n: Node, r: Range): Node {
  switch (n.type) {
    case "scalar":
      return { ...n, range: r };
    case "array":
      return { ...n, range: r, items: n.items.map((c) => relocate(c, r)) };
    case "object":
      return { ...n, range: r, entries: n.entries.map((e) => ({ key: e.key, keyRange: r, value: relocate(e.value, r) })) };
  }
}
