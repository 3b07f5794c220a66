/**
 * The Action entry's inputs and failure paths, run with the environment GitHub sets (GITHUB_WORKSPACE,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, INPUT_*): paths one per line, extra arguments, quiet, outputs with counts, and
 * a missing path or a configuration error said cleanly, with a SARIF file still written for the upload step.
 */
import Ajv04Module from "ajv-draft-04";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pathsInput, runAction, splitArgs } from "../../src/cli/action.js";
import { ROOT } from "../helpers.js";

const Ajv04 = (Ajv04Module as unknown as { default: typeof Ajv04Module.default }).default;
const validateSarif = new Ajv04({ allErrors: true, strict: false, logger: false }).compile(JSON.parse(readFileSync(join(ROOT, "schemas", "sarif-schema-2.1.0.json"), "utf8")) as object);

const BAD = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]\n}\n';
const WILDCARD = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*" }]\n}\n';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-action-in-"));
  const ws = join(dir, "workspace");
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(ws, name, ".."), { recursive: true });
    writeFileSync(join(ws, name), content);
  }
  mkdirSync(ws, { recursive: true });
  return ws;
}

/** Runs the entry as the Lint step does: GitHub's variables, the INPUT_* the composite passes, a fresh output file. */
async function act(ws: string, inputs: Record<string, string>) {
  const summary = join(ws, "..", "summary.md");
  const output = join(ws, "..", "output.txt");
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: ws,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    INPUT_PATHS: ".",
    INPUT_CONFIG: "",
    INPUT_FAIL_ON: "error",
    INPUT_SARIF_FILE: "deputy.sarif",
    INPUT_BASELINE: "",
    INPUT_ARGS: "",
    INPUT_QUIET: "false",
    ...inputs,
  };
  let stdout = "";
  const code = await runAction({ stdout: (s) => void (stdout += s), env, cwd: "/" });
  const outputs = Object.fromEntries(
    readFileSync(output, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { code, stdout, outputs, summary: readFileSync(summary, "utf8") };
}

const sarifOf = (ws: string, file = "deputy.sarif") => JSON.parse(readFileSync(join(ws, file), "utf8")) as { runs: { results: { ruleId: string; level: string }[]; invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[] }[] };

describe("Action inputs", () => {
  it("paths: one per line, so a path may hold spaces; a single line is split at spaces", async () => {
    expect(pathsInput("infra genesys")).toEqual(["infra", "genesys"]);
    expect(pathsInput("infra/my stack\n  genesys exports/actions.json \n\n")).toEqual(["infra/my stack", "genesys exports/actions.json"]);
    expect(pathsInput("")).toEqual([]);
    const ws = workspace({ "my stack/bad.json": BAD, "other/bad.json": BAD });
    const r = await act(ws, { INPUT_PATHS: "my stack\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=my stack\/bad\.json,line=3,/m);
    expect(r.stdout).not.toContain("other/bad.json");
  });

  it("a missing path is one clean error annotation, no stack trace, and the SARIF file is still written", async () => {
    const ws = workspace({ "infra/bad.json": BAD });
    const r = await act(ws, { INPUT_PATHS: "infra\nno such dir" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("::error title=deputy input::Input paths: No such file or folder: no such dir\n");
    const log = sarifOf(ws);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations![0]!.executionSuccessful).toBe(false);
    expect(log.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!.message.text).toBe("Input paths: No such file or folder: no such dir");
    expect(r.outputs["sarif-file"]).toBe(join(ws, "deputy.sarif"));
    expect(r.summary).toContain("deputy could not run:\n\n    Input paths: No such file or folder: no such dir");
  });

  it("after a configuration error the SARIF file records it, at the config line, for the if: always() upload", async () => {
    const ws = workspace({ "bad.json": BAD, "deputy.config.yaml": "rules:\n  DPY999: off\n" });
    const r = await act(ws, { INPUT_SARIF_FILE: "out/deputy.sarif" });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error file=deputy\.config\.yaml,line=2,col=3,title=deputy configuration::rules\.DPY999: unknown rule/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
    const log = sarifOf(ws, "out/deputy.sarif");
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const note = log.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!;
    expect(note.level).toBe("error");
    expect(note.message.text).toMatch(/^deputy\.config\.yaml:2:3: rules\.DPY999: unknown rule/);
    expect(r.outputs["sarif-file"]).toBe(join(ws, "out", "deputy.sarif"));
  });

  it("outputs count the findings", async () => {
    const ws = workspace({ "bad.json": BAD, "wild.json": WILDCARD });
    const r = await act(ws, {});
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({ "sarif-file": join(ws, "deputy.sarif"), findings: "2", errors: "1", warnings: "1", notes: "0", suppressed: "0", "suppression-problems": "0", files: "2" });
  });

  it("quiet: errors only, in the annotations, the SARIF file, the summary and the counts", async () => {
    const ws = workspace({ "bad.json": BAD, "wild.json": WILDCARD });
    const r = await act(ws, { INPUT_QUIET: "true" });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("::warning");
    expect(sarifOf(ws).runs[0]!.results.map((x) => x.level)).toEqual(["error"]);
    expect(r.outputs.warnings).toBe("0");
    expect(r.outputs.errors).toBe("1");
    const bad = await act(ws, { INPUT_QUIET: "sometimes" });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('::error title=deputy input::Input quiet is "sometimes"; use true or false.');
  });

  it("args: rule selection, ignore patterns, --max-warnings and extra paths, split as a shell splits words", async () => {
    expect(splitArgs(`--select DPY1,DPY2 --ignore-pattern 'legacy/**' "my stack" a\\ b`)).toEqual(["--select", "DPY1,DPY2", "--ignore-pattern", "legacy/**", "my stack", "a b"]);
    const ws = workspace({ "bad.json": BAD, "wild.json": WILDCARD, "legacy/old.json": BAD, "my stack/w.json": WILDCARD });
    const sel = await act(ws, { INPUT_PATHS: "bad.json\nwild.json", INPUT_ARGS: "--select DPY202" });
    expect(sel.code).toBe(0);
    expect(sel.outputs.findings).toBe("1");
    expect(sel.stdout).toMatch(/^::warning file=wild\.json,/m);
    const ign = await act(ws, { INPUT_ARGS: "--ignore-pattern 'legacy/**' --rule DPY202:off --max-warnings 0" });
    expect(ign.stdout).not.toContain("legacy/old.json");
    expect(ign.outputs.warnings).toBe("0");
    const warn = await act(ws, { INPUT_PATHS: "wild.json", INPUT_ARGS: "--max-warnings 0 'my stack'" });
    expect(warn.code).toBe(1);
    expect(warn.outputs.warnings).toBe("2");
  });

  it("args it cannot take, or a bad rule, are one clean input error", async () => {
    const ws = workspace({ "bad.json": BAD });
    const fmt = await act(ws, { INPUT_ARGS: "--format json" });
    expect(fmt.code).toBe(2);
    expect(fmt.stdout).toMatch(/^::error title=deputy input::Input args: unknown option --format\. The action takes --select, --ignore, --rule, --ignore-pattern, --max-warnings, --workers and paths there/);
    const typo = await act(ws, { INPUT_ARGS: "--selct DPY1" });
    expect(typo.stdout).toContain("did you mean --select?");
    const rule = await act(ws, { INPUT_ARGS: "--select DPY999" });
    expect(rule.code).toBe(2);
    expect(rule.stdout).toMatch(/^::error title=deputy::--select: unknown rule "DPY999"/);
    const quote = await act(ws, { INPUT_ARGS: "--select 'DPY1" });
    expect(quote.stdout).toContain("Input args: a ' quote is not closed.");
    expect(sarifOf(ws).runs[0]!.invocations![0]!.executionSuccessful).toBe(false);
  });
});
