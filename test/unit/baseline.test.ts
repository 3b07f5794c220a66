/** Baselines: keyed by rule, file and logical location (not lines), with counts; new findings and gone ones. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../../src/cli/main.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-baseline-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function deputy(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: async () => "", cwd, env: {}, isTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const statement = (effect: string, sid: string) => `    { "Sid": "${sid}", "Effect": "${effect}", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }`;
const policy = (stmts: string[], pad = 0) => `${"\n".repeat(pad)}{\n  "Version": "2012-10-17",\n  "Statement": [\n${stmts.join(",\n")}\n  ]\n}\n`;

const TEMPLATE = (extra: string) => `Resources:
${extra}  Legacy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - { Effect: allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*" }
`;

describe("baseline", () => {
  it("records today's findings by logical location, and reports only new ones after lines shift", async () => {
    const dir = project({ "policies/p.json": policy([statement("allow", "A")]), "t.yaml": TEMPLATE("") });
    const w = await deputy(["--write-baseline", "deputy-baseline.json"], dir);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/^Wrote deputy-baseline\.json: 2 findings in 2 file\(s\) are now baselined/);
    const b = JSON.parse(readFileSync(join(dir, "deputy-baseline.json"), "utf8"));
    expect(b).toEqual({
      tool: "deputy",
      version: 1,
      entries: [
        { rule: "DPY002", file: "policies/p.json", path: "Statement[0]/Effect", count: 1 },
        { rule: "DPY002", file: "t.yaml", name: "Legacy", path: "Resources/Legacy/Properties/PolicyDocument/Statement[0]/Effect", count: 1 },
      ],
    });
    expect(JSON.stringify(b)).not.toMatch(/"line"/);

    // Unchanged: nothing reported, exit 0.
    let r = await deputy(["--baseline", "deputy-baseline.json"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no problems found (2 in baseline deputy-baseline.json)");

    // Lines inserted above the findings: still baselined.
    writeFileSync(join(dir, "policies", "p.json"), policy([statement("allow", "A")], 5));
    writeFileSync(join(dir, "t.yaml"), TEMPLATE('  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "x"\n'));
    r = await deputy(["--baseline", "deputy-baseline.json"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(2 in baseline deputy-baseline.json)");

    // A new finding is reported; a fixed one is counted as gone.
    writeFileSync(join(dir, "policies", "p.json"), policy([statement("Allow", "A"), statement("deny", "B")]));
    r = await deputy(["--baseline", "deputy-baseline.json", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(["policies/p.json:5 DPY002"]);
    expect(j.summary.baseline).toEqual({ file: "deputy-baseline.json", matched: 1, new: 1, gone: 1 });
    r = await deputy(["--baseline", "deputy-baseline.json"], dir);
    expect(r.stdout).toMatch(/1 in baseline deputy-baseline\.json, 1 baselined finding is gone \(rewrite the baseline with --write-baseline\)/);
    const sarif = JSON.parse((await deputy(["--baseline", "deputy-baseline.json", "-f", "sarif"], dir)).stdout);
    expect(sarif.runs[0].results.map((x: { baselineState: string }) => x.baselineState)).toEqual(["new"]);
    expect(sarif.runs[0].invocations[0].properties.baseline).toEqual({ file: "deputy-baseline.json", matched: 1, new: 1, gone: 1 });
  });

  it("counts duplicates: a second identical finding is new", async () => {
    const tpl = (n: number) => `Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: "2012-10-17"\n        Statement:\n${"          - { Effect: allow, Action: s3:GetObject, Resource: \"*\" }\n".repeat(n)}`;
    const dir = project({ "t.yaml": tpl(1) });
    await deputy(["--write-baseline", "b.json", "--ignore-pattern", "b.json"], dir);
    writeFileSync(join(dir, "t.yaml"), tpl(2));
    const r = await deputy(["--baseline", "b.json", "-f", "json", "--ignore-pattern", "b.json"], dir);
    const j = JSON.parse(r.stdout);
    expect(j.findings.filter((f: { ruleId: string }) => f.ruleId === "DPY002").map((f: { line: number }) => f.line)).toEqual([9]);
  });

  it("works from another working directory (paths are relative to the baseline file)", async () => {
    const dir = project({ "infra/p.json": policy([statement("allow", "A")]) });
    await deputy(["--write-baseline", "infra/.baseline.json", "infra"], dir);
    const r = await deputy(["--baseline", ".baseline.json", "."], join(dir, "infra"));
    expect(r.code).toBe(0);
  });

  it("a missing or malformed baseline is exit 2 with a clear message", async () => {
    const dir = project({ "p.json": policy([statement("allow", "A")]), "bad.json": '{"tool":"other"}' });
    let r = await deputy(["--baseline", "nope.json"], dir);
    expect([r.code, r.stderr]).toEqual([2, "nope.json: baseline file not found (create it with --write-baseline nope.json).\n"]);
    r = await deputy(["--baseline", "bad.json", "p.json"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.json: not a deputy baseline/);
  });
});
