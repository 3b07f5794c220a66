/**
 * The precision corpus (test/corpus: real files with their sources and licences, and a reviewer's verdict on each
 * finding): fails when a judged true positive disappears, a judged false positive comes back, a judged miss or a
 * known false positive changes without its verdict being updated, or a rule whose verdicts are complete reports a
 * finding nobody judged. `CORPUS_REPORT=1` prints the per-rule tally; `CORPUS_DRAFT=1` also prints a verdict skeleton
 * for every unjudged finding (of rules with a verdict file, or of every rule with `CORPUS_DRAFT=all`).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allRules } from "../src/rules/index.js";
import { corpusFiles, CORPUS, draft, FILES, judge, lintCorpus, loadSources, loadVerdictFiles, PERMISSIVE, precision } from "./corpus/judge.js";

describe("precision corpus", () => {
  const sources = loadSources();
  const verdictFiles = loadVerdictFiles();

  it("lists every file with its repository, commit and a permissive licence, and keeps each licence text", () => {
    const listed = new Set(sources.map((s) => s.file));
    expect(corpusFiles().filter((f) => !listed.has(f))).toEqual([]);
    expect(sources.filter((s) => !existsSync(join(FILES, s.file))).map((s) => s.file)).toEqual([]);
    for (const s of sources) {
      expect(s.licence, s.file).toMatch(PERMISSIVE);
      expect(s.commit, s.file).toMatch(/^[0-9a-f]{40}$/);
      expect(s.url, s.file).toBe(`https://github.com/${s.repo}/blob/${s.commit}/${s.path}`);
      expect(s.file, s.file).toBe(`${s.repo.replace("/", "__")}/${s.path}`);
      expect(existsSync(join(CORPUS, "licenses", `${s.repo.replace("/", "__")}.txt`)), `licence text of ${s.repo}`).toBe(true);
    }
  });

  it("has verdict files only for rules that exist, each verdict with a reason", () => {
    const codes = new Set(allRules.map((r) => r.code));
    for (const vf of verdictFiles) {
      expect(codes.has(vf.rule), vf.rule).toBe(true);
      for (const v of vf.verdicts) {
        expect(["TP", "FP"], `${vf.rule} ${v.file}:${v.line}`).toContain(v.verdict);
        expect(v.reason.trim().length, `${vf.rule} ${v.file}:${v.line} reason`).toBeGreaterThan(10);
        if (v.status === "missed") expect(v.verdict, `${vf.rule} ${v.file}:${v.line}: only a TP can be missed`).toBe("TP");
        if (v.status === "open") expect(v.verdict, `${vf.rule} ${v.file}:${v.line}: only an FP can be open`).toBe("FP");
      }
    }
  });

  it("keeps every judged true positive and no judged false positive", () => {
    const findings = lintCorpus();
    expect(findings.filter((f) => f.ruleId === "DPY000").map((f) => `${f.file}:${f.region.startLine} ${f.message}`)).toEqual([]);
    const { problems, tallies, unjudged } = judge(findings, verdictFiles);
    if (process.env.CORPUS_REPORT || process.env.CORPUS_DRAFT) {
      const rows = tallies.map((t) => `${t.rule}  findings ${t.findings}  TP ${t.tp}  FP open ${t.fpOpen}  FP fixed ${t.fpFixed}  duplicates ${t.duplicates}  missed ${t.missed}  unjudged ${t.unjudged}  precision ${precision(t)}${t.complete ? "" : "  (incomplete)"}`);
      const counts = new Map<string, number>();
      for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
      console.log(`corpus: ${findings.length} findings: ${[...counts].sort().map(([r, n]) => `${r} ${n}`).join(", ")}\n${rows.join("\n")}`);
    }
    if (process.env.CORPUS_DRAFT) {
      const judgedRules = new Set(verdictFiles.map((v) => v.rule));
      const todo = process.env.CORPUS_DRAFT === "all" ? findings.filter((f) => !judgedRules.has(f.ruleId)).concat(unjudged) : unjudged;
      console.log(todo.map((f) => `${f.ruleId} ${draft(f)}`).join("\n"));
    }
    expect(problems).toEqual([]);
  });
});
