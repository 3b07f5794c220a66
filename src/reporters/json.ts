/**
 * Machine output: a documented, versioned shape. `schemas/report.schema.json` (shipped in the package) describes it;
 * `$schema` names that file in the package of the version that wrote the report.
 */
import { helpUri } from "../engine/rule.js";
import type { ReportContext } from "./types.js";

export const JSON_REPORT_VERSION = 1;

/** The shipped schema of the report, on the npm CDN that serves each published version's files. */
export function reportSchemaUri(version: string): string {
  return `https://unpkg.com/deputy-lint@${version}/schemas/report.schema.json`;
}

export function jsonReport(ctx: ReportContext): string {
  return [...jsonReportChunks(ctx)].join("");
}

// Stands for the findings array in the report's skeleton, which is serialized once; the findings are serialized one
// at a time into the place it marks.
const FINDINGS = "\u0000deputy-findings\u0000";

/**
 * The JSON report as consecutive pieces of text (byte-identical to one JSON.stringify of the whole report): hundreds
 * of thousands of findings serialized at once make a string longer than V8 allows ("Invalid string length") after
 * building the whole object tree; this way the CLI writes each piece as it comes.
 */
export function* jsonReportChunks(ctx: ReportContext): Generator<string> {
  const { result } = ctx;
  const count = (s: string) => result.findings.filter((f) => f.severity === s && !f.suppressions?.length).length;
  const report = {
    $schema: reportSchemaUri(ctx.toolVersion),
    schemaVersion: JSON_REPORT_VERSION,
    tool: { name: "deputy", version: ctx.toolVersion, iamCatalogVersion: ctx.catalogVersion },
    summary: {
      filesScanned: result.filesScanned,
      filesAnalyzed: result.filesAnalyzed,
      errors: count("error"),
      warnings: count("warning"),
      notes: count("note"),
      suppressed: result.findings.filter((f) => f.suppressions?.length).length,
      notifications: (result.notifications ?? []).length,
      ...(result.baseline ? { baseline: result.baseline } : {}),
    },
    rules: result.rules.map((r) => ({
      code: r.code,
      name: r.name,
      severity: r.severity,
      category: r.category,
      description: r.description,
      helpUri: helpUri(r),
    })),
    findings: FINDINGS,
    notifications: (result.notifications ?? []).map((n) => ({
      kind: n.kind,
      level: n.level,
      message: n.message,
      ...(n.file ? { file: n.file } : {}),
      ...(n.region ? { line: n.region.startLine, column: n.region.startColumn, endLine: n.region.endLine, endColumn: n.region.endColumn } : {}),
    })),
  };
  const text = JSON.stringify(report, null, 2) + "\n";
  const marker = `"findings": ${JSON.stringify(FINDINGS)}`;
  const at = text.indexOf(marker);
  yield text.slice(0, at) + '"findings": [';
  const findings = result.findings;
  if (findings.length === 0) yield "]";
  let chunk = "";
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const item = {
      ruleId: f.ruleId,
      ruleName: f.ruleName,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.region.startLine,
      column: f.region.startColumn,
      endLine: f.region.endLine,
      endColumn: f.region.endColumn,
      logicalLocation: f.logical,
      fingerprint: f.fingerprint,
      related: f.related.map((r) => ({ file: r.file, line: r.region.startLine, column: r.region.startColumn, endLine: r.region.endLine, endColumn: r.region.endColumn, message: r.message ?? "" })),
      suppressions: f.suppressions ?? [],
      // Edits by offset: UTF-16 code units into the file's text as decoded (without a byte order mark).
      ...(f.fix ? { fix: { description: f.fix.description, safe: f.fix.safe, edits: f.fix.edits.map((e) => ({ file: e.file, start: e.start, end: e.end, text: e.text })) } } : {}),
    };
    chunk += (i === 0 ? "\n    " : ",\n    ") + JSON.stringify(item, null, 2).replace(/\n/g, "\n    ");
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = "";
    }
  }
  if (findings.length > 0) yield chunk + "\n  ]";
  yield text.slice(at + marker.length);
}
