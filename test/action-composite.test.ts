/**
 * The GitHub Action as GitHub runs it: action.yml's composite steps, one after the other, from a fresh clone of this
 * repository (no node_modules, no dist), with `${{ inputs.* }}`, `${{ github.action_path }}` and
 * `${{ steps.*.outputs.* }}` substituted as the runner does, each step in `bash --noprofile --norc -eo pipefail` with
 * its own GITHUB_OUTPUT file, in the workspace. The setup installs the production dependencies and esbuild only.
 * (How long it takes is measured by hand, see docs/configuration.md: no test here times anything.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ROOT } from "./helpers.js";

interface Step {
  id?: string;
  run: string;
  shell: string;
  env?: Record<string, string>;
}
interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

/** The user's environment: none of the npm_* variables `npm test` sets for its children. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !/^(INPUT|GITHUB|RUNNER)_/.test(k)) env[k] = v;
  return { ...env, npm_config_prefer_offline: "true" };
}

function runComposite(actionDir: string, workspace: string, runnerTemp: string, given: Record<string, string>) {
  const action = parseYaml(readFileSync(join(actionDir, "action.yml"), "utf8")) as ActionYml;
  expect(action.runs.using).toBe("composite");
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? spec.default ?? "";
  for (const name of Object.keys(given)) expect(action.inputs, `input ${name}`).toHaveProperty(name);
  const stepOutputs: Record<string, Record<string, string>> = {};
  const expr = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      let m: RegExpExecArray | null;
      if (e === "github.action_path") return actionDir;
      if ((m = /^inputs\.([\w-]+)$/.exec(e))) return inputs[m[1]!] ?? "";
      if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e))) return stepOutputs[m[1]!]?.[m[2]!] ?? "";
      throw new Error(`expression the test runner does not know: ${e}`);
    });
  const summary = join(runnerTemp, "summary.md");
  writeFileSync(summary, "");
  const log: { id?: string; code: number | null; stdout: string; stderr: string }[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    expect(step.shell).toBe("bash");
    const output = join(runnerTemp, `output-${i}`);
    writeFileSync(output, "");
    const env: NodeJS.ProcessEnv = { ...baseEnv(), GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: runnerTemp };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(v);
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", expr(step.run)], { cwd: workspace, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    log.push({ id: step.id, code: r.status, stdout: r.stdout, stderr: r.stderr });
    const values: Record<string, string> = {};
    for (const line of readFileSync(output, "utf8").split("\n").filter(Boolean)) values[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    if (step.id) stepOutputs[step.id] = values;
    if (r.status !== 0) break;
  }
  const outputs: Record<string, string> = {};
  for (const [name, o] of Object.entries(action.outputs)) outputs[name] = expr(o.value);
  return { steps: log, outputs, summary: readFileSync(summary, "utf8") };
}

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env: baseEnv(), encoding: "utf8" });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

const isGit = sh("git", ["rev-parse", "HEAD"], ROOT).code === 0;
if (!isGit) console.warn("SKIPPED: the composite Action test clones this repository, which is not a git checkout here.");

const BAD = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]\n}\n';
const WILDCARD = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*" }]\n}\n';

describe.skipIf(!isGit)("the composite Action from a fresh clone", () => {
  const work = mkdtempSync(join(tmpdir(), "deputy-composite-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const actionDir = join(work, "action");
  const workspace = join(work, "workspace");
  const runnerTemp = join(work, "runner-temp");
  mkdirSync(join(workspace, "infra stack"), { recursive: true });
  mkdirSync(runnerTemp);
  writeFileSync(join(workspace, "infra stack", "bad.json"), BAD);
  writeFileSync(join(workspace, "infra stack", "wild.json"), WILDCARD);
  writeFileSync(join(workspace, "elsewhere.json"), BAD);

  it(
    "sets up without the dev tree, lints, writes the SARIF file and sets the outputs",
    () => {
      expect(sh("git", ["clone", "--quiet", "--no-local", ROOT, actionDir], work).code).toBe(0);
      expect(existsSync(join(actionDir, "node_modules"))).toBe(false);
      const r = runComposite(actionDir, workspace, runnerTemp, { paths: "infra stack\n", "sarif-file": "out/deputy.sarif" });
      expect(r.steps.map((s) => [s.id, s.code])).toEqual([
        ["setup", 0],
        ["lint", 1],
      ]);
      const [setup, lint] = r.steps;
      expect(setup!.stdout, setup!.stderr).toBe("");
      // Production dependencies only; the bundle and the catalog, no tsc output.
      const installed = readdirSync(join(actionDir, "node_modules"));
      expect(installed).toEqual(expect.arrayContaining(["yaml", "ajv", "@cloud-copilot"]));
      for (const dev of ["typescript", "vitest", "eslint", "esbuild"]) expect(installed, dev).not.toContain(dev);
      expect(readdirSync(join(actionDir, "dist")).sort()).toEqual(["bundle", "iam-catalog.jsonl"]);
      expect(lint!.stdout).toMatch(/^::error file=infra stack\/bad\.json,line=3,/m);
      expect(lint!.stdout).toMatch(/^::warning file=infra stack\/wild\.json,line=3,/m);
      expect(lint!.stdout).not.toContain("elsewhere.json");
      expect(lint!.stderr).toBe("");
      expect(r.outputs).toEqual({ "sarif-file": join(workspace, "out", "deputy.sarif"), findings: "2", errors: "1", warnings: "1", notes: "0", suppressed: "0", "suppression-problems": "0", files: "2" });
      expect(JSON.parse(readFileSync(join(workspace, "out", "deputy.sarif"), "utf8")).runs[0].results).toHaveLength(2);
      expect(r.summary).toMatch(/^## deputy/);
    },
    300_000,
  );

  it(
    "a second run on the same runner skips the setup's work; args and quiet reach the entry",
    () => {
      const r = runComposite(actionDir, workspace, runnerTemp, { paths: "infra stack\n", args: "--select DPY202", quiet: "false" });
      expect(r.steps.map((s) => [s.id, s.code])).toEqual([
        ["setup", 0],
        ["lint", 0],
      ]);
      expect(r.outputs.findings).toBe("1");
      const q = runComposite(actionDir, workspace, runnerTemp, { paths: "infra stack\n", quiet: "true" });
      expect(q.outputs.warnings).toBe("0");
      expect(q.outputs.errors).toBe("1");
    },
    120_000,
  );

  it(
    "version: runs that deputy-lint package instead of the action's own (here a tarball of this clone)",
    () => {
      const pack = sh("npm", ["pack", "--silent", "--pack-destination", work], actionDir);
      expect(pack.code, pack.stderr).toBe(0);
      const tarball = join(work, pack.stdout.trim());
      const r = runComposite(actionDir, workspace, runnerTemp, { paths: "elsewhere.json", version: tarball });
      expect(r.steps.map((s) => [s.id, s.code])).toEqual([
        ["setup", 0],
        ["lint", 1],
      ]);
      expect(r.steps[0]!.stdout).toBe("");
      expect(r.steps[1]!.stdout).toMatch(/^::error file=elsewhere\.json,line=3,/m);
      const prefix = readdirSync(runnerTemp).find((d) => d.startsWith("deputy-lint-"));
      expect(prefix, "installed under RUNNER_TEMP").toBeDefined();
      expect(existsSync(join(runnerTemp, prefix!, "node_modules", "deputy-lint", "dist", "bundle", "action.cjs"))).toBe(true);
    },
    300_000,
  );

  it(
    "a missing path fails the step cleanly and still leaves the SARIF file for the upload step",
    () => {
      const r = runComposite(actionDir, workspace, runnerTemp, { paths: "no such folder\n" });
      expect(r.steps.map((s) => [s.id, s.code])).toEqual([
        ["setup", 0],
        ["lint", 2],
      ]);
      expect(r.steps[1]!.stdout).toBe("::error title=deputy input::Input paths: No such file or folder: no such folder\n");
      expect(r.outputs["sarif-file"]).toBe(join(workspace, "deputy.sarif"));
      expect(JSON.parse(readFileSync(join(workspace, "deputy.sarif"), "utf8")).runs[0].invocations[0].executionSuccessful).toBe(false);
    },
    120_000,
  );
});
