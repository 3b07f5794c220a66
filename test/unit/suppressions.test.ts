/** Accountable suppressions: CloudFormation/CDK Metadata, YAML comments, config entries; every failure is reported. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/cli/discover.js";
import { exitCode } from "../../src/cli/pipeline.js";
import { defaultConfig, type DeputyConfig } from "../../src/config/config.js";
import { parseConfig } from "../../src/config/load.js";
import { lintFiles, type LintResult } from "../../src/engine/engine.js";
import { pathHasPrefix } from "../../src/engine/suppressions.js";
import { reporters } from "../../src/reporters/index.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-supp-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const NOW = new Date("2025-06-15T12:00:00Z");

function run(dir: string, configText?: string): LintResult {
  const config: DeputyConfig = configText === undefined ? defaultConfig() : parseConfig(configText, "deputy.config.yaml", dir);
  return lintFiles(discover([], dir, []), config, { now: NOW });
}

function render(format: string, result: LintResult, cwd: string): string {
  return reporters[format]!({ result, cwd, color: false, toolVersion: "0.0.0-test", catalogVersion: "test" });
}

/** An identity policy with a lowercase Effect: DPY002 at the Effect value. */
const BAD_POLICY = (sid = "Read") => `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "${sid}", "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }
  ]
}
`;

const TEMPLATE_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Suppressed:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      deputy:
        suppress:
          - rule: invalid-policy-document
            reason: "Fixed by the platform team's transform (OPS-1)"
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: allow
            Action: s3:GetObject
            Resource: "*"
  NotSuppressed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: allow
            Action: s3:GetObject
            Resource: "*"
`;

const TEMPLATE_JSON = JSON.stringify(
  {
    Resources: {
      Policy: {
        Type: "AWS::IAM::ManagedPolicy",
        Metadata: { "aws:cdk:path": "Stack/Policy/Resource", deputy: { suppress: [{ rule: "DPY002", reason: "Accepted in review #12" }] } },
        Properties: { PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "allow", Action: "s3:GetObject", Resource: "*" }] } },
      },
    },
  },
  null,
  2,
);

describe("Metadata suppressions", () => {
  it("suppress findings of that resource only (YAML template), with the reason as justification", () => {
    const dir = project({ "template.yaml": TEMPLATE_YAML });
    const r = run(dir);
    const dpy002 = r.findings.filter((f) => f.ruleId === "DPY002");
    expect(dpy002.map((f) => [f.logical.name, f.suppressions?.[0]?.justification])).toEqual([
      ["Suppressed", "Fixed by the platform team's transform (OPS-1)"],
      ["NotSuppressed", undefined],
    ]);
    expect(dpy002[0]!.suppressions![0]!.kind).toBe("inSource");
    expect(r.notifications).toEqual([]);
  });

  it("work in JSON templates and CDK assemblies (addMetadata ends up in the template)", () => {
    const dir = project({ "cdk.out/Stack.template.json": TEMPLATE_JSON, "cdk.out/manifest.json": '{"version":"36.0.0","artifacts":{}}' });
    const r = run(dir);
    const f = r.findings.find((x) => x.ruleId === "DPY002")!;
    expect(f.suppressions).toEqual([{ kind: "inSource", justification: "Accepted in review #12", source: "cdk.out/Stack.template.json:9" }]);
  });

  it("are not honoured without a reason, with an unknown rule, or after they expire — and each of these is reported", () => {
    const t = (entries: string) => `Resources:
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
            Resource: "*"
`;
    const dir = project({
      "no-reason.yaml": t("          - rule: DPY002"),
      "unknown.yaml": t('          - rule: invalid-policy-documents\n            reason: "typo in the name"'),
      "expired.yaml": t('          - rule: DPY002\n            reason: "temporary"\n            expires: "2025-01-31"'),
      "valid-until.yaml": t('          - rule: DPY002\n            reason: "temporary"\n            expires: "2025-12-31"'),
    });
    const r = run(dir);
    const suppressed = Object.fromEntries(r.findings.filter((f) => f.ruleId === "DPY002").map((f) => [f.file, Boolean(f.suppressions?.length)]));
    expect(suppressed).toEqual({ "expired.yaml": false, "no-reason.yaml": false, "unknown.yaml": false, "valid-until.yaml": true });
    expect(r.notifications.map((n) => `${n.file}:${n.region?.startLine}:${n.region?.startColumn} ${n.kind} ${n.message}`)).toEqual([
      "expired.yaml:7:13 suppression-expired Metadata suppression of DPY002 (invalid-policy-document) expired on 2025-01-31, so the finding is reported again; fix it, or renew the suppression with a new date and reason.",
      'no-reason.yaml:7:13 suppression-no-reason Metadata suppression of DPY002 (invalid-policy-document) has no reason, so it is not honoured; say why the finding is acceptable (reason: "...").',
      'unknown.yaml:7:13 suppression-unknown-rule Metadata suppression names unknown rule "invalid-policy-documents", so it suppresses nothing; did you mean DPY002 (invalid-policy-document)?',
    ]);
    expect(r.findings.find((f) => f.file === "valid-until.yaml")!.suppressions![0]!.justification).toBe("temporary (until 2025-12-31)");
  });

  it("that match nothing are reported (unless the rule is off)", () => {
    const dir = project({
      "t.yaml": `Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      deputy:
        suppress:
          - { rule: DPY002, reason: "no longer needed" }
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - { Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/k" }
`,
    });
    expect(run(dir).notifications.map((n) => n.kind)).toEqual(["suppression-unused"]);
    expect(run(dir, "rules:\n  DPY002: off\n").notifications).toEqual([]);
  });
});

describe("YAML comment suppressions", () => {
  const yaml = (comment: string, eol = "") => `Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
${comment ? `          ${comment}\n` : ""}          - Effect: allow${eol}
            Action: s3:GetObject
            Resource: "*"
`;

  it("on the line before (also stacked) or at the end of the line", () => {
    const dir = project({
      "before.yaml": yaml("# deputy-ignore DPY002 -- generated by a legacy tool"),
      "stacked.yaml": yaml("# deputy-ignore DPY202 -- reviewed\n          # deputy-ignore invalid-policy-document -- legacy"),
      "eol.yaml": yaml("", "  # deputy-ignore DPY002 -- generated"),
      "none.yaml": yaml(""),
    });
    const r = run(dir);
    const byFile = Object.fromEntries(r.findings.filter((f) => f.ruleId === "DPY002").map((f) => [f.file, f.suppressions?.map((s) => s.justification) ?? []]));
    expect(byFile).toEqual({ "before.yaml": ["generated by a legacy tool"], "eol.yaml": ["generated"], "none.yaml": [], "stacked.yaml": ["legacy"] });
    // The DPY202 comment in stacked.yaml: reported if DPY202 does not fire there.
    const unused = r.notifications.filter((n) => n.kind === "suppression-unused").map((n) => `${n.file}:${n.region?.startLine}`);
    const dpy202 = r.findings.some((f) => f.ruleId === "DPY202" && f.file === "stacked.yaml");
    expect(unused).toEqual(dpy202 ? [] : ["stacked.yaml:8"]);
  });

  it("without a reason is reported and not honoured", () => {
    const dir = project({ "t.yaml": yaml("# deputy-ignore DPY002") });
    const r = run(dir);
    expect(r.findings.find((f) => f.ruleId === "DPY002")!.suppressions).toBeUndefined();
    expect(r.notifications.map((n) => [n.kind, n.region?.startLine, n.region?.startColumn])).toEqual([["suppression-no-reason", 8, 11]]);
  });

  it("take an expiry (expires=YYYY-MM-DD before the --)", () => {
    const dir = project({
      "valid.yaml": yaml("# deputy-ignore DPY002 expires=2025-12-31 -- until the migration"),
      "expired.yaml": yaml("# deputy-ignore DPY002 expires=2025-06-14 -- until the migration"),
    });
    const r = run(dir);
    const byFile = Object.fromEntries(r.findings.filter((f) => f.ruleId === "DPY002").map((f) => [f.file, f.suppressions?.map((s) => s.justification) ?? []]));
    expect(byFile).toEqual({ "expired.yaml": [], "valid.yaml": ["until the migration (until 2025-12-31)"] });
    expect(r.notifications.map((n) => `${n.file} ${n.kind}`)).toEqual(["expired.yaml suppression-expired"]);
  });

  it("are not read from JSON files or from inside other text", () => {
    const dir = project({ "p.json": BAD_POLICY("deputy-ignore DPY002 -- nope") });
    const r = run(dir);
    expect(r.findings.find((f) => f.ruleId === "DPY002")!.suppressions).toBeUndefined();
    expect(r.notifications).toEqual([]);
  });
});

describe("configuration suppressions", () => {
  it("match by file glob, rule (code or name), path prefix and Sid; reported as external", () => {
    const dir = project({ "policies/a.json": BAD_POLICY("A"), "policies/b.json": BAD_POLICY("B"), "other/c.json": BAD_POLICY("C") });
    const r = run(
      dir,
      `suppress:
  - file: "policies/a.json"
    rule: invalid-policy-document
    path: "Statement[0]"
    reason: "Legacy export, replaced in Q3"
  - file: "policies/*.json"
    rule: DPY002
    sid: B
    reason: "Vendor-managed"
`,
    );
    const got = Object.fromEntries(r.findings.filter((f) => f.ruleId === "DPY002").map((f) => [f.file, f.suppressions ?? []]));
    expect(got["policies/a.json"]).toEqual([{ kind: "external", justification: "Legacy export, replaced in Q3", source: "deputy.config.yaml:2" }]);
    expect(got["policies/b.json"]).toEqual([{ kind: "external", justification: "Vendor-managed", source: "deputy.config.yaml:6" }]);
    expect(got["other/c.json"]).toEqual([]);
    expect(r.notifications).toEqual([]);
  });

  it("a path prefix is a whole segment", () => {
    expect(pathHasPrefix("Statement[0]/Action[1]", "Statement[0]")).toBe(true);
    expect(pathHasPrefix("Statement[0]", "Statement[0]")).toBe(true);
    expect(pathHasPrefix("Statement[01]/Action", "Statement[0]")).toBe(false);
    expect(pathHasPrefix("Statement[10]", "Statement[1]")).toBe(false);
    expect(pathHasPrefix("Resources/Role/Properties", "Resources/Role")).toBe(true);
    expect(pathHasPrefix("Resources/RoleB", "Resources/Role")).toBe(false);
  });

  it("problems are located in the config file", () => {
    const dir = project({ "a.json": BAD_POLICY() });
    const r = run(
      dir,
      `suppress:
  - file: a.json
    rule: DPY002
  - file: a.json
    rule: invalid-policy-documnet
    reason: typo
  - file: "*.json"
    rule: DPY002
    path: "Statement[5]"
    reason: stale
  - file: not-in-this-run.json
    rule: DPY002
    reason: "a partial run cannot tell whether this one is stale"
`,
    );
    expect(r.notifications.map((n) => `${n.file}:${n.region?.startLine}:${n.region?.startColumn} ${n.kind}`)).toEqual([
      "deputy.config.yaml:2:5 suppression-no-reason",
      "deputy.config.yaml:4:5 suppression-unknown-rule",
      "deputy.config.yaml:7:5 suppression-unused",
    ]);
    expect(r.notifications[1]!.message).toContain("did you mean DPY002 (invalid-policy-document)?");
  });
});

describe("suppressions in every output", () => {
  const dir = project({
    "t.yaml": TEMPLATE_YAML,
    "u.yaml": `Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Metadata: { deputy: { suppress: [ { rule: DPY002 } ] } }
    Properties:
      PolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/k" } ] }
`,
  });
  const config = defaultConfig();
  for (const code of ["DPY201", "DPY202", "DPY205", "DPY206"]) config.rules[code] = "off";
  const r = lintFiles(discover([], dir, []), config, { now: NOW });

  it("SARIF: suppressed results carry suppressions; notifications are toolExecutionNotifications with locations", () => {
    const log = JSON.parse(render("sarif", r, dir));
    const results = log.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === "DPY002");
    expect(results.map((x: { suppressions?: unknown[] }) => x.suppressions ?? null)).toEqual([
      [{ kind: "inSource", status: "accepted", justification: "Fixed by the platform team's transform (OPS-1)" }],
      null,
    ]);
    const notes = log.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(1);
    expect(notes[0].descriptor.id).toBe("suppression-no-reason");
    expect(notes[0].level).toBe("warning");
    expect(notes[0].locations[0].physicalLocation.artifactLocation.uri).toBe("u.yaml");
    expect(notes[0].locations[0].physicalLocation.region.startLine).toBe(4);
  });

  it("JSON: suppressions on findings, a notifications array and count", () => {
    const j = JSON.parse(render("json", r, dir));
    expect(j.summary.suppressed).toBe(1);
    expect(j.summary.notifications).toBe(1);
    expect(j.notifications[0]).toMatchObject({ kind: "suppression-no-reason", level: "warning", file: "u.yaml", line: 4 });
    expect(j.findings.filter((f: { suppressions: unknown[] }) => f.suppressions.length)).toHaveLength(1);
  });

  it("stylish and github: suppressed findings hidden and counted, notifications shown as warnings", () => {
    const s = render("stylish", r, dir);
    expect(s).not.toContain("[Suppressed]");
    expect(s).toMatch(/u\.yaml\n {2}4:\d+ +warning +Metadata suppression of DPY002 \(invalid-policy-document\) has no reason/);
    expect(s).toMatch(/, 1 suppressed\n/);
    const g = render("github", r, dir);
    expect(g).toMatch(/^::warning file=u\.yaml,line=4,col=\d+,title=deputy suppression-no-reason::Metadata suppression/m);
    expect(g.split("\n").filter((l) => l.includes("DPY002 invalid-policy-document"))).toHaveLength(1);
  });

  it("notifications count towards --fail-on warning and --max-warnings", () => {
    const onlyNotes: LintResult = { ...r, findings: r.findings.filter((f) => f.suppressions?.length) };
    expect(exitCode(onlyNotes, "error")).toBe(0);
    expect(exitCode(onlyNotes, "warning")).toBe(1);
    expect(exitCode(onlyNotes, "error", 0)).toBe(1);
    expect(exitCode({ ...onlyNotes, notifications: [] }, "warning")).toBe(0);
  });
});
