/**
 * The programmatic API (`import { lint } from "deputy-lint"`): from the built package, imported by name from a
 * project that depends on it (ES module import and TypeScript types through package.json `exports`), and its
 * behaviour in process: the CLI's findings for the same files, texts in place of files, configuration options, and a
 * session that analyses again only what changed and reports what a fresh run reports.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, createSession, fix, lint, resolveConfig, ruleHelpUri, rules } from "../src/api.js";
import { CASES, ROOT, withoutTerraformExample } from "./helpers.js";

const BIN = join(ROOT, "bin", "deputy.js");

function tempDir(files: Record<string, string> = {}, copy: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-api-"));
  for (const [to, from] of Object.entries(copy)) cpSync(from, join(dir, to), { recursive: true, filter: withoutTerraformExample });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** A project that depends on deputy-lint (node_modules/deputy-lint is this package, as npm links a local dependency). */
function consumer(files: Record<string, string>): string {
  const dir = tempDir({ "package.json": JSON.stringify({ name: "consumer", private: true, type: "module" }), ...files });
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "deputy-lint"), "dir");
  return dir;
}

function cliJson(cwd: string, args: string[] = []): { findings: { ruleId: string; file: string; line: number; column: number; message: string }[] } {
  const r = spawnSync(process.execPath, [BIN, "--format", "json", ...args], { cwd, encoding: "utf8" });
  return JSON.parse(r.stdout) as never;
}

const key = (f: { ruleId: string; file: string; region?: { startLine: number; startColumn: number }; line?: number; column?: number; message: string }) =>
  `${f.file}:${f.region?.startLine ?? f.line}:${f.region?.startColumn ?? f.column} ${f.ruleId} ${f.message}`;

const EXAMPLES = join(ROOT, "examples");
const TRUST = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::765628985471:root"}, "Action": "sts:AssumeRole"}]\n}\n';

describe("the package's programmatic API, imported by name", () => {
  it("an ES module imports lint from deputy-lint and gets the CLI's findings", () => {
    const dir = consumer({
      "run.mjs": `import { lint, rules, version } from "deputy-lint";
const report = await lint({ cwd: process.argv[2], files: ["."] });
console.log(JSON.stringify({ version, rules: rules.length, findings: report.findings.map((f) => \`\${f.file}:\${f.region.startLine}:\${f.region.startColumn} \${f.ruleId} \${f.message}\`), sarif: JSON.parse(report.format("sarif")).version }));
`,
    });
    const ws = tempDir({}, { examples: EXAMPLES });
    const r = spawnSync(process.execPath, [join(dir, "run.mjs"), ws], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { version: string; rules: number; findings: string[]; sarif: string };
    expect(out.version).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    expect(out.rules).toBe(rules.length);
    expect(out.sarif).toBe("2.1.0");
    expect(out.findings).toEqual(cliJson(ws).findings.map(key));
    expect(out.findings.length).toBeGreaterThan(5);
  });

  it("TypeScript (NodeNext) finds the declarations through exports, and rejects a wrong use", () => {
    const good = `import { lint, createSession, type Finding, type LintReport } from "deputy-lint";
const report: LintReport = await lint({ texts: [{ path: "trust.json", text: "{}" }], config: { rules: { DPY202: "off" }, genesys: { region: "eu-west-1" } } });
const first: Finding | undefined = report.findings[0];
const line: number | undefined = first?.region.startLine;
const fixable: boolean = report.findings.some((f) => f.fix?.safe === true);
(await createSession({ cwd: "." }).lint({ files: ["a.json"] })).findings.map((f) => f.ruleId.toUpperCase());
export { line, fixable };
`;
    const tsconfig = JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["use.ts"] });
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const ok = consumer({ "use.ts": good, "tsconfig.json": tsconfig });
    const r = spawnSync(process.execPath, [tsc, "-p", ok], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    const bad = consumer({ "use.ts": `import { lint } from "deputy-lint";\nawait lint({ files: "not-a-list" });\n`, "tsconfig.json": tsconfig });
    const r2 = spawnSync(process.execPath, [tsc, "-p", bad], { encoding: "utf8" });
    expect(r2.status).not.toBe(0);
    expect(r2.stdout).toContain("use.ts(2,");
  });
});

describe("lint()", () => {
  it("lints texts as if they were files, in place of the file with the same path", async () => {
    const ws = tempDir({}, { examples: EXAMPLES });
    const onDisk = await lint({ cwd: ws });
    expect(onDisk.findings.map(key)).toEqual(cliJson(ws).findings.map(key));
    const fixed = readFileSync(join(ws, "examples/infra/genesys-lambda.yaml"), "utf8").replace("YOUR_GENESYS_ORG_ID", "011a0480-9a1e-4da9-8cdd-2642474cf92a");
    const edited = await lint({ cwd: ws, texts: [{ path: "examples/infra/genesys-lambda.yaml", text: fixed }] , files: ["."] });
    expect(edited.findings.filter((f) => f.ruleId === "DPY102")).toEqual([]);
    expect(edited.findings.length).toBe(onDisk.findings.length - 1);
    expect(edited.filesScanned).toBe(onDisk.filesScanned);
    // Texts alone: nothing else is read.
    const alone = await lint({ cwd: ws, texts: [{ path: "trust.json", text: TRUST }] });
    expect(alone.filesScanned).toBe(1);
    expect(alone.findings.map((f) => `${f.file}:${f.region.startLine} ${f.ruleId}`)).toEqual(["trust.json:3 DPY101"]);
  });

  it("takes settings as an object, validated as the config file is; reads the nearest config file otherwise", async () => {
    const ws = tempDir({ "trust.json": TRUST, "deputy.config.yaml": "rules:\n  DPY101: note\n" });
    expect((await lint({ cwd: ws })).findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["DPY101 note"]);
    expect((await lint({ cwd: ws, configFile: false })).findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["DPY101 error"]);
    expect((await lint({ cwd: ws, config: { rules: { "trust-missing-external-id": "off" } } })).findings).toEqual([]);
    await expect(lint({ cwd: ws, config: { rules: { DPY999: "off" } as never } })).rejects.toThrow(ConfigError);
    await expect(lint({ cwd: ws, config: { rules: { DPY999: "off" } as never } })).rejects.toThrow(/rules\.DPY999: unknown rule "DPY999"/);
    await expect(lint({ cwd: ws, files: ["missing.json"] })).rejects.toThrow(/No such file or folder: missing.json/);
    expect(resolveConfig({ cwd: ws, configText: { path: "deputy.config.yaml", text: "rules:\n  DPY101: warning\n" } }).rules).toEqual({ DPY101: "warning" });
  });

  it("describes the rules, with links to their pages", () => {
    expect(rules.map((r) => r.code)).toContain("DPY404");
    expect(ruleHelpUri("DPY202")).toBe(rules.find((r) => r.code === "DPY202")!.helpUri);
    expect(ruleHelpUri("wildcard-resource")).toMatch(/\/docs\/rules\/DPY202-wildcard-resource\.md$/);
    expect(ruleHelpUri("DPY999")).toBeUndefined();
  });
});

describe("fix()", () => {
  it("makes in memory what deputy --fix writes, and writes nothing", async () => {
    const ws = tempDir({}, { examples: EXAMPLES });
    const cli = tempDir({}, { examples: EXAMPLES });
    spawnSync(process.execPath, [BIN, "--fix"], { cwd: cli, encoding: "utf8" });
    const out = await fix({ cwd: ws });
    expect([...out.texts.keys()].length).toBeGreaterThan(0);
    for (const [file, text] of out.texts) {
      expect(text).toBe(readFileSync(join(cli, file), "utf8"));
      expect(readFileSync(join(ws, file), "utf8")).toBe(readFileSync(join(EXAMPLES, file.replace(/^examples\//, "")), "utf8"));
    }
    expect(out.applied.map((f) => f.ruleId)).toContain("DPY105");
    expect(out.report.findings.map((f) => f.ruleId)).not.toContain("DPY105");
    // Unsafe fixes only when asked, and a text is fixed as given.
    const policy = readFileSync(join(EXAMPLES, "infra/genesys-lambda.yaml"), "utf8");
    const safe = await fix({ cwd: ws, texts: [{ path: "t.yaml", text: policy }] });
    const unsafe = await fix({ cwd: ws, texts: [{ path: "t.yaml", text: policy }], unsafe: true });
    expect(unsafe.applied.length).toBeGreaterThan(safe.applied.length);
    expect(unsafe.report.findings.map((f) => f.ruleId)).not.toContain("DPY301");
  });
});

describe("LintSession", () => {
  const CROSS = join(CASES, "DPY404-data-action-lambda-not-permitted", "fail", "cross-folder");

  it("analyses again only the files that changed, and reports what a fresh run reports", async () => {
    const ws = tempDir({}, { policies: join(EXAMPLES, "policies"), genesys: join(CROSS, "genesys"), infra: join(CROSS, "infra") });
    const files = ["genesys/actions.json", "infra/template.yaml", "policies/genesys-trust-policy.json"];
    const session = createSession({ cwd: ws });
    const first = await session.lint({ files });
    expect(session.lastAnalyzed).toBe(3);
    expect(first.findings.map(key)).toEqual((await lint({ cwd: ws })).findings.map(key));
    expect(first.findings.map((f) => f.ruleId)).toContain("DPY404");
    // Unchanged: nothing is analysed again, same report (cross-file findings included).
    const again = await session.lint({ files });
    expect(session.lastAnalyzed).toBe(0);
    expect(again.findings).toEqual(first.findings);
    // An unsaved text of the template grants the refund function: only that file is analysed, DPY404 goes.
    const template = readFileSync(join(ws, "infra/template.yaml"), "utf8").replace("Resource: !GetAtt LookupFunction.Arn", 'Resource: ["arn:aws:lambda:us-east-1:123456789012:function:order-lookup", "arn:aws:lambda:us-east-1:123456789012:function:order-refund"]');
    const edited = await session.lint({ files, texts: [{ path: "infra/template.yaml", text: template }] });
    expect(session.lastAnalyzed).toBe(1);
    expect(edited.findings.map((f) => f.ruleId)).not.toContain("DPY404");
    expect(edited.findings.map(key)).toEqual((await lint({ cwd: ws, files: ["."], texts: [{ path: "infra/template.yaml", text: template }] })).findings.map(key));
    // The same edit saved to disk (a new modification time): analysed again from the disk, same findings.
    writeFileSync(join(ws, "infra/template.yaml"), template);
    utimesSync(join(ws, "infra/template.yaml"), new Date(), new Date(Date.now() + 5000));
    const saved = await session.lint({ files });
    expect(session.lastAnalyzed).toBe(1);
    expect(saved.findings.map(key)).toEqual(edited.findings.map(key));
    // Back to the original text: the role's findings are not carried over from an earlier run.
    writeFileSync(join(ws, "infra/template.yaml"), readFileSync(join(CROSS, "infra/template.yaml")));
    utimesSync(join(ws, "infra/template.yaml"), new Date(), new Date(Date.now() + 10000));
    expect((await session.lint({ files })).findings.map(key)).toEqual(first.findings.map(key));
  });

  it("applies the configuration's ignores to the files it is given", async () => {
    const ws = tempDir({ "a/trust.json": TRUST, "b/trust.json": TRUST, "deputy.config.yaml": "ignores:\n  - a/\n" });
    const r = await createSession({ cwd: ws }).lint({ files: ["a/trust.json", "b/trust.json"] });
    expect(r.findings.map((f) => f.file)).toEqual(["b/trust.json"]);
  });
});
