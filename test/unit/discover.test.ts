import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";
import { ALWAYS_IGNORED, displayPath, walkFolder } from "../../src/cli/discover.js";

describe("displayPath", () => {
  const cwd = join(sep, "work", "repo");
  it("writes paths inside the working directory relative to it, with forward slashes", () => {
    expect(displayPath(cwd, join(cwd, "infra", "stack.yaml"))).toBe("infra/stack.yaml");
    expect(displayPath(cwd, join(cwd, ".github", "workflows", "ci.yml"))).toBe(".github/workflows/ci.yml");
    expect(displayPath(cwd, cwd)).toBe(".");
  });

  it("writes other paths as path.relative does", () => {
    expect(displayPath(cwd, join(sep, "work", "other", "a.json"))).toBe("../other/a.json");
    expect(displayPath(cwd, join(sep, "work", "repository", "a.json"))).toBe("../repository/a.json");
    expect(displayPath(cwd, `${cwd}${sep}x${sep}..${sep}a.json`)).toBe("a.json");
    expect(displayPath(`${cwd}${sep}`, join(cwd, "a.json"))).toBe("a.json");
  });
});

describe("walkFolder", () => {
  it("finds the files fast-glob finds with the folder patterns (names, ignored folders, symbolic links, .gitignore)", () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-walk-"));
    const file = (p: string) => {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), "{}");
    };
    for (const p of ["a.json", "b.yaml", "c.yml", "d.template", "e.tf", "f.tf.json", "g.txt", "H.JSON", "i.Tf", ".gitignore", ".hidden.json"]) file(p);
    for (const p of ["x/y/z.json", "x/.gitignore", ".dot/a.yaml", "node_modules/p/a.json", "x/node_modules/a.json", ".git/a.json", ".terraform/modules/m/main.tf"]) file(p);
    for (const p of ["cdk.out/asset.123/a.json", "cdk.out/manifest.json", "x/cdk.out/asset.9/b.json", "asset.1/c.json", ".deputycache/a.json", "x/.deputycache/b.json", "named.json/inside.json"]) file(p);
    mkdirSync(join(dir, "empty"));
    symlinkSync(join(dir, "a.json"), join(dir, "link.json"));
    symlinkSync(join(dir, "x"), join(dir, "linked-dir"));
    symlinkSync(join(dir, "nowhere.json"), join(dir, "dangling.json"));
    for (const base of [dir, join(dir, "x"), join(dir, "cdk.out")]) {
      const found: string[] = [];
      const gitignores: string[] = [];
      walkFolder(base, found, (d) => gitignores.push(d));
      const globbed = fg.sync(["**/*.json", "**/*.yaml", "**/*.yml", "**/*.template", "**/*.tf", "**/.gitignore"], { cwd: base, ignore: ALWAYS_IGNORED, dot: true, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true });
      const expected = globbed.filter((r) => !r.endsWith(".gitignore")).map((r) => join(base, r));
      const expectedIgnores = globbed.filter((r) => r.endsWith(".gitignore")).map((r) => dirname(join(base, r)));
      expect(found.sort()).toEqual(expected.sort());
      expect(gitignores.sort()).toEqual(expectedIgnores.sort());
      if (base === dir) expect(found.length).toBeGreaterThan(8);
    }
  });
});
