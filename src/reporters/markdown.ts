/**
 * A Markdown summary (GitHub job summaries, pull-request comments): counts, then a table of reported findings and
 * suppression problems, most severe first, at most `MAX_ROWS` rows. Each row links to its rule's page and, when the
 * repository's address is known (`blobBase`: under GitHub Actions), to its file and line.
 *
 * Everything that comes from the linted files (messages quote values, file names are the user's) goes through
 * `escapeMarkdown`, so it shows as the text it is: no link, image, emphasis, code span, HTML, table cell break,
 * autolink, @mention or issue reference can be made from an input.
 */
import { helpUri } from "../engine/rule.js";
import { safeText } from "../engine/safe-text.js";
import { SUPPRESSIONS_HELP } from "./sarif.js";
import type { ReportContext } from "./types.js";

export const MAX_ROWS = 100;

/** Zero-width space: separates what GitHub would turn into a mention, an issue link or an autolink. */
const ZWSP = "\u200B";

/**
 * Markdown-inert text for a paragraph or a table cell. Line breaks become spaces; every ASCII punctuation character is
 * backslash-escaped (CommonMark lets any of them be, and an escaped character starts no construct: `[`, `*`, `_`, `` ` ``,
 * `<`, `&`, `|`, `~`, `!`...); and a zero-width space goes after `@` (mentions, e-mail autolinks), after `#` before a
 * digit (issue references), inside `://` and after `www` (URL autolinks), which GitHub finds in the rendered text,
 * where escapes no longer show.
 */
export function escapeMarkdown(s: string): string {
  return safeText(s)
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/@/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)(?=\.)/gi, `$1${ZWSP}`)
    .replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/**
 * An inert code span (file names): fenced with more backticks than the text holds, padded when it starts or ends
 * with one. In a table cell, text with a pipe or a backslash is escaped text instead: GFM splits cells before it
 * reads code spans, and a backslash could turn the escape of a pipe into an escaped backslash and a cell break.
 */
export function codeSpan(s: string, inTable: boolean): string {
  const t = safeText(s).replace(/\r\n|\r|\n/g, " ");
  // A pipe or backslash in a cell: escaped text instead (a code span cannot escape the backslash before a pipe).
  if (inTable && /[\\|]/.test(t)) return escapeMarkdown(t);
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = t.startsWith("`") || t.endsWith("`") || (t.startsWith(" ") && t.endsWith(" ") && t.trim() !== "") ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A link destination: each path segment percent-encoded, parentheses too (they would end the destination). */
function encodePath(p: string): string {
  return p
    .split("/")
    .map((seg) => encodeURIComponent(seg).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

const ICON = { error: "❌ error", warning: "⚠️ warning", note: "ℹ️ note" } as const;
const RANK = { error: 0, warning: 1, note: 2 } as const;

export function markdown(ctx: ReportContext): string {
  const { result } = ctx;
  const shown = result.findings.filter((f) => !f.suppressions?.length);
  const notes = result.notifications ?? [];
  const count = (s: string) => shown.filter((f) => f.severity === s).length;
  const errors = count("error");
  const warnings = count("warning") + notes.length;
  const noteCount = count("note");
  const suppressed = result.findings.length - shown.length;
  const files = `${result.filesAnalyzed} file${result.filesAnalyzed === 1 ? "" : "s"}`;
  let out = `## deputy\n\n`;
  if (shown.length === 0 && notes.length === 0) {
    out += `✅ ${files} checked, no problems found.\n`;
  } else {
    out += `**${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${noteCount ? `, ${noteCount} note${noteCount === 1 ? "" : "s"}` : ""}** in ${files} checked.\n`;
  }
  const extra: string[] = [];
  if (suppressed) extra.push(`${suppressed} suppressed with a reason`);
  if (result.baseline) extra.push(`${result.baseline.matched} in baseline ${codeSpan(result.baseline.file, false)}${result.baseline.gone ? ` (${result.baseline.gone} baselined finding${result.baseline.gone === 1 ? " is" : "s are"} gone)` : ""}`);
  if (extra.length) out += `\n${extra.join(" · ")}\n`;
  if (shown.length === 0 && notes.length === 0) return out;

  const location = (file: string, line: number, col?: number): string => {
    const text = codeSpan(`${file}:${line}${col !== undefined ? `:${col}` : ""}`, true);
    return ctx.blobBase ? `[${text}](${ctx.blobBase}${encodePath(file)}#L${line})` : text;
  };
  const rows: { rank: number; order: number; text: string }[] = [];
  for (const f of shown) {
    const rule = `[${escapeMarkdown(`${f.ruleId} ${f.ruleName}`)}](${helpUri({ code: f.ruleId, name: f.ruleName })})`;
    rows.push({ rank: RANK[f.severity], order: rows.length, text: `| ${ICON[f.severity]} | ${rule} | ${location(f.file, f.region.startLine, f.region.startColumn)} | ${escapeMarkdown(f.message)} |` });
  }
  for (const n of notes) {
    const rule = `[${escapeMarkdown(n.kind)}](${SUPPRESSIONS_HELP})`;
    const where = n.file ? location(n.file, n.region?.startLine ?? 1) : "deputy";
    rows.push({ rank: RANK.warning, order: rows.length, text: `| ${ICON.warning} | ${rule} | ${where} | ${escapeMarkdown(n.message)} |` });
  }
  rows.sort((a, b) => a.rank - b.rank || a.order - b.order);
  out += `\n| | rule | location | message |\n|---|---|---|---|\n`;
  out += rows.slice(0, MAX_ROWS).map((r) => r.text).join("\n") + "\n";
  if (rows.length > MAX_ROWS) {
    const where = ctx.sarifFile ? `code scanning (the SARIF file ${codeSpan(ctx.sarifFile, false)}) and this step's log` : "the SARIF report (code scanning) or deputy --format json";
    out += `\n… and ${rows.length - MAX_ROWS} more, the least severe: see ${where}.\n`;
  }
  return out;
}
