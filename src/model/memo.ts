/**
 * Bounded memoization for the pure questions rules ask again and again. Thousands of files repeat the same few hundred
 * ARNs, actions and catalog formats, so each answer is computed once. A cache that is simply emptied when full keeps
 * memory bounded on any input without the bookkeeping of an LRU. Results are shared: callers must not mutate them.
 * An `undefined` answer is stored as a marker, so every lookup is one `Map.get`.
 */

const NONE: unique symbol = Symbol("undefined");
type Stored<R> = R | typeof NONE;

const unwrap = <R>(v: Stored<R>): R => (v === NONE ? (undefined as R) : v);

/**
 * A function of one string. A second argument, if any, is passed through to the computation and is not part of the
 * key: the caller vouches that the key determines the answer (see `memoize2`).
 */
export function memoize<R, X = never>(fn: (key: string, x?: X) => R, max = 50_000): (key: string, x?: X) => R {
  const cache = new Map<string, Stored<R>>();
  return (key: string, x?: X): R => {
    const hit = cache.get(key);
    if (hit !== undefined) return unwrap(hit);
    return store(cache, key, fn(key, x), max);
  };
}

/** Keeps a computed answer, emptying the cache first when it is full. */
function store<R>(cache: Map<string, Stored<R>>, key: string, value: R, max: number): R {
  if (cache.size >= max) cache.clear();
  cache.set(key, value === undefined ? NONE : value);
  return value;
}

/**
 * A function of two strings: a map per first string, so no key is built by concatenation. A third argument, if any,
 * is passed through to the computation and is not part of the key: the caller vouches that the two strings determine
 * the answer (an action's `typesKey` and an ARN).
 */
export function memoize2<R, X = never>(fn: (a: string, b: string, x?: X) => R, max = 5_000): (a: string, b: string, x?: X) => R {
  const outer = new Map<string, Map<string, Stored<R>>>();
  return (a: string, b: string, x?: X): R => {
    let inner = outer.get(a);
    if (!inner) {
      if (outer.size >= max) outer.clear();
      outer.set(a, (inner = new Map()));
    }
    const hit = inner.get(b);
    if (hit !== undefined) return unwrap(hit);
    return store(inner, b, fn(a, b, x), max);
  };
}

/** A function of an object (a catalog action, an action shape) and a string; the object's entry goes with it. */
export function memoizeOn<K extends object, R>(fn: (o: K, s: string) => R, max = 5_000): (o: K, s: string) => R {
  const outer = new WeakMap<K, Map<string, Stored<R>>>();
  return (o: K, s: string): R => {
    let inner = outer.get(o);
    if (!inner) outer.set(o, (inner = new Map()));
    const hit = inner.get(s);
    if (hit !== undefined) return unwrap(hit);
    return store(inner, s, fn(o, s), max);
  };
}
