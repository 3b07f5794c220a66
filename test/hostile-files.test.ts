/**
 * Issue 16, hostile files and environments: each gives a clear finding or a clear skip, the run finishes within a
 * bound (the test timeout), and nothing else is lost (a good file next to it is always reported).
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/config.js";
import { Linter, type LintResult } from "../src/engine/engine.js";
import { defineRule } from "../src/engine/rule.js";
import { allRules } from "../src/rules/index.js";
import { ROOT } from "./helpers.js";

const BIN = join(ROOT, "bin", "deputy.js");
const GOOD = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "*" }] });

function deputy(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-hostile-files-"));
  writeFileSync(join(dir, "good.json"), GOOD);
  return dir;
}

type Report = { summary: { filesScanned: number; filesAnalyzed: number }; findings: Array<{ ruleId: string; file: string; message: string; line: number }> };
function lintJson(dir: string, args: string[] = ["."]): Report & { code: number | null; stderr: string } {
  const r = deputy(["--format", "json", ...args], dir);
  expect(r.stdout, r.stderr).not.toBe("");
  return { ...(JSON.parse(r.stdout) as Report), code: r.code, stderr: r.stderr };
}
const goodReported = (r: Report) => expect(r.findings.some((f) => f.file === "good.json" && f.ruleId === "DPY202")).toBe(true);
const of = (r: Report, file: string) => r.findings.filter((f) => f.file === file).map((f) => `${f.ruleId} ${f.message}`);

describe("hostile files", () => {
  it("a YAML alias bomb is a DPY001 limit", { timeout: 30_000 }, () => {
    const dir = folder();
    let y = "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 9; i++) y += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    writeFileSync(join(dir, "bomb.yaml"), y + "Resources: {}\n");
    const r = lintJson(dir);
    expect(of(r, "bomb.yaml")).toEqual([expect.stringMatching(/^DPY001 YAML expands to more than 50000 nodes through aliases \(safety limit\)/)]);
    goodReported(r);
    expect(r.code).toBe(1);
  });

  it("100,000-level nesting in JSON and YAML is a DPY001 limit", { timeout: 30_000 }, () => {
    const dir = folder();
    writeFileSync(join(dir, "deep.json"), '{"Statement":' + "[".repeat(100_000) + "]".repeat(100_000) + "}");
    writeFileSync(join(dir, "deep.yaml"), "Resources: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
    writeFileSync(join(dir, "deep-block.yaml"), "Resources:\n" + Array.from({ length: 1000 }, (_, i) => " ".repeat(i + 1) + `k${i}:`).join("\n") + " x\n");
    const r = lintJson(dir);
    expect(of(r, "deep.json")).toEqual([expect.stringMatching(/^DPY001 Nesting deeper than 200 levels \(safety limit\)/)]);
    expect(of(r, "deep.yaml")).toEqual([expect.stringMatching(/^DPY001 .*(Nesting deeper than 200 levels|nest)/i)]);
    expect(of(r, "deep-block.yaml")).toEqual([expect.stringMatching(/^DPY001 .*(Nesting deeper than 200 levels|nest)/i)]);
    goodReported(r);
  });

  it("a 200 MB file is a DPY001 limit without being read whole", { timeout: 30_000 }, () => {
    const dir = folder();
    const big = join(dir, "big.json");
    writeFileSync(big, '{"Version": "2012-10-17", "Statement": [');
    truncateSync(big, 200 * 1024 * 1024);
    const r = lintJson(dir);
    expect(of(r, "big.json")).toEqual([expect.stringMatching(/^DPY001 File of 209,715,200 bytes, larger than 20 MiB \(safety limit\); not analysed/)]);
    goodReported(r);
  });

  it("a policy of 1,000,000 statements: at most 10,000 findings and a note of the rest, within the file's budget", { timeout: 120_000 }, () => {
    const dir = folder();
    writeFileSync(join(dir, "million.json"), '{"Version":"2012-10-17","Statement":[' + Array(1_000_000).fill('{"Effect":"Deny"}').join(",") + "]}");
    const r = lintJson(dir);
    const mine = of(r, "million.json");
    expect(mine.length).toBeLessThanOrEqual(10_003);
    expect(mine).toContainEqual(expect.stringMatching(/^DPY001 This file has more than 10,000 findings \(safety limit\); the other [\d,]+ are not reported/));
    goodReported(r);
  });

  it("binary files named .json, invalid UTF-8 and UTF-16, NUL bytes", () => {
    const dir = folder();
    const rnd = Buffer.alloc(4096);
    for (let i = 0; i < rnd.length; i++) rnd[i] = (i * 7919 + 13) % 256;
    writeFileSync(join(dir, "binary.json"), rnd);
    writeFileSync(join(dir, "bad-utf8.json"), Buffer.concat([Buffer.from('{"Statement":[{"Action":"s3:Get'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')]));
    writeFileSync(join(dir, "utf16.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, "utf16le")]));
    writeFileSync(join(dir, "utf16-lone.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD.replace("lambda:", "lambda:\ud800"), "utf16le")]));
    writeFileSync(join(dir, "nul.json"), GOOD.replace("lambda:", "lam\u0000bda:"));
    writeFileSync(join(dir, "nul-tail.json"), Buffer.concat([Buffer.from(GOOD), Buffer.alloc(64)]));
    const r = lintJson(dir);
    expect(of(r, "binary.json")).toEqual([]);
    expect(of(r, "bad-utf8.json")).toEqual([expect.stringMatching(/^DPY001 The file is not valid UTF-8/)]);
    expect(of(r, "utf16.json")).toEqual([expect.stringMatching(/^DPY202/)]);
    expect(of(r, "utf16-lone.json").join("\n")).toMatch(/DPY205 "lambda:\uFFFDInvokeFunction"/);
    expect(of(r, "nul.json")).toEqual([expect.stringMatching(/^DPY001 Control character in JSON string/)]);
    expect(of(r, "nul-tail.json")).toEqual([expect.stringMatching(/^DPY001 Unexpected content after the end/)]);
    goodReported(r);
  });
});

describe("hostile environments", () => {
  it("a FIFO, a symlink loop, a dangling symlink and a folder named x.json are skipped in a folder walk", { timeout: 30_000 }, () => {
    const dir = folder();
    spawnSync("mkfifo", [join(dir, "fifo.json")]);
    symlinkSync("loop-b.json", join(dir, "loop-a.json"));
    symlinkSync("loop-a.json", join(dir, "loop-b.json"));
    symlinkSync("nowhere.json", join(dir, "dangling.json"));
    symlinkSync(".", join(dir, "self"));
    mkdirSync(join(dir, "x.json"));
    writeFileSync(join(dir, "x.json", "inner.json"), GOOD);
    const r = lintJson(dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.findings.map((f) => f.file).sort()).toEqual(["good.json", "x.json/inner.json"]);
  });

  it("named on the command line (a pre-commit run), they are skipped with a line on stderr and the other files are linted", { timeout: 30_000 }, () => {
    const dir = folder();
    spawnSync("mkfifo", [join(dir, "fifo.json")]);
    symlinkSync("loop-b.json", join(dir, "loop-a.json"));
    symlinkSync("loop-a.json", join(dir, "loop-b.json"));
    symlinkSync("nowhere.json", join(dir, "dangling.json"));
    const r = lintJson(dir, ["fifo.json", "loop-a.json", "dangling.json", "good.json"]);
    expect(r.stderr).toBe(
      "deputy: skipped fifo.json: not a regular file (a FIFO, socket or device)\n" +
        "deputy: skipped loop-a.json: a dangling symbolic link or a symbolic link loop\n" +
        "deputy: skipped dangling.json: a dangling symbolic link or a symbolic link loop\n",
    );
    goodReported(r);
    expect(r.code).toBe(0);
  });

  it("a file that vanishes between discovery and reading, or turns into a FIFO, is skipped", () => {
    const dir = folder();
    spawnSync("mkfifo", [join(dir, "was-a-file.json")]);
    const linter = new Linter(defaultConfig(), allRules);
    linter.addFile({ path: "gone.json", absPath: join(dir, "gone.json") });
    linter.addFile({ path: "was-a-file.json", absPath: join(dir, "was-a-file.json") });
    linter.addFile({ path: "good.json", absPath: join(dir, "good.json") });
    const r = linter.finish();
    expect(r.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(["good.json DPY202"]);
  });

  it("paths with spaces, newlines, escapes and invalid UTF-8 in their names", () => {
    const dir = folder();
    writeFileSync(join(dir, "with space.json"), GOOD);
    writeFileSync(join(dir, "new\nline.json"), GOOD);
    writeFileSync(join(dir, "esc\u001b[2J.json"), GOOD);
    writeFileSync(Buffer.concat([Buffer.from(dir + "/b"), Buffer.from([0xff]), Buffer.from(".json")]), GOOD);
    const r = lintJson(dir);
    const files = r.findings.map((f) => `${f.file} ${f.ruleId}`).sort();
    expect(files).toEqual(["b\uFFFD.json DPY001", "esc\u001b[2J.json DPY202", "good.json DPY202", "new\nline.json DPY202", "with space.json DPY202"]);
    expect(of(r, "b\uFFFD.json")).toEqual([expect.stringMatching(/^DPY001 The file name is not valid UTF-8, so deputy cannot open the file/)]);
    // In the text formats, the names are printed with visible escapes.
    const stylish = deputy(["."], dir).stdout;
    expect(stylish).toContain("new\\nline.json\n");
    expect(stylish).toContain("esc\\x1b[2J.json\n");
    const github = deputy(["--format", "github", "."], dir).stdout;
    expect(github.split("\n").filter(Boolean).every((l) => l.startsWith("::"))).toBe(true);
  });

  it("a corrupted cache file (garbage, wrong shapes) is ignored and rewritten", () => {
    const dir = folder();
    // A file outside the cross-file phase, so that its results are cached.
    writeFileSync(join(dir, "s3.json"), GOOD.replace("lambda:InvokeFunction", "s3:GetObject"));
    const cacheFile = join(dir, ".deputycache");
    expect(deputy(["--cache", "s3.json"], dir).code).toBe(0);
    const cache = JSON.parse(readFileSync(cacheFile, "utf8")) as { key: string; files: Record<string, { hash: string }> };
    const [abs, entry] = Object.entries(cache.files)[0]!;
    const withEntry = (e: unknown) => JSON.stringify({ key: cache.key, files: { [abs]: { hash: entry.hash, ...(e as object) } } });
    for (const content of [
      "garbage{{{",
      "",
      "null",
      "[1,2]",
      withEntry({ analyzed: true, findings: "x", notifications: [], configUsed: [] }),
      withEntry({ analyzed: true, findings: [{ ruleId: 1 }], notifications: [], configUsed: [] }),
      withEntry({ analyzed: true, findings: [], notifications: [null], configUsed: [-1] }),
    ]) {
      writeFileSync(cacheFile, content);
      const r = lintJson(dir, ["--cache", "s3.json"]);
      expect(r.code, content).toBe(0);
      expect(r.stderr, content).toBe("");
      expect(of(r, "s3.json"), content).toEqual([expect.stringMatching(/^DPY202/)]);
    }
    const fd = openSync(cacheFile, "w");
    writeSync(fd, Buffer.alloc(10_000, 0xff));
    closeSync(fd);
    expect(of(lintJson(dir, ["--cache", "s3.json"]), "s3.json")).toEqual([expect.stringMatching(/^DPY202/)]);
  });

  it("a corrupted baseline file is a clear configuration error (exit 2) naming the file", () => {
    const dir = folder();
    for (const [content, msg] of [
      ["garbage", "bl.json: not a deputy baseline (Unexpected token"],
      ['{"tool":"deputy","version":1,"entries":[{"rule":"DPY202"}]}', "bl.json: entry 0 is malformed"],
      ['{"tool":"deputy","version":1,"entries":"x"}', "bl.json: not a deputy baseline"],
      ["\u0000\u0001", "bl.json: not a deputy baseline"],
    ] as const) {
      writeFileSync(join(dir, "bl.json"), content);
      const r = deputy(["--baseline", "bl.json", "good.json"], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(msg);
    }
  });

  it("10,000 tiny files finish, each reported", { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-tiny-"));
    for (let i = 0; i < 100; i++) {
      mkdirSync(join(dir, `d${i}`));
      for (let j = 0; j < 100; j++) writeFileSync(join(dir, `d${i}`, `p${j}.json`), j % 10 === 0 ? '{"Statement": [' : GOOD);
    }
    const r = lintJson(dir, ["--workers", "2", "."]);
    expect(r.summary.filesScanned).toBe(10_000);
    expect(r.findings.filter((f) => f.ruleId === "DPY202")).toHaveLength(9_000);
    expect(r.findings.filter((f) => f.ruleId === "DPY001")).toHaveLength(1_000);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("per-file isolation and budget", () => {
  const slow = defineRule({
    code: "DPY990",
    name: "slow-test-rule",
    severity: "error",
    category: "Input",
    securitySeverity: 0,
    description: "test",
    messages: { m: "m" },
    create: () => ({
      document() {
        const until = Date.now() + 80;
        while (Date.now() < until) {
          /* busy */
        }
      },
    }),
  });
  const throwing = defineRule({
    code: "DPY991",
    name: "throwing-test-rule",
    severity: "error",
    category: "Input",
    securitySeverity: 0,
    description: "test",
    messages: { m: "m" },
    create: () => ({
      document(d) {
        if (d.origin.file.path === "bad.json") throw new Error("boom");
      },
    }),
  });
  const core = allRules.filter((r) => r.code === "DPY000" || r.code === "DPY001" || r.code === "DPY202");
  const run = (rules: typeof allRules, budget?: number): LintResult => {
    const linter = new Linter(defaultConfig(), rules, { fileBudgetMs: budget });
    linter.addFile({ path: "bad.json", absPath: "/v/bad.json", text: GOOD });
    linter.addFile({ path: "good.json", absPath: "/v/good.json", text: GOOD });
    return linter.finish();
  };

  it("a file that uses up its time budget gets a DPY001 saying so, and the rules after are not run on it", () => {
    const r = run([...core.slice(0, 2), slow, core[2]!], 40);
    const lines = r.findings.map((f) => `${f.file} ${f.ruleId} ${f.message}`);
    expect(lines).toEqual([
      "bad.json DPY001 Analysing this file took more than 0.04 s (safety limit); rules from DPY202 on were not run. What was found is reported; split the file to have all of it checked.",
      "good.json DPY001 Analysing this file took more than 0.04 s (safety limit); rules from DPY202 on were not run. What was found is reported; split the file to have all of it checked.",
    ]);
  });

  it("a rule that throws on one file is a DPY000 of that file only", () => {
    const r = run([...core, throwing]);
    expect(r.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(["bad.json DPY000", "bad.json DPY202", "good.json DPY202"]);
    expect(r.findings[0]!.message).toMatch(/^Internal error in DPY991 throwing-test-rule: boom/);
  });
});
