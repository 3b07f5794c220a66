/**
 * Applying fixes (`--fix`, `--unsafe-fixes`, `--fix-dry-run`): in passes, as ESLint and Ruff do. Each pass takes the
 * fixable findings in report order, keeps the fixes whose edits do not overlap an earlier one's (identical edits are
 * shared), applies them to the texts in memory, and checks the result: each changed file must still parse as well as
 * before, and the project is linted again, where each applied fix's finding must be gone. A fix that breaks its file
 * or leaves its finding in place is taken back and reported, never written. Fixes held back by an overlap get their
 * turn in the next pass, against the new text; passes stop when nothing is left to apply (at most `MAX_PASSES`), so a
 * second `--fix` run finds nothing to do.
 */
import { pushAll } from "./arrays.js";
import type { InputFile, LintResult } from "./engine.js";
import type { Finding, TextEdit } from "./finding.js";
import { applyTextEdits } from "./text-edits.js";
import { SourceFile } from "./source.js";
import { loadText } from "../parsers/index.js";

export const MAX_PASSES = 10;

export interface FixRunOptions {
  /** Apply unsafe fixes too (`--unsafe-fixes`). */
  unsafe: boolean;
}

export interface FailedFix {
  finding: Finding;
  reason: string;
}

export interface FixRun {
  /** The final text of every file a fix changed, by report path. */
  texts: Map<string, string>;
  /** Fixes applied (their findings as first reported, pass by pass). */
  applied: Finding[];
  /** Fixes not applied, with why. */
  failed: FailedFix[];
  /** The lint result of the fixed texts. */
  result: LintResult;
  passes: number;
}

/** A finding's identity across passes: rule, file and logical location (lines move when a fix adds some). */
export function findingKey(f: Finding): string {
  return `${f.ruleId}|${f.file}|${f.logical.name ?? ""}|${f.logical.path}`;
}

export function wantsFix(f: Finding, unsafe: boolean): boolean {
  return f.fix !== undefined && !f.suppressions?.length && (f.fix.safe || unsafe);
}

function countKeys(findings: readonly Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(findingKey(f), (m.get(findingKey(f)) ?? 0) + 1);
  return m;
}

const sameEdit = (a: TextEdit, b: TextEdit) => a.file === b.file && a.start === b.start && a.end === b.end && a.text === b.text;

/** Whether two edits of one file touch the same text (or insert at the same place): they cannot both be applied. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file || sameEdit(a, b)) return false;
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return a.start > b.start && a.start < b.end;
  if (b.start === b.end) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** The fixes to apply together: in report order, each one whose edits overlap none already taken. */
export function chooseFixes(candidates: readonly Finding[]): Finding[] {
  const taken: Finding[] = [];
  const edits: TextEdit[] = [];
  for (const f of candidates) {
    const mine = f.fix!.edits;
    if (mine.some((e) => edits.some((t) => overlaps(e, t)))) continue;
    taken.push(f);
    for (const e of mine) if (!edits.some((t) => sameEdit(t, e))) edits.push(e);
  }
  return taken;
}

/** The texts after applying `fixes` to `texts` (files the fixes touch only). */
export function applyFixes(texts: ReadonlyMap<string, string>, fixes: readonly Finding[]): Map<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const f of fixes) {
    for (const e of f.fix!.edits) {
      const l = byFile.get(e.file) ?? [];
      if (!l.some((t) => sameEdit(t, e))) l.push(e);
      byFile.set(e.file, l);
    }
  }
  const out = new Map<string, string>();
  for (const [file, edits] of byFile) {
    const text = texts.get(file);
    if (text === undefined) throw new Error(`no text for ${file}`);
    out.set(file, applyTextEdits(text, edits));
  }
  return out;
}

/** How well a text parses: its parse problems, and whether deputy still recognises what it is. */
function parseHealth(input: InputFile, text: string): { problems: number; analysed: boolean } {
  const r = loadText(new SourceFile(input.path, input.absPath, text));
  return { problems: r.problems.length, analysed: r.model !== undefined };
}

function breaks(before: { problems: number; analysed: boolean }, after: { problems: number; analysed: boolean }): boolean {
  return after.problems > before.problems || (before.analysed && !after.analysed);
}

/**
 * Fixes the findings of `first` (the lint of `texts`) in passes. `lint` lints the inputs with the given texts in
 * place of the files' contents.
 */
export function runFixes(
  inputs: readonly InputFile[],
  texts: ReadonlyMap<string, string>,
  first: LintResult,
  lint: (texts: ReadonlyMap<string, string>) => LintResult,
  opts: FixRunOptions,
): FixRun {
  const byPath = new Map(inputs.map((i) => [i.path, i]));
  let current = new Map(texts);
  let result = first;
  const applied: Finding[] = [];
  const failed: FailedFix[] = [];
  const given = new Set<string>();
  const fail = (f: Finding, reason: string) => {
    given.add(findingKey(f));
    failed.push({ finding: f, reason });
  };
  let passes = 0;
  for (; passes < MAX_PASSES; passes++) {
    const candidates = result.findings.filter((f) => wantsFix(f, opts.unsafe) && !given.has(findingKey(f)) && f.fix!.edits.every((e) => current.has(e.file) && byPath.has(e.file)));
    let chosen = chooseFixes(candidates);
    if (chosen.length === 0) break;

    // Each changed file must parse as well as before; a fix that breaks it alone is dropped.
    for (let guard = 0; guard < 3 && chosen.length > 0; guard++) {
      const next = applyFixes(current, chosen);
      const broken = [...next].filter(([file, text]) => breaks(parseHealth(byPath.get(file)!, current.get(file)!), parseHealth(byPath.get(file)!, text)));
      if (broken.length === 0) break;
      const brokenFiles = new Set(broken.map(([f]) => f));
      for (const f of chosen.filter((c) => c.fix!.edits.some((e) => brokenFiles.has(e.file)))) {
        const alone = applyFixes(current, [f]);
        const bad = [...alone].some(([file, text]) => breaks(parseHealth(byPath.get(file)!, current.get(file)!), parseHealth(byPath.get(file)!, text)));
        // Fixes that are fine alone but break the file together: the later ones wait for the next pass... or, on the
        // last try, are given up.
        if (bad || guard === 2) fail(f, bad ? "the fixed file would not parse" : "together with other fixes the file would not parse");
      }
      chosen = chosen.filter((c) => !given.has(findingKey(c)));
    }
    if (chosen.length === 0) continue;

    // The project linted again: each applied fix's finding must be gone.
    let next = applyFixes(current, chosen);
    let after = lint(new Map([...current, ...next]));
    for (;;) {
      const before = countKeys(result.findings);
      const now = countKeys(after.findings);
      const fixedPerKey = countKeys(chosen);
      const stays = chosen.filter((f) => (now.get(findingKey(f)) ?? 0) > (before.get(findingKey(f)) ?? 0) - fixedPerKey.get(findingKey(f))!);
      if (stays.length === 0) break;
      for (const f of stays) fail(f, "it does not remove its finding");
      chosen = chosen.filter((c) => !given.has(findingKey(c)));
      if (chosen.length === 0) break;
      next = applyFixes(current, chosen);
      after = lint(new Map([...current, ...next]));
    }
    if (chosen.length === 0) continue;
    current = new Map([...current, ...next]);
    result = after;
    pushAll(applied, chosen);
  }
  const changed = new Map<string, string>();
  for (const [file, text] of current) if (text !== texts.get(file)) changed.set(file, text);
  // A pass that applied nothing left `result` as it was; the last good lint is the one reported.
  return { texts: changed, applied, failed, result, passes };
}
