/**
 * `deputy graph` at scale and in shape: aggregated (one edge per pair, one node for wildcard grants), within
 * mermaid's limits (500 edges, 50,000 characters) on 25 copies of the example project, grouped by file or stack, only
 * the paths with findings, capped with a count of what was left out, grants to functions outside the scanned files,
 * a DPY105 near miss, named function URLs, the public edge coloured, and the Markdown form. Then the real mermaid
 * renders them in headless Chromium (skipped, saying so, where Chromium is not installed).
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/cli/discover.js";
import { buildGraph, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, renderGraph, renderMarkdownGraph, type RenderOptions } from "../../src/cli/graph.js";
import { main, type CliIO } from "../../src/cli/main.js";
import { defaultConfig } from "../../src/config/config.js";
import { lintFiles } from "../../src/engine/engine.js";
import { CASES, ROOT, withoutTerraformExample } from "../helpers.js";
import { CHROMIUM, HAVE_MERMAID, renderMermaidSources } from "../mermaid-chromium.js";

// The example project of JSON and YAML files (examples/terraform, the same mistakes in Terraform, is left out: its
// roles are found by ARN across copies, and its files would add boxes).

function copies(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-graph-scale-"));
  for (let i = 1; i <= n; i++) cpSync(join(ROOT, "examples"), join(dir, `project-${i}`), { recursive: true, filter: withoutTerraformExample });
  return dir;
}

function graphOf(dir: string, opts: RenderOptions = {}) {
  const result = lintFiles(discover(["."], dir, []), defaultConfig());
  return renderGraph(buildGraph(result.project), result.findings, opts);
}

function edgeLines(text: string): string[] {
  return text.split("\n").filter((l) => /^\s+\S+ (-->|-\.->)\|/.test(l));
}

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), readStdin: async () => "", cwd, env: {}, isTTY: false };
  return { code: await main(args, io), out, err };
}

const big = copies(25);
const one = (() => {
  const dir = mkdtempSync(join(tmpdir(), "deputy-graph-one-"));
  cpSync(join(ROOT, "examples"), join(dir, "examples"), { recursive: true, filter: withoutTerraformExample });
  return join(dir, "examples");
})();

describe("deputy graph: aggregated and within mermaid's limits", () => {
  it("25 copies of the example project: under 500 edges and 50,000 characters, nothing left out", () => {
    const r = graphOf(big, { maxEdges: 0 });
    expect(r.edges).toBeLessThan(MERMAID_MAX_EDGES);
    expect(r.text.length).toBeLessThan(MERMAID_MAX_TEXT);
    expect(r.leftOut).toBeUndefined();
    // It grows with the entities: 25 copies draw 25 times one copy's edges.
    expect(r.edges).toBe(25 * graphOf(one).edges);
  });

  it("one edge per role → function pair, listing its actions; wildcard grants go to one 'any function' node", () => {
    const r = graphOf(big, { maxEdges: 0 });
    const lines = edgeLines(r.text);
    const pairs = lines.map((l) => /^\s+(\S+) \S+\|/.exec(l)![1] + " " + /\| (\S+)$/.exec(l)![1]);
    expect(new Set(pairs).size).toBe(pairs.length);
    const anyNodes = r.text.split("\n").filter((l) => /^\s+any_function\[\[/.test(l));
    expect(anyNodes).toHaveLength(1);
    // Each copy's role grants lambda:InvokeFunction and lambda:InvokeFunctionUrl on a wildcard ARN: one edge per
    // role, both actions on it, to the one node.
    const grants = lines.filter((l) => /^\s+role_genesys_data_action_invoker\S* -->\|"⚠ [^"]*lambda:InvokeFunction, lambda:InvokeFunctionUrl"\| any_function$/.test(l));
    expect(grants).toHaveLength(25);
  });

  it("caps the edges, findings first, and says on the picture and on stderr what was left out", async () => {
    const r = graphOf(big, { maxEdges: 40 });
    expect(r.edges).toBe(40);
    expect(r.leftOut!.edges).toBeGreaterThan(0);
    expect(r.text).toMatch(/left_out\[\/"… not drawn: \d+ edges \(.*\) and \d+ nodes, --max-edges 40/);
    expect(edgeLines(r.text).every((l) => l.includes("⚠"))).toBe(true);
    const cli = await run(["graph", "--max-edges", "40"], big);
    expect(cli.code).toBe(0);
    expect(cli.err).toMatch(/^deputy graph: \d+ edges and \d+ nodes not drawn \(--max-edges 40/);
  });

  it("--only-findings keeps the paths through an edge with a finding", () => {
    const all = graphOf(one, { maxEdges: 0 });
    const only = graphOf(one, { onlyFindings: true });
    expect(only.edges).toBeLessThan(all.edges);
    expect(only.marked).toBe(all.marked);
    // Who may call the public URL (DPY302) stays; the function's execution role is on no path through a finding.
    expect(only.text).toMatch(/principal_public -->\|"lambda:InvokeFunctionUrl"\| url_order_status_url/);
    expect(only.text).not.toMatch(/-\.->\|"execution role"\|/);
    expect(only.text).toContain("1 execution role");
    expect(only.leftOut!.reason).toContain("--only-findings");
  });

  it("--group file and stack draw boxes", () => {
    const byFile = graphOf(one, { group: "file" }).text;
    expect(byFile).toMatch(/^ {2}subgraph file_1\["(genesys|infra|policies)\/\S+"\]$/m);
    // The data action export, the template and the standalone trust policy.
    expect(byFile.match(/^ {2}end$/gm)!.length).toBe(3);
    const byStack = graphOf(one, { group: "stack" }).text;
    expect(byStack).toMatch(/^ {2}subgraph stack_1\[/m);
  });

  it("names the function on its URL node, colours the public edge orange, and writes the Markdown form", () => {
    const r = graphOf(one);
    expect(r.text).toMatch(/url_\S+\(\["function URL of order-status<br\/>AuthType NONE"\]\)/);
    expect(r.text).toMatch(/linkStyle [\d,]+ stroke:#ff7f0e/);
    expect(r.text).toMatch(/class principal_public public/);
    const md = renderMarkdownGraph(r);
    expect(md).toMatch(/^## deputy graph\n\n.*\n\n```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
  });

  it("the command takes --format markdown, --group, --only-findings and refuses bad values", async () => {
    const md = await run(["graph", "-f", "markdown", "--group", "stack", "--only-findings"], one);
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^## deputy graph\n/);
    expect(md.out).toContain("```mermaid\nflowchart LR\n");
    expect(md.out).toMatch(/^Not drawn: \d+ edges and \d+ nodes \(--only-findings\)/m);
    for (const bad of [["--format", "svg"], ["--group", "folder"], ["--max-edges", "-3"]]) {
      const r = await run(["graph", ...bad], one);
      expect(r.code, bad.join(" ")).toBe(2);
      expect(r.err).toContain("deputy graph:");
    }
  });
});

describe("deputy graph: what the picture shows", () => {
  function project(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "deputy-graph-"));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  }
  const role = (trustAccount: string, resource: string) => `Resources:
  GenesysRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: genesys-invoker
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: "arn:aws:iam::${trustAccount}:root" }
            Action: sts:AssumeRole
            Condition: { StringEquals: { "sts:ExternalId": "b8e1c2d4-5f6a-4b7c-8d9e-0f1a2b3c4d5e" } }
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: "${resource}"
`;

  it("draws a grant to a function that is not in the scanned files, beside the one a data action calls", () => {
    const dir = project({
      "role.yaml": role("765628985471", "arn:aws:lambda:us-east-1:123456789012:function:order-status"),
      "actions.json": JSON.stringify([{ name: "Refund", integrationType: "aws-lambda-data-actions", actionType: "custom", config: { request: { requestUrlTemplate: "arn:aws:lambda:us-east-1:123456789012:function:refund", requestType: "POST", headers: {} } } }]),
    });
    const r = graphOf(dir);
    expect(r.text).toMatch(/role_genesys_invoker -->\|"lambda:InvokeFunction"\| arn_order_status/);
    expect(r.text).toMatch(/action_Refund -->\|"⚠ DPY404 invokes"\| arn_refund/);
    expect(r.text).toMatch(/arn_order_status\[\["λ order-status<br\/>arn:aws:lambda:us-east-1:123456789012:function:order-status<br\/>\(not in the scanned files\)"\]\]/);
  });

  it("shows a DPY105 near miss of the Genesys account on the trust edge", () => {
    const dir = project({ "role.yaml": role("765628985741", "*") });
    const r = graphOf(dir);
    expect(r.text).toMatch(/account_765628985741\{\{"account 765628985741<br\/>not Genesys: a near miss of 765628985471"\}\}/);
    expect(r.text).toMatch(/account_765628985741 -->\|"⚠ DPY105 sts:AssumeRole, external ID"\| role_genesys_invoker/);
    expect(r.text).toMatch(/role_genesys_invoker -->\|"⚠ DPY202 lambda:InvokeFunction"\| any_function/);
  });

  it("draws roles and functions without Genesys (a plain SAM or CloudFormation template)", () => {
    const dir = project({
      "app.yaml": `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: worker
      Role: !GetAtt WorkerRole.Arn
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
  Scheduler:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: scheduler.amazonaws.com }, Action: sts:AssumeRole }]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Worker.Arn }]
`,
    });
    const r = graphOf(dir);
    expect(r.text).not.toContain("No access paths");
    expect(r.text).toMatch(/principal_scheduler_amazonaws_com -->\|"sts:AssumeRole"\| role_Scheduler/);
    expect(r.text).toMatch(/role_Scheduler -->\|"lambda:InvokeFunction"\| function_worker/);
    expect(r.text).toMatch(/function_worker -\.->\|"execution role"\| role_WorkerRole/);
  });
});

const renderable = Boolean(CHROMIUM) && HAVE_MERMAID;
describe("deputy graph rendered by mermaid in headless Chromium", () => {
  if (!renderable) {
    it(`skipped: ${CHROMIUM ? "" : "Chromium is not installed (apt-get install chromium); "}${HAVE_MERMAID ? "" : "mermaid is not installed (npm ci)"}`, () => expect(renderable).toBe(false));
    return;
  }
  it("renders the example project, 25 copies of it (plain, grouped by file, capped) and the graph golden case", () => {
    const sources = [
      graphOf(one).text,
      graphOf(big, { maxEdges: 0 }).text,
      graphOf(big, { group: "file", maxEdges: 0 }).text,
      graphOf(big, { maxEdges: 30 }).text,
      graphOf(join(CASES, "graph", "genesys-lambda"), { group: "stack" }).text,
    ];
    const results = renderMermaidSources(sources, process.env.DEPUTY_GRAPH_PNG);
    for (const [i, r] of results.entries()) {
      expect(r.error, `diagram ${i}`).toBeUndefined();
      expect(r.ok, `diagram ${i}`).toBe(true);
      expect(r.edges, `diagram ${i}: edges drawn`).toBe(edgeLines(sources[i]!).length);
    }
    expect(results[0]!.labels!.some((l) => l.startsWith("⚠ DPY"))).toBe(true);
  }, 300_000);
});
