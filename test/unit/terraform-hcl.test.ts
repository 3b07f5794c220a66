/**
 * Terraform HCL end to end: a blueprint-style configuration (a root module calling local modules for the Lambda, the
 * integration and the data action) against the same mistakes in CloudFormation; a configuration of unknowns; modules
 * downloaded under .terraform; suppressions in HCL comments; Terraform addresses as logical locations; the graph; the
 * lazy parser; bounds.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/cli/discover.js";
import { buildGraph, renderMermaid } from "../../src/cli/graph.js";
import { defaultConfig } from "../../src/config/config.js";
import { lintFiles, type LintResult } from "../../src/engine/engine.js";
import { ROOT, render } from "../helpers.js";

const FIXTURES = join(ROOT, "test", "fixtures", "terraform");
const EXAMPLES = join(ROOT, "examples");
const NOW = new Date("2025-06-15T12:00:00Z");

function run(dir: string, paths: string[] = []): LintResult {
  return lintFiles(discover(paths, dir, []), defaultConfig(), { now: NOW });
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-tf-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const lines = (r: LintResult) => r.findings.map((f) => `${f.file} ${render(f).split(" ").slice(0, 2).join(" ")}`);

describe("blueprint-style Terraform", () => {
  // examples/terraform: run from examples/, so that paths read terraform/modules/...
  const tf = run(EXAMPLES, ["terraform"]);
  const cfn = run(join(FIXTURES, "blueprint-cloudformation"));

  it("gets the findings the same mistakes get in CloudFormation", () => {
    const rules = (r: LintResult) => r.findings.map((f) => f.ruleId).sort();
    expect(rules(tf)).toEqual(["DPY101", "DPY201", "DPY302", "DPY401", "DPY404"]);
    expect(rules(tf)).toEqual(rules(cfn));
  });

  it("at exact HCL lines, in the module files where the mistakes are written", () => {
    expect(lines(tf)).toEqual([
      "terraform/modules/data-action/main.tf 14:28-14:42 DPY404",
      "terraform/modules/data-action/main.tf 18:31-18:63 DPY401",
      "terraform/modules/lambda/iam.tf 7:22-7:53 DPY101",
      "terraform/modules/lambda/iam.tf 20:18-20:28 DPY201",
      "terraform/modules/lambda/lambda.tf 18:24-18:30 DPY302",
    ]);
  });

  it("names Terraform addresses as logical locations (the baseline's and SARIF's fingerprints)", () => {
    const byRule = new Map(tf.findings.map((f) => [f.ruleId, f.logical]));
    expect(byRule.get("DPY101")).toMatchObject({ name: "module.lambda.data.aws_iam_policy_document.trust", kind: "resource", statement: { index: 0 } });
    expect(byRule.get("DPY302")?.name).toBe("module.lambda.aws_lambda_function_url.url");
    expect(byRule.get("DPY401")?.name).toBe("module.data_action.genesyscloud_integration_action.orders");
  });

  it("evaluates a module's file with its caller's arguments when only that file is linted (pre-commit)", () => {
    const r = run(EXAMPLES, ["terraform/modules/lambda/iam.tf"]);
    expect(lines(r)).toEqual(["terraform/modules/lambda/iam.tf 7:22-7:53 DPY101", "terraform/modules/lambda/iam.tf 20:18-20:28 DPY201"]);
  });

  it("draws Terraform resources with their addresses in deputy graph", () => {
    const text = renderMermaid(buildGraph(tf.project), tf.findings);
    expect(text).toContain("module.lambda.aws_iam_role.trusted");
    expect(text).toContain("module.lambda.aws_lambda_function.fn");
    expect(text).toContain("module.data_action.genesyscloud_integration_action.orders");
    expect(text).toContain("orders-genesys-role");
    expect(text).toContain("orders-lambda");
  });
});

describe("unknown values", () => {
  it("a configuration full of variables, for_each and dynamic blocks gets no finding", () => {
    const r = run(join(FIXTURES, "unknowns"));
    expect(r.filesAnalyzed).toBe(1);
    expect(r.findings.map((f) => `${f.ruleId} ${render(f)}`)).toEqual([]);
  });

  it("a known part of a partly unknown ARN still counts", () => {
    const dir = project({
      "main.tf": `variable "region" {}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:s3:::\${var.region}-bucket"]
  }
}
`,
    });
    expect(run(dir).findings.map((f) => `${f.ruleId} ${f.region.startLine}`)).toEqual(["DPY206 4"]);
  });

  it("a remote module's outputs are unknown, a downloaded one's are read (.terraform/modules/modules.json)", () => {
    const remoteModule = `variable "name" {}
output "role_arn" { value = "arn:aws:iam::123456789012:role/\${var.name}" }
output "everything" { value = "*" }
`;
    const root = (withDownload: boolean) =>
      project({
        "main.tf": `module "remote" {
  source = "git::https://example.com/remote-module.git?ref=main"
  name   = "partner"
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [module.remote.everything]
  }
}
`,
        ...(withDownload
          ? {
              ".terraform/modules/modules.json": JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: "remote", Source: "git::https://example.com/remote-module.git?ref=main", Dir: ".terraform/modules/remote" }] }),
              ".terraform/modules/remote/main.tf": remoteModule,
            }
          : {}),
      });
    expect(run(root(false)).findings).toEqual([]);
    const downloaded = run(root(true));
    // The downloaded module's files are not linted themselves (.terraform is skipped), but its output is known.
    expect(downloaded.findings.map((f) => `${f.file} ${f.ruleId} ${f.region.startLine}:${f.region.startColumn}`)).toEqual(["main.tf DPY202 8:18"]);
  });

  it("reference cycles and self references are unknown, not a crash", () => {
    const dir = project({
      "main.tf": `locals {
  a = local.b
  b = [local.a, local.a]
  c = local.c
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = local.a
    resources = local.c
  }
}
`,
    });
    const r = run(dir);
    expect(r.findings.filter((f) => f.ruleId === "DPY000")).toEqual([]);
  });
});

describe("file() and templatefile()", () => {
  const WILD = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:DeleteTable","Resource":"*"}]}`;
  const main = (path: string) => `resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = file(${JSON.stringify(path)})\n}\n`;

  it("read a file of the repository, relative to the root module, located at the call", () => {
    const dir = project({ "infra/main.tf": main("${path.module}/p.tftpl"), "infra/p.tftpl": WILD, ".git/HEAD": "ref: x\n" });
    expect(lines(run(dir))).toEqual(["infra/main.tf 3:12-3:42 DPY202"]);
  });

  it("never read outside the repository (nor through a symbolic link), nor a file larger than 1 MiB: the value is unknown", () => {
    const outside = mkdtempSync(join(tmpdir(), "deputy-tf-outside-"));
    writeFileSync(join(outside, "p.tftpl"), WILD);
    const dir = project({ "main.tf": main(join(outside, "p.tftpl")), "up.tf": main("../" + relative(join(outside, ".."), outside) + "/p.tftpl").replace('"p"', '"q"'), ".git/HEAD": "ref: x\n" });
    symlinkSync(join(outside, "p.tftpl"), join(dir, "link.tftpl"));
    writeFileSync(join(dir, "link.tf"), main("link.tftpl").replace(/"p"/g, '"l"'));
    writeFileSync(join(dir, "big.tftpl"), WILD + " ".repeat(1024 * 1024));
    writeFileSync(join(dir, "big.tf"), main("big.tftpl").replace(/"p"/g, '"b"'));
    expect(run(dir).findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([]);
  });

  it("templatefile sees only the variables it is given", () => {
    const dir = project({
      "main.tf": `variable "r" {\n  default = "*"\n}\nresource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = templatefile("p.tftpl", { res = "*" })\n}\nresource "aws_iam_policy" "q" {\n  name   = "q"\n  policy = templatefile("q.tftpl", {})\n}\n`,
      "p.tftpl": WILD.replace('"*"', '"${res}"'),
      "q.tftpl": WILD.replace('"*"', '"${var.r}"'),
    });
    expect(lines(run(dir))).toEqual(["main.tf 6:12-6:50 DPY202"]);
  });
});

describe("HCL syntax and bounds", () => {
  it("a .tf that does not parse is DPY001 at the error, and the run goes on", () => {
    const dir = project({
      "bad.tf": `resource "aws_iam_role" "r" {\n  name = "x"\n  tags = {\n}\n`,
      "good.tf": `data "aws_iam_policy_document" "p" {\n  statement {\n    actions   = ["iam:*"]\n    resources = ["arn:aws:iam::123456789012:role/x"]\n  }\n}\n`,
    });
    const r = run(dir);
    expect(r.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(["bad.tf DPY001", "good.tf DPY201"]);
  });

  it("deep nesting is bounded like JSON and YAML", () => {
    const deep = "x = " + "[".repeat(400) + "]".repeat(400) + "\n";
    const r = run(project({ "deep.tf": deep }));
    expect(r.findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([expect.stringMatching(/^DPY001 .*Nesting deeper than 200 levels/)]);
  });
});

describe("suppressions in HCL comments", () => {
  const policy = (comment: string) => `data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["lambda:InvokeFunction"]
${comment}
    resources = ["*"]
  }
}
`;
  it("#, // and /* */ comments with a reason suppress the finding on the next line", () => {
    for (const c of ["    # deputy-ignore DPY202 -- the role only reads", "    // deputy-ignore DPY202 -- the role only reads", "    /* deputy-ignore DPY202 -- the role only reads */"]) {
      const r = run(project({ "main.tf": policy(c) }));
      expect(r.findings.map((f) => [f.ruleId, f.suppressions?.[0]?.justification])).toEqual([["DPY202", "the role only reads"]]);
      expect(r.notifications).toEqual([]);
    }
  });

  it("an end-of-line comment covers its own line", () => {
    const text = policy("").replace(`resources = ["*"]`, `resources = ["*"] # deputy-ignore DPY202 -- scoped by SCP`);
    const r = run(project({ "main.tf": text }));
    expect(r.findings[0]?.suppressions?.length).toBe(1);
  });

  it("reports a suppression without a reason, an unknown rule and an unused one, as in YAML", () => {
    const text = policy("    # deputy-ignore DPY202").replace("data ", "# deputy-ignore DPY2O2 -- typo\n# deputy-ignore DPY101 -- nothing here\ndata ");
    const r = run(project({ "main.tf": text }));
    expect(r.findings.map((f) => [f.ruleId, f.suppressions?.length ?? 0])).toEqual([["DPY202", 0]]);
    expect(r.notifications.map((n) => `${n.kind} ${n.region?.startLine}`).sort()).toEqual(["suppression-no-reason 6", "suppression-unknown-rule 1", "suppression-unused 2"]);
  });
});

describe("the HCL parser is loaded lazily", () => {
  it("a run without .tf files does not load web-tree-sitter", () => {
    const dir = project({ "policy.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}` });
    const script = `
      const { lintInputs } = await import(${JSON.stringify(join(ROOT, "dist", "engine", "parallel.js"))});
      const { Linter } = await import(${JSON.stringify(join(ROOT, "dist", "engine", "engine.js"))});
      const { hclLoaded } = await import(${JSON.stringify(join(ROOT, "dist", "parsers", "hcl.js"))});
      const { defaultConfig } = await import(${JSON.stringify(join(ROOT, "dist", "config", "config.js"))});
      const files = [{ path: "policy.json", absPath: ${JSON.stringify(join(dir, "policy.json"))} }, ...(process.argv[1] ? [{ path: "main.tf", absPath: process.argv[1] }] : [])];
      const linter = new Linter(defaultConfig());
      await lintInputs(linter, files, defaultConfig(), { workers: 1 });
      console.log(hclLoaded(), linter.finish().findings.length);
    `;
    const node = (extra: string[]) => execFileSync(process.execPath, ["--input-type=module", "-e", script, ...extra], { encoding: "utf8" }).trim();
    expect(node([])).toBe("false 2");
    writeFileSync(join(dir, "main.tf"), `locals {}\n`);
    expect(node([join(dir, "main.tf")])).toBe("true 2");
    expect(relative(dir, dir)).toBe("");
  });
});
