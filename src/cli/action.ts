/**
 * The GitHub Action's entry (`node dist/bundle/action.cjs`, run by `action.yml` after `scripts/action-setup.sh`). One
 * lint run, three outputs: workflow-command annotations on stdout (the `github` format), a SARIF file for
 * `github/codeql-action/upload-sarif`, and a Markdown summary appended to `$GITHUB_STEP_SUMMARY`; step outputs
 * (`$GITHUB_OUTPUT`) name the SARIF file and count the findings.
 *
 * Inputs come as environment variables, the way the composite action passes them (`INPUT_FAIL_ON`; GitHub's own
 * spelling for JavaScript actions, `INPUT_FAIL-ON`, is read too):
 * - `INPUT_PATHS`: files, folders or globs, one per line (so a path may hold spaces); a single line is split at
 *   spaces. Default `.`. Relative to `$GITHUB_WORKSPACE`.
 * - `INPUT_CONFIG`, `INPUT_BASELINE`, `INPUT_FAIL_ON` (error | warning | note), `INPUT_SARIF_FILE` (default
 *   `deputy.sarif`), `INPUT_QUIET` (true: errors only), `INPUT_MAX_SARIF_RESULTS` (default 5000).
 * - `INPUT_ARGS`: more command-line options, as on the command line (quotes group words): --select, --ignore,
 *   --rule, --ignore-pattern, --max-warnings, --workers, and extra paths.
 *
 * When deputy cannot run (a configuration error, a missing path, a bad input) the step says so in annotations, without
 * a stack trace, and still writes a SARIF file, which records the failure, so that an `if: always()` upload step
 * finds its file. Exit code as the CLI's: 0, 1 findings, 2 configuration, usage or internal error.
 */
import { replaceAll } from "../engine/arrays.js";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "../config/load.js";
import { applyBaseline, BaselineError, readBaseline } from "../engine/baseline.js";
import { Linter, type LintResult } from "../engine/engine.js";
import { SEVERITY_RANK } from "../engine/finding.js";
import { lintInputs } from "../engine/parallel.js";
import type { Severity } from "../engine/rule.js";
import { catalogVersion } from "../model/iam-catalog.js";
import { github, escapeData } from "../reporters/github.js";
import { markdown } from "../reporters/markdown.js";
import { sarif, sarifSelection } from "../reporters/sarif.js";
import type { ReportContext } from "../reporters/types.js";
import { allRules } from "../rules/index.js";
import { parseOptions } from "./options.js";
import { collectInputs, exitCode } from "./pipeline.js";
import { blobBase, parseMaxSarifResults } from "./report-options.js";
import { RuleSelectionError, ruleSelection } from "./select.js";
import { tuneV8 } from "./tuning.js";
import { toolVersion } from "./version.js";

export interface ActionIO {
  stdout: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A bad input or path: said in one annotation, without a stack trace. */
export class ActionInputError extends Error {}

/** An input as the composite action passes it (`INPUT_FAIL_ON`), or as GitHub names it for JS actions (`INPUT_FAIL-ON`). */
function rawInput(env: NodeJS.ProcessEnv, name: string): string {
  const upper = name.toUpperCase();
  return env[`INPUT_${upper.replace(/-/g, "_")}`] ?? env[`INPUT_${upper}`] ?? "";
}

function input(env: NodeJS.ProcessEnv, name: string): string {
  return rawInput(env, name).trim();
}

/** `paths`: one per line; a single line is split at spaces (`paths: infra genesys`). */
export function pathsInput(text: string): string[] {
  const lines = text.includes("\n") ? text.split(/\r?\n/) : text.split(/\s+/);
  return lines.map((l) => l.trim()).filter(Boolean);
}

/** Splits `args` as a shell would split words (no expansion): spaces separate, quotes group, backslash escapes. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && (text[i + 1] === '"' || text[i + 1] === "\\")) cur += text[++i]!;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur ??= "";
    } else if (c === "\\" && i + 1 < text.length) {
      cur = (cur ?? "") + text[++i]!;
    } else if (/\s/.test(c)) {
      if (cur !== undefined) out.push(cur);
      cur = undefined;
    } else cur = (cur ?? "") + c;
  }
  if (quote) throw new ActionInputError(`Input args: a ${quote} quote is not closed.`);
  if (cur !== undefined) out.push(cur);
  return out;
}

const ARG_OPTIONS = {
  select: { type: "string", multiple: true },
  ignore: { type: "string", multiple: true },
  rule: { type: "string", multiple: true },
  "ignore-pattern": { type: "string", multiple: true },
  "max-warnings": { type: "string" },
  workers: { type: "string" },
} as const;

function booleanInput(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = input(env, name).toLowerCase();
  if (v === "" || v === "false" || v === "no" || v === "0") return false;
  if (v === "true" || v === "yes" || v === "1") return true;
  throw new ActionInputError(`Input ${name} is "${v}"; use true or false.`);
}

function wholeNumber(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new ActionInputError(`${name} takes a whole number${min > 0 ? ` of at least ${min}` : ""}, not "${text}".`);
  return n;
}

interface ActionSettings {
  paths: string[];
  config?: string;
  baseline?: string;
  failOn: Severity;
  quiet: boolean;
  ignorePatterns: string[];
  maxWarnings?: number;
  workers?: number;
  maxSarifResults?: number;
  selection: { select?: string[]; ignore?: string[]; rule?: string[] };
}

/** Reads and checks every input; throws ActionInputError on the first bad one. */
export function readSettings(env: NodeJS.ProcessEnv): ActionSettings {
  const failOn = (input(env, "fail-on") || "error").toLowerCase();
  if (!(failOn in SEVERITY_RANK)) throw new ActionInputError(`Input fail-on is "${failOn}"; use error, warning or note.`);
  let parsed: ReturnType<typeof parseOptions<typeof ARG_OPTIONS>>;
  try {
    parsed = parseOptions(splitArgs(input(env, "args")), ARG_OPTIONS);
  } catch (e) {
    if (e instanceof ActionInputError) throw e;
    throw new ActionInputError(`Input args: ${(e as Error).message} The action takes --${Object.keys(ARG_OPTIONS).join(", --")} and paths there (it writes annotations, the SARIF file and the summary itself).`);
  }
  const o = parsed.values;
  let maxSarifResults: number | undefined;
  try {
    maxSarifResults = parseMaxSarifResults(input(env, "max-sarif-results"), "Input max-sarif-results");
  } catch (e) {
    throw new ActionInputError((e as Error).message);
  }
  return {
    // Untrimmed: a YAML block (`paths: |`) ends with a newline, which makes even one path a list of lines.
    paths: [...pathsInput(rawInput(env, "paths")), ...parsed.positionals],
    config: input(env, "config") || undefined,
    baseline: input(env, "baseline") || undefined,
    failOn: failOn as Severity,
    quiet: booleanInput(env, "quiet"),
    ignorePatterns: o["ignore-pattern"] ?? [],
    maxWarnings: o["max-warnings"] !== undefined ? wholeNumber("--max-warnings", o["max-warnings"], 0) : undefined,
    workers: o.workers !== undefined ? wholeNumber("--workers", o.workers, 1) : undefined,
    maxSarifResults,
    selection: { select: o.select, ignore: o.ignore, rule: o.rule },
  };
}

/** `name=value` lines for `$GITHUB_OUTPUT` (values here are one line). */
function setOutputs(env: NodeJS.ProcessEnv, values: Record<string, string | number>): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(env.GITHUB_OUTPUT, Object.entries(values).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, " ")}\n`).join(""));
}

/** The step outputs that count a run's findings (suppressed and baselined ones apart). */
export function countOutputs(result: LintResult): Record<string, number> {
  const active = result.findings.filter((f) => !f.suppressions?.length);
  const n = (s: Severity) => active.filter((f) => f.severity === s).length;
  return {
    findings: active.length,
    errors: n("error"),
    warnings: n("warning"),
    notes: n("note"),
    suppressed: result.findings.length - active.length,
    "suppression-problems": result.notifications.length,
    files: result.filesAnalyzed,
  };
}

/**
 * The SARIF log of a run that could not happen: no results, and the reason as an error notification of a failed
 * invocation, located at the configuration line when there is one. Valid SARIF 2.1.0, so the upload step accepts it.
 */
export function failureSarif(lines: { text: string; file?: string; line?: number; column?: number }[]): string {
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "deputy", version: toolVersion(), informationUri: "https://github.com/deputy-lint/deputy", rules: [] } },
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: lines.map((l) => ({
              level: "error",
              message: { text: l.text },
              ...(l.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(l.file) }, region: { startLine: l.line, startColumn: l.column } } }] } : {}),
            })),
          },
        ],
        results: [],
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

export async function runAction(io: ActionIO): Promise<number> {
  const env = io.env;
  const cwd = env.GITHUB_WORKSPACE ? resolve(io.cwd, env.GITHUB_WORKSPACE) : io.cwd;
  const sarifFile = input(env, "sarif-file") || "deputy.sarif";
  const sarifAbs = resolve(cwd, sarifFile);
  const writeSarif = (text: string) => {
    mkdirSync(dirname(sarifAbs), { recursive: true });
    writeFileSync(sarifAbs, text);
    setOutputs(env, { "sarif-file": sarifAbs });
  };
  try {
    const s = readSettings(env);
    const config = loadConfig(cwd, s.config);
    const selection = ruleSelection(s.selection, allRules);
    if (selection) config.commandLine = selection;
    let inputs;
    try {
      inputs = collectInputs(s.paths, cwd, s.ignorePatterns, config);
    } catch (e) {
      throw new ActionInputError(`Input paths: ${(e as Error).message}`);
    }
    const linter = new Linter(config);
    await lintInputs(linter, inputs, config, { workers: s.workers });
    const result = linter.finish();
    if (s.baseline) {
      const abs = resolve(cwd, s.baseline);
      applyBaseline(result, readBaseline(abs, s.baseline), cwd, abs, s.baseline);
    }
    if (s.quiet) {
      replaceAll(result.findings, result.findings.filter((f) => f.severity === "error"));
      result.notifications.splice(0, result.notifications.length);
    }
    const ctx: ReportContext = { result, cwd, color: false, toolVersion: toolVersion(), catalogVersion: catalogVersion(), quiet: s.quiet, maxSarifResults: s.maxSarifResults, sarifFile, blobBase: blobBase(env, cwd) };
    io.stdout(github(ctx));
    writeSarif(sarif(ctx));
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown(ctx) + "\n");
    const counts = countOutputs(result);
    setOutputs(env, counts);
    io.stdout(`deputy: ${counts.findings} finding${counts.findings === 1 ? "" : "s"}, ${counts["suppression-problems"]} suppression problem${counts["suppression-problems"] === 1 ? "" : "s"} in ${counts.files} file${counts.files === 1 ? "" : "s"}; SARIF written to ${sarifFile}.\n`);
    const cut = sarifSelection(ctx).message;
    if (cut) io.stdout(`${cut}\n`);
    return exitCode(result, s.failOn, s.maxWarnings);
  } catch (e) {
    const known = e instanceof ConfigError || e instanceof BaselineError || e instanceof ActionInputError || e instanceof RuleSelectionError;
    const lines = known
      ? (e as Error).message.split("\n").map((text) => {
          const m = /^(.+?):(\d+):(\d+): (.*)$/.exec(text);
          return m ? { text: m[4]!, file: m[1]!, line: Number(m[2]), column: Number(m[3]) } : { text };
        })
      : [{ text: `internal error: ${(e as Error).message}` }];
    const title = e instanceof ConfigError ? "deputy configuration" : e instanceof ActionInputError ? "deputy input" : "deputy";
    for (const l of lines) io.stdout(l.file ? `::error file=${l.file},line=${l.line},col=${l.column},title=${title}::${escapeData(l.text)}\n` : `::error title=${title}::${escapeData(l.text)}\n`);
    // An internal error's stack goes to the log, folded, for a bug report; never into an annotation.
    if (!known) io.stdout(`::group::deputy internal error (please report it)\n${(e as Error).stack ?? String(e)}\n::endgroup::\n`);
    try {
      writeSarif(failureSarif(lines.map((l) => ({ ...l, text: l.file ? `${l.file}:${l.line}:${l.column}: ${l.text}` : l.text }))));
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `## deputy\n\n❌ deputy could not run:\n\n${lines.map((l) => `    ${l.file ? `${l.file}:${l.line}:${l.column}: ` : ""}${l.text}`).join("\n")}\n\n`);
    } catch (w) {
      io.stdout(`::error title=deputy::${escapeData(`could not write ${sarifFile}: ${(w as Error).message}`)}\n`);
    }
    return 2;
  }
}

// Run when executed directly (`node dist/bundle/action.cjs`), not when imported by a test.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  tuneV8();
  void runAction({ stdout: (s) => void process.stdout.write(s), env: process.env, cwd: process.cwd() }).then((code) => (process.exitCode = code));
}
