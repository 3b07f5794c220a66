/**
 * The fix passes: overlapping fixes in report order, a fix that breaks its file or leaves its finding is taken back
 * and reported, later passes pick up what earlier ones made fixable, a second run has nothing to do. The lint here is
 * a stand-in that reports from the text, so each case says exactly what the linter would.
 */
import { describe, expect, it } from "vitest";
import type { InputFile, LintResult } from "../../src/engine/engine.js";
import type { Finding, TextEdit } from "../../src/engine/finding.js";
import { chooseFixes, runFixes } from "../../src/engine/fixer.js";
import { Project } from "../../src/engine/project.js";
import { defaultConfig } from "../../src/config/config.js";
import { unifiedDiff } from "../../src/engine/unified-diff.js";

const FILE = "p.json";
const input: InputFile = { path: FILE, absPath: "/nowhere/p.json", text: "" };

function finding(rule: string, path: string, edits: TextEdit[] | undefined, safe = true): Finding {
  return {
    ruleId: rule,
    ruleName: rule,
    severity: "error",
    message: `${rule} at ${path}`,
    file: FILE,
    region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    logical: { path },
    fingerprint: "",
    related: [],
    ...(edits ? { fix: { description: `fix ${rule}`, safe, edits } } : {}),
  };
}

function result(findings: Finding[]): LintResult {
  return { findings, filesScanned: 1, filesAnalyzed: 1, project: new Project(defaultConfig()), rules: [], notifications: [] };
}

/** A linter that finds each `marker` still in the text, with a fix that replaces it (or does what `fix` says). */
function fakeLint(rules: { rule: string; marker: string; replace: (text: string, at: number) => TextEdit[] }[]) {
  return (texts: ReadonlyMap<string, string>): LintResult => {
    const text = texts.get(FILE)!;
    const out: Finding[] = [];
    for (const r of rules) {
      const at = text.indexOf(r.marker);
      if (at >= 0) out.push(finding(r.rule, r.marker, r.replace(text, at)));
    }
    return result(out);
  };
}

const edit = (start: number, end: number, text: string): TextEdit => ({ file: FILE, start, end, text });
const POLICY = '{"Statement": [{"Effect": "Allow", "Action": "AAA", "Resource": "BBB"}]}';

describe("chooseFixes", () => {
  it("takes fixes in report order, skips one that overlaps a fix taken, shares identical edits", () => {
    const a = finding("A", "a", [edit(0, 3, "x")]);
    const b = finding("B", "b", [edit(2, 5, "y")]);
    const c = finding("C", "c", [edit(0, 3, "x"), edit(8, 9, "z")]);
    const d = finding("D", "d", [edit(9, 9, "i")]);
    const e = finding("E", "e", [edit(9, 9, "j")]);
    expect(chooseFixes([a, b, c, d, e]).map((f) => f.ruleId)).toEqual(["A", "C", "D"]);
    expect(chooseFixes([b, a]).map((f) => f.ruleId)).toEqual(["B"]);
  });
});

describe("runFixes", () => {
  const texts = new Map([[FILE, POLICY]]);
  const replaceWith = (marker: string, to: string) => (_: string, at: number) => [edit(at, at + marker.length, to)];

  it("applies fixes whose findings go away, and a second run has nothing to do", () => {
    const lint = fakeLint([
      { rule: "A", marker: "AAA", replace: replaceWith("AAA", "s3:GetObject") },
      { rule: "B", marker: "BBB", replace: replaceWith("BBB", "arn:aws:s3:::b/k") },
    ]);
    const run = runFixes([input], texts, lint(texts), lint, { unsafe: false });
    expect(run.failed).toEqual([]);
    expect(run.applied.map((f) => f.ruleId)).toEqual(["A", "B"]);
    expect(run.texts.get(FILE)).toBe('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"}]}');
    const again = runFixes([input], run.texts, lint(run.texts), lint, { unsafe: false });
    expect(again.applied).toEqual([]);
    expect(again.texts.size).toBe(0);
  });

  it("does not write a fix that breaks the file, and says so", () => {
    const lint = fakeLint([{ rule: "A", marker: "AAA", replace: (_, at) => [edit(at - 1, at + 4, "")] }]);
    const run = runFixes([input], texts, lint(texts), lint, { unsafe: false });
    expect(run.applied).toEqual([]);
    expect(run.texts.size).toBe(0);
    expect(run.failed.map((f) => `${f.finding.ruleId}: ${f.reason}`)).toEqual(["A: the fixed file would not parse"]);
  });

  it("does not write a fix that leaves its finding", () => {
    // The "fix" changes the text, but the linter still reports the same finding.
    const lint = (t: ReadonlyMap<string, string>) => result([finding("A", "Statement[0]/Action", [edit(t.get(FILE)!.indexOf("AAA"), t.get(FILE)!.indexOf("AAA") + 3, "AAAA")])]);
    const run = runFixes([input], texts, lint(texts), lint, { unsafe: false });
    expect(run.applied).toEqual([]);
    expect(run.texts.size).toBe(0);
    expect(run.failed.map((f) => f.reason)).toEqual(["it does not remove its finding"]);
  });

  it("leaves unsafe fixes alone without --unsafe-fixes", () => {
    const lint = (t: ReadonlyMap<string, string>) => {
      const at = t.get(FILE)!.indexOf("AAA");
      return result(at < 0 ? [] : [finding("A", "a", [edit(at, at + 3, "s3:GetObject")], false)]);
    };
    expect(runFixes([input], texts, lint(texts), lint, { unsafe: false }).texts.size).toBe(0);
    expect(runFixes([input], texts, lint(texts), lint, { unsafe: true }).texts.get(FILE)).toContain('"s3:GetObject"');
  });

  it("an overlapping fix waits for the next pass and is judged against the new text", () => {
    // A and B both want the Action value; A comes first in report order. After A, the linter offers B again on the
    // new text (as a rule would), and it is applied in the second pass.
    const lint = (t: ReadonlyMap<string, string>) => {
      const text = t.get(FILE)!;
      const out: Finding[] = [];
      const a = text.indexOf('"AAA"');
      if (a >= 0) out.push(finding("A", "a", [edit(a, a + 5, '"CCC"')]));
      const b = text.indexOf('"AAA"') >= 0 ? text.indexOf('"AAA"') : text.indexOf('"CCC"');
      if (b >= 0) out.push(finding("B", "b", [edit(b, b + 5, '"s3:GetObject"')]));
      return result(out);
    };
    const run = runFixes([input], texts, lint(texts), lint, { unsafe: false });
    expect(run.applied.map((f) => f.ruleId)).toEqual(["A", "B"]);
    expect(run.passes).toBe(2);
    expect(run.texts.get(FILE)).toContain('"Action": "s3:GetObject"');
  });

  it("suppressed findings are not fixed", () => {
    const lint = (t: ReadonlyMap<string, string>) => {
      const at = t.get(FILE)!.indexOf("AAA");
      const f = finding("A", "a", [edit(at, at + 3, "x")]);
      f.suppressions = [{ kind: "inSource", justification: "on purpose" }];
      return result([f]);
    };
    expect(runFixes([input], texts, lint(texts), lint, { unsafe: true }).texts.size).toBe(0);
  });
});

describe("unifiedDiff", () => {
  it("writes hunks with three lines of context", () => {
    const a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    expect(unifiedDiff(a, b, "f.txt")).toBe("--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    expect(unifiedDiff(a, a, "f.txt")).toBe("");
  });
  it("marks a last line without a line break", () => {
    expect(unifiedDiff("a", "b", "f")).toBe("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n");
  });
});
