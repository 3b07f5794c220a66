/** `--cache`: unchanged files outside the cross-file phase are not re-analysed; results and notifications are identical. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-cache-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function run(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), readStdin: async () => "", cwd, env: {}, isTTY: false });
  return { code, out, err };
}

const POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }, null, 2);
const TEMPLATE = [
  "Resources:",
  "  GenesysRole:",
  "    Type: AWS::IAM::Role",
  "    Properties:",
  "      AssumeRolePolicyDocument:",
  "        Version: '2012-10-17'",
  "        Statement:",
  "          - Effect: Allow",
  "            Principal: {AWS: 'arn:aws:iam::765628985471:root'}",
  "            Action: sts:AssumeRole",
  "            Condition: {StringEquals: {sts:ExternalId: 011a0480-9a1e-4da9-8cdd-2642474cf92a}}",
  "      Policies:",
  "        - PolicyName: invoke",
  "          PolicyDocument:",
  "            Version: '2012-10-17'",
  "            Statement:",
  "              - Effect: Allow",
  "                Action: lambda:InvokeFunction",
  "                Resource: arn:aws:lambda:us-east-1:123456789012:function:other",
  "",
].join("\n");
const ACTION = JSON.stringify({
  name: "Lookup",
  integrationType: "aws-lambda-data-actions",
  actionType: "custom",
  config: { request: { requestUrlTemplate: "arn:aws:lambda:us-east-1:123456789012:function:lookup", requestType: "POST", headers: {}, requestTemplate: "${input.rawRequest}" }, response: { successTemplate: "${rawResult}" } },
  contract: { input: { inputSchema: {} }, output: { successSchema: {} } },
  secure: false,
});
const CONFIG = ["suppress:", "  - file: policies/other.json", "    rule: DPY201", "    reason: reviewed", "  - file: policies/broad.json", "    rule: DPY207", "    reason: never matches", ""].join("\n");

describe("--cache", () => {
  it("gives the same report on the second run, keeps cross-file rules correct, and re-analyses changed files", async () => {
    const dir = project({
      "policies/broad.json": POLICY,
      "policies/other.json": POLICY.replace("s3:*", "sqs:*"),
      "infra/template.yaml": TEMPLATE,
      "genesys/action.json": ACTION,
      "deputy.config.yaml": CONFIG,
    });
    const first = await run(dir, ["--cache", "--format", "json"]);
    const second = await run(dir, ["--cache", "--format", "json"]);
    expect(first.err).toBe("");
    expect(second.out).toBe(first.out);
    const report = JSON.parse(second.out) as { findings: { file: string; ruleId: string; suppressions: unknown[] }[]; notifications: { message: string }[] };
    // The cross-file rule still sees the template and the data action on the cached run.
    expect(report.findings.some((f) => f.ruleId === "DPY404" && f.file === "genesys/action.json")).toBe(true);
    // The config suppression used by a cached file's finding is not reported as unused; the unused one is, once.
    expect(report.findings.find((f) => f.file === "policies/other.json" && f.ruleId === "DPY201")?.suppressions).toHaveLength(1);
    expect(report.notifications.map((n) => n.message).filter((m) => m.includes("matched no finding"))).toHaveLength(1);

    const cache = JSON.parse(readFileSync(join(dir, ".deputycache"), "utf8")) as { files: Record<string, unknown> };
    const cached = Object.keys(cache.files).map((f) => f.slice(dir.length + 1)).sort();
    // Files of the cross-file phase (the template with a role, the data action) are never cached.
    expect(cached).toEqual(expect.arrayContaining(["policies/broad.json", "policies/other.json"]));
    expect(cached).not.toContain("infra/template.yaml");
    expect(cached).not.toContain("genesys/action.json");

    writeFileSync(join(dir, "policies/broad.json"), POLICY.replace('"*"', '"arn:aws:s3:::bucket/*"'));
    const third = JSON.parse((await run(dir, ["--cache", "--format", "json"])).out) as { findings: { file: string; ruleId: string }[] };
    expect(third.findings.filter((f) => f.file === "policies/broad.json").map((f) => f.ruleId)).toEqual(["DPY201"]);
  });

  it("is invalidated when the configuration changes", async () => {
    const dir = project({ "p.json": POLICY });
    await run(dir, ["--cache"]);
    writeFileSync(join(dir, "deputy.config.yaml"), "rules:\n  DPY201: off\n  DPY202: off\n");
    const r = await run(dir, ["--cache", "--format", "json"]);
    expect((JSON.parse(r.out) as { findings: unknown[] }).findings).toEqual([]);
  });
});
