/**
 * Issue 16: one hostile file must not take down, stall or flood the run. Each reproducer of the issue is a test here:
 * it failed before the fix (a crashed run, a hang that only the test timeout ends, a stack overflow, raw escapes in
 * the output). Timeouts are the hang bound: a regression is a test that times out, never a timing assertion.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/config.js";
import { applyBaseline, createBaseline } from "../src/engine/baseline.js";
import { lintFiles, type LintResult } from "../src/engine/engine.js";
import type { Finding } from "../src/engine/finding.js";
import { exitCode } from "../src/cli/pipeline.js";
import { reporters } from "../src/reporters/index.js";
import { allRules } from "../src/rules/index.js";
import { ROOT } from "./helpers.js";

const BIN = join(ROOT, "bin", "deputy.js");

function deputy(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-hostile-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const policy = (action: unknown, resource: unknown = "*") => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });
const lintText = (files: Record<string, string>): LintResult =>
  lintFiles(
    Object.entries(files).map(([path, text]) => ({ path, absPath: `/virtual/${path}`, text })),
    defaultConfig(),
    { now: new Date("2026-12-01") },
  );
const codes = (r: LintResult, file?: string) => r.findings.filter((f) => !file || f.file === file).map((f) => f.ruleId);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("issue 16 reproducers", () => {
  it("an Action of 33,000 '*' is linted like '*', and the other files of the run are still reported", () => {
    const dir = project({ "stars.json": policy("*".repeat(33_000)), "other.json": policy("lambda:InvokeFunction") });
    const r = deputy(["--format", "json", "."], dir);
    expect(r.stderr).toBe("");
    // Both files get their (warning) findings: exit 0, not the whole run's failure (2) it was.
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; file: string }> };
    expect(report.findings.some((f) => f.file === "other.json" && f.ruleId === "DPY202")).toBe(true);
    expect(report.findings.some((f) => f.file === "stars.json" && f.ruleId === "DPY201")).toBe(true);
    expect(report.findings.map((f) => f.ruleId)).not.toContain("DPY000");
  });

  it("33,000 '*' in the Resource and Action of a cross-file grant: no internal error in DPY301/DPY302", () => {
    const template = JSON.stringify({
      AWSTemplateFormatVersion: "2010-09-09",
      Resources: {
        Fn: { Type: "AWS::Lambda::Function", Properties: { FunctionName: "report", Role: "arn:aws:iam::111122223333:role/x", Code: { ZipFile: "x" }, Handler: "i.h", Runtime: "nodejs20.x" } },
        Url: { Type: "AWS::Lambda::Url", Properties: { TargetFunctionArn: { "Fn::GetAtt": ["Fn", "Arn"] }, AuthType: "AWS_IAM" } },
        Role: {
          Type: "AWS::IAM::Role",
          Properties: {
            AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] },
            Policies: [{ PolicyName: "p", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:" + "*".repeat(33_000), Resource: "arn:aws:lambda:*:*:function:" + "*".repeat(33_000) }] } }],
          },
        },
      },
    });
    const r = lintText({ "t.json": template });
    expect(codes(r)).not.toContain("DPY000");
  });

  it("'lambda:**********Z' does not backtrack (and neither do 40 stars before a letter that does not match)", { timeout: 10_000 }, () => {
    const r = lintText({ "a.json": policy("lambda:**********Z"), "b.json": policy(["lambda:" + "*".repeat(40) + "Z", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"]) });
    expect(codes(r)).not.toContain("DPY000");
    // No action ends in Z: a pattern that matches nothing (DPY205).
    expect(codes(r, "a.json")).toContain("DPY205");
  });

  it('!Sub "${${${…" is linear in its length (400,000 repeats)', { timeout: 5_000 }, () => {
    // DPY207's placeholder strip (/\$\{[^}]*\}/g) was still quadratic: 200,000 repeats took 4 s, 400,000 some 17 s.
    const yaml = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub "${"${".repeat(400_000)}"\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: { AWS: !Sub "arn:aws:iam::${"${".repeat(400_000)}:root" }\n            Action: sts:AssumeRole\n`;
    const r = lintText({ "t.yaml": yaml });
    expect(codes(r)).not.toContain("DPY000");
  });

  it("an account field of 40 '${x}' in a principal ARN does not backtrack exponentially", { timeout: 10_000 }, () => {
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::" + "${x}".repeat(40) + "y" }, Action: "sts:AssumeRole" }] });
    expect(codes(lintText({ "trust.json": trust }))).not.toContain("DPY000");
  });

  it("control characters and terminal escapes from inputs never reach the stylish output raw; newlines do not break lines", () => {
    const dir = project({ "esc.json": policy(["lambda:Inv\u001b]0;PWNED\u0007\u001b[2J", "s3:Get\nObject", "s3:\u202eTeg"]) });
    const r = deputy(["--no-color", "."], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).not.toContain("\u202e");
    expect(r.stdout).toContain("lambda:Inv\\x1b]0;PWNED\\x07\\x1b[2J");
    expect(r.stdout).toContain("s3:Get\\nObject");
    // Every finding is on one line of its own: position, severity, message, rule.
    const lines = r.stdout.split("\n").filter((l) => /^ {2}\d+:\d+/.test(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/DPY205$/);
    for (const format of ["github", "markdown", "junit"]) {
      const o = deputy(["--format", format, "."], dir);
      // eslint-disable-next-line no-control-regex
      expect(o.stdout, format).not.toMatch(/\u001b|\u0007|\u202e/);
    }
  });

  it("a 40 KB action name is quoted as a bounded excerpt", () => {
    const name = "lambda:" + "X".repeat(40_000) + "END";
    const r = lintText({ "long.json": policy(name) });
    const f = r.findings.find((x) => x.ruleId === "DPY205")!;
    expect(f.message.length).toBeLessThan(700);
    expect(f.message).toContain("lambda:XXXX");
    expect(f.message).toContain("XEND");
    expect(f.message).toContain("[40,010 characters]");
  });

  it("a 19 MB single string is a DPY001 limit at the string, quickly", { timeout: 15_000 }, () => {
    const text = policy("lambda:" + "A".repeat(19_000_000));
    const r = lintText({ "big.json": text });
    const f = r.findings.find((x) => x.ruleId === "DPY001")!;
    expect(f.message).toContain("String longer than 1,048,576 characters (safety limit)");
    expect(f.region.startColumn).toBe(text.indexOf('"lambda:') + 1);
    expect(codes(r)).toEqual(["DPY001"]);
  });
});

function syntheticResult(n: number): LintResult {
  const base = lintText({ "p.json": policy("lambda:InvokeFunction") });
  const f0 = base.findings[0]!;
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    findings.push({ ...f0, severity: "error", file: `dir/f${i % 5000}.json`, region: { ...f0.region, startLine: 1 + (i % 997) }, logical: { path: `Statement[${i}]/Resource` }, fingerprint: String(i) });
  }
  return { ...base, findings, notifications: [], rules: allRules };
}

describe("issue 16: large runs", () => {
  it("no source spreads a list into call arguments (push(...xs) overflows the stack on 150,000 items): src/engine/arrays.ts instead", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && !p.includes("generated")) {
          readFileSync(p, "utf8")
            .split("\n")
            .forEach((line, i) => {
              if (/^\s*(\*|\/\/)/.test(line)) return;
              if (/\.(push|unshift|splice|concat)\((?:[^(){}]*,\s*)?\.\.\.|Math\.(max|min)\(\.\.\.|fromCodePoint\(\.\.\.|fromCharCode\(\.\.\./.test(line)) offenders.push(`${p.slice(ROOT.length + 1)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(join(ROOT, "src"));
    expect(offenders).toEqual([]);
  });

  const ctx = (result: LintResult) => ({ result, cwd: "/w", color: false, toolVersion: "0", catalogVersion: "0" });

  it("150,000 findings: stylish, github, junit and markdown without stack overflow", { timeout: 60_000 }, () => {
    const result = syntheticResult(150_000);
    for (const format of ["stylish", "github", "junit", "markdown"]) {
      const out = reporters[format]!(ctx(result));
      expect(out.length, format).toBeGreaterThan(1000);
    }
    expect(exitCode(result, "error")).toBe(1);
  });

  it("150,000 findings: --write-baseline and --baseline without stack overflow", { timeout: 60_000 }, () => {
    const result = syntheticResult(150_000);
    const b = createBaseline(result, "/w", "/w/baseline.json");
    expect(b.entries.reduce((a, e) => a + e.count, 0)).toBe(150_000);
    const summary = applyBaseline(result, b, "/w", "/w/baseline.json", "baseline.json");
    expect(summary).toEqual({ file: "baseline.json", matched: 150_000, new: 0, gone: 0 });
    expect(result.findings).toHaveLength(0);
  });

  it("a DPY000 on one file is an error finding of that file (exit 1), not a failed run", () => {
    const result = syntheticResult(1);
    result.findings[0] = { ...result.findings[0]!, ruleId: "DPY000", ruleName: "internal-error" };
    expect(exitCode(result, "error")).toBe(1);
    result.findings[0] = { ...result.findings[0]!, file: "<project>" };
    expect(exitCode(result, "error")).toBe(2);
  });
});

describe("issue 16: regression fixtures found by the fuzzer", () => {
  const FUZZ = join(ROOT, "test", "fixtures", "fuzz");
  const read = (name: string) => readFileSync(join(FUZZ, name), "utf8");

  it("an alias bomb through an anchor that does not exist (`&a2!If`) stops at the expansion limit, quickly", { timeout: 10_000 }, () => {
    // Each alias to an unknown anchor cost a walk of the whole document and was not counted: 36 s.
    const r = lintText({ "bomb.yaml": read("alias-bomb-unknown-anchor.yaml") });
    expect(codes(r).filter((c) => c !== "DPY001")).toEqual([]);
    expect(r.findings.map((f) => f.message)).toContainEqual(expect.stringMatching(/^YAML expands to more than 50000 nodes through aliases/));
  });

  it("a long wildcard service part (`*…*Z…:Get*`) is compiled once, not once per service", { timeout: 8_000 }, () => {
    // The fuzzer's slowest input (5.1 s, a 62 KB mutated AWS managed policy): the pattern was compiled again for each
    // of the ~450 service names. Now 0.25 s; the synthetic one below took some 15 s, now under one.
    expect(codes(lintText({ "w.yaml": read("wildcard-service-part.yaml") }))).not.toContain("DPY000");
    expect(codes(lintText({ "p.json": policy(`${"*a".repeat(60_000)}Z:Get*`) }))).not.toContain("DPY000");
  });

  it("an alias bomb of long strings stops at the character budget, quickly (the 100,000-input run's slowest: 5.6 s)", { timeout: 5_000 }, () => {
    // 50,000 nodes through aliases were allowed, however long their strings, and each alias level copied them again.
    const r = lintText({ "bomb.yaml": read("alias-bomb-long-strings.yaml") });
    expect(codes(r).filter((c) => c !== "DPY001")).toEqual([]);
    expect(r.findings.map((f) => f.message)).toContainEqual(expect.stringMatching(/^YAML expands to more than 10000000 characters through aliases/));
  });

  it("a YAML line that overflows the yaml package's stack gives the same finding at any stack depth", () => {
    // Where the stack ran out depended on how deep it already was: two runs gave two reports.
    const text = read("yaml-parser-stack-overflow.yaml");
    const plain = lintText({ "x.yaml": text }).findings.map((f) => `${f.ruleId} ${f.region.startLine}:${f.region.startColumn} ${f.message}`);
    const deep = (n: number): string[] => (n === 0 ? lintText({ "x.yaml": text }).findings.map((f) => `${f.ruleId} ${f.region.startLine}:${f.region.startColumn} ${f.message}`) : deep(n - 1));
    expect(deep(3000)).toEqual(plain);
    expect(plain).toHaveLength(1);
  });

  it("block nesting between the main thread's and a helper thread's stack limits gives one report with --workers 1 and 2", { timeout: 60_000 }, () => {
    // 1,500 levels (in a file the yaml package composes: a %YAML directive, anchors) overflowed its stack on the main
    // thread but not on a helper thread (2 MB): the two runs reported the file differently (1:1 "nested too deeply
    // for the parser" against 9:401). Now a pre-scan stops it first, at the line where nesting passes 200.
    const head = '%YAML 1.2\n---\nAWSTemplateFormatVersion: "2010-09-09"\nResources:\n';
    let keys = head;
    for (let i = 1; i <= 1500; i++) keys += `${" ".repeat(i)}k${i}: &a${i}\n`;
    const seq = `${head}  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Items:\n      ${"- ".repeat(1500)}x\n`;
    const dir = project({ "keys.yaml": keys + " ".repeat(1501) + "v\n", "seq.yaml": seq, "ok.json": policy("s3:GetObjct") });
    const report = (workers: string) => {
      const r = deputy(["--format", "json", "--workers", workers, "."], dir);
      expect(r.stderr).toBe("");
      return (JSON.parse(r.stdout) as { findings: { file: string; ruleId: string; line: number; column: number; message: string }[] }).findings.map((f) => `${f.file} ${f.ruleId} ${f.line}:${f.column} ${f.message}`).sort();
    };
    const one = report("1");
    expect(report("2")).toEqual(one);
    expect(one).toEqual([
      "keys.yaml DPY001 205:202 Nesting deeper than 200 levels (safety limit). The file was not analysed; split it or remove the construct that breaks the limit.",
      expect.stringMatching(/^ok\.json DPY205 /),
      "seq.yaml DPY001 9:7 Nesting deeper than 200 levels (safety limit). The file was not analysed; split it or remove the construct that breaks the limit.",
    ]);
  });

  it("flow nesting of 5,000 and 50,000 levels and block mappings of 5,000 levels: one DPY001 at the same place with --workers 1 and 2", { timeout: 60_000 }, () => {
    // The pre-scans report the level that passes 200 before the yaml package parses, so no stack depth matters.
    let block = "Resources:\n";
    for (let i = 1; i <= 5000; i++) block += `${" ".repeat(i)}k${i}:\n`;
    const dir = project({
      "flow5k.yaml": `Resources:\n  R:\n    Items: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
      "flow50k.yaml": `Resources:\n  a: ${"[{x: ".repeat(25_000)}\n`,
      "block5k.yaml": block + " ".repeat(5001) + "v\n",
    });
    const report = (workers: string) => {
      const r = deputy(["--format", "json", "--workers", workers, "."], dir);
      expect(r.stderr).toBe("");
      return (JSON.parse(r.stdout) as { findings: { file: string; ruleId: string; line: number; column: number }[] }).findings.map((f) => `${f.file} ${f.ruleId} ${f.line}:${f.column}`).sort();
    };
    const one = report("1");
    expect(report("2")).toEqual(one);
    expect(one).toEqual(["block5k.yaml DPY001 202:202", "flow50k.yaml DPY001 2:506", "flow5k.yaml DPY001 3:212"]);
  });

  it("`Action: x Action: x …` on one line (1,700 compact mappings, from the 100,000-input run) is one report at any stack depth", () => {
    // The yaml package recursed once per `: ` and ran out of stack on the main thread only: --workers 1 and 2 differed.
    const text = readFileSync(join(ROOT, "test", "fixtures", "fuzz", "yaml-compact-mappings-overflow.yaml"), "utf8");
    const once = (): string[] => lintText({ "x.yaml": text }).findings.map((f) => `${f.ruleId} ${f.region.startLine}:${f.region.startColumn} ${f.message}`);
    const deep = (n: number): string[] => (n === 0 ? once() : deep(n - 1));
    expect(once()).toEqual(["DPY001 3:1 Nesting deeper than 200 levels (safety limit). The file was not analysed; split it or remove the construct that breaks the limit."]);
    expect(deep(3000)).toEqual(once());
  });

  it("a quote inside a plain scalar does not hide the flow nesting after it (from the 100,000-input run of seed 20261209)", { timeout: 60_000 }, () => {
    // The pre-scan took the quote for the start of a quoted scalar and skipped to the next quote, past `{${${…`; the
    // yaml package then ended its error's range where its stack ran out: --workers 1 and 2 gave 55:440 and 54:1603.
    const text = readFileSync(join(ROOT, "test", "fixtures", "fuzz", "yaml-quote-inside-plain-scalar.yaml"), "utf8");
    const dir = project({ "x.yaml": text });
    const one = deputy(["--format", "json", "--workers", "1", "."], dir);
    const two = deputy(["--format", "json", "--workers", "2", "."], dir);
    expect(one.stdout).toBe(two.stdout);
    const found = (JSON.parse(one.stdout) as { findings: { ruleId: string; message: string; line: number }[] }).findings;
    expect(found.map((f) => `${f.ruleId} ${f.line} ${f.message.split(".")[0]}`)).toEqual(["DPY001 47 Nesting deeper than 200 levels (safety limit)"]);
  });

  it("the nesting pre-scan skips block scalars: a literal block of 400 ever deeper indented lines is no nesting", () => {
    let body = "";
    for (let i = 0; i < 400; i++) body += `${" ".repeat(10 + i)}line ${i}\n`;
    const text = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        ZipFile: |\n${body}      Handler: index.handler\n`;
    expect(codes(lintText({ "t.yaml": text })).filter((c) => c === "DPY001")).toEqual([]);
  });

  it("block nesting of 250 levels is reported at its 201st level", () => {
    let keys = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n';
    for (let i = 1; i <= 250; i++) keys += `${" ".repeat(i)}k${i}:\n`;
    const r = lintText({ "keys.yaml": keys + " ".repeat(251) + "v\n" });
    expect(r.findings.map((f) => `${f.ruleId} ${f.region.startLine}`)).toEqual(["DPY001 203"]);
  });
});

describe("hostile Terraform", () => {
  it("a 1.8 MB .tf of '${' repeated is a DPY001 nesting limit with a location, and the other files are still reported", { timeout: 30_000 }, () => {
    // Before the nesting pre-check tree-sitter's error recovery took about 13 s on this file.
    const dir = project({ "deep.tf": "${".repeat(900_000), "other.json": policy("lambda:InvokeFunction") });
    const r = deputy(["--format", "json", "."], dir);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; column: number }> };
    const deep = report.findings.filter((f) => f.file === "deep.tf");
    expect(deep.map((f) => f.ruleId)).toEqual(["DPY001"]);
    // The 201st opener: '${' pairs, so its '{' is character 402 of line 1.
    expect(deep[0]).toMatchObject({ line: 1, column: 402 });
    expect(report.findings.some((f) => f.file === "other.json" && f.ruleId === "DPY202")).toBe(true);
    expect(report.findings.map((f) => f.ruleId)).not.toContain("DPY000");
  });

  it("brackets inside quoted strings, comments and heredocs are not nesting: no DPY001 for a large file full of them", () => {
    const many = (c: string) => c.repeat(300);
    const tf = [
      `# ${many("{")}`,
      `// ${many("[")}`,
      `/* ${many("(")} */`,
      `locals {`,
      `  a = "${many("{")}"`,
      `  b = "x\\"${many("[")}"`,
      `  c = "$\${${many("{")}"`,
      `  d = <<-EOT`,
      `    ${many("{")}`,
      `    ${many("[")} \${local.a} ${many("(")}`,
      `  EOT`,
      `  e = "# not a comment ${many("{")}"`,
      `}`,
      ``,
    ].join("\n");
    const r = lintText({ "big.tf": tf.repeat(50) });
    expect(codes(r)).not.toContain("DPY001");
    // Real openers still count, inside an interpolation too.
    const deep = lintText({ "d.tf": `locals {\n  a = "\${${"[".repeat(250)}"\n}\n` });
    expect(deep.findings.map((f) => `${f.ruleId} ${f.region.startLine}`)).toEqual(["DPY001 2"]);
  });

  it("'${' nested inside a quoted attribute value is the same DPY001, on the attribute's line", { timeout: 30_000 }, () => {
    const dir = project({ "main.tf": `locals {\n  a = 1\n  b = "${"${".repeat(500_000)}"\n}\n` });
    const r = deputy(["--format", "json", "."], dir);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number }> };
    expect(report.findings.map((f) => `${f.ruleId} ${f.line}`)).toEqual(["DPY001 3"]);
  });
});
