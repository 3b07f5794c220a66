/** Configuration: the generated schema, loading and validation with locations, overrides per file, ignores, init. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/cli/discover.js";
import { effectiveConfigFor, starterConfig } from "../../src/cli/commands.js";
import { main } from "../../src/cli/main.js";
import { collectInputs } from "../../src/cli/pipeline.js";
import { ConfigError, findConfigFile, loadConfig, parseConfig } from "../../src/config/load.js";
import { configSchema, configSchemaText } from "../../src/config/schema.js";
import { lintFiles } from "../../src/engine/engine.js";
import { allRules } from "../../src/rules/index.js";
import { ROOT } from "../helpers.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-config-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function errorOf(text: string): string {
  try {
    parseConfig(text, "deputy.config.yaml", "/tmp");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

const BAD_POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }]\n}\n';

describe("config schema", () => {
  it("the committed schemas/config.schema.json is the one generated from the rules (run npm run schema)", () => {
    const committed = readFileSync(join(ROOT, "schemas", "config.schema.json"), "utf8");
    expect(committed, "schemas/config.schema.json is stale: run npm run schema").toBe(configSchemaText(allRules));
  });

  it("lists every rule by code and by name", () => {
    const props = ((configSchema(allRules).definitions as Record<string, { properties: Record<string, unknown> }>).rules.properties);
    for (const r of allRules) {
      expect(props).toHaveProperty(r.code);
      expect(props).toHaveProperty(r.name);
    }
  });
});

describe("config loading", () => {
  it("reports each invalid key with its file, line and column", () => {
    const msg = errorOf(`rules:
  DPY002: warn
  DPY999: off
  wildcard-actoin: error
genesys:
  region: mypurecloud.xx
  orgId: not-a-uuid
accounts:
  own: ["12"]
overrides:
  - rules: { DPY002: off }
suppress:
  - rule: DPY002
    expires: 2025-1-1
bogus: 1
`);
    expect(msg.split("\n")).toEqual([
      'deputy.config.yaml:2:11: rules.DPY002: must be off, note, warning or error, not "warn".',
      'deputy.config.yaml:3:3: rules.DPY999: unknown rule "DPY999"; rules are named by code (DPY101) or name (trust-missing-external-id); see deputy --list-rules.',
      'deputy.config.yaml:4:3: rules.wildcard-actoin: unknown rule "wildcard-actoin"; did you mean DPY201 (wildcard-action)?',
      'deputy.config.yaml:6:11: genesys.region: unknown Genesys region "mypurecloud.xx"; use an AWS region such as eu-west-1 or a Genesys domain such as mypurecloud.ie (17 regions are known).',
      'deputy.config.yaml:7:10: genesys.orgId: "not-a-uuid" is not a Genesys organization ID (a UUID such as 011a0480-9a1e-4da9-8cdd-2642474cf92a).',
      'deputy.config.yaml:9:9: accounts.own[0]: "12" is not a 12-digit AWS account ID.',
      'deputy.config.yaml:11:5: overrides[0]: missing "files".',
      'deputy.config.yaml:14:14: suppress[0].expires: "2025-1-1" is not a date; write YYYY-MM-DD.',
      'deputy.config.yaml:15:1: bogus: unknown key "bogus"; expected rules, ignores, overrides, genesys, accounts, genesysRoles, permissions or suppress.',
    ]);
  });

  it("reports YAML syntax errors and duplicate keys with their position", () => {
    expect(errorOf("rules:\n  DPY002: off\n  DPY002: error\n")).toMatch(/^deputy\.config\.yaml:3:3: Map keys must be unique/);
    expect(errorOf("rules: [unclosed\n")).toMatch(/^deputy\.config\.yaml:\d+:\d+: /);
  });

  it("loads a valid configuration, keeping account IDs as written (an unquoted one with a leading 0 must be quoted: config-schema-agreement.test.ts)", () => {
    const c = parseConfig(
      `rules:
  DPY101: warning
  wildcard-resource: off
genesys: { region: mypurecloud.ie, orgId: 011a0480-9a1e-4da9-8cdd-2642474cf92a }
accounts:
  own: ["012345678901", 111122223333]
  trusted: [{ id: 444455556666, reason: "deployment account" }]
genesysRoles: [GenesysRole]
`,
      "deputy.config.yaml",
      "/repo",
    );
    expect(c.rules).toEqual({ DPY101: "warning", "wildcard-resource": "off" });
    expect(c.genesys).toEqual({ region: "mypurecloud.ie", orgId: "011a0480-9a1e-4da9-8cdd-2642474cf92a" });
    expect(c.accounts).toEqual({ own: ["012345678901", "111122223333"], trusted: [{ id: "444455556666", reason: "deployment account" }] });
    expect(c.genesysRoles).toEqual(["GenesysRole"]);
    expect(c.baseDir).toBe("/repo");
  });

  it("is found by walking up from the working directory, under any of its names; --config wins", () => {
    const dir = project({ ".deputy.yaml": "rules: { DPY002: warning }\n", "a/b/x.json": "{}", "other.yaml": "rules: { DPY002: note }\n" });
    expect(findConfigFile(join(dir, "a", "b"))).toBe(join(dir, ".deputy.yaml"));
    const c = loadConfig(join(dir, "a", "b"));
    expect(c.rules).toEqual({ DPY002: "warning" });
    expect(c.source).toBe("../../.deputy.yaml");
    expect(loadConfig(dir, "other.yaml").rules).toEqual({ DPY002: "note" });
    expect(() => loadConfig(dir, "missing.yaml")).toThrow(/missing\.yaml: config file not found/);
  });

  it("the starter config written by init is valid and changes nothing", () => {
    const c = parseConfig(starterConfig(), "deputy.config.yaml", "/repo");
    expect(c.rules).toEqual({});
    expect(c.ignores).toEqual([]);
    for (const r of allRules.filter((x) => x.code !== "DPY000")) expect(starterConfig()).toContain(`# ${r.code}: `);
  });
});

describe("severities per file", () => {
  const dir = project({ "legacy/a.json": BAD_POLICY, "new/b.json": BAD_POLICY, "deputy.config.yaml": "" });
  const config = parseConfig(
    `rules:
  invalid-policy-document: warning
overrides:
  - files: ["legacy/**"]
    rules: { DPY002: off }
  - files: ["new/*.json"]
    rules: { invalid-policy-document: note }
`,
    "deputy.config.yaml",
    dir,
  );

  it("overrides apply by glob, the last match winning, code and name alike", () => {
    const r = lintFiles(discover([], dir, []), config);
    expect(r.findings.filter((f) => f.ruleId === "DPY002").map((f) => `${f.file} ${f.severity}`)).toEqual(["new/b.json note"]);
  });

  it("a rule off globally runs where an override turns it on", () => {
    const c = parseConfig(`rules: { DPY002: off }\noverrides:\n  - files: ["legacy/**"]\n    rules: { DPY002: error }\n`, "deputy.config.yaml", dir);
    const r = lintFiles(discover([], dir, []), c);
    expect(r.findings.filter((f) => f.ruleId === "DPY002").map((f) => `${f.file} ${f.severity}`)).toEqual(["legacy/a.json error"]);
  });

  it("print-config shows the effective settings for a file and where each comes from", () => {
    const eff = effectiveConfigFor(config, { path: "new/b.json", absPath: join(dir, "new", "b.json") });
    const row = eff.rules.find((r) => r.rule.code === "DPY002")!;
    expect([row.severity, row.from]).toEqual(["note", "overrides[1]"]);
    expect(eff.overrides).toEqual([1]);
    const legacy = effectiveConfigFor(config, { path: "legacy/a.json", absPath: join(dir, "legacy", "a.json") });
    expect(legacy.rules.find((r) => r.rule.code === "DPY002")!.severity).toBe("off");
  });

  it("ignores are relative to the config file's folder, also from a subfolder", () => {
    const c = parseConfig(`ignores: ["legacy/"]\n`, "deputy.config.yaml", dir);
    expect(collectInputs([], dir, [], c).map((f) => f.path)).toEqual(["deputy.config.yaml", "new/b.json"]);
    expect(collectInputs([], join(dir, "legacy"), [], c)).toEqual([]);
    expect(collectInputs(["legacy/a.json"], dir, [], c)).toEqual([]);
  });
});

describe("CLI: --config, init, print-config", () => {
  async function deputy(args: string[], cwd: string) {
    let stdout = "";
    let stderr = "";
    const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: async () => "", cwd, env: {}, isTTY: false });
    return { code, stdout, stderr };
  }

  it("init writes a starter config once and refuses to overwrite", async () => {
    const dir = project({});
    const first = await deputy(["init"], dir);
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, "deputy.config.yaml"), "utf8")).toBe(starterConfig());
    const again = await deputy(["init"], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("deputy.config.yaml already exists here; not overwriting it.");
    expect(readFileSync(join(dir, "deputy.config.yaml"), "utf8")).toBe(starterConfig());
  });

  it("an invalid config is exit 2 with file:line:col, key and message", async () => {
    const dir = project({ "p.json": BAD_POLICY, "deputy.config.yaml": "# settings\nrules:\n  DPY999: off\n" });
    const r = await deputy(["p.json"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^deputy\.config\.yaml:3:3: rules\.DPY999: unknown rule "DPY999"/);
    expect(r.stdout).toBe("");
  });

  it("the config is applied to a run, and --config names another file", async () => {
    const dir = project({ "p.json": BAD_POLICY, "deputy.config.yaml": "rules: { DPY002: warning }\n", "strict.yaml": "rules: { DPY002: error }\n" });
    expect((await deputy(["p.json"], dir)).code).toBe(0);
    expect((await deputy(["p.json", "--fail-on", "warning"], dir)).code).toBe(1);
    expect((await deputy(["--config", "strict.yaml", "p.json"], dir)).code).toBe(1);
  });

  it("print-config prints YAML with the rule names as comments, or JSON", async () => {
    const dir = project({ "deputy.config.yaml": 'overrides:\n  - files: ["legacy/**"]\n    rules: { wildcard-action: off }\n' });
    const y = await deputy(["print-config", "legacy/x.json"], dir);
    expect(y.code).toBe(0);
    expect(y.stdout).toMatch(/^file: legacy\/x\.json\nconfig: deputy\.config\.yaml\nignored: false\noverrides:\n {2}- 0\nrules:\n/);
    expect(y.stdout).toContain("  DPY201: off # wildcard-action (from overrides[0])\n");
    expect(y.stdout).toContain("  DPY002: error # invalid-policy-document\n");
    const j = JSON.parse((await deputy(["print-config", "--format", "json", "other.json"], dir)).stdout);
    expect(j.rules.DPY201).toEqual({ name: "wildcard-action", severity: "warning", from: "default" });
    expect((await deputy(["print-config"], dir)).code).toBe(2);
  });
});
