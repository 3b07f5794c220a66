/**
 * Parser for Genesys Cloud data action templates (request URL, headers, body, response templates).
 *
 * Genesys templates use Apache Velocity syntax:
 *   - references: `${input.x}`, `$!{input.x}` (quiet), `$input.x` (short form), `${input.key.replace(' ','%20')}`
 *   - tools and functions: `$esc.url(${input.x})`, `$encodeBase64("${credentials.user}:${credentials.pass}")`
 *   - directives: `#set($x = ...)`, `#if(...)`, `#elseif(...)`, `#foreach(...)`, `#else`, `#end`
 *   - comments: `## line`, `#* block *#`, `#[[ unparsed ]]#` (kept as literal text)
 * and, in Terraform sources, `$${` is the escape of `${` (the `$$` is kept inside the expression's text).
 *
 * The parser never throws and runs in linear time in practice: an expression that is not closed (a missing `}`, `)`,
 * `]` or quote) turns the rest of the input into literal text.
 */

export interface TemplateStringLiteral {
  /** The characters between the quotes (or one piece of them, see `literals` below). */
  text: string;
  /** Index of the first character of `text` in the template. */
  start: number;
  /** Index just past the last character of `text` in the template. */
  end: number;
}

export type Segment =
  | { kind: "literal"; text: string; start: number; end: number }
  | {
      kind: "expr";
      text: string;
      start: number;
      end: number;
      /**
       * Dotted references the expression reads, outer first, without duplicates: `${input.id}` → `input.id`,
       * `$esc.url(${input.x})` → `esc`, `input.x`; `${input.key.replace(' ','%20')}` → `input.key` (a method name is not
       * part of the reference); `$encodeBase64("${credentials.u}:${credentials.p}")` → `credentials.u`, `credentials.p`
       * (a top-level function call is not a reference). Case is preserved (`INPUT.ConversationID`).
       */
      refs: string[];
      /**
       * Quoted string literals inside the expression, with offsets into the template (quotes excluded). A
       * double-quoted string is interpolated by Velocity, so only its constant pieces are listed:
       * `"${credentials.user}:${credentials.pass}"` gives one literal `:`; `"user:hunter2"` gives `user:hunter2`.
       * Empty pieces are omitted. Single-quoted strings are never interpolated and are listed whole.
       */
      literals: TemplateStringLiteral[];
    };

export type LiteralSegment = Extract<Segment, { kind: "literal" }>;
export type ExprSegment = Extract<Segment, { kind: "expr" }>;

/** Parse result markers (non-negative results are end indexes). */
const NOT_EXPR = -1;
const UNTERMINATED = -2;
/** Nesting limit: deeper input is treated as unterminated (so as literal text), which keeps recursion bounded. */
const MAX_DEPTH = 64;

const ARG_DIRECTIVES = new Set(["set", "if", "elseif", "foreach", "macro", "define", "evaluate", "parse", "include"]);
const BARE_DIRECTIVES = new Set(["else", "end", "break", "stop"]);

interface Acc {
  refs: string[];
  literals: TemplateStringLiteral[];
}

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_]/.test(c);
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

class Parser {
  constructor(private readonly s: string) {}

  private get n(): number {
    return this.s.length;
  }

  /** End of an identifier starting at `p`. Braced references also allow `-` inside names (`${input.first-name}`). */
  private identEnd(p: number, braced: boolean): number {
    let e = p;
    while (e < this.n) {
      const c = this.s[e];
      if (isIdentChar(c)) {
        e++;
      } else if (braced && c === "-" && isIdentChar(this.s[e + 1])) {
        e++;
      } else {
        break;
      }
    }
    return e;
  }

  private addRef(acc: Acc, ref: string): void {
    if (ref !== "" && !acc.refs.includes(ref)) acc.refs.push(ref);
  }

  /**
   * A reference chain starting at `p` (identifier, `.name`, `(args)`, `[index]`). Records the leading property chain as
   * a reference. Returns the end index, or UNTERMINATED.
   */
  private parseChain(p: number, acc: Acc, depth: number, braced: boolean): number {
    if (!isIdentStart(this.s[p])) return p;
    const parts: string[] = [];
    let recording = true;
    const finish = (): void => {
      if (recording) {
        this.addRef(acc, parts.join("."));
        recording = false;
      }
    };
    let e = this.identEnd(p, braced);
    parts.push(this.s.slice(p, e));
    p = e;
    for (;;) {
      const c = this.s[p];
      if (c === "." && isIdentStart(this.s[p + 1])) {
        e = this.identEnd(p + 1, braced);
        if (recording) parts.push(this.s.slice(p + 1, e));
        p = e;
      } else if (c === "(") {
        // The last name was a method (or a top-level function such as $encodeBase64): not part of the reference.
        if (recording) parts.pop();
        finish();
        const close = this.scanUntil(p + 1, ")", acc, depth);
        if (close < 0) return UNTERMINATED;
        p = close + 1;
      } else if (c === "[") {
        finish();
        const close = this.scanUntil(p + 1, "]", acc, depth);
        if (close < 0) return UNTERMINATED;
        p = close + 1;
      } else {
        break;
      }
    }
    finish();
    return p;
  }

  /** A `$` expression at `i`. Returns its end index, NOT_EXPR (a plain `$`), or UNTERMINATED. */
  parseDollar(i: number, acc: Acc, depth: number): number {
    if (depth > MAX_DEPTH) return UNTERMINATED;
    const s = this.s;
    let j = i + 1;
    if (s[j] === "$" && s[j + 1] === "{") j++; // Terraform escape: $${input.x}
    if (s[j] === "!") j++;
    if (s[j] === "{") {
      let k = j + 1;
      while (k < this.n && /\s/.test(s[k] as string)) k++;
      k = this.parseChain(k, acc, depth, true);
      if (k < 0) return UNTERMINATED;
      const close = this.scanUntil(k, "}", acc, depth);
      return close < 0 ? UNTERMINATED : close + 1;
    }
    if (isIdentStart(s[j])) return this.parseChain(j, acc, depth, false);
    return NOT_EXPR;
  }

  /** A `#directive` at `i`. Returns its end index, NOT_EXPR, or UNTERMINATED. */
  parseDirective(i: number, acc: Acc, depth: number): number {
    const s = this.s;
    let j = i + 1;
    const braced = s[j] === "{";
    if (braced) j++;
    let e = j;
    while (e < this.n && /[A-Za-z]/.test(s[e] as string)) e++;
    const name = s.slice(j, e);
    if (braced) {
      if (s[e] !== "}") return NOT_EXPR;
      e++;
    }
    if (ARG_DIRECTIVES.has(name)) {
      let k = e;
      while (s[k] === " " || s[k] === "\t") k++;
      if (s[k] !== "(") return NOT_EXPR;
      const close = this.scanUntil(k + 1, ")", acc, depth);
      return close < 0 ? UNTERMINATED : close + 1;
    }
    if (BARE_DIRECTIVES.has(name)) {
      if (!braced && isIdentChar(s[e])) return NOT_EXPR; // "#endpoint" is text
      return e;
    }
    return NOT_EXPR;
  }

  /** A quoted string starting at `p`. Returns the index past the closing quote, or UNTERMINATED. */
  private parseString(p: number, acc: Acc, depth: number): number {
    const s = this.s;
    const q = s[p];
    let k = p + 1;
    let pieceStart = k;
    const piece = (end: number): void => {
      if (end > pieceStart) acc.literals.push({ text: s.slice(pieceStart, end), start: pieceStart, end });
    };
    while (k < this.n) {
      const c = s[k];
      if (c === q) {
        piece(k);
        return k + 1;
      }
      if (q === '"' && c === "$") {
        const r = this.parseDollar(k, acc, depth + 1);
        if (r === UNTERMINATED) return UNTERMINATED;
        if (r !== NOT_EXPR) {
          piece(k);
          k = r;
          pieceStart = k;
          continue;
        }
      }
      k++;
    }
    return UNTERMINATED;
  }

  /**
   * Scan expression content from `p` to the `closer` that balances the construct. Collects nested references and
   * string literals. Returns the index of the closer, or UNTERMINATED.
   */
  scanUntil(p: number, closer: string, acc: Acc, depth: number): number {
    const s = this.s;
    const stack: string[] = [];
    while (p < this.n) {
      const c = s[p] as string;
      if (c === '"' || c === "'") {
        const r = this.parseString(p, acc, depth);
        if (r < 0) return UNTERMINATED;
        p = r;
        continue;
      }
      if (c === "$") {
        const r = this.parseDollar(p, acc, depth + 1);
        if (r === UNTERMINATED) return UNTERMINATED;
        p = r === NOT_EXPR ? p + 1 : r;
        continue;
      }
      if (c === "(") stack.push(")");
      else if (c === "[") stack.push("]");
      else if (c === "{") stack.push("}");
      else if (c === ")" || c === "]" || c === "}") {
        if (stack.length === 0) {
          if (c === closer) return p;
        } else if (stack[stack.length - 1] === c) {
          stack.pop();
        }
        // other closers are stray: ignored
      }
      p++;
    }
    return UNTERMINATED;
  }
}

/** Split a Genesys (Velocity) template into literal text and expressions. Never throws. */
export function parseTemplate(s: string): Segment[] {
  const out: Segment[] = [];
  if (typeof s !== "string" || s === "") return out;
  const parser = new Parser(s);
  const n = s.length;
  let lit = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > lit) out.push({ kind: "literal", text: s.slice(lit, end), start: lit, end });
  };
  while (i < n) {
    const c = s[i];
    let r = NOT_EXPR;
    const acc: Acc = { refs: [], literals: [] };
    if (c === "$") {
      r = parser.parseDollar(i, acc, 0);
    } else if (c === "#") {
      const next = s[i + 1];
      if (next === "#") {
        // line comment: literal text up to the end of the line
        const e = s.indexOf("\n", i + 2);
        i = e < 0 ? n : e;
        continue;
      }
      if (next === "*" || (next === "[" && s[i + 2] === "[")) {
        const endMark = next === "*" ? "*#" : "]]#";
        const e = s.indexOf(endMark, i + 2);
        if (e < 0) break;
        i = e + endMark.length;
        continue;
      }
      r = parser.parseDirective(i, acc, 0);
    }
    if (r === UNTERMINATED) break; // the rest is literal text
    if (r === NOT_EXPR) {
      i++;
      continue;
    }
    flush(i);
    out.push({ kind: "expr", text: s.slice(i, r), start: i, end: r, refs: acc.refs, literals: acc.literals });
    i = r;
    lit = i;
  }
  flush(n);
  return out;
}

/** True when a reference is `credentials` or `credentials.*` (case-insensitive). */
export function isCredentialsRef(ref: string): boolean {
  return /^credentials(\.|$)/i.test(ref);
}

/** Whether any expression of the template references `credentials.*`. */
export function usesCredentials(s: string): boolean {
  return parseTemplate(s).some((seg) => seg.kind === "expr" && seg.refs.some(isCredentialsRef));
}

/** Whether the template contains any expression or directive (so its value is not fully known statically). */
export function hasExpressions(s: string): boolean {
  return parseTemplate(s).some((seg) => seg.kind === "expr");
}
