/**
 * Used by test/unit/yaml-fast.test.ts: compares the fast YAML path with the composer path.
 */
import type { Node } from "../../src/model/node.js";

/** The first difference between two trees (values, ranges, keys, key ranges, entry order), or undefined. */
export function treeDifference(a: Node | undefined, b: Node | undefined, at = "$"): string | undefined {
  if (!a || !b) return a === b ? undefined : `${at}: one tree is missing`;
  if (a.type !== b.type) return `${at}: type ${a.type} vs ${b.type}`;
  if (a.range.start !== b.range.start || a.range.end !== b.range.end) return `${at}: range ${JSON.stringify(a.range)} vs ${JSON.stringify(b.range)}`;
  if (JSON.stringify(a.keyRange) !== JSON.stringify(b.keyRange)) return `${at}: key range ${JSON.stringify(a.keyRange)} vs ${JSON.stringify(b.keyRange)}`;
  if (JSON.stringify(a.path) !== JSON.stringify(b.path)) return `${at}: path ${JSON.stringify(a.path)} vs ${JSON.stringify(b.path)}`;
  if ((a.parent === undefined) !== (b.parent === undefined)) return `${at}: parent link differs`;
  if (a.type === "scalar" && b.type === "scalar") return Object.is(a.value, b.value) ? undefined : `${at}: value ${JSON.stringify(a.value)} vs ${JSON.stringify(b.value)}`;
  if (a.type === "array" && b.type === "array") {
    if (a.items.length !== b.items.length) return `${at}: ${a.items.length} vs ${b.items.length} items`;
    for (let i = 0; i < a.items.length; i++) {
      const d = treeDifference(a.items[i], b.items[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a.type === "object" && b.type === "object") {
    const ka = a.entries.map((e) => e.key);
    const kb = b.entries.map((e) => e.key);
    if (JSON.stringify(ka) !== JSON.stringify(kb)) return `${at}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
    for (let i = 0; i < a.entries.length; i++) {
      const ea = a.entries[i]!;
      const eb = b.entries[i]!;
      if (JSON.stringify(ea.keyRange) !== JSON.stringify(eb.keyRange)) return `${at}.${ea.key}: entry key range differs`;
      const d = treeDifference(ea.value, eb.value, `${at}.${ea.key}`);
      if (d) return d;
    }
  }
  return undefined;
}
