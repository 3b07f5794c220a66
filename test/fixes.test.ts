/**
 * Fix fixtures, through the real CLI entry (`main`) on a copy of each case:
 *
 *   test/fixes/<CODE>-<name>/<case>/input/      the project as it is (a deputy.config.yaml there is used)
 *   test/fixes/<CODE>-<name>/<case>/expected/   every file the fix changes, byte for byte as it must be written
 *   test/fixes/<CODE>-<name>/<case>/args        optional: the fix flags (default: --fix for a safe rule,
 *                                               --unsafe-fixes for an unsafe one)
 *
 * Each case must have <CODE> findings with fixes; after the run the files must equal expected/ (the others unchanged),
 * a rerun must have no <CODE> finding left, a second run must change nothing, and --fix-dry-run must print the same
 * change as a diff without writing.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../src/cli/main.js";
import { allRules } from "../src/rules/index.js";
import { expectGolden, ROOT, withoutTerraformExample } from "./helpers.js";
import Ajv04Module from "ajv-draft-04";

// ajv-draft-04 is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const Ajv04 = (Ajv04Module as unknown as { default: typeof Ajv04Module.default }).default;

const FIXES = join(ROOT, "test", "fixes");

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: async () => "", cwd, env: {}, isTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  logicalLocation: { path: string };
  fix?: { description: string; safe: boolean; edits: unknown[] };
}

async function findings(cwd: string): Promise<JsonFinding[]> {
  const r = await run(["-f", "json", "--workers", "1", "."], cwd);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

function copy(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-fix-"));
  cpSync(from, dir, { recursive: true, filter: withoutTerraformExample });
  return dir;
}

const ruleDirs = existsSync(FIXES) ? readdirSync(FIXES).filter((d) => /^DPY\d{3}-/.test(d)).sort() : [];

for (const ruleDir of ruleDirs) {
  const code = ruleDir.slice(0, 6);
  const rule = allRules.find((r) => r.code === code);
  describe(`fixes ${ruleDir}`, () => {
    it("names a fixable rule by code and name", () => {
      expect(rule && `${rule.code}-${rule.name}`).toBe(ruleDir);
      expect(rule!.fixable).toBeDefined();
    });
    for (const name of readdirSync(join(FIXES, ruleDir)).sort()) {
      const dir = join(FIXES, ruleDir, name);
      it(name, async () => {
        const input = join(dir, "input");
        const expectedDir = join(dir, "expected");
        const argsFile = join(dir, "args");
        const args = existsSync(argsFile) ? readFileSync(argsFile, "utf8").trim().split(/\s+/) : [rule!.fixable === "safe" ? "--fix" : "--unsafe-fixes"];
        const work = copy(input);

        const before = (await findings(work)).filter((f) => f.ruleId === code);
        expect(before.length, `${name}: the input must have ${code} findings`).toBeGreaterThan(0);
        expect(before.filter((f) => !f.fix).map((f) => `${f.file}:${f.line}`), `${name}: every ${code} finding has a fix`).toEqual([]);

        // The dry run shows the change and writes nothing.
        const dry = await run([...args.filter((a) => a !== "--fix"), "--fix-dry-run", "--workers", "1", "."], work);
        expect(dry.code).toBe(1);
        expect(dry.stdout).toMatch(/^--- a\//);
        for (const f of files(input)) expect(readFileSync(join(work, f), "utf8"), `dry run wrote ${f}`).toBe(readFileSync(join(input, f), "utf8"));

        const fixed = await run([...args, "--workers", "1", "."], work);
        expect(fixed.stderr).not.toMatch(/was not applied|was not written/);
        if (!existsSync(expectedDir) && process.env.UPDATE_SNAPSHOTS === "1") {
          // Writes what the fix produced; read every file before committing.
          for (const f of files(input)) {
            if (readFileSync(join(work, f)).equals(readFileSync(join(input, f)))) continue;
            mkdirSync(dirname(join(expectedDir, f)), { recursive: true });
            writeFileSync(join(expectedDir, f), readFileSync(join(work, f)));
          }
        }
        const expected = new Set(files(expectedDir));
        expect(expected.size, `${name}: expected/ is empty`).toBeGreaterThan(0);
        for (const f of files(input)) {
          const got = readFileSync(join(work, f));
          const want = readFileSync(expected.has(f) ? join(expectedDir, f) : join(input, f));
          expect(got.toString("utf8"), `${name}: ${f}`).toBe(want.toString("utf8"));
          expect(got.equals(want), `${name}: ${f} byte for byte`).toBe(true);
        }
        for (const f of expected) expect(existsSync(join(input, f)), `expected/${f} has no input`).toBe(true);

        // The rerun: the findings are gone.
        const after = (await findings(work)).filter((f) => f.ruleId === code);
        expect(after.map((f) => `${f.file}:${f.line}`)).toEqual([]);

        // A second run changes nothing.
        const again = await run([...args, "--workers", "1", "."], work);
        expect(again.stderr).toContain("nothing to fix");
        for (const f of files(input)) expect(readFileSync(join(work, f)).equals(readFileSync(expected.has(f) ? join(expectedDir, f) : join(input, f)))).toBe(true);
      });
    }
  });
}

describe("the bundled examples", () => {
  const ORG = "genesys:\n  orgId: 011a0480-9a1e-4da9-8cdd-2642474cf92a\n";
  for (const config of [undefined, ORG]) {
    it(`--unsafe-fixes repairs every fixable finding with a minimal diff, and a rerun is clean of them${config ? " (genesys.orgId configured)" : ""}`, async () => {
      const work = copy(join(ROOT, "examples"));
      if (config) writeFileSync(join(work, "deputy.config.yaml"), config);
      const key = (f: JsonFinding) => `${f.ruleId}|${f.file}|${f.logicalLocation.path}`;
      const before = await findings(work);
      const fixable = before.filter((f) => f.fix);
      expect(fixable.map((f) => f.ruleId).sort()).toEqual(config ? ["DPY102", "DPY105", "DPY202", "DPY301"] : ["DPY102", "DPY105", "DPY202", "DPY301"]);
      const dry = await run(["--fix-dry-run", "--unsafe-fixes", "--workers", "1", "."], work);
      expectGolden(join(ROOT, "test", "golden", `examples-fix${config ? "-org-id" : ""}.diff`), dry.stdout);
      const fixed = await run(["--unsafe-fixes", "--workers", "1", "."], work);
      expect(fixed.stderr).not.toMatch(/was not applied|was not written/);
      const after = await findings(work);
      expect(after.filter((f) => f.fix).map(key)).toEqual([]);
      const left = new Set(after.map(key));
      expect(fixable.map(key).filter((k) => left.has(k))).toEqual([]);
      const again = await run(["--unsafe-fixes", "--workers", "1", "."], work);
      expect(again.stderr).toContain("nothing to fix");
    });
  }
});

describe("fixes in the reports", () => {
  it("SARIF results carry fixes (artifactChanges with replacements) and validate against the 2.1.0 schema", async () => {
    const work = copy(join(ROOT, "examples"));
    const r = await run(["-f", "sarif", "--workers", "1", "."], work);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { charOffset: number; charLength: number }; insertedContent?: { text: string } }[] }[] }[] }[] }[] };
    const ajv = new Ajv04({ allErrors: true, strict: false, logger: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, "schemas", "sarif-schema-2.1.0.json"), "utf8")) as object);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const fixed = log.runs[0]!.results.filter((x) => x.fixes);
    expect(fixed.map((x) => x.ruleId).sort()).toEqual(["DPY102", "DPY105", "DPY202", "DPY301"]);
    const near = fixed.find((x) => x.ruleId === "DPY105")!.fixes![0]!;
    expect(near.artifactChanges[0]!.artifactLocation.uri).toBe("policies/genesys-trust-policy.json");
    const rep = near.artifactChanges[0]!.replacements[0]!;
    // The replaced characters are the mistyped digits, by offset into the file.
    const text = readFileSync(join(work, "policies", "genesys-trust-policy.json"), "utf8");
    expect(text.slice(rep.deletedRegion.charOffset, rep.deletedRegion.charOffset + rep.deletedRegion.charLength)).toBe("765628981432");
    expect(rep.insertedContent?.text).toBe("765628985471");
  });

  it("stylish marks fixable findings and counts what --fix would repair; JSON carries the edits", async () => {
    const work = copy(join(ROOT, "examples"));
    const stylish = (await run(["--workers", "1", "."], work)).stdout;
    expect(stylish).toMatch(/DPY105 \(fixable\)\n/);
    expect(stylish).toMatch(/DPY301 \(fixable with --unsafe-fixes\)\n/);
    expect(stylish).toContain("1 problem can be fixed with --fix, 3 more with --unsafe-fixes");
    const json = await findings(work);
    expect(json.find((f) => f.ruleId === "DPY105")!.fix).toEqual({
      description: "Trust the Genesys Cloud account 765628985471 instead of 765628981432",
      safe: true,
      edits: [expect.objectContaining({ file: "policies/genesys-trust-policy.json", text: "765628985471" })],
    });
  });
});

describe("fix fixtures", () => {
  it("every fixable rule has fix fixtures", () => {
    const missing = allRules.filter((r) => r.fixable && !ruleDirs.includes(`${r.code}-${r.name}`)).map((r) => r.code);
    expect(missing).toEqual([]);
  });
});
