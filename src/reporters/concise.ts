/**
 * One line per problem, for grep, editors and problem matchers (`--format concise`, ruff's name for it):
 *
 *   file:line:col: severity CODE message
 *
 * severity is error, warning or note; CODE is the rule code, or the kind of a suppression problem
 * (suppression-no-reason ...). Related locations follow the message in parentheses on the same line, so every
 * line stands alone (`editors/vscode/tasks.json` has the matching VS Code problem matcher). Suppressed and baselined
 * findings are not shown; a last line counts the problems.
 */
import type { ReportContext } from "./types.js";

const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, " ");

export function concise(ctx: ReportContext): string {
  const rows: { file: string; line: number; col: number; text: string }[] = [];
  const count = { error: 0, warning: 0, note: 0 };
  for (const f of ctx.result.findings) {
    if (f.suppressions?.length) continue;
    count[f.severity]++;
    const related = f.related.map((r) => `${r.message ?? "related"}: ${r.file}:${r.region.startLine}:${r.region.startColumn}`);
    const message = oneLine(f.message) + (related.length ? ` (${oneLine(related.join("; "))})` : "");
    rows.push({ file: f.file, line: f.region.startLine, col: f.region.startColumn, text: `${f.severity} ${f.ruleId} ${message}` });
  }
  for (const n of ctx.result.notifications ?? []) {
    count[n.level]++;
    // A problem with no file (none is expected) is said without a position, so no matcher takes "deputy" for a file.
    rows.push({ file: n.file ?? "", line: n.region?.startLine ?? 1, col: n.region?.startColumn ?? 1, text: `${n.level} ${n.kind} ${oneLine(n.message)}` });
  }
  rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
  let out = rows.map((r) => (r.file ? `${r.file}:${r.line}:${r.col}: ${r.text}\n` : `deputy: ${r.text}\n`)).join("");
  const total = count.error + count.warning + count.note;
  const parts = [`${count.error} error${count.error === 1 ? "" : "s"}`, `${count.warning} warning${count.warning === 1 ? "" : "s"}`];
  if (count.note) parts.push(`${count.note} note${count.note === 1 ? "" : "s"}`);
  out += total ? `${total} problem${total === 1 ? "" : "s"} (${parts.join(", ")})\n` : `${ctx.result.filesAnalyzed} file${ctx.result.filesAnalyzed === 1 ? "" : "s"} checked, no problems found.\n`;
  return out;
}
