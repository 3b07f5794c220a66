import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

describe("generated validators", () => {
  it("src/generated/policy-validators.js is up to date with schemas/iam-policy.schema.json", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build-validators.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
