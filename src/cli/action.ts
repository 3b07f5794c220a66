/**
 * The GitHub Action's entry (`node dist/cli/action.js`, run by `action.yml`). One lint run, three outputs:
 * workflow-command annotations on stdout (the `github` format), a SARIF file for `github/codeql-action/upload-sarif`,
 * and a Markdown summary appended to `$GITHUB_STEP_SUMMARY`. Inputs come as environment variables, the way the
 * composite action passes them: `INPUT_PATHS` (whitespace- or newline-separated, default `.`), `INPUT_CONFIG`,
 * `INPUT_FAIL_ON` (error | warning | note), `INPUT_SARIF_FILE` (default `deputy.sarif`), `INPUT_BASELINE`,
 * `INPUT_MAX_SARIF_RESULTS` (default 5000).
 * Paths are relative to `$GITHUB_WORKSPACE`. Exit code as the CLI's: 0, 1 findings, 2 configuration/internal error.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "../config/load.js";
import { applyBaseline, BaselineError, readBaseline } from "../engine/baseline.js";
import { Linter } from "../engine/engine.js";
import { loadHcl } from "../parsers/hcl.js";
import { SEVERITY_RANK } from "../engine/finding.js";
import type { Severity } from "../engine/rule.js";
import { catalogVersion } from "../model/iam-catalog.js";
import { github, escapeData } from "../reporters/github.js";
import { markdown } from "../reporters/markdown.js";
import { sarif, sarifSelection } from "../reporters/sarif.js";
import type { ReportContext } from "../reporters/types.js";
import { collectInputs, exitCode } from "./pipeline.js";
import { blobBase, parseMaxSarifResults } from "./report-options.js";
import { tuneV8 } from "./tuning.js";
import { toolVersion } from "./version.js";

export interface ActionIO {
  stdout: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** An input as the composite action passes it (`INPUT_FAIL_ON`), or as GitHub names it for JS actions (`INPUT_FAIL-ON`). */
function input(env: NodeJS.ProcessEnv, name: string): string {
  const upper = name.toUpperCase();
  return (env[`INPUT_${upper.replace(/-/g, "_")}`] ?? env[`INPUT_${upper}`] ?? "").trim();
}

export function runAction(io: ActionIO): number {
  const env = io.env;
  const cwd = env.GITHUB_WORKSPACE ? resolve(io.cwd, env.GITHUB_WORKSPACE) : io.cwd;
  const paths = input(env, "paths").split(/\s+/).filter(Boolean);
  const failOn = (input(env, "fail-on") || "error").toLowerCase();
  const sarifFile = input(env, "sarif-file") || "deputy.sarif";
  const configFile = input(env, "config") || undefined;
  const baselineFile = input(env, "baseline") || undefined;
  if (!(failOn in SEVERITY_RANK)) {
    io.stdout(`::error title=deputy::${escapeData(`Input fail-on is "${failOn}"; use error, warning or note.`)}\n`);
    return 2;
  }
  let maxSarifResults: number | undefined;
  try {
    maxSarifResults = parseMaxSarifResults(input(env, "max-sarif-results"), "Input max-sarif-results");
  } catch (e) {
    io.stdout(`::error title=deputy::${escapeData((e as Error).message)}\n`);
    return 2;
  }
  try {
    const config = loadConfig(cwd, configFile);
    const linter = new Linter(config);
    for (const f of collectInputs(paths, cwd, [], config)) linter.addFile(f);
    const result = linter.finish();
    if (baselineFile) {
      const abs = resolve(cwd, baselineFile);
      applyBaseline(result, readBaseline(abs, baselineFile), cwd, abs, baselineFile);
    }
    const ctx: ReportContext = { result, cwd, color: false, toolVersion: toolVersion(), catalogVersion: catalogVersion(), maxSarifResults, sarifFile, blobBase: blobBase(env, cwd) };
    io.stdout(github(ctx));
    const sarifAbs = resolve(cwd, sarifFile);
    mkdirSync(dirname(sarifAbs), { recursive: true });
    writeFileSync(sarifAbs, sarif(ctx));
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown(ctx) + "\n");
    if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${sarifAbs}\n`);
    const code = exitCode(result, failOn as Severity);
    const shown = result.findings.filter((f) => !f.suppressions?.length).length;
    io.stdout(`deputy: ${shown} finding${shown === 1 ? "" : "s"}, ${result.notifications.length} suppression problem${result.notifications.length === 1 ? "" : "s"} in ${result.filesAnalyzed} file${result.filesAnalyzed === 1 ? "" : "s"}; SARIF written to ${sarifFile}.\n`);
    const cut = sarifSelection(ctx).message;
    if (cut) io.stdout(`deputy: ${cut}\n`);
    return code;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof BaselineError) {
      for (const line of e.message.split("\n")) {
        const m = /^(.+?):(\d+):(\d+): (.*)$/.exec(line);
        io.stdout(m ? `::error file=${m[1]},line=${m[2]},col=${m[3]},title=deputy configuration::${escapeData(m[4]!)}\n` : `::error title=deputy::${escapeData(line)}\n`);
      }
      return 2;
    }
    io.stdout(`::error title=deputy internal error::${escapeData((e as Error).stack ?? String(e))}\n`);
    return 2;
  }
}

// Run when executed directly (`node dist/cli/action.js`), not when imported by a test.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  tuneV8();
  // The HCL parser (WebAssembly) is instantiated asynchronously, before the synchronous run; a repository run reads
  // Terraform files when it has them.
  void loadHcl().then(() => {
    process.exitCode = runAction({ stdout: (s) => void process.stdout.write(s), env: process.env, cwd: process.cwd() });
  });
}
