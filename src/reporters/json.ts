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
    findings: result.findings.map((f) => ({
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
    })),
    notifications: (result.notifications ?? []).map((n) => ({
      kind: n.kind,
      level: n.level,
      message: n.message,
      ...(n.file ? { file: n.file } : {}),
      ...(n.region ? { line: n.region.startLine, column: n.region.startColumn, endLine: n.region.endLine, endColumn: n.region.endColumn } : {}),
    })),
  };
  return JSON.stringify(report, null, 2) + "\n";
}
