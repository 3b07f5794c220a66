/**
 * Reporter golden files, SARIF schema validation (the official 2.1.0 schema, draft-04, via ajv-draft-04) and the
 * details GitHub code scanning insists on. Only DPY001/DPY002 are enabled so other rules' work cannot move goldens.
 */
import Ajv04Module from "ajv-draft-04";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig, type DeputyConfig } from "../src/config/config.js";
import { escapeData, escapeProperty } from "../src/reporters/github.js";
import { reporters } from "../src/reporters/index.js";
import type { LintResult } from "../src/engine/engine.js";
import { allRules } from "../src/rules/index.js";
import { expectGolden, lint, ROOT } from "./helpers.js";

const FIXTURES = join(ROOT, "test", "fixtures", "reporters");
const GOLDEN = join(ROOT, "test", "golden");
// ajv-draft-04 is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const Ajv04 = (Ajv04Module as unknown as { default: typeof Ajv04Module.default }).default;

function onlyGrammarRules(): DeputyConfig {
  const c = defaultConfig();
  for (const r of allRules) if (!["DPY000", "DPY001", "DPY002"].includes(r.code)) c.rules[r.code] = "off";
  return c;
}

function render(format: string, result: LintResult): string {
  const out = reporters[format]!({ result, cwd: FIXTURES, color: false, toolVersion: "0.0.0-test", catalogVersion: "catalog-test" });
  return out.split(FIXTURES).join("<ROOT>");
}

const result = lint(FIXTURES, FIXTURES, onlyGrammarRules());

describe("reporters", () => {
  for (const format of ["stylish", "json", "sarif", "github"]) {
    it(`${format} matches its golden file`, () => {
      const text = render(format, result);
      expectGolden(join(GOLDEN, `reporters.${format}.txt`), text);
    });
  }

  it("the fixture has findings of both rules and a DPY001 that still lets the other files be linted", () => {
    const ids = result.findings.map((f) => `${f.file}:${f.region.startLine} ${f.ruleId}`);
    expect(ids).toEqual(expect.arrayContaining(["broken.json:3 DPY001", "policy.json:6 DPY002", "template.yaml:9 DPY002", "dir with space/no-action.json:1 DPY002"]));
  });
});

describe("SARIF", () => {
  const sarifSchema = JSON.parse(readFileSync(join(ROOT, "schemas", "sarif-schema-2.1.0.json"), "utf8")) as object;
  const ajv = new Ajv04({ allErrors: true, strict: false });
  const validate = ajv.compile(sarifSchema);
  const log = JSON.parse(render("sarif", result)) as {
    runs: {
      tool: { driver: { rules: { id: string; helpUri: string; properties: Record<string, unknown>; defaultConfiguration: { level: string } }[]; properties: Record<string, string> } };
      results: {
        ruleId: string;
        ruleIndex: number;
        locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } }; logicalLocations?: { name?: string }[] }[];
        partialFingerprints: Record<string, string>;
      }[];
      originalUriBaseIds: Record<string, { uri: string }>;
    }[];
  };

  it("validates against the official SARIF 2.1.0 schema", () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("validates with no findings too (results is always present)", () => {
    const empty = { ...result, findings: [] };
    const parsed = JSON.parse(render("sarif", empty)) as { runs: { results: unknown[] }[] };
    expect(validate(parsed)).toBe(true);
    expect(parsed.runs[0]!.results).toEqual([]);
  });

  it("has what GitHub code scanning needs", () => {
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    const dpy = run.tool.driver.rules.filter((r) => r.id.startsWith("DPY"));
    expect(dpy.map((r) => r.id)).toEqual(allRules.map((r) => r.code));
    for (const r of dpy) {
      expect(r.helpUri).toMatch(/^https:\/\/.+\/docs\/rules\/DPY\d{3}-[a-z-]+\.md$/);
      if (r.id !== "DPY000" && r.id !== "DPY001") expect(Number(r.properties["security-severity"])).toBeGreaterThan(0);
    }
    expect(run.tool.driver.rules.slice(dpy.length).map((r) => r.id)).toEqual(["suppression-unknown-rule", "suppression-no-reason", "suppression-unused", "suppression-expired", "suppression-invalid"]);
    expect(run.tool.driver.properties.iamCatalogVersion).toBe("catalog-test");
    const raw = JSON.parse(reporters.sarif!({ result, cwd: FIXTURES, color: false, toolVersion: "t", catalogVersion: "c" })) as typeof log;
    expect(raw.runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri).toBeUndefined();
    for (const res of run.results) {
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|file:|[a-z]+:\/\/)/);
      expect(loc.artifactLocation.uri).not.toBe("");
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(Object.values(res.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    }
    expect(run.results.some((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "dir%20with%20space/no-action.json")).toBe(true);
    const cdk = run.results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "template.yaml");
    expect(cdk?.locations[0]!.logicalLocations?.[0]?.name).toBe("App/Stack/Role/Resource");
  });

  it("fingerprints are stable when the file is reformatted", () => {
    const pretty = lint(join(FIXTURES, "policy.json"), FIXTURES, onlyGrammarRules()).findings;
    const dir = join(ROOT, "test", "fixtures", "reformatted");
    const minified = lint(join(dir, "policy.json"), dir, onlyGrammarRules()).findings;
    expect(minified.map((f) => f.region.startLine)).not.toEqual(pretty.map((f) => f.region.startLine));
    expect(minified.map((f) => f.fingerprint)).toEqual(pretty.map((f) => f.fingerprint));
  });
});

describe("github annotations", () => {
  it("escapes data and properties", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
  });
  it("gives columns only for single-line spans", () => {
    const lines = render("github", result).trim().split("\n");
    const multi = lines.find((l) => l.includes("file=dir with space/no-action.json"));
    expect(multi).toMatch(/^::error file=dir with space\/no-action.json,line=1,col=\d+,endLine=1,endColumn=\d+,title=DPY002 invalid-policy-document::/);
    const spanning = lines.find((l) => l.includes("file=policy.json") && !l.includes("col="));
    expect(spanning ?? "").toBe("");
  });
});
