import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAST_CHECK, FAST_CHECK_BODY, hclFastWalk, loadHcl, parseHcl } from "../../src/parsers/hcl.js";

await loadHcl();

function tfFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) tfFiles(p, out);
    else if (/\.(tf|tfvars)$/.test(n)) out.push(p);
  }
  return out;
}

describe("reading the HCL tree", () => {
  it("uses the direct cursor with the web-tree-sitter deputy depends on", () => {
    expect(hclFastWalk()).toBe(true);
  });

  it("reads the check file as web-tree-sitter's public TreeCursor does (FAST_CHECK_BODY is that reading)", () => {
    expect(JSON.stringify(parseHcl(FAST_CHECK, { publicCursor: true }).body)).toBe(FAST_CHECK_BODY);
    expect(JSON.stringify(parseHcl(FAST_CHECK).body)).toBe(FAST_CHECK_BODY);
  });

  it("reads every Terraform file of the tests as the public TreeCursor does", () => {
    const files = tfFiles(join(import.meta.dirname, ".."));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect(parseHcl(text), f).toEqual(parseHcl(text, { publicCursor: true }));
    }
  });
});
