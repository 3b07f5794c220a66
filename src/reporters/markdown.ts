/**
 * A Markdown summary (GitHub job summaries, pull-request comments): counts, then a table of reported findings and
 * suppression problems, at most `MAX_ROWS` rows.
 */
import { safeText } from "../engine/safe-text.js";
import type { ReportContext } from "./types.js";

export const MAX_ROWS = 100;

function cell(s: string): string {
  return safeText(s).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}

const ICON = { error: "❌", warning: "⚠️", note: "ℹ️" } as const;

export function markdown(ctx: ReportContext): string {
  const { result } = ctx;
  const shown = result.findings.filter((f) => !f.suppressions?.length);
  const notes = result.notifications ?? [];
  const count = (s: string) => shown.filter((f) => f.severity === s).length;
  const errors = count("error");
  const warnings = count("warning") + notes.length;
  const noteCount = count("note");
  const suppressed = result.findings.length - shown.length;
  let out = `## deputy\n\n`;
  if (shown.length === 0 && notes.length === 0) {
    out += `✅ ${result.filesAnalyzed} file${result.filesAnalyzed === 1 ? "" : "s"} checked, no problems found.\n`;
  } else {
    out += `**${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${noteCount ? `, ${noteCount} note${noteCount === 1 ? "" : "s"}` : ""}** in ${result.filesAnalyzed} file${result.filesAnalyzed === 1 ? "" : "s"} checked.\n`;
  }
  const extra: string[] = [];
  if (suppressed) extra.push(`${suppressed} suppressed with a reason`);
  if (result.baseline) extra.push(`${result.baseline.matched} in baseline \`${cell(result.baseline.file)}\`${result.baseline.gone ? ` (${result.baseline.gone} baselined finding${result.baseline.gone === 1 ? " is" : "s are"} gone)` : ""}`);
  if (extra.length) out += `\n${extra.join(" · ")}\n`;
  if (shown.length || notes.length) {
    out += `\n| | rule | location | message |\n|---|---|---|---|\n`;
    const rows: string[] = [];
    for (const f of shown) rows.push(`| ${ICON[f.severity]} | ${f.ruleId} ${cell(f.ruleName)} | \`${cell(f.file)}:${f.region.startLine}:${f.region.startColumn}\` | ${cell(f.message)} |`);
    for (const n of notes) rows.push(`| ${ICON.warning} | suppression | \`${cell(n.file ?? "deputy")}:${n.region?.startLine ?? 1}\` | ${cell(n.message)} |`);
    out += rows.slice(0, MAX_ROWS).join("\n") + "\n";
    if (rows.length > MAX_ROWS) out += `\n… and ${rows.length - MAX_ROWS} more (see the annotations or the SARIF file).\n`;
  }
  return out;
}
