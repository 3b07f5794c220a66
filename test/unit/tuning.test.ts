import { describe, expect, it } from "vitest";
import { getHeapStatistics } from "node:v8";
import { INTERRUPT_BUDGET, tuneV8 } from "../../src/cli/tuning.js";

describe("tuneV8", () => {
  it("keeps V8's defaults when asked to, then applies deputy's settings once per process", () => {
    expect(INTERRUPT_BUDGET).toBeGreaterThan(67_584);
    expect(tuneV8({ DEPUTY_V8_DEFAULTS: "1" })).toBe(false);
    expect(tuneV8({})).toBe(true);
    expect(tuneV8({})).toBe(false);
    // The process goes on normally afterwards.
    expect(getHeapStatistics().used_heap_size).toBeGreaterThan(0);
  });
});
