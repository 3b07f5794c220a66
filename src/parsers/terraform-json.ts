/**
 * Terraform JSON configuration (`*.tf.json`, as CDKTF writes it) as the HCL syntax tree, so one evaluator reads
 * both: `{"resource": {"aws_iam_role": {"r": {...}}}}` becomes `resource "aws_iam_role" "r" {...}`. Which object
 * keys are nested blocks follows Terraform's schema for the blocks deputy reads (`statement`, `principals`,
 * `condition`, `inline_policy`, `config_request`, `dynamic`...); every other key is an argument. Strings are
 * templates: one holding `${`/`%{` is parsed by the HCL parser (as a heredoc, so no escaping is needed) and every
 * expression in it is located at the JSON string.
 */
import type { Node } from "../model/node.js";
import { parseHcl, type HAttribute, type HBlock, type HBody, type HExpr, type HPart } from "./hcl.js";

/** Nested block types (by the block they are in, `*` for any). */
const BLOCKS = new Set(["statement", "principals", "not_principals", "condition", "inline_policy", "config_request", "config_response", "dynamic", "content", "lifecycle"]);

/** Top-level keys whose values are `{label: {label: body}}` (two labels) or `{label: body}` (one). */
const TWO_LABELS = new Set(["resource", "data"]);
const ONE_LABEL = new Set(["variable", "module", "output", "provider"]);

/** Whether a parsed JSON root is a Terraform JSON configuration. */
export function isTerraformJsonConfig(root: Node): boolean {
  return root.type === "object" && root.entries.some((e) => TWO_LABELS.has(e.key) || ONE_LABEL.has(e.key) || e.key === "locals" || e.key === "terraform");
}

/** Block bodies: `{...}` or `[{...}, ...]`. */
function bodies(n: Node): Node[] {
  if (n.type === "object") return [n];
  if (n.type === "array") return n.items.filter((i) => i.type === "object");
  return [];
}

export function jsonConfigBody(root: Node): HBody {
  const out: HBody = { attrs: [], blocks: [] };
  if (root.type !== "object") return out;
  const kw = (n: Node, key: string) => ({ ts: n.keyRange?.start ?? n.range.start, te: n.keyRange?.end ?? n.range.start + key.length });
  for (const top of root.entries) {
    const k = top.key;
    if (TWO_LABELS.has(k)) {
      for (const byType of bodies(top.value))
        if (byType.type === "object")
          for (const t of byType.entries)
            for (const byName of bodies(t.value))
              if (byName.type === "object")
                for (const nm of byName.entries)
                  for (const b of bodies(nm.value)) out.blocks.push({ type: k, labels: [t.key, nm.key], ...kw(nm.value, nm.key), body: body(b, 0), s: b.range.start, e: b.range.end });
    } else if (ONE_LABEL.has(k)) {
      for (const byName of bodies(top.value))
        if (byName.type === "object")
          for (const nm of byName.entries) for (const b of bodies(nm.value)) out.blocks.push({ type: k, labels: [nm.key], ...kw(nm.value, nm.key), body: body(b, 0), s: b.range.start, e: b.range.end });
    } else if (k === "locals") {
      for (const b of bodies(top.value)) out.blocks.push({ type: "locals", labels: [], ...kw(top.value, k), body: body(b, 0), s: b.range.start, e: b.range.end });
    }
  }
  return out;
}

function body(n: Node, depth: number): HBody {
  const out: HBody = { attrs: [], blocks: [] };
  if (n.type !== "object" || depth > 32) return out;
  for (const e of n.entries) {
    const ks = e.keyRange.start;
    const ke = e.keyRange.end;
    if (BLOCKS.has(e.key) && (e.value.type === "object" || e.value.type === "array")) {
      if (e.key === "dynamic" && e.value.type === "object") {
        // {"dynamic": {"statement": {"for_each": ..., "content": {...}}}}
        for (const d of e.value.entries) for (const b of bodies(d.value)) out.blocks.push({ type: "dynamic", labels: [d.key], ts: ks, te: ke, body: body(b, depth + 1), s: b.range.start, e: b.range.end });
        continue;
      }
      for (const b of bodies(e.value)) out.blocks.push(block(e.key, ks, ke, b, depth));
      continue;
    }
    const attr: HAttribute = { name: e.key, ks, ke, expr: expr(e.value, depth + 1), s: ks, e: e.value.range.end };
    out.attrs.push(attr);
  }
  return out;
}

function block(type: string, ts: number, te: number, b: Node, depth: number): HBlock {
  return { type, labels: [], ts, te, body: body(b, depth + 1), s: b.range.start, e: b.range.end };
}

function expr(n: Node, depth: number): HExpr {
  const s = n.range.start;
  const e = n.range.end;
  if (depth > 64) return { k: "other", s, e };
  switch (n.type) {
    case "array":
      return { k: "tuple", items: n.items.map((i) => expr(i, depth + 1)), s, e };
    case "object":
      return { k: "object", entries: n.entries.map((en) => ({ key: { k: "lit", v: en.key, s: en.keyRange.start, e: en.keyRange.end }, value: expr(en.value, depth + 1) })), s, e };
    case "scalar": {
      const v = n.value;
      if (typeof v !== "string" || (!v.includes("${") && !v.includes("%{"))) return { k: "lit", v, s, e };
      return templateExpr(v, s, e) ?? { k: "other", s, e };
    }
  }
}

/**
 * A JSON string holding a template, parsed as an HCL heredoc; every part is located at the string (`s`..`e`). Also
 * the template of a `templatefile()` call, located at the call.
 */
export function templateExpr(value: string, s: number, e: number): HExpr | undefined {
  let marker = "EOT";
  while (value.includes(marker)) marker += "X";
  const text = `_ = <<${marker}\n${value}\n${marker}\n`;
  const r = parseHcl(text);
  const x = r.body?.attrs[0]?.expr;
  if (!x) return undefined;
  const relocate = (y: HExpr): HExpr => {
    const src = text.slice(y.s, y.e);
    switch (y.k) {
      case "tmpl": {
        const parts: HPart[] = y.parts.map((p) => ("lit" in p ? { lit: p.lit, s, e } : "expr" in p ? { expr: relocate(p.expr), s, e } : { directive: true, s, e }));
        // The heredoc's last line break is not part of the JSON string.
        const last = parts[parts.length - 1];
        if (last && "lit" in last && last.lit.endsWith("\n")) last.lit = last.lit.slice(0, -1);
        return { k: "tmpl", parts: parts.filter((p) => !("lit" in p) || p.lit !== ""), heredoc: false, s, e };
      }
      case "tuple":
        return { k: "tuple", items: y.items.map(relocate), s, e, src } as HExpr;
      case "object":
        return { k: "object", entries: y.entries.map((en) => ({ key: relocate(en.key), value: relocate(en.value) })), s, e, src } as HExpr;
      case "ref":
        return { k: "ref", root: y.root, steps: y.steps.map((st) => ("index" in st ? { index: relocate(st.index) } : st)), s, e, src } as HExpr;
      case "call":
        return { k: "call", name: y.name, args: y.args.map(relocate), s, e, src } as HExpr;
      default:
        return { ...y, s, e, src } as HExpr;
    }
  };
  return relocate(x);
}
