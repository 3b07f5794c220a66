/**
 * deputy's programmatic API: `import { lint } from "deputy-lint"`. Files (paths, folders, globs, as on the command
 * line) or in-memory texts in, findings out, through the same engine, discovery and configuration loading as the
 * `deputy` command, so a script sees exactly what the CLI reports for the same files.
 *
 * `createSession` is the same run for a caller that lints the same files again and again (the language server, on
 * every edit): it remembers each file's per-file results by content and analyses again only the files that changed;
 * the cross-file phase runs on every file each time, as in a full run (see `LintSession`).
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { collectInputs } from "./cli/pipeline.js";
import { displayPath } from "./cli/discover.js";
import { toolVersion } from "./cli/version.js";
import type { DeputyConfig } from "./config/config.js";
import { defaultConfig, isIgnoredByConfig } from "./config/config.js";
import { ConfigError, loadConfig, parseConfig } from "./config/load.js";
import { Linter, type FinishedFile, type InputFile, type LintResult, type SharedFile } from "./engine/engine.js";
import type { Finding } from "./engine/finding.js";
import { sha1Hex } from "./engine/hash.js";
import { runFixes } from "./engine/fixer.js";
import { lintInputs } from "./engine/parallel.js";
import { decode } from "./engine/source.js";
import { isTerraformHcl, prepareInputs } from "./parsers/index.js";
import { useTerraformTexts } from "./parsers/terraform-hcl.js";
import { helpUri, type Rule, type Severity } from "./engine/rule.js";
import type { Notification } from "./engine/suppressions.js";
import { catalogVersion } from "./model/iam-catalog.js";
import { reporters } from "./reporters/index.js";
import { allRules } from "./rules/index.js";

export type { Finding, FindingLocation, Fix, LogicalLocation, Suppression, TextEdit } from "./engine/finding.js";
export type { Region } from "./engine/source.js";
export type { Severity, SeveritySetting } from "./engine/rule.js";
export type { Notification, NotificationKind } from "./engine/suppressions.js";
export type { DeputyConfig } from "./config/config.js";
export { ConfigError };

/** Settings in the shape of `deputy.config.yaml` (see docs/configuration.md), validated the same way. */
export interface ConfigInput {
  rules?: Record<string, "off" | "note" | "warning" | "error">;
  ignores?: string[];
  overrides?: { files: string[]; rules: Record<string, "off" | "note" | "warning" | "error"> }[];
  genesys?: { region?: string; orgId?: string };
  accounts?: { own?: string[]; trusted?: { id: string; reason?: string }[] };
  genesysRoles?: string[];
  suppress?: { file?: string; rule: string; path?: string; sid?: string; reason?: string; expires?: string }[];
}

/** A file given by its content: linted as if it were at `path` (relative to `cwd`, or absolute). */
export interface TextInput {
  path: string;
  text: string;
}

export interface ConfigOptions {
  /** The folder paths are relative to, the configuration is looked for from, and reports are relative to. Default: `process.cwd()`. */
  cwd?: string;
  /**
   * Settings given directly, in the shape of `deputy.config.yaml`, validated as that file is (a `ConfigError` names
   * the key); no config file is read then. Globs in it are relative to `cwd`.
   */
  config?: ConfigInput;
  /**
   * The config file to read (relative to `cwd`), or `false` for none. Default: the nearest `deputy.config.yaml`,
   * `deputy.config.yml` or `.deputy.yaml` from `cwd` up, as the CLI does.
   */
  configFile?: string | false;
  /**
   * The text of the config file, when the caller has a newer one than the disk (an editor buffer): read in place of
   * that file. `path` is relative to `cwd` or absolute; globs in it are relative to its folder.
   */
  configText?: TextInput;
  /** "Today", for suppressions with an expiry date. Default: now. */
  now?: Date;
}

export interface LintOptions extends ConfigOptions {
  /**
   * Files, folders or globs, as on the command line (relative to `cwd`). Default: `cwd` itself when no `texts` are
   * given, nothing otherwise. Folders are walked as the CLI walks them (.gitignore and the configuration's `ignores`
   * honoured).
   */
  files?: string[];
  /** In-memory texts. One with the path of a file of `files` takes that file's place (unsaved editor buffers). */
  texts?: TextInput[];
  /** Extra ignore globs (as `--ignore-pattern`). */
  ignorePatterns?: string[];
  /** Threads that analyse files, this one included, as `--workers` (default: as the CLI decides). */
  workers?: number;
}

export interface FormatOptions {
  /** ANSI colours in the stylish format. Default: false. */
  color?: boolean;
}

/** What a run found. Paths (`Finding.file`, related locations, notifications) are relative to `cwd`, with forward slashes. */
export interface LintReport {
  /** Every finding, sorted by file, line and column; suppressed ones carry `suppressions` (most callers skip them). */
  findings: Finding[];
  /** Problems with suppressions (no reason, unknown rule, unused, expired): located warnings. */
  notifications: Notification[];
  filesScanned: number;
  /** Files that were deputy's business (policies, templates, data actions...). */
  filesAnalyzed: number;
  /** The folder paths are relative to. */
  cwd: string;
  /** The report in one of the CLI's formats: stylish, json, sarif, github, junit or markdown. */
  format(name: string, options?: FormatOptions): string;
}

/** A rule of the catalog, as data. */
export interface RuleInfo {
  code: string;
  name: string;
  severity: Severity;
  category: string;
  description: string;
  helpUri: string;
}

/** The rules deputy runs, in catalog order. */
export const rules: readonly RuleInfo[] = allRules.map((r) => ruleInfo(r));

function ruleInfo(r: Rule): RuleInfo {
  return { code: r.code, name: r.name, severity: r.severity, category: r.category, description: r.description, helpUri: helpUri(r) };
}

/** The link to a rule's documentation page, by code (`DPY202`) or name; undefined for an unknown rule. */
export function ruleHelpUri(codeOrName: string): string | undefined {
  const k = codeOrName.trim().toLowerCase();
  const r = allRules.find((x) => x.code.toLowerCase() === k || x.name === k);
  return r ? helpUri(r) : undefined;
}

/** deputy's version (package.json). */
export const version: string = toolVersion();

/**
 * The configuration a run uses: `options.config` when given, else `options.configFile`, else the nearest config file
 * from `cwd` up, else the defaults. Throws `ConfigError` (file, line, column and key in the message) when invalid.
 */
export function resolveConfig(options: ConfigOptions = {}): DeputyConfig {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.config !== undefined) {
    if (options.config === null || typeof options.config !== "object" || Array.isArray(options.config)) throw new ConfigError("<options.config>: must be an object in the shape of deputy.config.yaml.");
    // JSON is YAML: the settings go through the same parser and schema as a config file, so errors read the same.
    const config = parseConfig(JSON.stringify(options.config, null, 1), "<options.config>", cwd);
    config.source = undefined;
    return config;
  }
  if (options.configText !== undefined) {
    const abs = resolve(cwd, options.configText.path);
    let text = options.configText.text;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return parseConfig(text, displayPath(cwd, abs), dirname(abs));
  }
  if (options.configFile === false) return defaultConfig();
  return loadConfig(cwd, options.configFile);
}

/**
 * Lints files and/or texts. Rejects with `ConfigError` for an invalid configuration, and with an `Error` for a path
 * that does not exist; nothing in a linted file makes it reject (parse errors are DPY001 findings).
 */
export async function lint(options: LintOptions = {}): Promise<LintReport> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = resolveConfig({ ...options, cwd });
  const inputs = gatherInputs(options, cwd, config);
  const linter = new Linter(config, allRules, { now: options.now });
  useTerraformTexts(terraformTexts(inputs));
  try {
    await lintInputs(linter, inputs, config, { workers: options.workers, now: options.now });
  } finally {
    useTerraformTexts(undefined);
  }
  return report(linter.finish(), cwd);
}

/**
 * Fixes what the rules can fix, as `deputy --fix` does (safe fixes; `unsafe: true` for the others too), in memory:
 * returns the new texts, never writes a file. Options as `lint`'s.
 */
export async function fix(options: LintOptions & { unsafe?: boolean } = {}): Promise<FixOutcome> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const session = new LintSession({ ...options, cwd });
  const inputs = gatherInputs(options, cwd, session.config);
  return session.fix({ files: inputs.filter((i) => i.text === undefined).map((i) => i.absPath), texts: inputs.filter((i) => i.text !== undefined).map((i) => ({ path: i.absPath, text: i.text! })), unsafe: options.unsafe });
}

/** The inputs of a run, sorted by path as the CLI sorts them: files from `files`, texts in place of or besides them. */
function gatherInputs(options: Pick<LintOptions, "files" | "texts" | "ignorePatterns">, cwd: string, config: DeputyConfig): InputFile[] {
  const texts = new Map<string, InputFile>();
  for (const t of options.texts ?? []) {
    if (typeof t?.path !== "string" || typeof t.text !== "string") throw new TypeError("texts: each entry is { path: string, text: string }.");
    const absPath = resolve(cwd, t.path);
    texts.set(absPath, { path: displayPath(cwd, absPath), absPath, text: t.text });
  }
  const paths = options.files ?? (texts.size === 0 ? ["."] : []);
  const inputs: InputFile[] = [];
  if (paths.length > 0) {
    for (const d of collectInputs(paths, cwd, options.ignorePatterns ?? [], config)) {
      const t = texts.get(d.absPath);
      texts.delete(d.absPath);
      inputs.push(t ?? d);
    }
  }
  for (const t of texts.values()) inputs.push(t);
  return inputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function report(result: LintResult, cwd: string): LintReport {
  return {
    findings: result.findings,
    notifications: result.notifications,
    filesScanned: result.filesScanned,
    filesAnalyzed: result.filesAnalyzed,
    cwd,
    format(name: string, options: FormatOptions = {}): string {
      const reporter = reporters[name];
      if (!reporter) throw new Error(`Unknown format "${name}". Use one of: ${Object.keys(reporters).join(", ")}.`);
      return reporter({ result, cwd, color: options.color ?? false, toolVersion: toolVersion(), catalogVersion: catalogVersion() });
    },
  };
}

export interface SessionLintOptions {
  /**
   * Files to lint: paths of files (not folders or globs), relative to the session's `cwd` or absolute. Unlike
   * `lint`, nothing is discovered: the caller keeps the list (a language server walks its workspace once and then
   * follows the file watcher). The configuration's `ignores` still apply.
   */
  files?: string[];
  /** In-memory texts; one with the path of a file of `files` takes its place. */
  texts?: TextInput[];
}

export interface SessionFixOptions extends SessionLintOptions {
  /** Fix only findings whose edits are all in these files (relative to `cwd` or absolute). Default: every file. */
  only?: string[];
  /** Apply unsafe fixes too (`--unsafe-fixes`). Default: safe fixes only. */
  unsafe?: boolean;
}

export interface FixOutcome {
  /** The new text of each file the fixes changed, by path (as `Finding.file`). Nothing is written. */
  texts: Map<string, string>;
  /** The findings whose fixes were applied (as first reported). */
  applied: Finding[];
  /** Fixes not applied, with why (the file would not parse, or the finding would stay). */
  failed: { finding: Finding; reason: string }[];
  /** The lint of the fixed texts. */
  report: LintReport;
}

/** What a session keeps of one file between runs: its per-file results, by what the file was. */
interface Remembered {
  stamp: string;
  result: FinishedFile | SharedFile;
}

/**
 * Repeated runs over a changing set of files with one configuration. Each file's per-file phase (parse, per-file
 * rules, suppressions, the compacted model the cross-file phase reads) is remembered by its content (a text) or its
 * size and modification time (a file on disk) and taken in again when unchanged, as the results of a helper thread
 * are taken in by a parallel run; the cross-file phase runs over every file each time, on a new project (answers that
 * depend on the project are cached on it, never on the models: `Project.entityCache`). The findings are those of
 * `lint` on the same files.
 */
export class LintSession {
  readonly cwd: string;
  readonly config: DeputyConfig;
  private readonly now?: Date;
  private remembered = new Map<string, Remembered>();
  /** Files analysed again by the last run (the others came from what the session remembered). */
  lastAnalyzed = 0;

  constructor(options: ConfigOptions = {}) {
    this.cwd = resolve(options.cwd ?? process.cwd());
    this.config = resolveConfig({ ...options, cwd: this.cwd });
    this.now = options.now;
  }

  /** Lints the files and texts, on this thread (asynchronous only to load the HCL parser the first time a .tf file comes). */
  async lint(options: SessionLintOptions = {}): Promise<LintReport> {
    const inputs = this.inputsOf(options);
    await prepareInputs(inputs);
    return report(this.run(inputs), this.cwd);
  }

  /**
   * Applies fixes as `deputy --fix` does (in passes, each fixed text parsed and linted again: a fix that would break
   * its file or not remove its finding is not applied), in memory: nothing is written. `only`: fix only findings
   * whose edits are all in these files (paths relative to `cwd` or absolute; default: every file of the run).
   */
  async fix(options: SessionFixOptions = {}): Promise<FixOutcome> {
    const inputs = this.inputsOf(options);
    await prepareInputs(inputs);
    const first = this.run(inputs);
    const only = options.only ? new Set(options.only.map((p) => resolve(this.cwd, p))) : undefined;
    const texts = new Map<string, string>();
    for (const i of inputs) {
      if (only && !only.has(i.absPath)) continue;
      const text = i.text ?? readText(i.absPath);
      if (text !== undefined) texts.set(i.path, text);
    }
    const withTexts = (m: ReadonlyMap<string, string>) => this.run(inputs.map((i) => (m.has(i.path) ? { ...i, text: m.get(i.path)! } : i)));
    const r = runFixes(inputs, texts, first, withTexts, { unsafe: options.unsafe === true });
    return { texts: r.texts, applied: r.applied, failed: r.failed, report: report(r.result, this.cwd) };
  }

  /** The inputs of a run: files and texts (a text in place of the file with its path), minus ignored ones, sorted. */
  private inputsOf(options: SessionLintOptions): InputFile[] {
    const cwd = this.cwd;
    const byAbs = new Map<string, InputFile>();
    for (const f of options.files ?? []) {
      const absPath = resolve(cwd, f);
      byAbs.set(absPath, { path: displayPath(cwd, absPath), absPath });
    }
    for (const t of options.texts ?? []) {
      const absPath = resolve(cwd, t.path);
      byAbs.set(absPath, { path: displayPath(cwd, absPath), absPath, text: t.text });
    }
    return [...byAbs.values()].filter((i) => !isIgnoredByConfig(this.config, i)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** One run over prepared inputs (the HCL parser loaded when there are .tf files). */
  private run(inputs: readonly InputFile[]): LintResult {
    const now = this.now ?? new Date();
    const linter = new Linter(this.config, allRules, { now });
    // Files analysed again are analysed apart, by a linter of their own (as a helper thread does): it keeps nothing
    // of them, so what it returns is the file's whole per-file outcome, to remember and to take in. (Made before the
    // run starts: a linter resets the Terraform evaluation when it is made.)
    const local = new Linter(this.config, allRules, { now });
    const next = new Map<string, Remembered>();
    this.lastAnalyzed = 0;
    useTerraformTexts(terraformTexts(inputs));
    try {
      for (const input of inputs) {
        const stamp = stampOf(input);
        if (stamp === undefined) {
          this.lastAnalyzed++;
          linter.addFile(input);
          continue;
        }
        let r = this.remembered.get(input.absPath);
        if (!r || r.stamp !== stamp || r.result.findings.some((f) => f.ruleId === "DPY000")) {
          const result = local.analyzeIsolated(input);
          local.findings.splice(0);
          this.lastAnalyzed++;
          if (result === "missing") {
            linter.addFile(input);
            continue;
          }
          r = { stamp, result };
        }
        // The run's own copies of the findings (it numbers them, and may mark cross-file ones suppressed).
        const result = { ...r.result, findings: r.result.findings.map((f) => ({ ...f })) };
        if ("model" in result) linter.addShared(input, result);
        else linter.addFinished(input, result);
        next.set(input.absPath, r);
      }
    } finally {
      useTerraformTexts(undefined);
    }
    this.remembered = next;
    return linter.finish();
  }
}

/** A file's text as the engine reads it (decoded, BOM stripped), or undefined when it cannot be read. */
function readText(absPath: string): string | undefined {
  try {
    const d = decode(readFileSync(absPath));
    return "text" in d ? d.text : undefined;
  } catch {
    return undefined;
  }
}

/** The texts given for .tf files, by absolute path: the other files of their module read them instead of the disk. */
function terraformTexts(inputs: readonly InputFile[]): Map<string, string> {
  return new Map(inputs.filter((i) => i.text !== undefined && isTerraformHcl(i.path)).map((i) => [i.absPath, i.text!]));
}

/**
 * What identifies a file's content for the session: its text's hash, or its size and times on disk. Undefined for a
 * file analysed again every time: a Terraform file (its entities come from its whole configuration, other files
 * included) or one that is not on disk.
 */
function stampOf(input: InputFile): string | undefined {
  if (isTerraformHcl(input.path)) return undefined;
  if (input.text !== undefined) return `t:${input.path}:${sha1Hex(input.text)}`;
  try {
    const st = statSync(input.absPath);
    if (!st.isFile()) return undefined;
    return `d:${input.path}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return undefined;
  }
}

/** A session over `options.cwd` with its configuration (see `LintSession`). Throws `ConfigError` when it is invalid. */
export function createSession(options: ConfigOptions = {}): LintSession {
  return new LintSession(options);
}
