/**
 * GitHub Actions workflow commands: one annotation per finding, within what GitHub shows. A step gets at most 10
 * error, 10 warning and 10 notice annotations (50 per job); commands past that are dropped without a word. So errors
 * come first (the most security-relevant first), each kind is capped, the rest are printed as plain log lines
 * (`file:line:col: severity CODE message`, no workflow command), and a notice says how many were left out and where
 * to see them all (the log, the SARIF file in code scanning, the step summary).
 */
import type { Finding } from "../engine/finding.js";
import { safeText } from "../engine/safe-text.js";
import type { Notification } from "../engine/suppressions.js";
import type { ReportContext } from "./types.js";

/** Annotations of one kind that GitHub shows per step. */
export const ANNOTATIONS_PER_KIND = 10;

/** Escapes the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value (also `:` and `,`, which separate properties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

type Kind = "error" | "warning" | "notice";

interface Item {
  kind: Kind;
  securitySeverity: number;
  order: number;
  command: string;
  plain: string;
}

/** One line of the log that can never be read as a workflow command (no line break, not starting with `::`). */
function plainLine(s: string): string {
  return s.replace(/[\r\n]+/g, " ").replace(/^\s*::/, ": :");
}

function findingItem(f: Finding, order: number, securitySeverity: number): Item {
  const kind: Kind = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
  const r = f.region;
  const props = [`file=${escapeProperty(safeText(f.file))}`, `line=${r.startLine}`];
  // Columns only for single-line spans (GitHub ignores them otherwise).
  if (r.endLine === r.startLine) props.push(`col=${r.startColumn}`);
  props.push(`endLine=${r.endLine}`);
  if (r.endLine === r.startLine) props.push(`endColumn=${r.endColumn}`);
  props.push(`title=${escapeProperty(`${f.ruleId} ${f.ruleName}`)}`);
  return {
    kind,
    securitySeverity,
    order,
    command: `::${kind} ${props.join(",")}::${escapeData(f.message)}\n`,
    plain: plainLine(`${safeText(f.file)}:${r.startLine}:${r.startColumn}: ${f.severity} ${f.ruleId} ${f.message}`) + "\n",
  };
}

/** Problems with suppressions: warnings, located where the suppression is written. */
function notificationItem(n: Notification, order: number): Item {
  const props: string[] = [];
  if (n.file) props.push(`file=${escapeProperty(safeText(n.file))}`);
  if (n.region) {
    props.push(`line=${n.region.startLine}`);
    if (n.region.endLine === n.region.startLine) props.push(`col=${n.region.startColumn}`);
  }
  props.push(`title=${escapeProperty(`deputy ${n.kind}`)}`);
  const where = n.file ? `${safeText(n.file)}:${n.region?.startLine ?? 1}:${n.region?.startColumn ?? 1}` : "deputy";
  return { kind: "warning", securitySeverity: 0, order, command: `::warning ${props.join(",")}::${escapeData(n.message)}\n`, plain: plainLine(`${where}: warning ${n.kind} ${n.message}`) + "\n" };
}

export function github(ctx: ReportContext): string {
  const severityOf = new Map(ctx.result.rules.map((r) => [r.code, r.securitySeverity]));
  const items: Item[] = [];
  for (const f of ctx.result.findings) if (!f.suppressions?.length) items.push(findingItem(f, items.length, severityOf.get(f.ruleId) ?? 0));
  for (const n of ctx.result.notifications ?? []) items.push(notificationItem(n, items.length));
  const RANK: Record<Kind, number> = { error: 0, warning: 1, notice: 2 };
  items.sort((a, b) => RANK[a.kind] - RANK[b.kind] || b.securitySeverity - a.securitySeverity || a.order - b.order);
  const total = { error: 0, warning: 0, notice: 0 };
  for (const i of items) total[i.kind]++;
  const overflow = items.length > 0 && (["error", "warning", "notice"] as const).some((k) => total[k] > ANNOTATIONS_PER_KIND);
  // When something is left out, one notice slot carries the count.
  const limit: Record<Kind, number> = { error: ANNOTATIONS_PER_KIND, warning: ANNOTATIONS_PER_KIND, notice: overflow ? ANNOTATIONS_PER_KIND - 1 : ANNOTATIONS_PER_KIND };
  const used = { error: 0, warning: 0, notice: 0 };
  let out = "";
  const rest: Item[] = [];
  for (const i of items) {
    if (used[i.kind] < limit[i.kind]) {
      used[i.kind]++;
      out += i.command;
    } else rest.push(i);
  }
  if (rest.length === 0) return out;
  const left = { error: 0, warning: 0, notice: 0 };
  for (const i of rest) left[i.kind]++;
  const parts = [left.error ? `${left.error} error${left.error === 1 ? "" : "s"}` : "", left.warning ? `${left.warning} warning${left.warning === 1 ? "" : "s"}` : "", left.notice ? `${left.notice} note${left.notice === 1 ? "" : "s"}` : ""].filter(Boolean);
  const where = [
    "the lines below in this step's log",
    ctx.sarifFile ? `code scanning (the SARIF file ${ctx.sarifFile}, once uploaded)` : "code scanning (run with --format sarif and upload the file)",
    ctx.sarifFile ? "the job summary" : "the job summary (--format markdown >> $GITHUB_STEP_SUMMARY)",
  ];
  const summary = `deputy: ${rest.length} of ${items.length} problems are not shown as annotations (GitHub shows ${ANNOTATIONS_PER_KIND} errors, ${ANNOTATIONS_PER_KIND} warnings and ${ANNOTATIONS_PER_KIND} notices per step): ${parts.join(", ")}. See them all in ${where.join(", ")}.`;
  out += `::notice title=${escapeProperty(`deputy: ${rest.length} more not annotated`)}::${escapeData(summary)}\n`;
  out += `${plainLine(summary)}\n`;
  for (const i of rest) out += i.plain;
  return out;
}
