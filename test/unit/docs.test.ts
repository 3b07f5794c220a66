/**
 * Rule documentation: every rule has its prose and its page; the committed pages are what the generator writes; and
 * each page's embedded examples behave as the page says (the failing one produces the rule, the passing one does
 * not), linted from the Markdown itself. `deputy explain` prints a page.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { markdownToText } from "../../src/cli/commands.js";
import { main } from "../../src/cli/main.js";
import { extractExamples, generateDocs } from "../../src/docs/rule-docs.js";
import { helpUri } from "../../src/engine/rule.js";
import { allRules } from "../../src/rules/index.js";
import { lint, ROOT } from "../helpers.js";

const generated = generateDocs(ROOT, allRules);
const STALE = "out of date: run npm run docs (after adding docs/rules/src/<CODE>.md for a new rule)";

describe("rule docs", () => {
  it("every rule has a prose file docs/rules/src/<CODE>.md", () => {
    expect(generated.missingProse).toEqual([]);
  });

  it("every generated page is committed and up to date, and no page belongs to a removed rule", () => {
    for (const [rel, content] of generated.files) {
      const abs = join(ROOT, rel);
      expect(existsSync(abs), `${rel} is missing: run npm run docs`).toBe(true);
      expect(readFileSync(abs, "utf8"), `${rel} is ${STALE}`).toBe(content);
    }
    const pages = readdirSync(join(ROOT, "docs", "rules")).filter((f) => /^DPY\d{3}-.*\.md$/.test(f));
    expect(pages.sort()).toEqual(allRules.map((r) => `${r.code}-${r.name}.md`).sort());
  });

  it("the SARIF helpUri of each rule points at its page", () => {
    for (const r of allRules) expect(helpUri(r).endsWith(`/docs/rules/${r.code}-${r.name}.md`)).toBe(true);
  });

  for (const rule of allRules) {
    const page = join(ROOT, "docs", "rules", `${rule.code}-${rule.name}.md`);
    if (!existsSync(page)) continue;
    const examples = extractExamples(readFileSync(page, "utf8"));
    for (const ex of examples) {
      it(`${rule.code} page: the ${ex.kind}ing example ${ex.fixture} ${ex.kind === "fail" ? "produces" : "does not produce"} ${rule.code}`, () => {
        const dir = mkdtempSync(join(tmpdir(), `deputy-doc-${rule.code}-`));
        for (const f of ex.files) {
          mkdirSync(dirname(join(dir, f.name)), { recursive: true });
          writeFileSync(join(dir, f.name), f.text);
        }
        const got = lint(join(dir, ex.fixture), dir).findings.filter((f) => f.ruleId === rule.code);
        if (ex.kind === "fail") expect(got.length, `the failing example on ${rule.code}'s page no longer fails`).toBeGreaterThan(0);
        else expect(got.map((f) => f.message), `the passing example on ${rule.code}'s page now fails`).toEqual([]);
      });
    }
  }

  it("pages of rules with fixtures embed a failing and a passing example", () => {
    for (const rule of allRules) {
      if (rule.code === "DPY000" || generated.missingFixtures.some((m) => m.startsWith(rule.code))) continue;
      const text = generated.files.get(`docs/rules/${rule.code}-${rule.name}.md`)!;
      const kinds = new Set(extractExamples(text).map((e) => e.kind));
      expect([...kinds].sort(), rule.code).toEqual(["fail", "pass"]);
    }
  });
});

describe("deputy explain", () => {
  async function explain(arg: string) {
    let stdout = "";
    let stderr = "";
    const code = await main(["explain", arg], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: async () => "", cwd: ROOT, env: {}, isTTY: false });
    return { code, stdout, stderr };
  }

  it("prints the page as plain text, by code or by name", async () => {
    const rule = allRules.find((r) => r.code === "DPY002")!;
    const byCode = await explain("DPY002");
    const byName = await explain(rule.name);
    expect(byCode.code).toBe(0);
    expect(byName.stdout).toBe(byCode.stdout);
    expect(byCode.stdout).toMatch(/^DPY002 invalid-policy-document\n=+\n/);
    expect(byCode.stdout).not.toMatch(/<!--|```/);
  });

  it("an unknown rule is exit 2 with a suggestion", async () => {
    const r = await explain("invalid-policy-documnt");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean DPY002 (invalid-policy-document)?");
  });

  it("markdownToText keeps code indented and links readable", () => {
    expect(markdownToText("# T\n\nSee [AWS](https://x.y/z) and `code`.\n\n```json\n{}\n```\n")).toBe("T\n=\n\nSee AWS <https://x.y/z> and code.\n\n    {}\n");
  });
});
