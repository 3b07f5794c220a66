import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { helperCount, helperOrder, isYamlFile } from "../../src/engine/parallel.js";

describe("helper threads", () => {
  const dir = mkdtempSync(join(tmpdir(), "deputy-parallel-"));
  const big = join(dir, "big.yaml");
  writeFileSync(big, `Resources:\n${"  # padding\n".repeat(100_000)}`);
  const small = join(dir, "small.yaml");
  writeFileSync(small, "Resources: {}\n");
  const json = { path: "a.json", absPath: join(dir, "a.json") };

  it("take the files from the last one backwards (the main thread goes forward)", () => {
    const f = (path: string) => ({ path, absPath: `/${path}` });
    expect(helperOrder([f("a.json"), f("b.yaml"), f("c.json"), f("d.yml"), f("e.json")])).toEqual([4, 3, 2, 1, 0]);
    expect(helperOrder([])).toEqual([]);
  });

  it("tell YAML files on disk (which do not count towards starting one) from the others", () => {
    expect(isYamlFile({ path: "t.yml", absPath: "/t.yml" })).toBe(true);
    expect(isYamlFile({ path: "t.YAML", absPath: "/t.YAML" })).toBe(true);
    expect(isYamlFile(json)).toBe(false);
    expect(isYamlFile({ path: "t.yaml", absPath: "/t.yaml", text: "a: 1" })).toBe(false);
  });

  it("are asked for with --workers (threads, the main one included), or started for 500 files other than YAML and Terraform HCL", () => {
    const yaml = [{ path: "big.yaml", absPath: big }, { path: "small.yaml", absPath: small }];
    const two = availableParallelism() >= 2 ? 1 : 0;
    expect(helperCount([json], 4)).toBe(1);
    expect(helperCount([{ ...json, text: "{}" }], 4)).toBe(0);
    expect(helperCount(yaml, 1)).toBe(0);
    expect(helperCount(yaml, 2)).toBe(1);
    expect(helperCount(yaml, 8)).toBe(2);
    expect(helperCount([yaml[1]!, json])).toBe(0);
    // YAML templates, however large or many, do not pay for a helper.
    expect(helperCount(yaml)).toBe(0);
    const templates = Array.from({ length: 600 }, (_, i) => ({ path: `t${i}.yaml`, absPath: join(dir, `t${i}.yaml`) }));
    expect(helperCount(templates)).toBe(0);
    const many = Array.from({ length: 500 }, (_, i) => ({ path: `p${i}.json`, absPath: join(dir, `p${i}.json`) }));
    expect(helperCount(many)).toBe(two);
    expect(helperCount(many.slice(1))).toBe(0);
    expect(helperCount([...many.slice(1), ...templates])).toBe(0);
    // Terraform .tf files stay on the main thread (helperOrder skips them): a helper for them would have nothing to do.
    const tf = Array.from({ length: 600 }, (_, i) => ({ path: `m${i}/main.tf`, absPath: join(dir, `m${i}`, "main.tf") }));
    expect(helperOrder(tf)).toEqual([]);
    expect(helperCount(tf)).toBe(0);
    expect(helperCount([...many.slice(1), ...tf])).toBe(0);
    expect(helperCount([...many, ...tf])).toBe(two);
  });
});
