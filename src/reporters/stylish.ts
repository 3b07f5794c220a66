/**
 * Human output: findings grouped by file, `line:col severity message rule`, a summary line. Suppression problems
 * (notifications) are shown as warnings among the findings of the file they are written in; suppressed and
 * baselined findings are not shown, only counted.
 */
import type { Finding } from "../engine/finding.js";
import type { Notification } from "../engine/suppressions.js";
import { safeText } from "../engine/safe-text.js";
import type { ReportContext } from "./types.js";

const C = { red: "\x1b[31m", yellow: "\x1b[33m", cyan: "\x1b[36m", dim: "\x1b[2m", bold: "\x1b[1m", underline: "\x1b[4m", reset: "\x1b[0m" };

export function stylish(ctx: ReportContext): string {
  const paint = (code: string, s: string) => (ctx.color ? code + s + C.reset : s);
  const shown = ctx.result.findings.filter((f) => !f.suppressions?.length);
  const notifications = ctx.result.notifications ?? [];
  const suppressed = ctx.result.findings.length - shown.length;
  const extras: string[] = [];
  if (suppressed) extras.push(`${suppressed} suppressed`);
  const bl = ctx.result.baseline;
  if (bl) extras.push(`${bl.matched} in baseline ${bl.file}${bl.gone ? `, ${bl.gone} baselined finding${bl.gone === 1 ? " is" : "s are"} gone (rewrite the baseline with --write-baseline)` : ""}`);
  if (shown.length === 0 && notifications.length === 0) {
    const n = ctx.result.filesAnalyzed;
    return `${n} file${n === 1 ? "" : "s"} checked, no problems found${extras.length ? ` (${extras.join(", ")})` : ""}.\n`;
  }
  type Item = { f: Finding; n?: undefined } | { n: Notification; f?: undefined };
  const byFile = new Map<string, Item[]>();
  const put = (file: string, item: Item) => {
    const l = byFile.get(file) ?? [];
    l.push(item);
    byFile.set(file, l);
  };
  for (const f of shown) put(f.file, { f });
  for (const n of notifications) put(n.file ?? "deputy", { n });
  let out = "";
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  const lineOf = (i: Item) => (i.f ? i.f.region.startLine : (i.n.region?.startLine ?? 0));
  const colOf = (i: Item) => (i.f ? i.f.region.startColumn : (i.n.region?.startColumn ?? 0));
  const files = [...byFile.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const file of files) {
    const items = byFile.get(file)!.sort((a, b) => lineOf(a) - lineOf(b) || colOf(a) - colOf(b));
    out += `\n${paint(C.underline, safeText(file))}\n`;
    // A loop, not Math.max(...items): spreading 150,000 arguments overflows the stack.
    let posW = 0;
    for (const i of items) posW = Math.max(posW, `${lineOf(i)}:${colOf(i)}`.length);
    for (const item of items) {
      if (item.n) {
        warnings++;
        const pos = `${lineOf(item)}:${colOf(item)}`.padEnd(posW);
        out += `  ${paint(C.dim, pos)}  ${paint(C.yellow, "warning")}  ${item.n.message}  ${paint(C.dim, item.n.kind)}\n`;
        continue;
      }
      const f = item.f;
      if (f.severity === "error") errors++;
      else if (f.severity === "warning") warnings++;
      else notes++;
      const pos = `${f.region.startLine}:${f.region.startColumn}`.padEnd(posW);
      const sev = f.severity === "error" ? paint(C.red, "error  ") : f.severity === "warning" ? paint(C.yellow, "warning") : paint(C.cyan, "note   ");
      const where = f.logical.name ? paint(C.dim, ` [${f.logical.name}]`) : "";
      const fixable = f.fix ? paint(C.dim, f.fix.safe ? " (fixable)" : " (fixable with --unsafe-fixes)") : "";
      out += `  ${paint(C.dim, pos)}  ${sev}  ${f.message}${where}  ${paint(C.dim, f.ruleId)}${fixable}\n`;
      for (const r of f.related) out += `  ${" ".repeat(posW)}  ${paint(C.dim, `        ↳ ${r.message ?? "related"}: ${safeText(r.file)}:${r.region.startLine}:${r.region.startColumn}`)}\n`;
    }
  }
  const total = errors + warnings + notes;
  const parts = [`${errors} error${errors === 1 ? "" : "s"}`, `${warnings} warning${warnings === 1 ? "" : "s"}`];
  if (notes) parts.push(`${notes} note${notes === 1 ? "" : "s"}`);
  const tail = extras.length ? `, ${extras.join(", ")}` : "";
  const line = `✖ ${total} problem${total === 1 ? "" : "s"} (${parts.join(", ")})${tail}`;
  out += `\n${paint(errors ? C.red + C.bold : C.yellow + C.bold, line)}\n`;
  const safe = shown.filter((f) => f.fix?.safe).length;
  const unsafe = shown.filter((f) => f.fix && !f.fix.safe).length;
  if (safe || unsafe) {
    const parts2: string[] = [];
    if (safe) parts2.push(`${safe} ${safe === 1 ? "problem" : "problems"} can be fixed with --fix`);
    if (unsafe) parts2.push(`${unsafe} ${safe ? "more" : unsafe === 1 ? "problem" : "problems"} with --unsafe-fixes (see them first: --fix-dry-run --unsafe-fixes)`);
    out += `${paint(C.dim, parts2.join(", ") + ".")}\n`;
  }
  return out;
}
