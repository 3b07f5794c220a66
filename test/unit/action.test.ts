/**
 * The GitHub Action entry (`dist/cli/action.js`), run the way `action.yml` runs it: the environment GitHub sets
 * (GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT) and the inputs the composite passes (INPUT_*). Also the
 * JUnit and SARIF outputs of the same run (SARIF validated against the official 2.1.0 schema).
 */
import Ajv04Module from "ajv-draft-04";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runAction } from "../../src/cli/action.js";
import { ROOT } from "../helpers.js";

const Ajv04 = (Ajv04Module as unknown as { default: typeof Ajv04Module.default }).default;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-action-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const FILES = {
  "infra/policy.json": '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]\n}\n',
  "infra/template.yaml": `Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Metadata: { deputy: { suppress: [ { rule: DPY002 } ] } }
    Properties:
      PolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*" } ] }
`,
  "other/ignored.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "maybe"}]}',
};

function githubEnv(dir: string, inputs: Record<string, string>): NodeJS.ProcessEnv {
  const summary = join(dir, "..", `${Math.random().toString(36).slice(2)}-summary.md`);
  const output = join(dir, "..", `${Math.random().toString(36).slice(2)}-output.txt`);
  writeFileSync(summary, "");
  writeFileSync(output, "");
  return { GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, GITHUB_ACTIONS: "true", ...inputs };
}

describe("GitHub Action", () => {
  it("action.yml is a composite action that sets deputy up in its own folder and runs the entry it names with the inputs", () => {
    const action = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8"));
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(["paths", "config", "fail-on", "sarif-file", "args", "quiet", "version"]));
    expect(action.runs.using).toBe("composite");
    const steps = action.runs.steps as { id: string; run: string; env?: Record<string, string> }[];
    expect(steps[0]!.run).toBe('bash "${{ github.action_path }}/scripts/action-setup.sh"');
    expect(steps[0]!.env).toEqual({ INPUT_VERSION: "${{ inputs.version }}" });
    const lint = steps[steps.length - 1]!;
    expect(lint.run).toBe(`node "\${{ steps.${steps[0]!.id}.outputs.entry }}"`);
    for (const name of Object.keys(action.inputs)) {
      if (name === "version") continue;
      const env = `INPUT_${name.toUpperCase().replace(/-/g, "_")}`;
      expect(lint.env?.[env], env).toBe(`\${{ inputs.${name} }}`);
    }
    for (const name of ["sarif-file", "findings", "errors", "warnings", "notes", "suppressed", "suppression-problems", "files"]) {
      expect(action.outputs[name]?.value, name).toBe(`\${{ steps.lint.outputs.${name} }}`);
    }
  });

  it("the built entry prints annotations, writes SARIF, the step summary and the output, and fails on errors", () => {
    const entry = join(ROOT, "dist", "bundle", "action.cjs");
    expect(existsSync(entry), "build first (npm run build)").toBe(true);
    const dir = project(FILES);
    const env = githubEnv(dir, { INPUT_PATHS: "infra\n", INPUT_FAIL_ON: "error", INPUT_SARIF_FILE: "reports/deputy.sarif", INPUT_CONFIG: "" });
    const r = spawnSync(process.execPath, [entry], { cwd: tmpdir(), env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error file=infra\/policy\.json,line=3,col=\d+,endLine=3,endColumn=\d+,title=DPY002 invalid-policy-document::Effect must be/m);
    expect(r.stdout).toMatch(/^::warning file=infra\/template\.yaml,line=4,col=\d+,title=deputy suppression-no-reason::Metadata suppression of DPY002/m);
    expect(r.stdout).not.toContain("other/ignored.json");
    const sarifPath = join(dir, "reports", "deputy.sarif");
    const log = JSON.parse(readFileSync(sarifPath, "utf8"));
    expect(log.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(["infra/policy.json", "infra/template.yaml", "infra/template.yaml"]);
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(["DPY002", "DPY002", "suppression-no-reason"]);
    const sarifSchema = JSON.parse(readFileSync(join(ROOT, "schemas", "sarif-schema-2.1.0.json"), "utf8")) as object;
    const validate = new Ajv04({ allErrors: true, strict: false, logger: false }).compile(sarifSchema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8");
    expect(summary).toMatch(/^## deputy\n\n\*\*2 errors, 1 warning\*\* in 2 files checked\./);
    expect(summary).toContain("| ❌ error | [DPY002 invalid\\-policy\\-document](https://github.com/deputy-lint/deputy/blob/main/docs/rules/DPY002-invalid-policy-document.md) | `infra/policy.json:3:");
    expect(summary).toContain("| ⚠️ warning | [suppression\\-no\\-reason](https://github.com/deputy-lint/deputy/blob/main/docs/configuration.md#suppressions) | `infra/template.yaml:4` | Metadata suppression of DPY002");
    expect(readFileSync(env.GITHUB_OUTPUT!, "utf8")).toBe(`sarif-file=${sarifPath}\nfindings=2\nerrors=2\nwarnings=0\nnotes=0\nsuppressed=0\nsuppression-problems=1\nfiles=2\n`);
  });

  it("fail-on decides the exit code; a clean tree passes with a clean summary", async () => {
    const dir = project({ "ok/p.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"}]}' });
    let out = "";
    const env = githubEnv(dir, { INPUT_PATHS: "", "INPUT_FAIL-ON": "warning" });
    const code = await runAction({ stdout: (s) => void (out += s), env, cwd: "/" });
    expect(code).toBe(0);
    expect(out).toMatch(/deputy: 0 findings, 0 suppression problems in 1 file; SARIF written to deputy\.sarif\./);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8")).toContain("✅ 1 file checked, no problems found.");
    expect(existsSync(join(dir, "deputy.sarif"))).toBe(true);
  });

  it("configuration errors become error annotations at the config line (exit 2)", async () => {
    const dir = project({ ...FILES, "deputy.config.yaml": "rules:\n  DPY999: off\n" });
    let out = "";
    const code = await runAction({ stdout: (s) => void (out += s), env: githubEnv(dir, { INPUT_FAIL_ON: "error" }), cwd: "/" });
    expect(code).toBe(2);
    expect(out).toBe('::error file=deputy.config.yaml,line=2,col=3,title=deputy configuration::rules.DPY999: unknown rule "DPY999"; rules are named by code (DPY101) or name (trust-missing-external-id); see deputy --list-rules.\n');
    let out2 = "";
    expect(await runAction({ stdout: (s) => void (out2 += s), env: githubEnv(dir, { INPUT_FAIL_ON: "sometimes" }), cwd: "/" })).toBe(2);
    expect(out2).toContain('::error title=deputy input::Input fail-on is "sometimes"');
  });

  it("honours a baseline input", async () => {
    const dir = project({ "p.json": FILES["infra/policy.json"], "b.json": JSON.stringify({ tool: "deputy", version: 1, entries: [{ rule: "DPY002", file: "p.json", path: "Statement[0]/Effect", count: 1 }] }) });
    let out = "";
    const env = githubEnv(dir, { INPUT_PATHS: "p.json", INPUT_BASELINE: "b.json" });
    expect(await runAction({ stdout: (s) => void (out += s), env, cwd: "/" })).toBe(0);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8")).toContain("1 in baseline `b.json`");
  });
});

describe("JUnit", () => {
  it("one testsuite per rule, a failing testcase per finding, XML-escaped, skipped for suppressed findings", async () => {
    const { lintFiles } = await import("../../src/engine/engine.js");
    const { discover } = await import("../../src/cli/discover.js");
    const { defaultConfig } = await import("../../src/config/config.js");
    const { junit, xmlEscape } = await import("../../src/reporters/junit.js");
    const suppressed = 'Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Metadata: { deputy: { suppress: [ { rule: DPY002, reason: "accepted" } ] } }\n    Properties:\n      PolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*" } ] }\n';
    const dir = project({ ...FILES, "s.yaml": suppressed, "weird.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "<&\\"\'>\\u0001", "Action": "s3:GetObject", "Resource": "*"}]}' });
    const result = lintFiles(discover([], dir, []), defaultConfig());
    const xml = junit({ result, cwd: dir, color: false, toolVersion: "t", catalogVersion: "t" });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="deputy" ')).toBe(true);
    // Well-formed enough: every opened element is closed, no raw control characters or unescaped specials in attributes.
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
    const opened = (xml.match(/<testsuite /g) ?? []).length;
    expect((xml.match(/<\/testsuite>/g) ?? []).length).toBe(opened);
    const dpy002 = /<testsuite name="DPY002 invalid-policy-document" tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)">([\s\S]*?)<\/testsuite>/.exec(xml)!;
    expect(dpy002).not.toBeNull();
    expect([dpy002[1], dpy002[3]]).toEqual([String(Number(dpy002[2]) + 1), "1"]);
    expect(dpy002[4]).toContain('<skipped message="suppressed: ');
    expect(dpy002[4]).toContain('name="infra/policy.json:3:');
    expect(dpy002[4]).toMatch(/&lt;&amp;\\?&quot;&apos;&gt;/);
    expect(xml).toContain('<testsuite name="deputy suppressions" tests="1" failures="1"');
    expect(xmlEscape(`a<b>&"c'\u0007`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
  });
});
