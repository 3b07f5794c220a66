/** Human output: findings grouped by file, `line:col severity message rule`, a summary line. */
import type { Finding } from "../engine/finding.js";
import type { ReportContext } from "./types.js";

const C = { red: "\x1b[31m", yellow: "\x1b[33m", cyan: "\x1b[36m", dim: "\x1b[2m", bold: "\x1b[1m", underline: "\x1b[4m", reset: "\x1b[0m" };

export function stylish(ctx: ReportContext): string {
  const paint = (code: string, s: string) => (ctx.color ? code + s + C.reset : s);
  const shown = ctx.result.findings.filter((f) => !f.suppressions?.length);
  if (shown.length === 0) {
    const n = ctx.result.filesAnalyzed;
    return `${n} file${n === 1 ? "" : "s"} checked, no problems found.\n`;
  }
  const byFile = new Map<string, Finding[]>();
  for (const f of shown) {
    const l = byFile.get(f.file) ?? [];
    l.push(f);
    byFile.set(f.file, l);
  }
  let out = "";
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  for (const [file, list] of byFile) {
    out += `\n${paint(C.underline, file)}\n`;
    const posW = Math.max(...list.map((f) => `${f.region.startLine}:${f.region.startColumn}`.length));
    for (const f of list) {
      if (f.severity === "error") errors++;
      else if (f.severity === "warning") warnings++;
      else notes++;
      const pos = `${f.region.startLine}:${f.region.startColumn}`.padEnd(posW);
      const sev = f.severity === "error" ? paint(C.red, "error  ") : f.severity === "warning" ? paint(C.yellow, "warning") : paint(C.cyan, "note   ");
      const where = f.logical.name ? paint(C.dim, ` [${f.logical.name}]`) : "";
      out += `  ${paint(C.dim, pos)}  ${sev}  ${f.message}${where}  ${paint(C.dim, f.ruleId)}\n`;
      for (const r of f.related) out += `  ${" ".repeat(posW)}  ${paint(C.dim, `        ↳ ${r.message ?? "related"}: ${r.file}:${r.region.startLine}:${r.region.startColumn}`)}\n`;
    }
  }
  const total = errors + warnings + notes;
  const parts = [`${errors} error${errors === 1 ? "" : "s"}`, `${warnings} warning${warnings === 1 ? "" : "s"}`];
  if (notes) parts.push(`${notes} note${notes === 1 ? "" : "s"}`);
  const suppressed = ctx.result.findings.length - shown.length;
  const tail = suppressed ? `, ${suppressed} suppressed` : "";
  const line = `✖ ${total} problem${total === 1 ? "" : "s"} (${parts.join(", ")})${tail}`;
  out += `\n${paint(errors ? C.red + C.bold : C.yellow + C.bold, line)}\n`;
  return out;
}
