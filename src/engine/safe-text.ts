/**
 * Output safety for text that comes from inputs (values quoted in messages, keys in logical paths, suppression
 * reasons, file paths). Inputs are untrusted: an action name holding `ESC ]0;PWNED BEL ESC [2J` retitled and cleared
 * the reader's terminal, a newline inside a value broke the report's line structure, and a 40 KB action name made one
 * 40 KB line. Two guarantees, applied centrally (the engine, where findings are made) so that every reporter gets them:
 *
 * - no control character, terminal escape, line or paragraph separator, bidirectional override (Trojan Source) or lone
 *   surrogate is passed through: each is written as a visible escape (`\n`, `\t`, `\x1b`, `\u202e`), so the value
 *   stays recognisable and nothing is interpreted by the terminal, a log viewer or an XML parser;
 * - a quoted value is an excerpt of bounded length: its start and its end around an ellipsis, with its length.
 *
 * Reporters call `safeText` for any other input-derived text they print (file paths); JSON-based formats stay valid
 * for any text anyway (JSON.stringify escapes), the others rely on this.
 */

/**
 * Longest message placeholder value kept whole; longer ones are shortened to an excerpt. Placeholders hold input
 * values, or short texts a rule composes around a few of them (a hint with a suggested name), hence not tighter.
 */
export const MAX_QUOTED_VALUE = 240;
/** Longest message, after its placeholders are filled. */
export const MAX_MESSAGE = 2000;
/** Longest logical path or logical name kept in a finding. */
export const MAX_LOGICAL_TEXT = 1000;

// C0 controls (tab and newline included: they break line-based formats), DEL, C1 controls, line and paragraph
// separators, bidirectional embeddings, overrides and isolates, byte-order marks, and lone surrogates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * `s` with unsafe characters written as visible escapes, and, when longer than `max` characters, shortened to its
 * start and end around `…` with the full length in brackets. Cheap for the common case (short, plain text).
 */
export function safeText(s: string, max = Infinity): string {
  let out = s;
  if (out.length > max) {
    const head = Math.max(1, Math.floor(max * 0.7));
    const tail = Math.max(0, max - head - 1);
    // Cut on whole characters (not inside a surrogate pair).
    let h = head;
    if (isHigh(out.charCodeAt(h - 1))) h--;
    let t = out.length - tail;
    if (isLow(out.charCodeAt(t))) t++;
    out = `${out.slice(0, h)}…${out.slice(t)} [${s.length.toLocaleString("en-US")} characters]`;
  }
  if (UNSAFE_TEST.test(out)) out = out.replace(UNSAFE, escapeChar);
  return out;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
