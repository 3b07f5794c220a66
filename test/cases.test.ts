/**
 * Fixture-driven rule tests (in the manner of Ruff's snapshots and ESLint's RuleTester):
 *
 *   test/cases/<CODE>-<name>/fail/<fixture>   must produce at least one <CODE> finding; every <CODE> finding is
 *                                             compared with <fixture>.snap (line:col-endLine:endCol, rule, severity,
 *                                             message), one line per finding.
 *   test/cases/<CODE>-<name>/pass/<fixture>   must produce no <CODE> finding.
 *
 * A fixture is a file, or a folder linted as one project (cross-file cases). Findings of other rules are ignored
 * here: each rule's fixtures assert that rule. Run with UPDATE_SNAPSHOTS=1 to write missing or changed snapshots,
 * then read every changed .snap before committing.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allRules } from "../src/rules/index.js";
import { CASES, expectGolden, lint, render } from "./helpers.js";


function fixtures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.endsWith(".snap") && !f.startsWith("."))
    .sort();
}

const caseDirs = readdirSync(CASES).filter((d) => /^DPY\d{3}-/.test(d)).sort();

for (const caseDir of caseDirs) {
  const code = caseDir.slice(0, 6);
  const dir = join(CASES, caseDir);
  describe(caseDir, () => {
    it("names a rule that exists, by code and name", () => {
      const rule = allRules.find((r) => r.code === code);
      expect(rule, `no rule ${code}`).toBeDefined();
      expect(`${rule!.code}-${rule!.name}`).toBe(caseDir);
    });
    for (const fx of fixtures(join(dir, "fail"))) {
      it(`fail/${fx}`, () => {
        const target = join(dir, "fail", fx);
        const got = lint(target, join(dir, "fail")).findings.filter((f) => f.ruleId === code);
        const lines = got.map((f) => `${f.file} ${render(f)}`);
        expect(lines.length, `fail/${fx} must produce ${code}`).toBeGreaterThan(0);
        expectGolden(target + ".snap", lines.join("\n") + "\n");
      });
    }
    for (const fx of fixtures(join(dir, "pass"))) {
      it(`pass/${fx}`, () => {
        const target = join(dir, "pass", fx);
        const got = lint(target, join(dir, "pass")).findings.filter((f) => f.ruleId === code || f.ruleId === "DPY000");
        expect(got.map((f) => `${f.file} ${render(f)}`)).toEqual([]);
      });
    }
  });
}

describe("rule fixtures", () => {
  it("every rule except DPY000 has failing and passing fixtures", () => {
    const missing: string[] = [];
    for (const r of allRules) {
      if (r.code === "DPY000") continue;
      const dir = join(CASES, `${r.code}-${r.name}`);
      if (fixtures(join(dir, "fail")).length === 0) missing.push(`${r.code} fail`);
      if (fixtures(join(dir, "pass")).length === 0) missing.push(`${r.code} pass`);
    }
    expect(missing).toEqual([]);
  });
});
