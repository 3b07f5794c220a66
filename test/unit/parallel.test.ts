import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { helperCount, isHelperFile } from "../../src/engine/parallel.js";

describe("helper threads", () => {
  const dir = mkdtempSync(join(tmpdir(), "deputy-parallel-"));
  const big = join(dir, "big.yaml");
  writeFileSync(big, `Resources:\n${"  # padding\n".repeat(100_000)}`);
  const small = join(dir, "small.yaml");
  writeFileSync(small, "Resources: {}\n");
  const json = { path: "a.json", absPath: join(dir, "a.json") };

  it("take YAML files only, never standard input", () => {
    expect(isHelperFile({ path: "t.yml", absPath: "/t.yml" })).toBe(true);
    expect(isHelperFile({ path: "t.YAML", absPath: "/t.YAML" })).toBe(true);
    expect(isHelperFile(json)).toBe(false);
    expect(isHelperFile({ path: "t.yaml", absPath: "/t.yaml", text: "a: 1" })).toBe(false);
  });

  it("are asked for with --workers (threads, the main one included) or started for 1 MB of YAML", () => {
    const yaml = [{ path: "big.yaml", absPath: big }, { path: "small.yaml", absPath: small }];
    expect(helperCount([json], 4)).toBe(0);
    expect(helperCount(yaml, 1)).toBe(0);
    expect(helperCount(yaml, 2)).toBe(1);
    expect(helperCount(yaml, 8)).toBe(2);
    expect(helperCount([yaml[1]!, json])).toBe(0);
    expect(helperCount(yaml)).toBe(availableParallelism() >= 2 ? 1 : 0);
  });
});
