/**
 * Visits every object reachable from some roots once (cycles and shared objects included): through arrays, the keys
 * and values of maps and sets, and the own enumerable fields of other objects. `enter` sees each non-container object
 * before its fields are read (it may replace them) and returns `false` to keep the walk out of it. Typed arrays are
 * skipped (numbers only). Used to find what entity models point at and to revive models copied between threads.
 */
export function walkObjects(roots: readonly unknown[], enter: (x: object) => boolean | void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [...roots];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== "object" || x === null || seen.has(x) || ArrayBuffer.isView(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const v of x) if (typeof v === "object" && v !== null) stack.push(v);
      continue;
    }
    if (x instanceof Map) {
      for (const [k, v] of x) stack.push(k, v);
      continue;
    }
    if (x instanceof Set) {
      for (const v of x) stack.push(v);
      continue;
    }
    if (enter(x) === false) continue;
    for (const k in x) {
      const v = (x as Record<string, unknown>)[k];
      if (typeof v === "object" && v !== null) stack.push(v);
    }
  }
}
