/**
 * Array helpers that never spread a list into call arguments: `a.push(...b)` and `a.splice(0, n, ...b)` pass every
 * element as an argument, and a large list (150,000 findings, a template with 200,000 statements) overflows the stack
 * ("Maximum call stack size exceeded").
 */

/** Appends every item of `items` to `target`. */
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
}

/** Replaces the contents of `target` by `items` (the array keeps its identity). */
export function replaceAll<T>(target: T[], items: readonly T[]): void {
  if (items === target) return;
  target.length = 0;
  pushAll(target, items);
}
