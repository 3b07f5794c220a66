/**
 * JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure DevOps): one `<testsuite>` per rule that
 * ran, one failing `<testcase>` per finding (named `file:line:col`, with the message), a single passing testcase for a
 * rule without findings, `<skipped>` for suppressed findings. Problems with suppressions form a `deputy` suite.
 */
import { ruleMayRun } from "../config/config.js";
import type { Finding } from "../engine/finding.js";
import type { ReportContext } from "./types.js";

/** XML-escapes text and attribute values, dropping characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const TYPE = { error: "error", warning: "warning", note: "note" } as const;

function where(f: Finding): string {
  return `${f.file}:${f.region.startLine}:${f.region.startColumn}`;
}

export function junit(ctx: ReportContext): string {
  const { result } = ctx;
  const byRule = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const l = byRule.get(f.ruleId) ?? [];
    l.push(f);
    byRule.set(f.ruleId, l);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const rule of result.rules) {
    const list = byRule.get(rule.code) ?? [];
    // A rule that is off everywhere did not run: no testsuite for it.
    if (list.length === 0 && !ruleMayRun(result.project.config, rule)) continue;
    byRule.delete(rule.code);
    const name = `${rule.code} ${rule.name}`;
    const cases: string[] = [];
    let ruleFailures = 0;
    let ruleSkipped = 0;
    if (list.length === 0) {
      cases.push(`    <testcase classname="${xmlEscape(name)}" name="${xmlEscape(rule.description)}"/>`);
    }
    for (const f of list) {
      const attrs = `classname="${xmlEscape(name)}" name="${xmlEscape(where(f))}" file="${xmlEscape(f.file)}" line="${f.region.startLine}"`;
      if (f.suppressions?.length) {
        ruleSkipped++;
        const why = f.suppressions.map((s) => s.justification).join("; ");
        cases.push(`    <testcase ${attrs}>\n      <skipped message="${xmlEscape(`suppressed: ${why}`)}"/>\n    </testcase>`);
        continue;
      }
      ruleFailures++;
      const detail = [`${f.severity} ${f.ruleId} ${f.ruleName} at ${where(f)}`, f.message, f.logical.name ? `in ${f.logical.name}` : "", f.logical.path ? `path ${f.logical.path}` : ""]
        .filter(Boolean)
        .join("\n");
      cases.push(`    <testcase ${attrs}>\n      <failure message="${xmlEscape(f.message)}" type="${TYPE[f.severity]}">${xmlEscape(detail)}</failure>\n    </testcase>`);
    }
    const n = Math.max(1, list.length);
    tests += n;
    failures += ruleFailures;
    skipped += ruleSkipped;
    suites.push(`  <testsuite name="${xmlEscape(name)}" tests="${n}" failures="${ruleFailures}" errors="0" skipped="${ruleSkipped}">\n${cases.join("\n")}\n  </testsuite>`);
  }
  const notes = result.notifications ?? [];
  if (notes.length) {
    const cases = notes.map((n) => {
      const loc = n.file ? `${n.file}:${n.region?.startLine ?? 1}:${n.region?.startColumn ?? 1}` : "deputy";
      return `    <testcase classname="deputy ${xmlEscape(n.kind)}" name="${xmlEscape(loc)}"${n.file ? ` file="${xmlEscape(n.file)}"` : ""}${n.region ? ` line="${n.region.startLine}"` : ""}>\n      <failure message="${xmlEscape(n.message)}" type="${n.level}">${xmlEscape(n.message)}</failure>\n    </testcase>`;
    });
    tests += notes.length;
    failures += notes.length;
    suites.push(`  <testsuite name="deputy suppressions" tests="${notes.length}" failures="${notes.length}" errors="0" skipped="0">\n${cases.join("\n")}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="deputy" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n${suites.join("\n")}\n</testsuites>\n`;
}
