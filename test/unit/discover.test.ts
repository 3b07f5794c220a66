import { join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { displayPath } from "../../src/cli/discover.js";

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
