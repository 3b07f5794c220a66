/**
 * The pre-commit hook, installed and run by the real `pre-commit` tool (Debian's `pre-commit` package; `.ci/run`
 * installs it where apt is available) from a clone of this repository, the way a user's `.pre-commit-config.yaml`
 * with `repo:` pointing here does. pre-commit's node install runs `npm install` in the clone, then takes the
 * tarball's name from `npm pack`'s stdout and installs that tarball globally: so `npm pack` must print nothing else
 * (npm 11 prints the banners of `prepare` there), and the build must happen in `npm install`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

/** The environment of a user's shell: none of the npm_* variables `npm test` sets for its children. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

const preCommit = run("pre-commit", ["--version"], ROOT);
const hasPreCommit = !preCommit.error && preCommit.code === 0;
const isGit = run("git", ["rev-parse", "HEAD"], ROOT).code === 0;
if (!hasPreCommit) console.warn("SKIPPED: the real pre-commit tests need the `pre-commit` command (Debian: apt-get install pre-commit); it is not on PATH.");
else if (!isGit) console.warn("SKIPPED: the real pre-commit tests clone this repository, which is not a git checkout here.");

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; scripts: Record<string, string> };

describe("pre-commit hook", () => {
  it("npm pack prints only the tarball's name on stdout (pre-commit installs what it prints)", () => {
    const r = run("npm", ["pack", "--dry-run"], ROOT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${pkg.name}-${pkg.version}.tgz\n`);
    // Packing builds nothing: the build runs in `npm install` (postprepare), publishing runs the full one.
    for (const s of ["prepare", "prepack", "postpack"]) expect(pkg.scripts[s], s).toBeUndefined();
    expect(pkg.scripts.postprepare).toBe("node scripts/build-bin.mjs");
    expect(pkg.scripts.prepublishOnly).toBe("npm run build");
  });

  it.skipIf(!hasPreCommit || !isGit)(
    `${hasPreCommit ? preCommit.stdout.trim() : "pre-commit"} installs the hook from a clone of this repository and runs it`,
    () => {
      const work = mkdtempSync(join(tmpdir(), "deputy-pre-commit-"));
      try {
        check(work);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    600_000,
  );
});

/** Installs the hook from a clone, runs it on a project with an error, then on the project fixed. */
function check(work: string): void {
  const clone = join(work, "deputy");
  expect(run("git", ["clone", "--quiet", "--no-local", ROOT, clone], work).code).toBe(0);
  const rev = run("git", ["rev-parse", "HEAD"], clone).stdout.trim();
  const target = join(work, "project");
  expect(run("git", ["init", "--quiet", target], work).code).toBe(0);
  writeFileSync(
    join(target, ".pre-commit-config.yaml"),
    `repos:\n  - repo: ${clone}\n    rev: ${rev}\n    hooks:\n      - id: deputy\n      - id: deputy-project\n`,
  );
  writeFileSync(join(target, "trust.json"), '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]\n}\n');
  writeFileSync(join(target, "notes.txt"), "not for deputy\n");
  expect(run("git", ["add", "-A"], target).code).toBe(0);
  const home = join(work, "pre-commit-home");
  const env = userEnv({ PRE_COMMIT_HOME: home, npm_config_prefer_offline: "true", npm_config_fund: "false", npm_config_audit: "false" });

  const failing = run("pre-commit", ["run", "--all-files", "--color", "never"], target, env);
  expect(failing.code, failing.stdout + failing.stderr).toBe(1);
  expect(failing.stdout).toMatch(/^deputy\.+Failed$/m);
  expect(failing.stdout).toMatch(/^deputy \(whole project\)\.+Failed$/m);
  expect(failing.stdout).toMatch(/^ {2}3:\d+ +error +Effect must be .*DPY002$/m);
  expect(failing.stdout).not.toContain("notes.txt");

  // The installed environment was built by esbuild alone: the bundle and the catalog, no tsc output.
  const repos = readdirSync(home).filter((d) => d.startsWith("repo")).map((d) => join(home, d));
  const installed = repos.find((d) => existsSync(join(d, "dist", "bundle", "main.cjs")));
  expect(installed, "the hook's clone in PRE_COMMIT_HOME").toBeDefined();
  expect(readdirSync(join(installed!, "dist")).sort()).toEqual(["bundle", "iam-catalog.jsonl"]);

  writeFileSync(join(target, "trust.json"), '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]\n}\n');
  expect(run("git", ["add", "-A"], target).code).toBe(0);
  const passing = run("pre-commit", ["run", "--all-files", "--color", "never"], target, env);
  expect(passing.code, passing.stdout + passing.stderr).toBe(0);
  expect(passing.stdout).toMatch(/^deputy\.+Passed$/m);
}
