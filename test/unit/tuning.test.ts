import { describe, expect, it } from "vitest";
import { getHeapStatistics } from "node:v8";
import { INTERRUPT_BUDGET, TUNE_MIN_BYTES, TUNE_MIN_FILES, tuneV8, worthTuning } from "../../src/cli/tuning.js";

describe("tuneV8", () => {
  it("keeps V8's defaults when asked to, then applies deputy's settings once per process", () => {
    expect(INTERRUPT_BUDGET).toBeGreaterThan(67_584);
    expect(tuneV8({ DEPUTY_V8_DEFAULTS: "1" })).toBe(false);
    expect(tuneV8({})).toBe(true);
    expect(tuneV8({})).toBe(false);
    // The process goes on normally afterwards.
    expect(getHeapStatistics().used_heap_size).toBeGreaterThan(0);
  });

  it("is worth it for many files or much text, not for a pre-commit run on a few small files", () => {
    const small = { absPath: "/nonexistent/a.json", text: "{}" };
    expect(worthTuning([small])).toBe(false);
    expect(worthTuning(Array.from({ length: TUNE_MIN_FILES }, () => small))).toBe(true);
    expect(worthTuning([{ absPath: "/x.yaml", text: "a".repeat(TUNE_MIN_BYTES) }])).toBe(true);
    expect(worthTuning([{ absPath: "/nonexistent/vanished.yaml" }])).toBe(false);
  });
});
