/**
 * `deputy graph`: a golden Mermaid file for a small project (test/cases/graph/<project>/ → <project>.mmd), built with
 * the rules whose findings the project is about (so other rules' work cannot move the golden), plus the command's
 * behaviour through `main()`. Run with UPDATE_SNAPSHOTS=1 to rewrite a golden file, then review it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/cli/discover.js";
import { buildGraph, escapeMermaid, renderMermaid } from "../../src/cli/graph.js";
import { main, type CliIO } from "../../src/cli/main.js";
import { defaultConfig } from "../../src/config/config.js";
import { lintFiles } from "../../src/engine/engine.js";
import { allRules } from "../../src/rules/index.js";
import { CASES, expectGolden } from "../helpers.js";

const GRAPH_CASES = join(CASES, "graph");
const KEEP = new Set(["DPY000", "DPY001", "DPY101", "DPY301", "DPY302", "DPY401", "DPY402", "DPY403", "DPY404", "DPY405"]);

function graphOf(dir: string): string {
  const config = defaultConfig();
  for (const r of allRules) if (!KEEP.has(r.code)) config.rules[r.code] = "off";
  const result = lintFiles(discover(["."], dir, []), config);
  return renderMermaid(buildGraph(result.project), result.findings);
}

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), readStdin: async () => "", cwd, env: {}, isTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

describe("deputy graph golden files", () => {
  const projects = readdirSync(GRAPH_CASES).filter((d) => statSync(join(GRAPH_CASES, d)).isDirectory());
  it("has at least one project", () => expect(projects.length).toBeGreaterThan(0));
  for (const p of projects) {
    it(p, () => {
      const text = graphOf(join(GRAPH_CASES, p));
      expectGolden(join(GRAPH_CASES, `${p}.mmd`), text);
    });
  }
  it("is deterministic", () => {
    const dir = join(GRAPH_CASES, "genesys-lambda");
    expect(graphOf(dir)).toBe(graphOf(dir));
  });
});

describe("deputy graph command", () => {
  const dir = join(GRAPH_CASES, "genesys-lambda");
  it("prints a Mermaid flowchart with the findings on their edges", async () => {
    const r = await run(["graph"], dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out.startsWith("flowchart LR\n")).toBe(true);
    expect(r.out).toMatch(/-->\|"⚠ DPY404 invokes :live"\| function_order_lookup/);
    expect(r.out).toMatch(/^ {2}linkStyle [\d,]+ stroke:#d62728/m);
  });
  it("writes to --output", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "deputy-graph-")), "g.mmd");
    const r = await run(["graph", "-o", out, "."], dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(existsSync(out) && readFileSync(out, "utf8").startsWith("flowchart LR")).toBe(true);
  });
  it("says so when there is nothing to draw", async () => {
    const empty = mkdtempSync(join(tmpdir(), "deputy-graph-"));
    const r = await run(["graph"], empty);
    expect(r.code).toBe(0);
    expect(r.out).toContain("No access paths");
  });
  it("rejects unknown options and missing paths with exit code 2", async () => {
    expect((await run(["graph", "--bogus"], dir)).code).toBe(2);
    expect((await run(["graph", "no-such-folder"], dir)).code).toBe(2);
  });
  it("prints its help", async () => {
    const r = await run(["graph", "--help"], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: deputy graph");
  });
});

describe("escapeMermaid", () => {
  it("escapes what would end or confuse a quoted label", () => {
    expect(escapeMermaid('a "b" <c> | `d` #e [f] {g} & h')).toBe("a #quot;b#quot; #60;c#62; #124; #96;d#96; #35;e #91;f#93; #123;g#125; #38; h");
    expect(escapeMermaid("line\nbreak")).toBe("line break");
  });
});
