/**
 * The fuzzer's short seeded run (issue 16): a few hundred mutated fixtures through every property of test/fuzz/core.ts,
 * the same inputs on every run. Long runs: `npm run fuzz -- --runs N` (figures in docs/RELIABILITY.md).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fuzz } from "./fuzz/core.js";
import { ROOT } from "./helpers.js";

describe("fuzzer (seeded short run)", () => {
  it("120 mutated inputs: no DPY000, no thrown error, valid output in every format, the same report twice and with --workers 1 and 2, no planted secret printed", { timeout: 120_000 }, async () => {
    const stats = await fuzz({ root: ROOT, bin: join(ROOT, "bin", "deputy.js"), runs: 120, seed: 16, timeBoundMs: 20_000, batchSize: 120 });
    expect(stats.failures).toEqual([]);
    expect(stats.tried).toBe(120);
    expect(stats.batches).toBe(1);
  });
});
