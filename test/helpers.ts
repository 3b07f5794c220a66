/** Test helpers: lint files or folders through the real engine, and render findings compactly. */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { expect } from "vitest";
import { join, relative } from "node:path";
import { discover } from "../src/cli/discover.js";
import { defaultConfig, type DeputyConfig } from "../src/config/config.js";
import { lintFiles, type LintResult } from "../src/engine/engine.js";
import type { Finding } from "../src/engine/finding.js";
import { loadHcl } from "../src/parsers/hcl.js";

// The HCL parser is WebAssembly, instantiated asynchronously (the CLI does it before a run that has `.tf` files).
await loadHcl();

export const ROOT = join(import.meta.dirname, "..");
export const CASES = join(ROOT, "test", "cases");

/** Lints a file or folder; paths in findings are relative to `cwd`. */
export function lint(target: string, cwd = ROOT, config: DeputyConfig = defaultConfig()): LintResult {
  const st = statSync(target);
  const files = discover([relative(cwd, target) || "."], cwd, []);
  if (st.isFile() && files.length === 0) throw new Error(`nothing to lint at ${target}`);
  return lintFiles(files, config);
}

/** `line:col-endLine:endCol RULE severity message` — the snapshot line of a finding. */
export function render(f: Finding): string {
  const r = f.region;
  return `${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn} ${f.ruleId} ${f.severity} ${f.message}`;
}

export function readIfExists(p: string): string | undefined {
  return existsSync(p) ? readFileSync(p, "utf8") : undefined;
}

/**
 * Compares `text` with the golden/snapshot file `path`. With UPDATE_SNAPSHOTS=1 a missing or changed file is written
 * (review it before committing); without it, a missing file fails the test.
 */
export function expectGolden(path: string, text: string): void {
  const expected = readIfExists(path);
  if (expected === undefined || (process.env.UPDATE_SNAPSHOTS === "1" && expected !== text)) {
    if (process.env.UPDATE_SNAPSHOTS !== "1") throw new Error(`missing golden ${path}; run with UPDATE_SNAPSHOTS=1 and review it`);
    writeFileSync(path, text);
    return;
  }
  expect(text).toBe(expected);
}

/**
 * The DPY301 execution-role template with a deputy-ignore comment on one cross-file finding (line 33) and one that
 * suppresses nothing (so it is reported unused): for tests of files analysed on helper threads.
 */
export function suppressedExecutionRoleTemplate(): string {
  return readFileSync(join(CASES, "DPY301-function-url-wrong-principal", "fail", "execution-role.yaml"), "utf8")
    .replace("                  - lambda:InvokeFunctionUrl\n", "                  - lambda:InvokeFunctionUrl # deputy-ignore DPY301 -- the report job calls its own URL in tests\n")
    .replace("  ReportSelfUrlPermission:\n", "  # deputy-ignore DPY302 -- nothing to hide here\n  ReportSelfUrlPermission:\n");
}

/**
 * A `cpSync` filter for copies of examples/ that tests take as the JSON/YAML example project: examples/terraform (the
 * same mistakes in Terraform) is left out, since its roles, functions and data action would join the others' cross-file
 * results.
 */
export const withoutTerraformExample = (src: string): boolean => !src.replace(/\\/g, "/").includes("/examples/terraform");
