/**
 * The conventions users bring from other command-line tools and npm packages, tested on the real CLI
 * (`bin/deputy.js` over the built bundle): closed pipes, stdin, "did you mean", FORCE_COLOR, rule selection, the
 * one-line format and the VS Code problem matcher that reads it, package metadata, and the JSON report's schema.
 */
import { Ajv } from "ajv";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { envColor } from "../src/cli/main.js";
import { ROOT } from "./helpers.js";

const BIN = join(ROOT, "bin", "deputy.js");

function deputy(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string | undefined> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  for (const k of ["NO_COLOR", "FORCE_COLOR"]) if (!(opts.env && k in opts.env)) delete env[k];
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, input: opts.input ?? "", encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-conv-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const BAD_POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]\n}\n';
const WILDCARD = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]\n}\n';
const TEMPLATE = readFileSync(join(ROOT, "examples", "infra", "genesys-lambda.yaml"), "utf8");

/** Runs the CLI with its stdout already closed by the reader, as `| head -1` does once it has its line. */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ code, stderr }));
  });
}

describe("closed pipes", () => {
  it("deputy --list-rules | head -1 ends quietly with exit 0", async () => {
    const r = await intoClosedPipe(["--list-rules"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a lint run into a closed pipe ends quietly with its own exit code", async () => {
    const r = await intoClosedPipe(["examples", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
  });

  it("the shell pipeline prints the first line and no stack trace", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" --list-rules | head -1`], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout).toMatch(/^DPY000 {2}internal-error/);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toBe("");
  });
});

describe("stdin", () => {
  it("cat template.yaml | deputy - recognises the YAML and lints it", () => {
    const r = deputy(["-", "--format", "json"], { input: TEMPLATE });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { summary: { filesAnalyzed: number }; findings: { file: string; ruleId: string; line: number }[] };
    expect(report.summary.filesAnalyzed).toBe(1);
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain("<stdin>.yaml:27 DPY102");
  });

  it("cat policy.json | deputy - recognises the JSON", () => {
    const r = deputy(["-", "--format", "concise"], { input: BAD_POLICY });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>\.json:3:\d+: error DPY002 /);
  });

  it("refuses text it does not recognise unless --stdin-filename names it", () => {
    const r = deputy(["-"], { input: "hello: world\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not an IAM policy");
    expect(r.stderr).toContain("--stdin-filename");
    const named = deputy(["-", "--stdin-filename", "notes.yaml"], { input: "hello: world\n" });
    expect(named.code).toBe(0);
  });

  it("--stdin-filename without - is a usage error, not a lint of the current folder", () => {
    const dir = tempProject({ "bad.json": BAD_POLICY });
    const r = deputy(["--stdin-filename", "x.json"], { cwd: dir, input: WILDCARD });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('--stdin-filename names the text read from stdin, which deputy reads only for the path "-"');
  });
});

describe("did you mean", () => {
  it("suggests the nearest option for a misspelt one", () => {
    const r = deputy(["--fromat", "json", "examples"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --fromat; did you mean --format?");
    expect(deputy(["--list-rule"]).stderr).toContain("did you mean --list-rules?");
    expect(deputy(["--max-warning=3", "examples"]).stderr).toContain("unknown option --max-warning; did you mean --max-warnings?");
    const far = deputy(["--frobnicate"]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain("unknown option --frobnicate.");
  });

  it("suggests the nearest command for a misspelt one that is no file either", () => {
    const r = deputy(["explian", "DPY101"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"explian" is neither a command nor a file or folder; did you mean "deputy explain"?');
    expect(deputy(["grpah"]).stderr).toContain('did you mean "deputy graph"?');
    expect(deputy(["print-confg", "x.json"]).stderr).toContain('did you mean "deputy print-config"?');
    // A file or folder of that name is linted, whatever it is called.
    const dir = tempProject({ "init/bad.json": BAD_POLICY });
    expect(deputy(["inti"], { cwd: dir }).stderr).toContain('did you mean "deputy init"?');
    expect(deputy(["init/bad.json"], { cwd: dir }).code).toBe(1);
  });

  it("subcommands suggest their options too", () => {
    const r = deputy(["print-config", "--fromat", "json", "x.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean --format?");
    const g = deputy(["graph", "--only-finding", "examples"]);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain("deputy graph: unknown option --only-finding; did you mean --only-findings?");
  });
});

describe("FORCE_COLOR", () => {
  it("forces colours into a pipe, and FORCE_COLOR=0 turns them off; the flags win", () => {
    const dir = tempProject({ "bad.json": BAD_POLICY });
    expect(deputy([], { cwd: dir }).stdout).not.toContain("\x1b[");
    expect(deputy([], { cwd: dir, env: { FORCE_COLOR: "1" } }).stdout).toContain("\x1b[31m");
    expect(deputy([], { cwd: dir, env: { FORCE_COLOR: "3", NO_COLOR: "1" } }).stdout).toContain("\x1b[");
    expect(deputy([], { cwd: dir, env: { FORCE_COLOR: "0" } }).stdout).not.toContain("\x1b[");
    expect(deputy(["--no-color"], { cwd: dir, env: { FORCE_COLOR: "1" } }).stdout).not.toContain("\x1b[");
  });

  it("reads the variable as force-color.org and chalk do", () => {
    expect(envColor({})).toBeUndefined();
    expect(envColor({ FORCE_COLOR: "" })).toBeUndefined();
    expect(envColor({ FORCE_COLOR: "true" })).toBe(true);
    expect(envColor({ FORCE_COLOR: "2" })).toBe(true);
    expect(envColor({ FORCE_COLOR: "false" })).toBe(false);
    expect(envColor({ NO_COLOR: "1" })).toBe(false);
    expect(envColor({ NO_COLOR: "" })).toBeUndefined();
  });
});

describe("rule selection on the command line", () => {
  const dir = tempProject({ "bad.json": BAD_POLICY, "wild.json": WILDCARD, "infra/t.yaml": TEMPLATE });
  const codes = (args: string[]) => {
    const r = deputy(["--format", "json", ...args], { cwd: dir });
    return [...new Set((JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId))].sort();
  };

  it("--select runs only the rules named, by code, name or code prefix", () => {
    expect(codes([])).toEqual(["DPY002", "DPY102", "DPY202", "DPY301", "DPY302"]);
    expect(codes(["--select", "DPY202"])).toEqual(["DPY202"]);
    expect(codes(["--select", "wildcard-resource,DPY002"])).toEqual(["DPY002", "DPY202"]);
    expect(codes(["--select", "DPY3"])).toEqual(["DPY301", "DPY302"]);
    expect(codes(["--select", "DPY1", "--select", "DPY2"])).toEqual(["DPY102", "DPY202"]);
  });

  it("--ignore drops rules, after --select", () => {
    expect(codes(["--ignore", "DPY202,DPY3"])).toEqual(["DPY002", "DPY102"]);
    expect(codes(["--select", "DPY3", "--ignore", "function-url-public"])).toEqual(["DPY301"]);
  });

  it("--rule sets a severity and wins over the configuration file and its overrides", () => {
    writeFileSync(join(dir, "deputy.config.yaml"), 'rules:\n  DPY202: off\noverrides:\n  - files: ["wild.json"]\n    rules:\n      DPY202: note\n');
    try {
      const findings = (args: string[]) => (JSON.parse(deputy(["--format", "json", ...args], { cwd: dir }).stdout) as { findings: { ruleId: string; severity: string; file: string }[] }).findings;
      const wildcard = (args: string[]) => findings(args).filter((f) => f.ruleId === "DPY202").map((f) => `${f.file} ${f.severity}`);
      expect(wildcard([])).toEqual(["wild.json note"]);
      expect(wildcard(["--rule", "DPY202:error"])).toEqual(["infra/t.yaml error", "wild.json error"]);
      expect(wildcard(["--ignore", "DPY202"])).toEqual([]);
      expect(findings(["--rule", "invalid-policy-document=off"]).some((f) => f.ruleId === "DPY002")).toBe(false);
    } finally {
      writeFileSync(join(dir, "deputy.config.yaml"), "{}\n");
    }
  });

  it("an unknown rule or severity is a usage error with a suggestion", () => {
    const r = deputy(["--select", "wildcard-resorce"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--select: unknown rule "wildcard-resorce"; did you mean DPY202 (wildcard-resource)?');
    expect(deputy(["--rule", "DPY202:fatal"], { cwd: dir }).stderr).toContain("severity must be off, note, warning or error");
    expect(deputy(["--rule", "DPY202"], { cwd: dir }).stderr).toContain("--rule takes RULE:SEVERITY");
    expect(deputy(["--ignore", "DPY9"], { cwd: dir }).stderr).toContain('--ignore: unknown rule "DPY9"');
  });
});

/** VS Code's problem matcher, replayed the way its task system applies one (src/vs/workbench/contrib/tasks/common/problemMatcher.ts). */
interface ProblemPattern {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  severity?: number;
  code?: number;
  message?: number;
  loop?: boolean;
}
interface Problem {
  file: string;
  line: number;
  column: number;
  severity: "error" | "warning" | "info";
  code?: string;
  message: string;
}

function vscodeSeverity(value: string | undefined): Problem["severity"] {
  // Severity.fromValue knows error, warning (warn) and info; "note" and "hint" become info; anything else error.
  const v = (value ?? "").toLowerCase();
  if (v === "warning" || v === "warn" || v === "w") return "warning";
  if (v === "info" || v === "i" || v === "note" || v === "hint") return "info";
  return "error";
}

function replayMatcher(output: string, patterns: ProblemPattern[], workspace: string): Problem[] {
  // Each pattern's regexp is compiled as VS Code does (new RegExp(value), no flags) and tried on one line at a time.
  const compiled = patterns.map((p) => ({ ...p, re: new RegExp(p.regexp) }));
  const lines = output.split(/\r?\n/);
  const problems: Problem[] = [];
  const fill = (data: Record<string, string>, p: (typeof compiled)[number], m: RegExpExecArray) => {
    for (const k of ["file", "line", "column", "severity", "code", "message"] as const) if (p[k] !== undefined && m[p[k]!] !== undefined) data[k] = m[p[k]!]!;
  };
  const emit = (data: Record<string, string>) => {
    if (data.file === undefined || data.message === undefined) return;
    problems.push({ file: posix.join(workspace, data.file), line: Number(data.line ?? 1), column: Number(data.column ?? 1), severity: vscodeSeverity(data.severity), code: data.code, message: data.message });
  };
  let i = 0;
  while (i < lines.length) {
    // handle(): every pattern on consecutive lines; then, when the last one loops, next() on each following line.
    const data: Record<string, string> = {};
    let ok = true;
    for (let k = 0; k < compiled.length; k++) {
      const m = i + k < lines.length ? compiled[k]!.re.exec(lines[i + k]!) : null;
      if (!m) {
        ok = false;
        break;
      }
      fill(data, compiled[k]!, m);
    }
    if (!ok) {
      i++;
      continue;
    }
    emit({ ...data });
    i += compiled.length;
    const last = compiled[compiled.length - 1]!;
    if (!last.loop) continue;
    for (;;) {
      const m = i < lines.length ? last.re.exec(lines[i]!) : null;
      if (!m) break;
      const looped = { ...data };
      fill(looped, last, m);
      emit(looped);
      i++;
    }
  }
  return problems;
}

/** tasks.json is JSON with comments: VS Code reads it with comments; these are whole-line ones. */
function readJsonc(file: string): unknown {
  return JSON.parse(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => !/^\s*\/\//.test(l))
      .join("\n"),
  );
}

describe("the one-line format and the VS Code problem matcher", () => {
  const task = (readJsonc(join(ROOT, "editors", "vscode", "tasks.json")) as { tasks: { command: string; problemMatcher: { fileLocation: string[]; pattern: ProblemPattern | ProblemPattern[] } }[] }).tasks[0]!;

  it("prints file:line:col: severity CODE message, one line per problem", () => {
    const dir = tempProject({ "bad.json": BAD_POLICY });
    const r = deputy(["--format", "concise"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bad\.json:3:\d+: error DPY002 Effect must be .+\n1 problem \(1 error, 0 warnings\)\n$/);
    const clean = tempProject({ "ok.json": WILDCARD.replace('"*"', '"arn:aws:lambda:us-east-1:111122223333:function:f"') });
    expect(deputy(["--format", "concise"], { cwd: clean }).stdout).toBe("1 file checked, no problems found.\n");
  });

  it("the shipped matcher catches every finding and suppression problem of a real run, with its position, severity and code", () => {
    expect(task.command).toContain("--format concise");
    expect(task.problemMatcher.fileLocation).toEqual(["relative", "${workspaceFolder}"]);
    const patterns = Array.isArray(task.problemMatcher.pattern) ? task.problemMatcher.pattern : [task.problemMatcher.pattern];
    const dir = tempProject({
      "infra/genesys-lambda.yaml": TEMPLATE,
      "policies/trust.json": readFileSync(join(ROOT, "examples", "policies", "genesys-trust-policy.json"), "utf8"),
      "genesys/actions.json": readFileSync(join(ROOT, "examples", "genesys", "order-status-actions.json"), "utf8"),
      "bad.json": BAD_POLICY,
      "broken.json": '{ "Version": "2012-10-17", "Statement": [ }',
      "suppressed.yaml": "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Metadata: { deputy: { suppress: [ { rule: DPY002 } ] } }\n    Properties:\n      PolicyDocument: { Version: \"2012-10-17\", Statement: [ { Effect: allow, Action: s3:GetObject, Resource: \"arn:aws:s3:::b/*\" } ] }\n",
    });
    const out = deputy(["--format", "concise", "--no-color", "."], { cwd: dir }).stdout;
    const json = JSON.parse(deputy(["--format", "json", "."], { cwd: dir }).stdout) as {
      findings: { ruleId: string; severity: string; message: string; file: string; line: number; column: number; related: unknown[]; suppressions: unknown[] }[];
      notifications: { kind: string; message: string; file: string; line: number; column: number }[];
    };
    const expected = [
      ...json.findings.filter((f) => f.suppressions.length === 0).map((f) => ({ ...f, code: f.ruleId })),
      ...json.notifications.map((n) => ({ ...n, code: n.kind, severity: "warning" })),
    ];
    expect(json.findings.some((f) => f.related.length > 0), "the run has related locations").toBe(true);
    expect(json.notifications.length).toBeGreaterThan(0);
    expect(new Set(expected.map((f) => f.code))).toEqual(new Set(["DPY001", "DPY002", "DPY101", "DPY102", "DPY105", "DPY202", "DPY301", "DPY302", "DPY401", "DPY402", "suppression-no-reason"]));

    // The editor extension contributes the same matcher by name, for tasks that say "problemMatcher": "$deputy".
    const extension = JSON.parse(readFileSync(join(ROOT, "editors", "vscode", "package.json"), "utf8")) as { contributes: { problemMatchers: { name: string; fileLocation: string[]; pattern: ProblemPattern }[] } };
    const contributed = extension.contributes.problemMatchers.find((m) => m.name === "deputy")!;
    expect(contributed.fileLocation).toEqual(task.problemMatcher.fileLocation);
    for (const matcher of [patterns, [contributed.pattern]]) {
      const problems = replayMatcher(out, matcher, "/ws");
      expect(problems).toHaveLength(expected.length);
      for (const f of expected) {
        const p = problems.find((x) => x.file === `/ws/${f.file}` && x.line === f.line && x.column === f.column && x.code === f.code);
        expect(p, `${f.file}:${f.line}:${f.column} ${f.code}`).toBeDefined();
        expect(p!.severity).toBe(f.severity === "note" ? "info" : f.severity);
        expect(p!.message.startsWith(f.message)).toBe(true);
      }
    }
  });

  it("the replay is VS Code's: a looping multi-line matcher stops at the first line its pattern does not match", () => {
    // $eslint-stylish over deputy's default output, the case the one-line format exists for.
    const eslintStylish: ProblemPattern[] = [
      { regexp: "^((?:[a-zA-Z]:)*[./\\\\]*[^:]*)$", file: 1 },
      { regexp: "^\\s+(\\d+):(\\d+)\\s+(error|warning|info)\\s+(.+?)(?:\\s\\s+(.*))?$", line: 1, column: 2, severity: 3, message: 4, code: 5, loop: true },
    ];
    const output = "a.yaml\n  1:1  error  first  DPY301\n          ↳ related: a.yaml:2:2\n  3:1  error  second  DPY302\n\n";
    expect(replayMatcher(output, eslintStylish, "/ws").map((p) => p.code)).toEqual(["DPY301"]);
  });
});

describe("package metadata", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;

  it("names the repository, homepage, issue tracker and keywords", () => {
    expect(pkg.repository).toEqual({ type: "git", url: "git+https://github.com/deputy-lint/deputy.git" });
    expect(pkg.homepage).toBe("https://github.com/deputy-lint/deputy#readme");
    expect(pkg.bugs).toEqual({ url: "https://github.com/deputy-lint/deputy/issues" });
    expect(pkg.keywords).toEqual(expect.arrayContaining(["aws", "iam", "lint", "genesys", "sarif"]));
    // Rule pages (helpUri) live in the same repository.
    const list = deputy(["--list-rules"]).stdout;
    expect(list).toContain("https://github.com/deputy-lint/deputy/blob/main/docs/rules/");
  });

  it("ships the JSON report's schema and the VS Code task", () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["schemas/report.schema.json", "schemas/config.schema.json", "editors/vscode/tasks.json"]));
  });
});

describe("the JSON report's schema", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "report.schema.json"), "utf8")) as object;
  const validate = new Ajv({ allErrors: true, strict: false, logger: false }).compile(schema);

  it("validates the output of real runs: findings, related locations, suppressions, notifications, a baseline", () => {
    const dir = tempProject({
      "infra/genesys-lambda.yaml": TEMPLATE,
      "bad.json": BAD_POLICY,
      "broken.yaml": "a: [\n",
      "suppressed.yaml": "# deputy-ignore-file DPY202 -- test fixture\n" + TEMPLATE,
      "deputy.config.yaml": "suppress:\n  - file: bad.json\n    rule: DPY002\n    reason: tested\n  - rule: DPY101\n    reason: nothing to suppress\n",
    });
    const runs = [deputy(["--format", "json"], { cwd: dir }), deputy(["--format", "json", "--quiet"], { cwd: dir })];
    deputy(["--write-baseline", "b.json"], { cwd: dir });
    runs.push(deputy(["--format", "json", "--baseline", "b.json"], { cwd: dir }));
    for (const r of runs) {
      const report = JSON.parse(r.stdout) as { $schema: string; findings: unknown[]; summary: { baseline?: unknown } };
      expect(validate(report), JSON.stringify(validate.errors, null, 1)).toBe(true);
      const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
      expect(report.$schema).toBe(`https://unpkg.com/deputy-lint@${version}/schemas/report.schema.json`);
    }
    const first = JSON.parse(runs[0]!.stdout) as { findings: { suppressions: unknown[]; related: unknown[] }[]; notifications: unknown[] };
    expect(first.findings.some((f) => f.suppressions.length > 0)).toBe(true);
    expect(first.findings.some((f) => f.related.length > 0)).toBe(true);
    expect(first.notifications.length).toBeGreaterThan(0);
    expect((JSON.parse(runs[2]!.stdout) as { summary: { baseline?: unknown } }).summary.baseline).toBeDefined();
  });

  it("rejects what the report never contains", () => {
    const report = JSON.parse(deputy(["--format", "json", "examples"]).stdout) as { findings: Record<string, unknown>[] };
    expect(validate(report)).toBe(true);
    report.findings[0]!.line = 0;
    expect(validate(report)).toBe(false);
    report.findings[0]!.line = 1;
    report.findings[0]!.severity = "fatal";
    expect(validate(report)).toBe(false);
  });
});
