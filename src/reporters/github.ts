/** GitHub Actions workflow commands: one annotation per finding. */
import { safeText } from "../engine/safe-text.js";
import type { ReportContext } from "./types.js";

/** Escapes the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value (also `:` and `,`, which separate properties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function github(ctx: ReportContext): string {
  let out = "";
  for (const f of ctx.result.findings) {
    if (f.suppressions?.length) continue;
    const cmd = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
    const r = f.region;
    const props = [`file=${escapeProperty(safeText(f.file))}`, `line=${r.startLine}`];
    // Columns only for single-line spans (GitHub ignores them otherwise).
    if (r.endLine === r.startLine) props.push(`col=${r.startColumn}`);
    props.push(`endLine=${r.endLine}`);
    if (r.endLine === r.startLine) props.push(`endColumn=${r.endColumn}`);
    props.push(`title=${escapeProperty(`${f.ruleId} ${f.ruleName}`)}`);
    out += `::${cmd} ${props.join(",")}::${escapeData(f.message)}\n`;
  }
  // Problems with suppressions: warnings, located where the suppression is written.
  for (const n of ctx.result.notifications ?? []) {
    const props: string[] = [];
    if (n.file) props.push(`file=${escapeProperty(safeText(n.file))}`);
    if (n.region) {
      props.push(`line=${n.region.startLine}`);
      if (n.region.endLine === n.region.startLine) props.push(`col=${n.region.startColumn}`);
    }
    props.push(`title=${escapeProperty(`deputy ${n.kind}`)}`);
    out += `::warning ${props.join(",")}::${escapeData(n.message)}\n`;
  }
  return out;
}
