// Serialisers for generated CloudFormation documents.
//
// Generators build plain JS objects and use `Fn` instances for intrinsic
// functions. `toJson` renders them in long form ({"Ref": ...}, {"Fn::Sub": ...})
// and `toYaml` renders them the way people write CloudFormation YAML: mostly
// short-form tags (!Ref, !Sub, !GetAtt, !If, !Join, ...), sometimes long form,
// and multi-line strings (inline Lambda code) as literal block scalars.
// The YAML writer is deliberately small: it only supports what the generators
// produce, and the floor script checks every generated file parses.

/** An intrinsic function call: new Fn("GetAtt", "Role.Arn"), new Fn("Ref", "Bucket"), ... */
export class Fn {
  constructor(name, arg) {
    this.name = name;
    this.arg = arg;
  }
  /** Long form, used by JSON.stringify. */
  toJSON() {
    if (this.name === "Ref") return { Ref: this.arg };
    if (this.name === "Condition") return { Condition: this.arg };
    if (this.name === "GetAtt" && typeof this.arg === "string") {
      const dot = this.arg.indexOf(".");
      return { "Fn::GetAtt": [this.arg.slice(0, dot), this.arg.slice(dot + 1)] };
    }
    return { [`Fn::${this.name}`]: this.arg };
  }
}

// Convenience constructors used by the generators.
export const Ref = (x) => new Fn("Ref", x);
export const GetAtt = (x) => new Fn("GetAtt", x);
export const Sub = (x) => new Fn("Sub", x);
export const Join = (sep, parts) => new Fn("Join", [sep, parts]);
export const If = (cond, a, b) => new Fn("If", [cond, a, b]);
export const Equals = (a, b) => new Fn("Equals", [a, b]);
export const Not = (x) => new Fn("Not", [x]);
export const Select = (i, list) => new Fn("Select", [String(i), list]);
export const GetAZs = (r = "") => new Fn("GetAZs", r);
export const ImportValue = (x) => new Fn("ImportValue", x);

/** JSON rendering; indent 2 (hand-written), 1 (CDK) or 0 (minified). */
export function toJson(doc, indent = 2) {
  return JSON.stringify(doc, null, indent || undefined) + "\n";
}

// ---------------------------------------------------------------------------
// YAML

const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
const PLAIN_BLOCK = /^[A-Za-z_/][A-Za-z0-9_\-./:*@${}]*(?: [A-Za-z0-9_\-./:*@${}]+)*$/;
const PLAIN_FLOW = /^[A-Za-z_][A-Za-z0-9_\-.]*(?:::[A-Za-z0-9_]+)*$/;
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_\-.:]*$/;

/** A scalar in block (flow=false) or flow (flow=true) context. */
function scalar(v, flow) {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const s = String(v);
  const plainOk = flow ? PLAIN_FLOW.test(s) : PLAIN_BLOCK.test(s) && !s.includes(": ") && !s.includes(" #");
  if (plainOk && !RESERVED.test(s) && !s.endsWith(":") && !(flow && s.includes("{"))) return s;
  // Single quotes when nothing needs escaping, otherwise JSON-style double quotes
  // (JSON string escapes are valid YAML double-quoted escapes).
  if (!/['\\]/.test(s) && !/[^ -~]/.test(s)) return `'${s}'`; // printable ASCII only
  return JSON.stringify(s);
}

function key(k) {
  return PLAIN_KEY.test(k) && !RESERVED.test(k) && !k.endsWith(":") ? k : JSON.stringify(k);
}

const isMultiline = (v) => typeof v === "string" && v.includes("\n");
const isCollection = (v) => v !== null && typeof v === "object" && !(v instanceof Fn);
const isEmpty = (v) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/**
 * Serialises a CloudFormation document to YAML.
 * @param {object} doc
 * @param {{rng?: {float(): number}, longForm?: number}} opts longForm = share of
 *   intrinsics written in long form (`Fn::GetAtt: [A, Arn]`, `Ref: X`).
 */
export function toYaml(doc, opts = {}) {
  const rng = opts.rng;
  const longForm = opts.longForm ?? 0;
  const useLong = () => rng !== undefined && longForm > 0 && rng.float() < longForm;

  /** Flow-style rendering (inside [...] / {...} or after a tag). */
  function flow(v) {
    if (v instanceof Fn) return tagged(v, true);
    if (Array.isArray(v)) return `[${v.map(flow).join(", ")}]`;
    if (isCollection(v)) {
      return `{${Object.entries(v)
        .map(([k, x]) => `${key(k)}: ${flow(x)}`)
        .join(", ")}}`;
    }
    return scalar(v, true);
  }

  /** Short-form tag with its argument inline (inFlow: inside [...] / {...}). */
  function tagged(fn, inFlow = false) {
    const arg = fn.arg;
    if (typeof arg === "string") return `!${fn.name} ${scalar(arg, inFlow)}`;
    return `!${fn.name} ${flow(arg)}`;
  }

  /** Literal block scalar lines for a multi-line string. */
  function literal(s, indent) {
    const chomp = s.endsWith("\n") ? "" : "-";
    const body = (s.endsWith("\n") ? s.slice(0, -1) : s).split("\n");
    return { header: `|${chomp}`, lines: body.map((l) => (l === "" ? "" : " ".repeat(indent) + l)) };
  }

  /**
   * Renders `value` as the right-hand side of "prefix" (a "key:" or "-"), appending
   * lines to out. indent = indentation of the prefix's line.
   */
  function entry(out, prefixLine, value, indent) {
    if (value instanceof Fn) {
      if (useLong()) {
        emitBlock(out, prefixLine, value.toJSON(), indent);
        return;
      }
      if (isMultiline(value.arg)) {
        const lit = literal(value.arg, indent + 2);
        out.push(`${prefixLine} !${value.name} ${lit.header}`, ...lit.lines);
        return;
      }
      out.push(`${prefixLine} ${tagged(value)}`);
      return;
    }
    if (isMultiline(value)) {
      const lit = literal(value, indent + 2);
      out.push(`${prefixLine} ${lit.header}`, ...lit.lines);
      return;
    }
    if (!isCollection(value) || isEmpty(value)) {
      out.push(`${prefixLine} ${isCollection(value) ? flow(value) : scalar(value, false)}`);
      return;
    }
    emitBlock(out, prefixLine, value, indent);
  }

  /** A non-empty mapping or sequence below prefixLine. */
  function emitBlock(out, prefixLine, value, indent) {
    const inner = [];
    block(inner, value, indent + 2);
    if (prefixLine.trimEnd().endsWith("-")) {
      // Sequence item: put the first line of the nested block on the dash line.
      out.push(`${prefixLine} ${inner[0].trimStart()}`, ...inner.slice(1));
    } else {
      out.push(prefixLine, ...inner);
    }
  }

  function block(out, value, indent) {
    const pad = " ".repeat(indent);
    if (Array.isArray(value)) {
      for (const item of value) entry(out, `${pad}-`, item, indent);
    } else {
      for (const [k, v] of Object.entries(value)) entry(out, `${pad}${key(k)}:`, v, indent);
    }
  }

  const out = [];
  block(out, doc, 0);
  return out.join("\n") + "\n";
}
