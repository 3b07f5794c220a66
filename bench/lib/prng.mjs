// Small deterministic PRNG helpers for the synthetic corpus.
//
// mulberry32 is a tiny 32-bit generator: fast, good enough for test data, and
// (unlike Math.random) reproducible from a seed. Every generated file gets its
// own generator seeded from (corpus seed, kind, index), so file #i of a kind is
// the same whatever N is and whichever order files are written in.

/** Returns a function producing floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes several integers/strings into one 32-bit seed (FNV-1a style, then avalanche). */
export function mixSeed(...parts) {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff; // separator so ("ab","c") != ("a","bc")
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A random source with the convenience methods the generators use. */
export class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Float in [0, 1). */
  float() {
    return this.next();
  }
  /** Integer in [min, max] (inclusive). */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** True with probability p. */
  chance(p) {
    return this.next() < p;
  }
  /** One element of an array. */
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  /** k distinct elements of an array (k clamped to its length), in random order. */
  sample(arr, k) {
    const copy = arr.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }
  /** Picks a key of {key: weight} proportionally to its weight. */
  weighted(table) {
    let total = 0;
    for (const w of Object.values(table)) total += w;
    let x = this.next() * total;
    for (const [k, w] of Object.entries(table)) {
      x -= w;
      if (x < 0) return k;
    }
    return Object.keys(table).at(-1);
  }
  /** Uppercase hex string of n characters (CDK logical-id hashes, asset hashes). */
  hex(n, upper = true) {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(this.next() * 16)];
    return upper ? s.toUpperCase() : s;
  }
  /** 12-digit AWS account id (never starting with 0, so it never looks octal). */
  account() {
    return String(this.int(1, 9)) + String(this.int(0, 99999)).padStart(5, "0") + String(this.int(0, 999999)).padStart(6, "0");
  }
  /** RFC 4122-looking v4 UUID (Genesys org ids, ExternalIds). */
  uuid() {
    const h = this.hex(32, false).split("");
    h[12] = "4";
    h[16] = "89ab"[this.int(0, 3)];
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
