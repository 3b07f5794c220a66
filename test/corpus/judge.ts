/**
 * The in-project precision corpus: real files nobody on the team wrote (`files/<owner>__<repo>/<path>`, listed with
 * their source, commit and licence in `SOURCES.tsv`) and the verdict a reviewer gives each finding deputy reports on
 * them (`verdicts/<CODE>.json`, one file per rule). See `README.md` in this folder for how to add files and verdicts.
 *
 * A verdict names a finding by rule, file and line (and, when one line carries several findings of the rule, a part
 * of the message: `match`). Its `verdict` is `TP` (a reviewer would raise it) or `FP` (noise); its `status`:
 *   - (none)     TP: must be reported. FP: must not be reported (it was fixed; it must not come back).
 *   - `open`     FP still reported today: allowed, counted against the rule's precision; once it is no longer
 *                reported the check asks to drop `open` (so the record says it is fixed and guards it).
 *   - `missed`   TP not reported today (a false negative): allowed to be absent; once it is reported the check asks
 *                to drop `missed` (and from then on it must stay).
 * A verdict file with `"complete": true` says every finding of its rule in the corpus is judged: a finding with no
 * verdict fails the check, so a new finding is read before it lands.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { defaultConfig } from "../../src/config/config.js";
import type { Finding } from "../../src/engine/finding.js";
import { lint } from "../helpers.js";

export const CORPUS = join(import.meta.dirname);
export const FILES = join(CORPUS, "files");
export const VERDICTS = join(CORPUS, "verdicts");

export type VerdictKind = "TP" | "FP";
export type VerdictStatus = "open" | "missed";

export interface Verdict {
  /** Path under `files/`, as findings report it (`<owner>__<repo>/<path>`). */
  file: string;
  line: number;
  /** A part of the message, when one line has several findings of this rule. */
  match?: string;
  /**
   * TP only: the exact number of findings this verdict covers (one mistake, one finding: usually 1). Without it, at
   * least one, and any beyond the first are tallied as duplicates (noise a reviewer would not want twice).
   */
  count?: number;
  verdict: VerdictKind;
  status?: VerdictStatus;
  /** Why a reviewer would (TP) or would not (FP) raise it: one short sentence. */
  reason: string;
}

export interface VerdictFile {
  rule: string;
  /** Every finding of the rule in the corpus has a verdict. */
  complete?: boolean;
  verdicts: Verdict[];
}

export interface Source {
  file: string;
  repo: string;
  path: string;
  commit: string;
  licence: string;
  url: string;
}

/** Licences a corpus file may carry (permissive only). */
export const PERMISSIVE = /^(MIT|MIT-0|Apache-2\.0|BSD-[23]-Clause|ISC)\b/;

export function loadSources(): Source[] {
  const [head, ...lines] = readFileSync(join(CORPUS, "SOURCES.tsv"), "utf8").trimEnd().split("\n");
  const cols = head!.split("\t");
  return lines.map((l) => {
    const cells = l.split("\t");
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""])) as unknown as Source;
  });
}

export function loadVerdictFiles(): VerdictFile[] {
  if (!existsSync(VERDICTS)) return [];
  return readdirSync(VERDICTS)
    .filter((f) => /^DPY\d{3}\.json$/.test(f))
    .sort()
    .map((f) => {
      const v = JSON.parse(readFileSync(join(VERDICTS, f), "utf8")) as VerdictFile;
      if (`${v.rule}.json` !== f) throw new Error(`${f}: "rule" is ${v.rule}`);
      return v;
    });
}

/** Every file under `files/`, as `<owner>__<repo>/<path>`. */
export function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(FILES, rel))) {
      const r = rel ? `${rel}/${e}` : e;
      if (statSync(join(FILES, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}

/** Lints each source repository's folder as one project (cross-file links stay within a repository). */
export function lintCorpus(): Finding[] {
  const out: Finding[] = [];
  for (const repo of readdirSync(FILES).sort()) out.push(...lint(join(FILES, repo), FILES, defaultConfig()).findings);
  return out;
}

function matches(v: Verdict, rule: string, f: Finding): boolean {
  return f.ruleId === rule && f.file === v.file && f.region.startLine === v.line && (v.match === undefined || f.message.includes(v.match));
}

export interface RuleTally {
  rule: string;
  findings: number;
  tp: number;
  /** False positives still reported. */
  fpOpen: number;
  /** False positives judged and no longer reported. */
  fpFixed: number;
  /** True positives not reported yet. */
  missed: number;
  /** Findings beyond the first for one judged mistake (a TP verdict without `count`). */
  duplicates: number;
  unjudged: number;
  complete: boolean;
}

export interface Judgement {
  problems: string[];
  tallies: RuleTally[];
  unjudged: Finding[];
}

export function judge(findings: Finding[], files: VerdictFile[]): Judgement {
  const problems: string[] = [];
  const tallies: RuleTally[] = [];
  const unjudged: Finding[] = [];
  for (const vf of files) {
    const mine = findings.filter((f) => f.ruleId === vf.rule);
    const judged = new Set<Finding>();
    const t: RuleTally = { rule: vf.rule, findings: mine.length, tp: 0, fpOpen: 0, fpFixed: 0, missed: 0, duplicates: 0, unjudged: 0, complete: vf.complete === true };
    for (const v of vf.verdicts) {
      const where = `${vf.rule} ${v.file}:${v.line}${v.match ? ` ("${v.match}")` : ""}`;
      const hits = mine.filter((f) => matches(v, vf.rule, f));
      for (const h of hits) judged.add(h);
      if (v.verdict === "TP") {
        if (v.status === "missed") {
          if (hits.length > 0) problems.push(`${where}: a judged miss is now reported; drop "status": "missed" from its verdict`);
          else t.missed++;
        } else if (hits.length === 0) problems.push(`${where}: a judged true positive disappeared (${v.reason})`);
        else if (v.count !== undefined && hits.length !== v.count) problems.push(`${where}: ${hits.length} findings where the verdict expects ${v.count} (one mistake, one finding)`);
        else {
          t.tp++;
          if (v.count !== undefined) t.tp += v.count - 1;
          else t.duplicates += hits.length - 1;
        }
      } else if (v.status === "open") {
        if (hits.length === 0) problems.push(`${where}: a known false positive is no longer reported; drop "status": "open" from its verdict so that it stays fixed`);
        else t.fpOpen += hits.length;
      } else if (hits.length > 0) problems.push(`${where}: a judged false positive came back (${v.reason}): ${hits[0]!.message}`);
      else t.fpFixed++;
      if (!existsSync(join(FILES, v.file))) problems.push(`${where}: no such corpus file`);
    }
    for (const f of mine) {
      if (judged.has(f)) continue;
      t.unjudged++;
      unjudged.push(f);
      if (vf.complete) problems.push(`${vf.rule} ${f.file}:${f.region.startLine}: no verdict for this finding (the rule's verdicts are complete; judge it): ${f.message}`);
    }
    tallies.push(t);
  }
  return { problems, tallies, unjudged };
}

/** A verdict skeleton for a finding, for `CORPUS_DRAFT=1` runs (verdict and reason to be filled in by a reviewer). */
export function draft(f: Finding): string {
  return JSON.stringify({ file: f.file, line: f.region.startLine, verdict: "?", reason: "?", message: f.message });
}

/** Judged true positives over judged findings reported (duplicates count as noise). */
export function precision(t: RuleTally): string {
  const reported = t.tp + t.fpOpen + t.duplicates;
  return reported === 0 ? "—" : `${((100 * t.tp) / reported).toFixed(1)} %`;
}
