/**
 * Wildcard matching without regular expressions built from input. IAM globs (`*` any run, `?` one character) come
 * from files deputy reads, so they are hostile: a pattern of 33,000 `*` overflowed V8's regular expression compiler,
 * and `lambda:**********Z` backtracked for minutes. Matching here never backtracks more than the classic
 * greedy-star algorithm does: runs of stars collapse into one, the literal segments between stars are found leftmost
 * (which is optimal for `*`), and a pattern needing more characters than the subject has is rejected at once. The
 * cost is at most (subject length) x (pattern literal length), and usually linear.
 *
 * `compileGlob` takes a list of atoms so that callers with extra wildcard kinds (links.ts: "one ARN field", `[^:]*`)
 * get the same guarantee: patterns with restricted runs are matched by a position-set simulation (no backtracking,
 * O(subject x pattern)).
 */

/** One element of a pattern: a literal character code, or a wildcard. */
export type GlobAtom =
  | number
  /** `?`: any one character. */
  | typeof ANY_ONE
  /** `*`: any run, possibly empty. */
  | typeof ANY_RUN
  /** Any run without a colon, possibly empty (one ARN field). */
  | typeof FIELD_RUN
  /** Any one character other than a colon. */
  | typeof NOT_COLON;

export const ANY_ONE = -1;
export const ANY_RUN = -2;
export const FIELD_RUN = -3;
export const NOT_COLON = -4;

export interface GlobMatcher {
  test(subject: string): boolean;
}

const COLON = 58;

/** A matcher for an IAM glob: `*` any run, `?` one character, everything else literal. */
export function globMatcher(pattern: string, caseInsensitive = false): GlobMatcher {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const atoms: GlobAtom[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    atoms.push(c === 42 ? ANY_RUN : c === 63 ? ANY_ONE : c);
  }
  const m = compileGlob(atoms);
  return caseInsensitive ? { test: (s) => m.test(s.toLowerCase()) } : m;
}

/** True when the IAM glob `pattern` matches `subject` (case-sensitive unless asked). Not cached: see globMatcher. */
export function globTest(pattern: string, subject: string, caseInsensitive = false): boolean {
  return globMatcher(pattern, caseInsensitive).test(subject);
}

export function compileGlob(input: GlobAtom[]): GlobMatcher {
  // Collapse runs: `**` is `*`; a field run next to an any-run is the any-run.
  const atoms: GlobAtom[] = [];
  for (const a of input) {
    const last = atoms[atoms.length - 1];
    if ((a === ANY_RUN || a === FIELD_RUN) && (last === ANY_RUN || last === FIELD_RUN)) {
      if (a === ANY_RUN) atoms[atoms.length - 1] = ANY_RUN;
      continue;
    }
    atoms.push(a);
  }
  let minLength = 0;
  for (const a of atoms) if (a !== ANY_RUN && a !== FIELD_RUN) minLength++;
  const restricted = atoms.includes(FIELD_RUN) || atoms.includes(NOT_COLON);
  if (!atoms.includes(ANY_RUN) && !restricted) {
    return { test: (s) => s.length === atoms.length && segmentAt(s, 0, atoms, 0, atoms.length) };
  }
  if (restricted) return { test: (s) => s.length >= minLength && simulate(atoms, s) };
  // Segments between stars.
  const segments: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i <= atoms.length; i++) {
    if (i === atoms.length || atoms[i] === ANY_RUN) {
      segments.push([start, i]);
      start = i + 1;
    }
  }
  return {
    test(s: string): boolean {
      if (s.length < minLength) return false;
      const [h0, h1] = segments[0]!;
      const [t0, t1] = segments[segments.length - 1]!;
      const headLen = h1 - h0;
      const tailLen = t1 - t0;
      if (!segmentAt(s, 0, atoms, h0, h1)) return false;
      const tailAt = s.length - tailLen;
      if (tailAt < headLen || !segmentAt(s, tailAt, atoms, t0, t1)) return false;
      let pos = headLen;
      for (let k = 1; k < segments.length - 1; k++) {
        const [a, b] = segments[k]!;
        const at = findSegment(s, pos, tailAt, atoms, a, b);
        if (at < 0) return false;
        pos = at + (b - a);
      }
      return true;
    },
  };
}

/** Whether atoms[a..b) (literals and `?` only) match s at `at`. */
function segmentAt(s: string, at: number, atoms: GlobAtom[], a: number, b: number): boolean {
  if (at + (b - a) > s.length) return false;
  for (let i = a; i < b; i++) {
    const x = atoms[i]!;
    if (x !== ANY_ONE && s.charCodeAt(at + i - a) !== x) return false;
  }
  return true;
}

/** The leftmost position in [from, limit - length] where atoms[a..b) match, or -1. */
function findSegment(s: string, from: number, limit: number, atoms: GlobAtom[], a: number, b: number): number {
  const len = b - a;
  // A segment of literals only: indexOf.
  let literal = true;
  for (let i = a; i < b; i++) if (atoms[i] === ANY_ONE) literal = false;
  if (literal) {
    let text = "";
    for (let i = a; i < b; i++) text += String.fromCharCode(atoms[i] as number);
    const at = s.indexOf(text, from);
    return at >= 0 && at + len <= limit ? at : -1;
  }
  for (let at = from; at + len <= limit; at++) if (segmentAt(s, at, atoms, a, b)) return at;
  return -1;
}

/** Position-set simulation for patterns with restricted runs: no backtracking, O(|s| x |atoms|). */
function simulate(atoms: GlobAtom[], s: string): boolean {
  const n = atoms.length;
  let cur = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  const close = (set: Uint8Array): void => {
    for (let i = 0; i < n; i++) if (set[i] && (atoms[i] === ANY_RUN || atoms[i] === FIELD_RUN)) set[i + 1] = 1;
  };
  cur[0] = 1;
  close(cur);
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    next.fill(0);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!cur[i]) continue;
      const a = atoms[i]!;
      if (a === ANY_RUN || (a === FIELD_RUN && c !== COLON)) {
        next[i] = 1;
        any = true;
      } else if (a === ANY_ONE || a === c || (a === NOT_COLON && c !== COLON)) {
        next[i + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(next);
    [cur, next] = [next, cur];
  }
  return cur[n] === 1;
}
