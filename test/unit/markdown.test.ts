/**
 * The Markdown report (`--format markdown`, the Action's step summary), rendered by a real CommonMark/GFM renderer
 * (markdown-it, with raw HTML and linkify on, as permissive as a renderer gets): text from the linted files (quoted
 * values, file names) shows as the text it is. No link, image, emphasis, code span, HTML, cell break, autolink or
 * @mention comes from an input; each row links to its rule page and, under GitHub Actions, to its file and line.
 */
import MarkdownIt from "markdown-it";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blobBase } from "../../src/cli/report-options.js";
import type { LintResult } from "../../src/engine/engine.js";
import { codeSpan, escapeMarkdown, markdown, MAX_ROWS } from "../../src/reporters/markdown.js";
import { lint, ROOT } from "../helpers.js";

const md = new MarkdownIt({ html: true, linkify: true });
const EXTERNAL_ID = "changeme [click me](https://example.invalid) **x** @someone";
const ODD_DIR = "odd [x](y) |dir";
const ODD_FILE = "p*_@me `q`.json";

type Token = ReturnType<MarkdownIt["parse"]>[number];

function inline(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => (t.type === "inline" ? (t.children ?? []) : [t]));
}

/** Text a reader sees (zero-width spaces removed), per table row. */
interface Row {
  cells: string[];
  /** Token types inside each cell. */
  types: Set<string>[];
  links: string[];
}

function rows(tokens: Token[]): Row[] {
  const out: Row[] = [];
  let row: Row | undefined;
  for (const t of tokens) {
    if (t.type === "tr_open") row = { cells: [], types: [], links: [] };
    else if (t.type === "tr_close" && row) out.push(row);
    else if (t.type === "inline" && row) {
      let text = "";
      const types = new Set<string>();
      for (const c of t.children ?? []) {
        types.add(c.type);
        if (c.type === "text" || c.type === "code_inline") text += c.content;
        if (c.type === "link_open") row.links.push(c.attrGet("href") ?? "");
      }
      row.cells.push(text.replace(/\u200B/g, ""));
      row.types.push(types);
    }
  }
  return out;
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-md-"));
  cpSync(join(ROOT, "test", "fixtures", "markdown"), dir, { recursive: true });
  mkdirSync(join(dir, ODD_DIR));
  writeFileSync(join(dir, ODD_DIR, ODD_FILE), '{ "Version": "2012-10-17", "Statement": [{ "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" }] }\n');
  return dir;
}

function report(result: LintResult, cwd: string, base?: string): string {
  return markdown({ result, cwd, color: false, toolVersion: "t", catalogVersion: "c", blobBase: base });
}

describe("Markdown report escaping", () => {
  const dir = project();
  const result = lint(dir, dir);
  const base = "https://github.com/acme/infra/blob/0123abc/";
  const text = report(result, dir, base);
  const tokens = md.parse(text, {});
  const all = inline(tokens);
  const table = rows(tokens);

  it("the fixture has the findings whose text comes from the files", () => {
    const messages = result.findings.map((f) => f.message);
    expect(messages.some((m) => m.includes(EXTERNAL_ID))).toBe(true);
    expect(messages.some((m) => /^"\*" .*"\*"/.test(m))).toBe(true);
    expect(result.findings.some((f) => f.file === `${ODD_DIR}/${ODD_FILE}`)).toBe(true);
  });

  it("renders no emphasis, strike-through, image, raw HTML or inline code from inputs", () => {
    expect(tokens.some((t) => t.type === "html_block")).toBe(false);
    for (const r of table.slice(1)) {
      for (const types of r.types) for (const bad of ["em_open", "strong_open", "s_open", "image", "html_inline"]) expect(types.has(bad), `${bad} in ${r.cells.join(" | ")}`).toBe(false);
      // Code spans: only the location (file:line:col), never in a message.
      expect(r.types[3]!.has("code_inline")).toBe(false);
      expect([...r.types[3]!].filter((t) => t !== "text" && t !== "text_special")).toEqual([]);
    }
  });

  it("every row has exactly four cells and links only to its rule page and its file", () => {
    expect(table.length).toBe(1 + result.findings.length);
    for (const r of table.slice(1)) {
      expect(r.cells).toHaveLength(4);
      expect(r.links).toHaveLength(2);
      expect(r.links[0]).toMatch(/^https:\/\/github\.com\/deputy-lint\/deputy\/blob\/main\/docs\/rules\/DPY\d{3}-[a-z-]+\.md$/);
      expect(r.links[1]!.startsWith(base)).toBe(true);
      expect(r.links[1]).toMatch(/#L\d+$/);
    }
    const links = all.filter((t) => t.type === "link_open");
    expect(links).toHaveLength(2 * result.findings.length);
  });

  it("shows the input text as it is: the placeholder ExternalId, the asterisks, the odd file name", () => {
    const messages = table.slice(1).map((r) => r.cells[3]!);
    expect(messages.some((m) => m.includes(`"${EXTERNAL_ID}"`))).toBe(true);
    // Every message reads exactly as the finding says it, asterisks and brackets included.
    expect(messages.sort()).toEqual(result.findings.map((f) => f.message).sort());
    const odd = table.find((r) => r.cells[2]!.startsWith(`${ODD_DIR}/${ODD_FILE}:`));
    expect(odd, "the odd file's row shows its name").toBeDefined();
    expect(odd!.links[1]).toBe(`${base}odd%20%5Bx%5D%28y%29%20%7Cdir/p%2A_%40me%20%60q%60.json#L1`);
  });

  it("leaves nothing GitHub would turn into a mention, an issue link or an autolink", () => {
    // GitHub finds these in the rendered text: @name, #123, http(s)://, www.
    const visible = all.filter((t) => t.type === "text").map((t) => t.content).join(" ");
    expect(visible).not.toMatch(/(^|[^\w])@[a-z0-9]/i);
    expect(visible).not.toMatch(/:\/\//);
    expect(visible).not.toMatch(/#\d/);
  });

  it("escapeMarkdown and codeSpan hold against each construct", () => {
    for (const s of ["[a](b)", "![i](x.png)", "**b** _i_ ~~s~~", "<img src=x onerror=alert(1)>", "a | b", "`code`", "&amp; &#64;", "@user #12 www.example.com http://x.y", "line\nbreak # heading", "\\| back"]) {
      const html = md.renderInline(escapeMarkdown(s));
      expect(html, s).not.toMatch(/<(a|img|em|strong|s|code)\b/);
      expect(md.render(`| h |\n|---|\n| ${escapeMarkdown(s)} |\n`).match(/<td>/g)).toHaveLength(1);
      expect(md.render(`| h |\n|---|\n| ${codeSpan(s, true)} |\n`).match(/<td>/g)).toHaveLength(1);
    }
    expect(md.renderInline(codeSpan("a ``b`` c", false))).toBe("<code>a ``b`` c</code>");
  });

  it("without a repository address, locations are inert text (no broken relative links)", () => {
    const plain = md.parse(report(result, dir), {});
    const links = inline(plain).filter((t) => t.type === "link_open").map((t) => t.attrGet("href"));
    expect(links.every((h) => h!.includes("/docs/rules/"))).toBe(true);
  });

  it("sorts errors first and says what is past the row limit", () => {
    const many: LintResult = { ...result, findings: Array.from({ length: MAX_ROWS + 5 }, (_, i) => ({ ...result.findings[i % result.findings.length]! })) };
    const out = report(many, dir);
    expect(out).toContain("… and 5 more, the least severe");
    const first = rows(md.parse(out, {}))[1]!;
    expect(first.cells[0]).toContain("error");
  });
});

describe("blobBase", () => {
  it("builds the commit's file address from the GitHub environment, below the workspace", () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/infra", GITHUB_SHA: "abc123", GITHUB_WORKSPACE: "/w/infra" };
    expect(blobBase(env, "/w/infra")).toBe("https://github.com/acme/infra/blob/abc123/");
    expect(blobBase(env, "/w/infra/sub dir")).toBe("https://github.com/acme/infra/blob/abc123/sub%20dir/");
    expect(blobBase(env, "/elsewhere")).toBeUndefined();
    expect(blobBase({}, "/w")).toBeUndefined();
  });
});
