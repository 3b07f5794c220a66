/**
 * The run: load every file once, run per-file rule visitors, build the project index, run cross-file visitors,
 * resolve every reported node to a location, and return findings in a deterministic order. Parse errors and rule
 * crashes become findings; nothing a file contains can crash the run.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { sha256Hex } from "./hash.js";
import type { DeputyConfig, FileRef } from "../config/config.js";
import { configuredSetting, ruleMayRun } from "../config/config.js";
import type { FileModel, Origin } from "../model/entities.js";
import type { Node } from "../model/node.js";
import { pathToString } from "../model/node.js";
import { inferredAccount } from "../model/accounts.js";
import { isTerraformHcl, loadFile, loadOversized, loadText, type LoadResult } from "../parsers/index.js";
import { resetTerraform } from "../parsers/terraform-hcl.js";
import type { ParseProblem } from "../parsers/json.js";
import { allRules } from "../rules/index.js";
import { compareFindings, SEVERITY_RANK, type Finding, type FindingLocation, type Fix, type LogicalLocation } from "./finding.js";
import { Project } from "./project.js";
import { compactForProject, neededAcrossFiles } from "./retention.js";
import { LintCache, type CacheEntry } from "./cache.js";
import { formatMessage, type FixProposal, type ReportDescriptor, type ReportTarget, type Rule, type RuleVisitors, type Severity, type SeveritySetting } from "./rule.js";
import { MAX_LOGICAL_TEXT, MAX_MESSAGE, MAX_QUOTED_VALUE, safeText } from "./safe-text.js";
import { SourceFile } from "./source.js";
import { FILE_TIME_BUDGET_MS, MAX_FILE_CHARS, MAX_FINDINGS_PER_FILE } from "./limits.js";
import { Suppressions, type Notification, type SentSuppression } from "./suppressions.js";
import { reviveModel } from "./transfer.js";

export interface InputFile {
  /** Path shown in reports (relative to the working directory, forward slashes). */
  path: string;
  absPath: string;
  /** Content, for stdin; otherwise read from absPath. */
  text?: string;
}

export interface LintResult {
  findings: Finding[];
  filesScanned: number;
  filesAnalyzed: number;
  project: Project;
  rules: Rule[];
  /** Problems with suppressions (no reason, unknown rule, unused, expired): shown by every reporter. */
  notifications: Notification[];
  /** Set when a baseline was applied (`--baseline`). */
  baseline?: BaselineSummary;
}

export interface BaselineSummary {
  /** The baseline file, as given. */
  file: string;
  /** Findings matched by the baseline (not reported). */
  matched: number;
  /** Findings not in the baseline (reported). */
  new: number;
  /** Baselined findings that no longer occur (fixed): the baseline can be rewritten smaller. */
  gone: number;
}

/** A file finished outside the main flow (cached, or by a worker thread): what the main thread takes in. */
export type FinishedFile = Omit<CacheEntry, "hash">;

/** A file of the cross-file phase analysed apart (`analyzeIsolated`): its per-file results, suppressions and compacted model. */
export interface SharedFile extends FinishedFile {
  suppressions: SentSuppression[];
  model: FileModel;
}

export interface LinterOptions {
  /** "Today", for suppression expiry (tests pin it). */
  now?: Date;
  /** Results of unchanged files outside the cross-file phase (`--cache`). */
  cache?: LintCache;
  /** Collects time spent per step and rule (`DEPUTY_TIMING=1`), in milliseconds. */
  timing?: Map<string, number>;
  /** The per-file time budget of the per-file rules (default FILE_TIME_BUDGET_MS; tests lower it). */
  fileBudgetMs?: number;
}

function addTime(timing: Map<string, number>, key: string, since: number): void {
  timing.set(key, (timing.get(key) ?? 0) + performance.now() - since);
}

/** The effective severity of a rule under a configuration, for a file when given (`overrides`); `off` disables it. */
export function ruleSetting(rule: Rule, config: DeputyConfig, file?: FileRef): SeveritySetting {
  return configuredSetting(config, rule, file) ?? rule.severity;
}

interface ActiveRule {
  rule: Rule;
  visitors: RuleVisitors;
}

export class Linter {
  readonly findings: Finding[] = [];
  readonly project: Project;
  private readonly active: ActiveRule[] = [];
  private readonly internalRule: Rule;
  private readonly parseRule: Rule;
  private readonly fingerprintCounts = new Map<string, number>();
  /** Findings reported on an intrinsic (`Fn::Sub`, `Fn::Join`…) by file, for `mergeAlternative`. */
  private readonly onIntrinsics = new WeakMap<SourceFile, Map<string, Alternatives>>();
  private readonly suppressions: Suppressions;
  private readonly cache?: LintCache;
  private readonly timing?: Map<string, number>;
  private readonly fileBudgetMs: number;
  /** Repairs given in the project phase to findings of the per-file phase (`RuleContext.attachFix`). */
  private readonly lateFixes: { rule: Rule; file: string; region: string; fix: Fix }[] = [];
  filesScanned = 0;
  filesAnalyzed = 0;

  constructor(
    readonly config: DeputyConfig,
    readonly rules: Rule[] = allRules,
    options: LinterOptions = {},
  ) {
    this.project = new Project(config);
    // Terraform folders are read and evaluated once per run.
    resetTerraform();
    this.suppressions = new Suppressions(config, rules, options.now);
    this.cache = options.cache;
    this.timing = options.timing;
    this.fileBudgetMs = options.fileBudgetMs ?? FILE_TIME_BUDGET_MS;
    this.internalRule = rules.find((r) => r.code === "DPY000")!;
    this.parseRule = rules.find((r) => r.code === "DPY001")!;
    for (const rule of rules) {
      if (!ruleMayRun(config, rule)) continue;
      const ctx = {
        project: this.project,
        report: (d: ReportDescriptor) => this.report(rule, d),
        attachFix: (at: ReportTarget, fix: FixProposal) => this.attachFix(rule, at, fix),
      };
      try {
        const visitors = rule.create(ctx);
        this.active.push({ rule, visitors });
      } catch (e) {
        this.internalError(rule, undefined, e);
      }
    }
  }

  /** The file whose per-file rules are running, and how many findings it has had and had dropped (the cap). */
  private capFile?: SourceFile;
  private capCount = 0;
  private capDropped = 0;

  private report(rule: Rule, d: ReportDescriptor): void {
    const file = d.origin.file;
    if (file === this.capFile && rule !== this.parseRule && ++this.capCount > MAX_FINDINGS_PER_FILE) {
      this.capDropped++;
      return;
    }
    const configured = configuredSetting(this.config, rule, file);
    if ((configured ?? rule.severity) === "off") return;
    const severity: Severity = (configured as Severity | undefined) ?? d.severity ?? rule.severity;
    const template = rule.messages[d.messageId] ?? d.messageId;
    if (d.data) d = { ...d, data: readablePseudoParameters(d.data, d.origin) };
    const message = formatMessage(template, d.data);
    const node: Node | undefined = d.node ?? d.origin.resourceNode;
    const range = d.range ?? node?.range ?? { start: 0, end: 0 };
    const intrinsic = d.node !== undefined && d.range === undefined && d.origin.resolver?.isIntrinsic(d.node) === true;
    const altKey = `${rule.code}|${range.start}|${range.end}|${d.messageId}`;
    if (intrinsic && this.mergeAlternative(file, altKey, template, d.data ?? {}, severity)) return;
    const region = file.region(range.start, range.end);
    const logical = logicalLocation(d.origin, node);
    const related: FindingLocation[] = (d.related ?? []).map((r) => {
      const n = r.node ?? r.origin.resourceNode;
      const rr = n?.range ?? { start: 0, end: 0 };
      return { file: r.origin.file.path, region: r.origin.file.region(rr.start, rr.end), message: r.message === undefined ? undefined : safeText(r.message, MAX_MESSAGE) };
    });
    const finding: Finding = { ruleId: rule.code, ruleName: rule.name, severity, message, file: file.path, region, logical, related, fingerprint: "" };
    const fix = d.fix ? checkedFix(rule, d.fix) : undefined;
    if (fix) finding.fix = fix;
    this.suppressions.apply(finding, d.origin, node);
    // Suppression reasons are written in the input.
    if (finding.suppressions) for (const sp of finding.suppressions) if (sp.justification) sp.justification = safeText(sp.justification, MAX_MESSAGE);
    if (intrinsic) {
      let byKey = this.onIntrinsics.get(file);
      if (!byKey) this.onIntrinsics.set(file, (byKey = new Map()));
      byKey.set(altKey, { finding, template, data: [d.data ?? {}] });
    }
    this.push(finding);
  }

  private attachFix(rule: Rule, at: ReportTarget, proposal: FixProposal): void {
    const fix = checkedFix(rule, proposal);
    if (!fix) return;
    const node = at.node ?? at.origin.resourceNode;
    const range = at.range ?? node?.range ?? { start: 0, end: 0 };
    this.lateFixes.push({ rule, file: at.origin.file.path, region: regionKey(at.origin.file.region(range.start, range.end)), fix });
  }

  /**
   * One mistake, one finding: a value built by an intrinsic (`Fn::Sub` over `Fn::If` branches, `Fn::FindInMap`,
   * `Fn::Join`) resolves to several alternatives that all sit at the intrinsic's position, and a rule that judges each
   * would report the same mistake once per alternative. The second and later reports of a rule with the same message
   * at the same intrinsic are folded into the first finding: its message lists the other alternatives (the message
   * data that differ), its severity is the highest. True when `data` was folded in (nothing more to report).
   */
  private mergeAlternative(file: SourceFile, key: string, template: string, data: Record<string, string | number>, severity: Severity): boolean {
    const alt = this.onIntrinsics.get(file)?.get(key);
    if (!alt) return false;
    const f = alt.finding;
    if (SEVERITY_RANK[severity] > SEVERITY_RANK[f.severity]) f.severity = severity;
    alt.data.push(data);
    f.message = alternativesMessage(template, alt.data);
    return true;
  }

  private push(f: Finding): void {
    const base = `${f.ruleId}|${f.file}|${f.logical.name ?? ""}|${f.logical.path}`;
    const n = (this.fingerprintCounts.get(base) ?? 0) + 1;
    this.fingerprintCounts.set(base, n);
    f.fingerprint = sha256Hex(`${base}|${n}`).slice(0, 32);
    this.findings.push(f);
  }

  private problemFinding(file: SourceFile, p: ParseProblem): void {
    const rule = this.parseRule;
    if (ruleSetting(rule, this.config, file) === "off") return;
    const origin = fileOrigin(file);
    this.report(rule, { origin, range: p.range, messageId: p.kind === "duplicate-key" ? "duplicate" : p.kind === "syntax" ? "parse" : p.kind, data: { detail: p.message } });
  }

  internalError(rule: Rule, origin: Origin | undefined, e: unknown, file?: SourceFile): void {
    const f = origin?.file ?? file;
    const err = e instanceof Error ? e : new Error(String(e));
    const where = err.stack?.split("\n").find((l) => l.includes("/rules/") || l.includes("/parsers/") || l.includes("/model/"))?.trim() ?? "";
    const detail = `${err.message}${where ? ` (${where.replace(/^at /, "")})` : ""}`;
    const origin2: Origin = origin ?? fileOrigin(f ?? PROJECT_FILE);
    this.report(this.internalRule, { origin: origin2, node: origin?.resourceNode, messageId: "crash", data: { rule: `${rule.code} ${rule.name}`, detail } });
  }

  /** Lints one input file: parse, per-file rules, add to the project. Nothing the file holds can end the run. */
  addFile(input: InputFile): void {
    const findingsBefore = this.findings.length;
    try {
      this.addFileUnguarded(input);
    } catch (e) {
      // A failure outside a rule visitor (the project index, the cache, suppressions): DPY000 for this file only.
      this.findings.length = Math.min(this.findings.length, findingsBefore);
      this.internalError(this.parseRule, undefined, e, new SourceFile(input.path, input.absPath, ""));
      this.cache?.delete(input.absPath);
    }
  }

  private addFileUnguarded(input: InputFile): void {
    this.filesScanned++;
    this.suppressions.noteInput(input);
    const loaded = this.load(input);
    if (!loaded) return;
    if ("hit" in loaded) {
      this.replay(loaded.hit);
      return;
    }
    const { result, hash } = loaded;
    const shared = result.model !== undefined && neededAcrossFiles(result.model);
    const entry = this.perFile(result, !shared && this.cache !== undefined);
    if (shared) {
      compactForProject(result.model!);
      this.project.add(result.model!);
      result.file.release();
    }
    // A `.tf` file's entities depend on the other files of its module: never cached on its own hash.
    if (!this.cache || hash === undefined || isTerraformHcl(input.path)) return;
    // A file outside the cross-file phase is finished here: its results can be cached.
    if (!entry || this.suppressions.hasExpiring(result.file) || entry.findings.some((f) => f.ruleId === "DPY000")) this.cache.delete(input.absPath);
    else this.cache.set(input.absPath, { ...entry, hash });
  }

  /**
   * The per-file phase of one file in a parallel run (on a helper thread, or the main thread's own share). A file
   * outside the cross-file phase is finished here and its results returned; a file that takes part in it comes back
   * with its per-file results, its suppressions and its compacted model, for the linter that runs the cross-file phase
   * to take in, in input order (`addShared`). This linter keeps nothing of either.
   */
  analyzeIsolated(input: InputFile): FinishedFile | SharedFile | "missing" {
    const findingsBefore = this.findings.length;
    const notificationsBefore = this.suppressions.notifications.length;
    try {
      return this.analyzeIsolatedUnguarded(input);
    } catch (e) {
      // As in addFile: DPY000 for this file only, and the file counts as finished.
      this.findings.length = Math.min(this.findings.length, findingsBefore);
      this.suppressions.notifications.length = Math.min(this.suppressions.notifications.length, notificationsBefore);
      this.internalError(this.parseRule, undefined, e, new SourceFile(input.path, input.absPath, ""));
      return { analyzed: false, findings: this.findings.splice(findingsBefore), notifications: [], configUsed: [] };
    }
  }

  private analyzeIsolatedUnguarded(input: InputFile): FinishedFile | SharedFile | "missing" {
    this.suppressions.noteInput(input);
    const loaded = this.load(input);
    if (!loaded) return "missing";
    if ("hit" in loaded) return loaded.hit;
    const { result } = loaded;
    if (!result.model || !neededAcrossFiles(result.model)) return this.perFile(result, true)!;
    const model = result.model;
    const findingsBefore = this.findings.length;
    const notificationsBefore = this.suppressions.notifications.length;
    const configBefore = this.suppressions.configUsage();
    this.perFile(result, false);
    compactForProject(model);
    result.file.release();
    const configAfter = this.suppressions.configUsage();
    return {
      analyzed: true,
      findings: this.findings.splice(findingsBefore),
      notifications: this.suppressions.notifications.splice(notificationsBefore),
      configUsed: configAfter.flatMap((used, i) => (used && !configBefore[i] ? [i] : [])),
      suppressions: this.suppressions.takeFile(result.file),
      model,
    };
  }

  /** Takes in a file of the cross-file phase analysed apart (`analyzeIsolated`), on this thread or a helper thread. */
  addShared(input: InputFile, shared: SharedFile): void {
    this.addFinished(input, shared);
    // A model analysed on this thread has its classes; one copied from a helper thread needs them back.
    const model = shared.model.file instanceof SourceFile ? shared.model : reviveModel(shared.model);
    this.suppressions.adoptFile(model.file, shared.suppressions);
    this.project.add(model);
  }

  /** Takes in a file finished elsewhere (the cache, a worker thread). */
  addFinished(input: InputFile, entry: FinishedFile): void {
    this.filesScanned++;
    this.suppressions.noteInput(input);
    this.replay(entry);
  }

  private replay(entry: FinishedFile): void {
    if (entry.analyzed) this.filesAnalyzed++;
    for (const f of entry.findings) this.push(f);
    this.suppressions.replay(entry.configUsed, entry.notifications);
  }

  /** Reads and parses a file, or finds it in the cache. Undefined when it vanished or could not be read. */
  private load(input: InputFile): { result: LoadResult; hash?: string } | { result?: undefined; hash: string; hit: CacheEntry } | undefined {
    try {
      if (input.text !== undefined) {
        let text = input.text;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        return { result: loadText(new SourceFile(input.path, input.absPath, text)) };
      }
      const t0 = this.timing ? performance.now() : 0;
      const buf = readRegularFile(input.absPath);
      if (this.timing) addTime(this.timing, "read files", t0);
      if (!buf) return undefined;
      if ("head" in buf) return { result: loadOversized(input.path, input.absPath, buf.head, buf.size) };
      let hash: string | undefined;
      if (this.cache && !isTerraformHcl(input.path)) {
        hash = LintCache.hash(buf);
        const hit = this.cache.get(input.absPath, hash);
        if (hit) return { hash, hit };
      }
      const t1 = this.timing ? performance.now() : 0;
      const result = loadFile(input.path, input.absPath, buf);
      if (this.timing) addTime(this.timing, "parse and classify", t1);
      return { result, hash };
    } catch (e) {
      const file = new SourceFile(input.path, input.absPath, "");
      const code = (e as NodeJS.ErrnoException).code;
      // A name that is not valid UTF-8 comes back from the directory walk with U+FFFD in it, and no such file exists:
      // said, rather than the file silently missing from the report.
      if (code === "ENOENT" && input.absPath.includes("\ufffd")) {
        this.problemFinding(file, { kind: "unreadable", message: "The file name is not valid UTF-8, so deputy cannot open the file (rename it)", range: { start: 0, end: 0 } });
        return undefined;
      }
      // Gone between discovery and reading, a folder, a symlink loop or a dangling link: nothing to lint.
      if (code === "ENOENT" || code === "EISDIR" || code === "ELOOP" || code === "ENOTDIR") return undefined;
      this.internalError(this.parseRule, undefined, e, file);
      return undefined;
    }
  }

  /**
   * Parse problems, suppressions and per-file rules of a loaded file. With `settle`, the file is finished here (no
   * cross-file finding can land in it) and its results are returned.
   */
  private perFile(result: LoadResult, settle: boolean): FinishedFile | undefined {
    const findingsBefore = this.findings.length;
    const notificationsBefore = this.suppressions.notifications.length;
    const configBefore = settle ? this.suppressions.configUsage() : [];
    if (result.model || result.problems.length) this.suppressions.scanFile(result.file, result.model?.root);
    for (const p of result.problems) this.problemFinding(result.file, p);
    if (result.model) {
      this.filesAnalyzed++;
      this.capFile = result.file;
      this.capCount = 0;
      this.capDropped = 0;
      try {
        this.runFileRules(result.model);
      } finally {
        this.capFile = undefined;
      }
      if (this.capDropped > 0) {
        this.problemFinding(result.file, { kind: "budget", message: `This file has more than ${MAX_FINDINGS_PER_FILE.toLocaleString("en-US")} findings (safety limit); the other ${this.capDropped.toLocaleString("en-US")} are not reported`, range: { start: 0, end: 0 } });
      }
    }
    if (!settle) return undefined;
    this.suppressions.settleFile(result.file);
    const configAfter = this.suppressions.configUsage();
    return {
      analyzed: result.model !== undefined,
      findings: this.findings.slice(findingsBefore),
      notifications: this.suppressions.notifications.slice(notificationsBefore),
      configUsed: configAfter.flatMap((used, i) => (used && !configBefore[i] ? [i] : [])),
    };
  }

  private call<T>(a: ActiveRule, fn: ((x: T) => void) | undefined, arg: T, origin: Origin): void {
    if (!fn) return;
    const t0 = this.timing ? performance.now() : 0;
    try {
      fn.call(a.visitors, arg);
    } catch (e) {
      this.internalError(a.rule, origin, e);
    }
    if (this.timing) addTime(this.timing, `${a.rule.code} ${a.rule.name}`, t0);
  }

  private runFileRules(m: FileModel): void {
    const wholeFile = fileOrigin(m.file);
    // The per-file time budget is checked between rules (a clock read per rule and file, not per node): a file that
    // has used it up gets no more rules, and a DPY001 that says so.
    const deadline = Date.now() + this.fileBudgetMs;
    for (const a of this.active) {
      if (Date.now() > deadline) {
        this.problemFinding(m.file, { kind: "budget", message: `Analysing this file took more than ${this.fileBudgetMs / 1000} s (safety limit); rules from ${a.rule.code} on were not run`, range: { start: 0, end: 0 } });
        break;
      }
      if (ruleSetting(a.rule, this.config, m.file) === "off") continue;
      const v = a.visitors;
      this.call(a, v.file, m, wholeFile);
      let outOfTime = false;
      for (const d of m.documents) {
        this.call(a, v.document, d, d.origin);
        if (v.statement) {
          const statements = d.statements;
          for (let i = 0; i < statements.length; i++) {
            // A file of a million statements: the budget is also checked every 1,024 statements.
            if ((i & 1023) === 1023 && Date.now() > deadline) {
              outOfTime = true;
              break;
            }
            this.call(a, v.statement, statements[i]!, d.origin);
          }
        }
        if (outOfTime) break;
      }
      if (outOfTime) {
        this.problemFinding(m.file, { kind: "budget", message: `Analysing this file took more than ${this.fileBudgetMs / 1000} s (safety limit); ${a.rule.code} did not finish and the rules after it were not run`, range: { start: 0, end: 0 } });
        break;
      }
      for (const r of m.roles) this.call(a, v.role, r, r.origin);
      for (const f of m.functions) this.call(a, v.lambdaFunction, f, f.origin);
      for (const u of m.functionUrls) this.call(a, v.functionUrl, u, u.origin);
      for (const p of m.permissions) this.call(a, v.permission, p, p.origin);
      for (const d of m.dataActions) this.call(a, v.dataAction, d, d.origin);
    }
  }

  /** Runs the cross-file rules and returns the sorted findings. */
  finish(): LintResult {
    const projectOrigin = fileOrigin(PROJECT_FILE);
    for (const a of this.active) this.call(a, a.visitors.project, this.project, projectOrigin);
    if (this.lateFixes.length > 0) {
      const at = new Map<string, Finding>();
      for (const f of this.findings) at.set(`${f.ruleId}|${f.file}|${regionKey(f.region)}`, f);
      for (const l of this.lateFixes) {
        const f = at.get(`${l.rule.code}|${l.file}|${l.region}`);
        if (f && !f.fix) f.fix = l.fix;
      }
    }
    this.findings.sort(compareFindings);
    const notifications = this.suppressions.finish();
    return { findings: this.findings, filesScanned: this.filesScanned, filesAnalyzed: this.filesAnalyzed, project: this.project, rules: this.rules, notifications };
  }
}

/** A region as a key, to find the finding a late fix belongs to. */
function regionKey(r: Finding["region"]): string {
  return `${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
}

/**
 * A rule's repair as a finding carries it: only for rules whose metadata says they fix, with at least one edit, and
 * edits that do not overlap one another (a rule's mistake would otherwise reach the file).
 */
function checkedFix(rule: Rule, p: FixProposal): Fix | undefined {
  if (!rule.fixable || p.edits.length === 0) return undefined;
  const sorted = [...p.edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end));
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (!(e.start >= 0 && e.end >= e.start)) return undefined;
    const prev = sorted[i - 1];
    if (prev && prev.file === e.file && (e.start < prev.end || (e.start === prev.start && e.end === prev.end))) return undefined;
  }
  return { description: safeText(p.description, MAX_MESSAGE), safe: rule.fixable === "safe", edits: sorted.map((e) => ({ file: e.file, start: e.start, end: e.end, text: e.text })) };
}

/**
 * The bytes of a regular file, or undefined for anything else (a FIFO, socket or device that replaced a file after
 * discovery): opened non-blocking, so that a FIFO cannot stall the run, and checked with fstat before reading.
 */
function readRegularFile(absPath: string): Buffer | { head: Buffer; size: number } | undefined {
  const fd = openSync(absPath, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    // Certainly over the size limit (UTF-8 takes at most 3 bytes per UTF-16 unit): only its start is read, to tell
    // whether it is deputy's business, so a 200 MB file costs 64 KB of memory, not 200 MB.
    if (st.size > 3 * MAX_FILE_CHARS) {
      const head = Buffer.alloc(65536);
      const n = readSync(fd, head, 0, head.length, 0);
      return { head: head.subarray(0, n), size: st.size };
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Message data with the CloudFormation pseudo parameters that have one value for a reader resolved inside the ARNs
 * and host names quoted: `arn:${AWS::Partition}:` -> `arn:aws:` (the commercial partition; a template written with it
 * also deploys to others), `.${AWS::URLSuffix}` -> `.amazonaws.com`, and `${AWS::AccountId}` -> the account the
 * template deploys to when the scanned files say which. Values quoted in messages read as ARNs again
 * (`arn:aws:kms:*:*:key/*`). A pseudo parameter named on its own (a hint to write `${AWS::Partition}`) and rule message
 * templates are left alone.
 */
/** Terraform's `arn:${data.aws_partition.current.partition}:` (also through `try(…[0].partition, "")`), read as `arn:aws:`. */
const TF_PARTITION = /\barn:\$\{[^{}:]*\bdata\.aws_partition\.[\w-]+(?:\[\d+\])?\.partition\b[^{}:]*\}:/g;

function readablePseudoParameters(data: Record<string, string | number>, origin: Origin): Record<string, string | number> {
  let out: Record<string, string | number> | undefined;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== "string" || !(v.includes("${AWS::") || v.includes("aws_partition."))) continue;
    let r = v
      .replace(/\barn:\$\{AWS::Partition\}:/g, "arn:aws:")
      .replace(TF_PARTITION, "arn:aws:")
      .replace(/\.\$\{AWS::URLSuffix\}/g, ".amazonaws.com");
    if (r.includes("${AWS::AccountId}") && origin.file) {
      const account = origin.ownAccount ?? inferredAccount(origin);
      if (account) r = r.replace(/\$\{AWS::AccountId\}/g, account);
    }
    if (r !== v) (out ??= { ...data })[k] = r;
  }
  return out ?? data;
}

interface Alternatives {
  finding: Finding;
  template: string;
  data: Record<string, string | number>[];
}

const MAX_LISTED_ALTERNATIVES = 8;

/**
 * The message of a finding folded from several alternatives (`mergeAlternative`): the first alternative's message,
 * then the values of the message fields that differ, for each other distinct alternative.
 */
export function alternativesMessage(template: string, data: Record<string, string | number>[]): string {
  const first = formatMessage(template, data[0]);
  const keys = [...new Set(data.flatMap((d) => Object.keys(d)))].filter((k) => data.some((d) => String(d[k] ?? "") !== String(data[0]![k] ?? "")));
  if (keys.length === 0) return first;
  const seen = new Set<string>();
  const others: string[] = [];
  for (const d of data.slice(1)) {
    const values = keys.map((k) => safeText(String(d[k] ?? ""), MAX_QUOTED_VALUE)).filter((v) => v !== "");
    const text = values.filter((v, i) => !values.some((w, j) => j !== i && w.includes(v) && (w !== v || j < i))).join(", ");
    if (text === "" || seen.has(text)) continue;
    seen.add(text);
    others.push(text);
  }
  if (others.length === 0) return first;
  const listed = others.slice(0, MAX_LISTED_ALTERNATIVES).join("; ");
  const more = others.length > MAX_LISTED_ALTERNATIVES ? `; and ${others.length - MAX_LISTED_ALTERNATIVES} more` : "";
  return safeText(`${first} The same holds for the other ${others.length === 1 ? "value" : `${others.length} values`} this element can take (Fn::If, Fn::FindInMap or parameter combinations): ${listed}${more}.`, MAX_MESSAGE);
}

/** Stands for "the whole project" where a finding or crash belongs to no file. */
export const PROJECT_PATH = "<project>";
const PROJECT_FILE = new SourceFile(PROJECT_PATH, PROJECT_PATH, "");

/** An origin that is just a file (parse problems, crashes, `file` and `project` visitors): no resource, no resolver. */
function fileOrigin(file: SourceFile): Origin {
  return { file, resolver: undefined as never };
}

function logicalLocation(origin: Origin, node: Node | undefined): LogicalLocation {
  // Keys and logical IDs are input text: made safe to print and bounded (safe-text.ts).
  const path = node ? safeText(pathToString(node.path), MAX_LOGICAL_TEXT) : "";
  const loc: LogicalLocation = { path };
  if (origin.cdkPath) {
    loc.name = safeText(origin.cdkPath, MAX_LOGICAL_TEXT);
    loc.kind = "construct";
  } else if (origin.logicalId) {
    loc.name = safeText(origin.logicalId, MAX_LOGICAL_TEXT);
    loc.kind = origin.resourceType ? "resource" : "object";
  }
  const m = /Statement\[(\d+)\]/.exec(path) ?? (/(?:^|\/)Statement(?:\/|$)/.test(path) ? ["", "0"] : null);
  if (m) {
    loc.statement = { index: Number(m[1]) };
    // The Sid of the enclosing statement, if it has one.
    for (let n: Node | undefined = node; n; n = n.parent) {
      const last = n.path[n.path.length - 1];
      const parentLast = n.path[n.path.length - 2];
      if (n.type === "object" && (last === "Statement" || (typeof last === "number" && parentLast === "Statement"))) {
        const sid = n.entries.find((e) => e.key === "Sid")?.value;
        if (sid && sid.type === "scalar" && sid.value !== null) loc.statement.sid = safeText(String(sid.value), MAX_LOGICAL_TEXT);
        break;
      }
    }
  }
  return loc;
}

/** Lints a list of files with a configuration. */
export function lintFiles(files: InputFile[], config: DeputyConfig, options: LinterOptions = {}): LintResult {
  const linter = new Linter(config, allRules, options);
  for (const f of files) linter.addFile(f);
  return linter.finish();
}
