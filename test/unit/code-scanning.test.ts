/**
 * SARIF and annotations as GitHub code scanning and Actions take them: within their limits (an upload of more than
 * 25,000 results is rejected, 5,000 are displayed; a step shows 10 error, 10 warning and 10 notice annotations), with
 * the fingerprint code scanning tracks alerts by, related locations linked from the message, no local path, tool
 * and input problems not counted as security alerts, and suppression problems as results. Checked against the
 * official SARIF schema and, where its binary is installed (a dev dependency), Microsoft's SARIF multitool with the
 * GitHub rules.
 */
import Ajv04Module from "ajv-draft-04";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAction } from "../../src/cli/action.js";
import { main, type CliIO } from "../../src/cli/main.js";
import type { LintResult } from "../../src/engine/engine.js";
import type { Finding } from "../../src/engine/finding.js";
import { ANNOTATIONS_PER_KIND, github } from "../../src/reporters/github.js";
import { DEFAULT_MAX_SARIF_RESULTS, sarif, sarifText, SUPPRESSION_RULES } from "../../src/reporters/sarif.js";
import type { ReportContext } from "../../src/reporters/types.js";
import { CASES, lint, ROOT } from "../helpers.js";

const Ajv04 = (Ajv04Module as unknown as { default: typeof Ajv04Module.default }).default;
const validate = new Ajv04({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, "schemas", "sarif-schema-2.1.0.json"), "utf8")) as object);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  relatedLocations?: { id: number; message: { text: string } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: unknown[];
}
interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; properties: { tags: string[]; "security-severity"?: string } }[] } };
    originalUriBaseIds: Record<string, { uri?: string }>;
    results: SarifResult[];
    invocations?: { toolExecutionNotifications?: { descriptor: { id: string }; level: string; message: { text: string } }[]; properties?: Record<string, unknown> }[];
  }[];
}

function ctx(result: LintResult, cwd: string, extra: Partial<ReportContext> = {}): ReportContext {
  return { result, cwd, color: false, toolVersion: "0.0.0-test", catalogVersion: "c", ...extra };
}

function sarifOf(result: LintResult, cwd: string, extra: Partial<ReportContext> = {}): { text: string; log: SarifLog } {
  const text = sarif(ctx(result, cwd, extra));
  return { text, log: JSON.parse(text) as SarifLog };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-cs-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const suppressed = (entries: string) => `Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      deputy:
        suppress:
${entries}
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: allow
            Action: s3:GetObject
            Resource: "arn:aws:s3:::b/*"
`;

const SUPPRESSION_PROJECT = {
  "no-reason.yaml": suppressed("          - rule: DPY002"),
  "unknown.yaml": suppressed('          - rule: invalid-policy-documents\n            reason: "typo in the name"'),
  "expired.yaml": suppressed('          - rule: DPY002\n            reason: "temporary"\n            expires: "2025-01-31"'),
  "unused.yaml": suppressed('          - rule: DPY202\n            reason: "nothing to hide"'),
};

/** `n` findings copied round-robin from `base`, a third each error, warning and note, with distinct fingerprints. */
function many(base: LintResult, n: number): LintResult {
  const levels = ["note", "warning", "error"] as const;
  const findings: Finding[] = Array.from({ length: n }, (_, i) => ({ ...base.findings[i % base.findings.length]!, severity: levels[i % 3]!, fingerprint: `fp${i}`, suppressions: undefined }));
  return { ...base, findings, notifications: [] };
}

describe("SARIF for code scanning", () => {
  const graphDir = join(CASES, "graph", "genesys-lambda");
  const graphResult = lint(graphDir, graphDir);

  it("writes primaryLocationLineHash, deputy's line-independent identity, on every result", () => {
    const { log } = sarifOf(graphResult, graphDir);
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}$/);
    expect(results.map((r) => r.partialFingerprints.primaryLocationLineHash)).toEqual(graphResult.findings.map((f) => f.fingerprint));
    expect(new Set(results.map((r) => r.partialFingerprints.primaryLocationLineHash)).size).toBe(results.length);
  });

  it("links each related location from the message text, [text](id), as code scanning shows them", () => {
    const { log } = sarifOf(graphResult, graphDir);
    const withRelated = log.runs[0]!.results.filter((r) => r.relatedLocations?.length);
    expect(withRelated.length).toBeGreaterThan(0);
    for (const r of withRelated) {
      for (const rel of r.relatedLocations!) expect(r.message.text).toContain(`[${rel.message.text}](${rel.id})`);
      // Every embedded link points at an existing related location.
      const ids = [...r.message.text.matchAll(/(?<!\\)\[[^\]]*?(?<!\\)\]\((\d+)\)/g)].map((m) => Number(m[1]));
      expect(ids.sort()).toEqual(r.relatedLocations!.map((x) => x.id).sort());
    }
    expect(sarifText("Statement[0] [x](1)")).toBe("Statement\\[0\\] \\[x\\](1)");
    expect(sarifText("Statement[0] [REDACTED 16 chars]")).toBe("Statement[0] [REDACTED 16 chars]");
  });

  it("keeps the local folder out: %SRCROOT% has no absolute URI, and no absolute path appears anywhere", () => {
    const { text, log } = sarifOf(graphResult, graphDir);
    expect(log.runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri).toBeUndefined();
    expect(text).not.toContain(graphDir);
    expect(text).not.toContain("file://");
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it("does not tag DPY000 and DPY001 as security alerts; every other rule has a security severity", () => {
    const { log } = sarifOf(graphResult, graphDir);
    for (const r of log.runs[0]!.tool.driver.rules) {
      const security = r.properties.tags.includes("security");
      if (r.id === "DPY000" || r.id === "DPY001" || r.id.startsWith("suppression-")) {
        expect(security, r.id).toBe(false);
        expect(r.properties["security-severity"], r.id).toBeUndefined();
      } else {
        expect(security, r.id).toBe(true);
        expect(Number(r.properties["security-severity"]), r.id).toBeGreaterThan(0);
      }
    }
  });

  it("reports suppression problems (unknown rule, no reason, unused, expired) as results of their own rules", () => {
    const dir = project(SUPPRESSION_PROJECT);
    const result = lint(dir, dir);
    const { log } = sarifOf(result, dir);
    const run = log.runs[0]!;
    const problems = run.results.filter((r) => r.ruleId.startsWith("suppression-"));
    expect(problems.map((r) => `${r.locations![0]!.physicalLocation.artifactLocation.uri}:${r.locations![0]!.physicalLocation.region.startLine} ${r.ruleId}`).sort()).toEqual([
      "expired.yaml:7 suppression-expired",
      "no-reason.yaml:7 suppression-no-reason",
      "unknown.yaml:7 suppression-unknown-rule",
      "unused.yaml:7 suppression-unused",
    ]);
    for (const r of problems) {
      expect(r.level).toBe("warning");
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(SUPPRESSION_RULES.map((s) => s.id)));
    // Still in the invocation's notifications too.
    expect(run.invocations![0]!.toolExecutionNotifications!.map((n) => n.descriptor.id).sort()).toEqual(["suppression-expired", "suppression-no-reason", "suppression-unknown-rule", "suppression-unused"]);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it(`keeps the ${DEFAULT_MAX_SARIF_RESULTS} most severe of 27,969 results and says what was cut`, () => {
    const big = many(graphResult, 27969);
    const { log } = sarifOf(big, graphDir);
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(DEFAULT_MAX_SARIF_RESULTS);
    expect(run.results.every((r) => r.level === "error")).toBe(true);
    const note = run.invocations![0]!.toolExecutionNotifications!.find((n) => n.descriptor.id === "results-truncated")!;
    expect(note.level).toBe("warning");
    expect(note.message.text).toContain("deputy found 27969 results; this SARIF file holds the 5000 most severe");
    expect(note.message.text).toContain("Left out: 4323 errors, 9323 warnings, 9323 notes.");
    expect(note.message.text).toContain("--max-sarif-results");
    expect(run.invocations![0]!.properties).toEqual({ results: { found: 27969, written: 5000 } });
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the cap can be changed (0: none); suppressed results are the first to go", () => {
    const big = many(graphResult, 30);
    big.findings[0]!.suppressions = [{ kind: "inSource", justification: "ok" }];
    big.findings[0]!.severity = "error";
    expect(sarifOf(big, graphDir, { maxSarifResults: 0 }).log.runs[0]!.results).toHaveLength(30);
    const ten = sarifOf(big, graphDir, { maxSarifResults: 10 }).log.runs[0]!;
    expect(ten.results).toHaveLength(10);
    expect(ten.results.every((r) => r.level === "error" && !r.suppressions)).toBe(true);
    expect(sarifOf(big, graphDir, { maxSarifResults: 100 }).log.runs[0]!.invocations).toBeUndefined();
  });

  it("--max-sarif-results on the command line: a bad value is a usage error; a cut is said on stderr", async () => {
    let out = "";
    let err = "";
    const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), readStdin: async () => "", cwd: graphDir, env: {}, isTTY: false };
    expect(await main(["--max-sarif-results", "lots", "-f", "sarif"], io)).toBe(2);
    expect(err).toContain("--max-sarif-results takes a whole number");
    out = "";
    err = "";
    await main(["--max-sarif-results", "2", "-f", "sarif"], io);
    expect((JSON.parse(out) as SarifLog).runs[0]!.results).toHaveLength(2);
    expect(err).toMatch(/^deputy found \d+ results; this SARIF file holds the 2 most severe/);
  });

  const multitool = join(ROOT, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");
  const haveMultitool = process.platform === "linux" && process.arch === "x64" && existsSync(multitool);
  it.skipIf(!haveMultitool)("passes Microsoft's SARIF multitool with the GitHub rules (a capped run, suppression problems)", () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-multitool-"));
    const sup = project(SUPPRESSION_PROJECT);
    // The cap's code path on a smaller run (the multitool takes minutes over thousands of results).
    writeFileSync(join(dir, "capped.sarif"), sarif(ctx(many(graphResult, 400), graphDir, { maxSarifResults: 300 })));
    writeFileSync(join(dir, "suppressions.sarif"), sarif(ctx(lint(sup, sup), sup)));
    // A result without a location, which GitHub rejects: proves the check can fail.
    const broken = JSON.parse(sarif(ctx(graphResult, graphDir))) as SarifLog;
    delete broken.runs[0]!.results[0]!.locations;
    writeFileSync(join(dir, "broken.sarif"), JSON.stringify(broken));
    for (const name of ["capped", "suppressions", "broken"]) {
      const r = spawnSync(multitool, ["validate", join(dir, `${name}.sarif`), "--rule-kind", "Gh;Sarif", "--output", join(dir, `${name}.out.sarif`), "--log", "ForceOverwrite"], { encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const out = JSON.parse(readFileSync(join(dir, `${name}.out.sarif`), "utf8").replace(/^\uFEFF/, "")) as { runs: { results: { ruleId: string; level: string; message: { id?: string; text?: string } }[] }[] };
      const problems = out.runs[0]!.results.filter((x) => x.level === "error" || x.level === "warning").map((x) => `${x.ruleId} ${x.message.id ?? x.message.text}`);
      if (name === "broken") expect(problems.join("\n")).toMatch(/^GH\d{4} Error_MissingLocationsArray$/m);
      else expect(problems, name).toEqual([]);
    }
  }, 180_000);
  if (!haveMultitool) it("SARIF multitool check skipped: @microsoft/sarif-multitool-linux (x64) is not installed", () => expect(haveMultitool).toBe(false));
});

describe("GitHub annotations within the per-step limits", () => {
  const graphDir = join(CASES, "graph", "genesys-lambda");
  const base = lint(graphDir, graphDir);

  it("errors first, at most 10 of each kind, one notice with what was left out, the rest as plain log lines", () => {
    const r = many(base, 60);
    r.notifications = [{ kind: "suppression-unused", level: "warning", message: "Unused.", file: "a.yaml", region: { startLine: 2, startColumn: 3, endLine: 2, endColumn: 9 } }];
    const lines = github(ctx(r, graphDir, { sarifFile: "deputy.sarif" })).trimEnd().split("\n");
    const kinds = lines.map((l) => /^::(error|warning|notice) /.exec(l)?.[1] ?? "plain");
    expect(kinds.filter((k) => k === "error")).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(kinds.filter((k) => k === "warning")).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(kinds.filter((k) => k === "notice")).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(kinds.slice(0, 10).every((k) => k === "error")).toBe(true);
    const notice = lines.find((l) => l.startsWith("::notice title=deputy%3A 32 more not annotated::"));
    expect(notice).toBeDefined();
    expect(notice).toContain("32 of 61 problems are not shown as annotations");
    expect(notice).toContain("10 errors, 11 warnings, 11 notes");
    expect(notice).toContain("the SARIF file deputy.sarif");
    expect(notice).toContain("the job summary");
    const plain = lines.filter((l) => !l.startsWith("::"));
    // The summary once in the log, then one line per left-out problem, `file:line:col: severity CODE message`.
    expect(plain).toHaveLength(1 + 32);
    expect(plain.slice(1).filter((l) => / error DPY\d{3} /.test(l))).toHaveLength(10);
    expect(plain.slice(1).every((l) => /^[^:]+:\d+:\d+: (error|warning|note) (DPY\d{3}|suppression-unused) /.test(l))).toBe(true);
  });

  it("under the limits: every problem annotated, no notice", () => {
    const out = github(ctx(many(base, 9), graphDir));
    expect(out.split("\n").filter(Boolean).every((l) => l.startsWith("::"))).toBe(true);
    expect(out).not.toContain("not shown as annotations");
  });

  it("a left-out message cannot start a workflow command in the log", () => {
    const r = many(base, 40);
    for (const f of r.findings) f.message = "bad\n::error::injected";
    const out = github(ctx(r, graphDir));
    expect(out.match(/^::error/gm)).toHaveLength(ANNOTATIONS_PER_KIND);
  });
});

describe("the Action within GitHub's limits", () => {
  it("annotates at most 10 errors, names its SARIF file and the summary for the rest, and caps the SARIF as asked", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 25; i++) files[`p${String(i).padStart(2, "0")}.json`] = '{ "Version": "2012-10-17", "Statement": [{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }] }\n';
    const dir = project(files);
    const summary = join(dir, "..", `${Math.random().toString(36).slice(2)}-summary.md`);
    writeFileSync(summary, "");
    let out = "";
    const env = { GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: "true", INPUT_PATHS: ".", INPUT_SARIF_FILE: "deputy.sarif", INPUT_MAX_SARIF_RESULTS: "20", GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/infra", GITHUB_SHA: "abc123" };
    const code = await runAction({ stdout: (s) => void (out += s), env, cwd: dir });
    expect(code).toBe(1);
    expect(out.match(/^::error /gm)).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(out).toMatch(/^::notice title=deputy%3A 15 more not annotated::.*the SARIF file deputy\.sarif.*the job summary/m);
    expect(out).toMatch(/^deputy found 25 results; this SARIF file holds the 20 most severe/m);
    const log = JSON.parse(readFileSync(join(dir, "deputy.sarif"), "utf8")) as SarifLog;
    expect(log.runs[0]!.results).toHaveLength(20);
    // The step summary links rows to the files at the commit.
    expect(readFileSync(summary, "utf8")).toContain("](https://github.com/acme/infra/blob/abc123/p00.json#L1)");
  });
});
