/**
 * Baselines, for adopting deputy on a repository that already has findings: `--write-baseline FILE` records today's
 * findings; `--baseline FILE` reports only findings that are not in it and counts the baselined ones that are gone.
 *
 * A finding is keyed by rule, file and logical location (logical name + logical path, e.g. `GenesysRole` +
 * `Resources/GenesysRole/Properties/AssumeRolePolicyDocument/Statement[0]/Principal/AWS`), never by line, so
 * inserting or removing lines elsewhere in the file does not turn an old finding into a new one. The file keeps a
 * count per key: two identical findings need two baseline entries. File paths are stored relative to the baseline
 * file's folder, so the baseline works from any working directory.
 */
import { replaceAll } from "./arrays.js";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import type { BaselineSummary, LintResult } from "./engine.js";
import type { Finding } from "./finding.js";

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  rule: string;
  file: string;
  /** Logical name (resource, construct, role, data action), if any. */
  name?: string;
  /** Logical path inside the file. */
  path: string;
  count: number;
}

export interface BaselineFile {
  tool: "deputy";
  version: number;
  entries: BaselineEntry[];
}

export class BaselineError extends Error {}

function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

/** A finding's file relative to the baseline's folder. */
function baselinePath(f: Finding, cwd: string, baselineAbs: string): string {
  if (f.file.startsWith("<")) return f.file;
  return toPosix(relative(dirname(baselineAbs), resolve(cwd, f.file)));
}

function key(rule: string, file: string, name: string | undefined, path: string): string {
  return JSON.stringify([rule, file, name ?? "", path]);
}

/** Findings a baseline records: reported ones (not suppressed), except internal errors, which are bugs to fix. */
function baselinable(f: Finding): boolean {
  return !f.suppressions?.length && f.ruleId !== "DPY000";
}

/** The baseline of a run's findings (deterministic: sorted entries, no timestamps). */
export function createBaseline(result: LintResult, cwd: string, baselineAbs: string): BaselineFile {
  const counts = new Map<string, BaselineEntry>();
  for (const f of result.findings) {
    if (!baselinable(f)) continue;
    const file = baselinePath(f, cwd, baselineAbs);
    const k = key(f.ruleId, file, f.logical.name, f.logical.path);
    const e = counts.get(k);
    if (e) e.count++;
    else counts.set(k, { rule: f.ruleId, file, ...(f.logical.name ? { name: f.logical.name } : {}), path: f.logical.path, count: 1 });
  }
  const entries = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  return { tool: "deputy", version: BASELINE_VERSION, entries };
}

export function baselineText(b: BaselineFile): string {
  return JSON.stringify(b, null, 2) + "\n";
}

/** Reads and checks a baseline file. */
export function readBaseline(abs: string, shown: string): BaselineFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(abs, "utf8"));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BaselineError(err.code === "ENOENT" ? `${shown}: baseline file not found (create it with --write-baseline ${shown}).` : `${shown}: not a deputy baseline (${err.message}).`);
  }
  const b = data as Partial<BaselineFile>;
  if (!b || typeof b !== "object" || b.tool !== "deputy" || !Array.isArray(b.entries)) throw new BaselineError(`${shown}: not a deputy baseline (expected {"tool": "deputy", "entries": [...]}).`);
  if (b.version !== BASELINE_VERSION) throw new BaselineError(`${shown}: baseline version ${String(b.version)} is not supported (expected ${BASELINE_VERSION}); rewrite it with --write-baseline.`);
  for (const [i, e] of b.entries.entries()) {
    if (!e || typeof e.rule !== "string" || typeof e.file !== "string" || typeof e.path !== "string" || !Number.isInteger(e.count) || e.count < 1) {
      throw new BaselineError(`${shown}: entry ${i} is malformed (expected rule, file, path and a positive count).`);
    }
  }
  return b as BaselineFile;
}

/**
 * Removes the findings the baseline covers from `result.findings` (in report order, up to each entry's count) and
 * records the summary in `result.baseline`. Suppressed findings are left alone (they are shown as suppressed).
 */
export function applyBaseline(result: LintResult, baseline: BaselineFile, cwd: string, baselineAbs: string, shown: string): BaselineSummary {
  const remaining = new Map<string, number>();
  for (const e of baseline.entries) {
    const k = key(e.rule, e.file, e.name, e.path);
    remaining.set(k, (remaining.get(k) ?? 0) + e.count);
  }
  let matched = 0;
  let fresh = 0;
  const kept: Finding[] = [];
  for (const f of result.findings) {
    if (!baselinable(f)) {
      kept.push(f);
      continue;
    }
    const k = key(f.ruleId, baselinePath(f, cwd, baselineAbs), f.logical.name, f.logical.path);
    const n = remaining.get(k) ?? 0;
    if (n > 0) {
      remaining.set(k, n - 1);
      matched++;
    } else {
      fresh++;
      kept.push(f);
    }
  }
  let gone = 0;
  for (const n of remaining.values()) gone += n;
  replaceAll(result.findings, kept);
  const summary: BaselineSummary = { file: shown, matched, new: fresh, gone };
  result.baseline = summary;
  return summary;
}
