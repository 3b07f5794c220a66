/**
 * Bounded memoization for pure functions of one string. Thousands of files repeat the same few hundred ARNs and
 * actions, so the rules ask the same questions again and again; a cache that is simply emptied when full keeps memory
 * bounded on any input without the bookkeeping of an LRU. Results are shared: callers must not mutate them.
 */
export function memoize<R>(fn: (key: string) => R, max = 50_000): (key: string) => R {
  const cache = new Map<string, R>();
  return (key: string): R => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as R;
    const v = fn(key);
    if (cache.size >= max) cache.clear();
    cache.set(key, v);
    return v;
  };
}
