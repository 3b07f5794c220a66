import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAST_CHECK, FAST_CHECK_BODY, hclFastWalk, loadHcl, parseHcl, tooDeep, type HExpr, type HPart } from "../../src/parsers/hcl.js";

await loadHcl();

function tfFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) tfFiles(p, out);
    else if (/\.(tf|tfvars)$/.test(n)) out.push(p);
  }
  return out;
}

describe("reading the HCL tree", () => {
  it("uses the direct cursor with the web-tree-sitter deputy depends on", () => {
    expect(hclFastWalk()).toBe(true);
  });

  it("reads the check file as web-tree-sitter's public TreeCursor does (FAST_CHECK_BODY is that reading)", () => {
    expect(JSON.stringify(parseHcl(FAST_CHECK, { publicCursor: true }).body)).toBe(FAST_CHECK_BODY);
    expect(JSON.stringify(parseHcl(FAST_CHECK).body)).toBe(FAST_CHECK_BODY);
  });

  it("reads every Terraform file of the tests as the public TreeCursor does", () => {
    const files = tfFiles(join(import.meta.dirname, ".."));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect(parseHcl(text), f).toEqual(parseHcl(text, { publicCursor: true }));
    }
  });
});

describe("heredocs", () => {
  const partsOf = (text: string, i = 0): HPart[] => (parseHcl(text).body!.attrs[i]!.expr as HExpr & { k: "tmpl" }).parts;
  const value = (parts: HPart[]) => parts.map((p) => ("lit" in p ? p.lit : "expr" in p ? "${" + (p.expr as { root?: string }).root + "}" : "%{}")).join("");

  it("an indented heredoc (<<-) loses its lines' least indentation; each literal part is still the exact range of its text", () => {
    const text = "x = <<-EOT\n    a ${b}\n      c\n\n   \n    d\n  EOT\n";
    const parts = partsOf(text);
    // Lines indented 4 and 6 lose 4 columns; the empty line and the line of only spaces count neither way.
    expect(value(parts)).toBe("a ${b}\n  c\n\n   \nd\n");
    for (const p of parts) if ("lit" in p) expect(text.slice(p.s, p.e)).toBe(p.lit);
    const c = parts.find((p) => "lit" in p && p.lit === "  c\n")!;
    expect(text.slice(0, c.s).split("\n").length).toBe(3);
    expect(c.s - text.lastIndexOf("\n", c.s) - 1).toBe(4);
  });

  it("keeps the indentation of a plain heredoc (<<), and of an indented one with a line that starts with an interpolation", () => {
    expect(value(partsOf("x = <<EOT\n    a\n  b\nEOT\n"))).toBe("    a\n  b\n");
    expect(value(partsOf("x = <<-EOT\n    a\n${b}\n  EOT\n"))).toBe("    a\n${b}\n");
    expect(value(partsOf("x = <<-EOT\n\ta\n\t\tb\n  EOT\n"))).toBe("a\n\tb\n");
  });
});

describe("limits", () => {
  // Found through the 100,000-input fuzz run's slowest input (one line of 1.8 MB). The timeout is the hang bound, as in
  // test/hostile.test.ts: before the fix this line took minutes once the pre-check was optimized.
  it("the nesting pre-check stays linear on a long line once it is optimized (a V8 merge of two indexOf calls made it quadratic)", { timeout: 10_000 }, () => {
    const warm = readFileSync(join(import.meta.dirname, "..", "cases", "DPY202-wildcard-resource", "fail", "terraform-heredoc-values", "main.tf"), "utf8");
    for (let i = 0; i < 2000; i++) tooDeep(warm);
    // One line of 4,000,000 characters, no comment in it: each character used to scan to the line's end.
    const line = `x = [${"1,".repeat(2_000_000)}]\n`;
    expect(tooDeep(line)).toBeUndefined();
    const deep = `# ${"c".repeat(100)}\nx = [${"[".repeat(201)}`;
    expect(tooDeep(deep)).toBe(deep.indexOf("[") + 200);
  });

  it("a string longer than JSON's limit is a limit problem at the string, however it is written", () => {
    const big = "A".repeat(1024 * 1024 + 1);
    for (const text of [`x = "${big}"\n`, `x = <<EOT\n${big}\nEOT\n`, `resource "${big}" "b" {}\n`]) {
      const r = parseHcl(text);
      expect(r.body).toBeUndefined();
      expect(r.problems).toEqual([{ kind: "limit", message: "String longer than 1,048,576 characters (safety limit)", range: { start: text.indexOf(text.includes("<<") ? "<<" : '"'), end: text.indexOf(text.includes("<<") ? "<<" : '"') + 1 } }]);
    }
    expect(parseHcl(`x = "${"A".repeat(1000)}"\n`).problems).toEqual([]);
  });

  it("counts the values of a file against a bound, as JSON and YAML do", () => {
    const text = `x = [${Array.from({ length: 50 }, (_, i) => i).join(", ")}]\ny = 1\n`;
    // 52 values: the list, its 50 numbers and y's 1.
    expect(parseHcl(text, { limits: { values: 52 } }).problems).toEqual([]);
    const r = parseHcl(text, { limits: { values: 40 } });
    expect(r.problems.map((p) => [p.kind, p.message])).toEqual([["limit", "More than 40 values in one file (safety limit)"]]);
    expect(text.slice(r.problems[0]!.range.start, r.problems[0]!.range.start + 2)).toBe("39");
  });
});

describe("the parse budget", () => {
  it("a parse stopped by the budget is a limit problem, and the next file is parsed from its own start", () => {
    // Found by scaling up the fuzzer's slowest input (seed 20261207, a 1.8 MB string of `${x}`): at 20 MB it ran out of
    // the 5 s budget, and the next file of its module (read for the configuration) was parsed as the rest of the
    // stopped one: a syntax error at 1:1 of a valid file.
    const slow = `locals {\n  a = "${"${x}".repeat(200_000)}\n`;
    const stopped = parseHcl(slow, { budgetMs: 0 });
    expect(stopped.body).toBeUndefined();
    // At the file's start: where the parser had got to depends on the machine's speed.
    expect(stopped.problems).toEqual([{ kind: "limit", message: "HCL parsing took longer than 0 s and was stopped (safety limit)", range: { start: 0, end: 1 } }]);
    const next = parseHcl(`resource "aws_iam_role" "r" {\n  name = "r"\n}\n`);
    expect(next.problems).toEqual([]);
    expect(next.body?.blocks.map((b) => b.labels)).toEqual([["aws_iam_role", "r"]]);
  });

  it("an HCL file larger than 2 MiB is a limit problem before the parser runs (its memory grows with the tokens)", () => {
    // 20 MB of `1,` made the parser's WebAssembly heap run out (an abort) when the time budget was lifted.
    const text = `x = [${"1,".repeat(1024 * 1024)}]\n`;
    expect(parseHcl(text).problems).toEqual([{ kind: "limit", message: "HCL file larger than 2 MiB (safety limit)", range: { start: 0, end: 0 } }]);
    const small = `x = [${"1,".repeat(1000)}]\n`;
    expect(parseHcl(small, { maxChars: small.length }).problems).toEqual([]);
    expect(parseHcl(small, { maxChars: small.length - 1 }).problems.map((p) => p.kind)).toEqual(["limit"]);
  });
});
