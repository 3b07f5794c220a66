/**
 * Static resolution of values, including CloudFormation intrinsics. A value that cannot be known statically
 * (a parameter, an import, a pseudo parameter, another resource's attribute) is kept as a `${...}` placeholder:
 * *unknown*, never a wildcard. Policy variables (`${aws:username}`) use the same syntax and are unknown too.
 *
 * `Fn::If` yields both branches; every resolved value keeps the node it came from, so a finding on one branch
 * points at that branch.
 */
import { pushAll } from "../engine/arrays.js";
import type { Node, ObjectNode } from "./node.js";
import { isObject, prop } from "./node.js";

/** A statically resolved string and the node to report it on. */
export interface Str {
  value: string;
  node: Node;
  /** Set when the whole value is `Ref X` or `Fn::GetAtt [X, attr]` of a resource in the same template. */
  ref?: { logicalId: string; attr?: string };
}

/** True when the value contains an unresolved `${...}` part. */
export function hasUnknown(s: string): boolean {
  // A `${` with a '}' anywhere after it: what /\$\{[^}]*\}/ finds, without its quadratic scan of `${${${…`.
  const i = s.indexOf("${");
  return i >= 0 && s.indexOf("}", i + 2) >= 0;
}

/**
 * Replaces every `${...}` part (as /\$\{([^}]*)\}/g would find them) by `fn(inner)`, in linear time: the regular
 * expression rescans the rest of the text from every `${` that has no '}' after it (`${${${…`, quadratic).
 */
export function replacePlaceholders(s: string, fn: (inner: string) => string): string {
  let i = s.indexOf("${");
  if (i < 0) return s;
  let out = "";
  let last = 0;
  while (i >= 0) {
    const close = s.indexOf("}", i + 2);
    if (close < 0) break;
    out += s.slice(last, i) + fn(s.slice(i + 2, close));
    last = close + 1;
    i = s.indexOf("${", last);
  }
  return out + s.slice(last);
}

/** The `${...}` parts of a value in order: their start, end (after the '}') and inner text. Linear, as above. */
export function placeholders(s: string): Array<{ index: number; end: number; inner: string }> {
  const out: Array<{ index: number; end: number; inner: string }> = [];
  let i = s.indexOf("${");
  while (i >= 0) {
    const close = s.indexOf("}", i + 2);
    if (close < 0) break;
    out.push({ index: i, end: close + 1, inner: s.slice(i + 2, close) });
    i = s.indexOf("${", close + 1);
  }
  return out;
}

/** The literal parts of a value, with unknown parts removed (for "is this a wildcard" questions). */
export function literalParts(s: string): string {
  return replacePlaceholders(s, () => "");
}

const MAX_ALTERNATIVES = 16;

export interface TemplateInfo {
  /** Logical IDs of resources. */
  resources: Set<string>;
  parameters: Set<string>;
  mappings?: Node;
  conditions: Set<string>;
}

/**
 * Resolves values in one document. Without a template (raw JSON policies, CLI outputs) there are no intrinsics and
 * every string is itself.
 */
export class Resolver {
  constructor(readonly template?: TemplateInfo) {}

  /** True when `n` is an intrinsic function object (`{"Ref": ...}`, `{"Fn::Sub": ...}`, `{"Condition": ...}`). */
  isIntrinsic(n: Node | undefined): boolean {
    if (!this.template || !n || n.type !== "object" || n.entries.length !== 1) return false;
    const k = n.entries[0]!.key;
    return k === "Ref" || k.startsWith("Fn::") || k === "Condition";
  }

  /** Every string a scalar-valued node can take. */
  strings(n: Node | undefined): Str[] {
    if (!n) return [];
    const out: Str[] = [];
    this.collectStrings(n, out, 0);
    return out.length > MAX_ALTERNATIVES ? out.slice(0, MAX_ALTERNATIVES) : out;
  }

  /** First alternative only, or undefined. */
  string(n: Node | undefined): Str | undefined {
    return this.strings(n)[0];
  }

  /** A list-valued property (`Action`, `Resource`, ...): string or array, with intrinsics, `AWS::NoValue` dropped. */
  list(n: Node | undefined): Str[] {
    if (!n) return [];
    const out: Str[] = [];
    this.collectList(n, out, 0);
    return out;
  }

  /** The objects a node can be (`Fn::If` at statement or document level yields both branches). */
  objects(n: Node | undefined): ObjectNode[] {
    if (!n) return [];
    if (this.isIntrinsic(n) && isObject(n)) {
      const e = n.entries[0]!;
      if (e.key === "Fn::If" && e.value.type === "array") return [...this.objects(e.value.items[1]), ...this.objects(e.value.items[2])];
      return [];
    }
    return isObject(n) ? [n] : [];
  }

  /** The items of an array-valued node, with `Fn::If` branches flattened and `AWS::NoValue` dropped. */
  items(n: Node | undefined): Node[] {
    if (!n) return [];
    if (this.isIntrinsic(n) && isObject(n)) {
      const e = n.entries[0]!;
      if (e.key === "Fn::If" && e.value.type === "array") return [...this.items(e.value.items[1]), ...this.items(e.value.items[2])];
      if (e.key === "Ref" && e.value.type === "scalar" && e.value.value === "AWS::NoValue") return [];
      return [n];
    }
    if (n.type === "array") {
      const out: Node[] = [];
      for (const it of n.items) {
        if (this.isNoValue(it)) continue;
        if (this.isIntrinsic(it) && isObject(it) && it.entries[0]!.key === "Fn::If") pushAll(out, this.items(it));
        else out.push(it);
      }
      return out;
    }
    return [n];
  }

  private isNoValue(n: Node): boolean {
    return this.isIntrinsic(n) && isObject(n) && n.entries[0]!.key === "Ref" && n.entries[0]!.value.type === "scalar" && n.entries[0]!.value.value === "AWS::NoValue";
  }

  private collectList(n: Node, out: Str[], depth: number): void {
    if (depth > 20 || out.length > 256) return;
    if (n.type === "array") {
      for (const it of n.items) this.collectList(it, out, depth + 1);
      return;
    }
    if (this.isIntrinsic(n) && isObject(n)) {
      const e = n.entries[0]!;
      if (e.key === "Fn::If" && e.value.type === "array") {
        if (e.value.items[1]) this.collectList(e.value.items[1], out, depth + 1);
        if (e.value.items[2]) this.collectList(e.value.items[2], out, depth + 1);
        return;
      }
      if (this.isNoValue(n)) return;
      if (e.key === "Fn::Split" || e.key === "Fn::GetAZs" || e.key === "Fn::Cidr") {
        out.push({ value: "${" + e.key + "}", node: n });
        return;
      }
    }
    this.collectStrings(n, out, depth + 1);
  }

  private collectStrings(n: Node, out: Str[], depth: number): void {
    if (depth > 20 || out.length > 256) return;
    if (n.type === "scalar") {
      if (n.value === null) return;
      out.push({ value: String(n.value), node: n });
      return;
    }
    if (!this.isIntrinsic(n) || !isObject(n)) {
      out.push({ value: "${" + (n.type === "array" ? "list" : "object") + "}", node: n });
      return;
    }
    const { key, value: arg } = n.entries[0]!;
    const t = this.template!;
    switch (key) {
      case "Ref": {
        const name = arg.type === "scalar" ? String(arg.value) : "?";
        if (name === "AWS::NoValue") return;
        out.push({ value: "${" + name + "}", node: n, ref: t.resources.has(name) ? { logicalId: name } : undefined });
        return;
      }
      case "Fn::GetAtt": {
        let parts: string[] = [];
        if (arg.type === "array") parts = arg.items.map((i) => (i.type === "scalar" ? String(i.value) : "?"));
        else if (arg.type === "scalar") parts = String(arg.value).split(/\.(.*)/s, 2);
        const [id = "?", attr] = parts;
        out.push({ value: "${" + parts.join(".") + "}", node: n, ref: t.resources.has(id) ? { logicalId: id, attr } : undefined });
        return;
      }
      case "Fn::Sub": {
        let tmplNode: Node | undefined;
        let vars: Node | undefined;
        if (arg.type === "array") {
          tmplNode = arg.items[0];
          vars = arg.items[1];
        } else tmplNode = arg;
        if (!tmplNode || tmplNode.type !== "scalar") {
          out.push({ value: "${Fn::Sub}", node: n });
          return;
        }
        const tmpl = String(tmplNode.value);
        let alts = [""];
        let last = 0;
        for (const m of placeholders(tmpl)) {
          const lit = tmpl.slice(last, m.index);
          last = m.end;
          const name = m.inner;
          let subs: string[];
          if (name.startsWith("!")) subs = ["${" + name.slice(1) + "}"];
          else {
            const v = vars ? prop(vars, name) : undefined;
            subs = v ? this.strings(v).map((s) => s.value) : ["${" + name + "}"];
            if (subs.length === 0) subs = [""];
          }
          alts = combine(alts, subs.map((s) => lit + s));
        }
        const tail = tmpl.slice(last);
        for (const a of alts) out.push({ value: a + tail, node: n });
        return;
      }
      case "Fn::Join": {
        if (arg.type !== "array" || arg.items.length < 2) {
          out.push({ value: "${Fn::Join}", node: n });
          return;
        }
        const delimNode = arg.items[0]!;
        const delim = delimNode.type === "scalar" ? String(delimNode.value ?? "") : "${delimiter}";
        const listNode = arg.items[1]!;
        if (listNode.type !== "array") {
          out.push({ value: "${Fn::Join}", node: n });
          return;
        }
        let alts: string[] | undefined;
        for (const item of listNode.items) {
          const subs = this.strings(item).map((s) => s.value);
          const parts = subs.length === 0 ? [""] : subs;
          alts = alts === undefined ? parts : combine(alts, parts.map((p) => delim + p));
        }
        for (const a of alts ?? [""]) out.push({ value: a, node: n });
        return;
      }
      case "Fn::If": {
        if (arg.type === "array") {
          if (arg.items[1]) this.collectStrings(arg.items[1], out, depth + 1);
          if (arg.items[2]) this.collectStrings(arg.items[2], out, depth + 1);
        }
        return;
      }
      case "Fn::FindInMap": {
        if (arg.type === "array" && t.mappings) {
          const [mapName, k1, k2] = arg.items;
          const map = mapName && mapName.type === "scalar" ? prop(t.mappings, String(mapName.value)) : undefined;
          if (map && isObject(map) && k2 && k2.type === "scalar") {
            const k1s = k1 && k1.type === "scalar" ? [String(k1.value)] : map.entries.map((e) => e.key);
            const found: Str[] = [];
            for (const k of k1s) {
              const v = prop(prop(map, k), String(k2.value));
              if (v) for (const s of this.strings(v)) found.push({ value: s.value, node: n });
            }
            if (found.length > 0) {
              for (const f of found) out.push(f);
              return;
            }
          }
        }
        out.push({ value: "${Fn::FindInMap}", node: n });
        return;
      }
      case "Fn::Select": {
        if (arg.type === "array" && arg.items[0]?.type === "scalar" && arg.items[1]?.type === "array") {
          const idx = Number(arg.items[0].value);
          const item = arg.items[1].items[idx];
          if (item) {
            for (const s of this.strings(item)) out.push({ ...s, node: n });
            return;
          }
        }
        out.push({ value: "${Fn::Select}", node: n });
        return;
      }
      case "Fn::ImportValue":
        out.push({ value: "${ImportValue}", node: n });
        return;
      default:
        out.push({ value: "${" + key + "}", node: n });
    }
  }
}

function combine(prefixes: string[], suffixes: string[]): string[] {
  const out: string[] = [];
  for (const p of prefixes) for (const s of suffixes) if (out.length < MAX_ALTERNATIVES) out.push(p + s);
  return out;
}

/** The resolver for documents with no intrinsics. */
export const PLAIN = new Resolver();
