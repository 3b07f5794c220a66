import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config.js";
import { Linter, type InputFile, type SharedFile } from "../../src/engine/engine.js";
import { CASES, suppressedExecutionRoleTemplate } from "../helpers.js";


/** Lints files on "one thread", or with each file analysed apart and copied as postMessage would copy it. */
function run(inputs: InputFile[], apart: boolean) {
  const now = new Date("2026-11-22T00:00:00Z");
  const linter = new Linter(defaultConfig(), undefined, { now });
  const helper = new Linter(defaultConfig(), undefined, { now });
  for (const input of inputs) {
    if (!apart) {
      linter.addFile(input);
      continue;
    }
    const r = helper.analyzeIsolated(input);
    helper.findings.splice(0);
    if (r === "missing") linter.addFile(input);
    else if ("model" in r) linter.addShared(input, structuredClone(r) as SharedFile);
    else linter.addFinished(input, structuredClone(r));
  }
  const result = linter.finish();
  return { findings: result.findings, notifications: result.notifications, analyzed: result.filesAnalyzed };
}

describe("files analysed on another thread", () => {
  it("give the same report once their copied models are revived: locations, logical paths, suppressions", () => {
    const template = suppressedExecutionRoleTemplate();
    const inputs: InputFile[] = [
      { path: "stack.yaml", absPath: "/virtual/stack.yaml", text: template },
      ...["get-policy.json", "genesys-role.json", "authorization-details.json", "sam.yaml"].map((f) => ({ path: f, absPath: join(CASES, "DPY301-function-url-wrong-principal", "fail", f) })),
      { path: "trust.json", absPath: join(CASES, "DPY105-unknown-genesys-account", "pass", "own-account-from-pruned-resource.yaml") },
    ];
    const together = run(inputs, false);
    const apart = run(inputs, true);
    expect(apart).toEqual(together);
    const dpy301 = apart.findings.filter((f) => f.ruleId === "DPY301");
    expect(dpy301.length).toBeGreaterThan(4);
    expect(dpy301.find((f) => f.file === "stack.yaml" && f.region.startLine === 33)?.suppressions).toHaveLength(1);
    expect(dpy301.find((f) => f.file === "get-policy.json")?.logical.path).toBe("Policy/Statement[0]/Action");
    expect(apart.notifications.map((n) => [n.kind, n.file])).toEqual([["suppression-unused", "stack.yaml"]]);
  });
});
