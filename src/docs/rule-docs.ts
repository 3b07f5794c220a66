/**
 * Rule documentation, generated: `docs/rules/<CODE>-<name>.md` for every rule and the index `docs/rules/README.md`,
 * from the rule metadata (src/rules), the rule's fixtures (`test/cases/<CODE>-<name>/fail|pass/`: the shortest clean
 * one of each is embedded, with the findings its snapshot records) and a hand-written prose file per rule
 * (`docs/rules/src/<CODE>.md`: "## Why it matters" with sources, "## How to fix", optionally "## Notes"; an optional
 * front matter `fail: <fixture>` / `pass: <fixture>` picks the examples). Run `npm run docs` after changing any of
 * them; a test fails when a page is missing or out of date, or when an embedded example stops behaving as its page
 * says.
 */
import { pushAll } from "../engine/arrays.js";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Rule } from "../engine/rule.js";
import { helpUri } from "../engine/rule.js";

export const CATEGORY_ORDER: Rule["category"][] = ["Input", "Trust and confused deputy", "Permissions", "Lambda", "Genesys Cloud data actions"];

/** Pages are at most this long per embedded file; longer fixtures are skipped when a shorter one exists. */
const MAX_EXAMPLE_LINES = 80;

export interface ExampleFile {
  /** Path inside the fixture (the fixture name itself for a single-file fixture). */
  name: string;
  text: string;
}

export interface Example {
  kind: "fail" | "pass";
  /** Fixture name: a file or a folder under fail/ or pass/. */
  fixture: string;
  folder: boolean;
  files: ExampleFile[];
  /** The snapshot lines (fail examples). */
  findings: string[];
}

export interface Prose {
  why: string;
  fix: string;
  notes?: string;
  pick: { fail?: string; pass?: string };
}

function posix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

/** Text that survives being embedded in Markdown and written back: UTF-8, no BOM, no CR, no control characters. */
function clean(buf: Buffer, maxLines: number): string | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff || text.includes("\r") || text.includes("```")) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return undefined;
  if (text.split("\n").length > maxLines) return undefined;
  return text;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) pushAll(out, walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function loadExample(dir: string, kind: "fail" | "pass", fixture: string, maxLines = MAX_EXAMPLE_LINES): Example | undefined {
  const p = join(dir, fixture);
  const folder = statSync(p).isDirectory();
  const paths = folder ? walk(p) : [p];
  const files: ExampleFile[] = [];
  for (const f of paths) {
    const text = clean(readFileSync(f), maxLines);
    if (text === undefined) return undefined;
    files.push({ name: folder ? `${fixture}/${posix(relative(p, f))}` : fixture, text });
  }
  if (files.length === 0 || files.length > 4) return undefined;
  const snap = existsSync(p + ".snap") ? readFileSync(p + ".snap", "utf8").split("\n").filter(Boolean) : [];
  return { kind, fixture, folder, files, findings: snap };
}

/** The fixture a page embeds: the one the prose names, else the shortest clean one (file or small folder). */
export function pickExample(caseDir: string, kind: "fail" | "pass", preferred?: string): Example | undefined {
  const dir = join(caseDir, kind);
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir)
    .filter((f) => !f.endsWith(".snap") && !f.startsWith("."))
    .sort();
  if (preferred && names.includes(preferred)) {
    const ex = loadExample(dir, kind, preferred, Infinity);
    if (ex) return ex;
  }
  // The shortest short one; failing that, the shortest at all (a long example beats none).
  for (const maxLines of [MAX_EXAMPLE_LINES, Infinity]) {
    let best: { ex: Example; size: number } | undefined;
    for (const n of names) {
      const ex = loadExample(dir, kind, n, maxLines);
      if (!ex) continue;
      const size = ex.files.reduce((a, f) => a + f.text.length, 0) + (ex.folder ? 400 : 0);
      if (!best || size < best.size) best = { ex, size };
    }
    if (best) return best.ex;
  }
  return undefined;
}

/** Splits a prose file into its sections. */
export function parseProse(text: string): Prose {
  const pick: Prose["pick"] = {};
  let body = text;
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (fm) {
    body = text.slice(fm[0].length);
    for (const line of fm[1]!.split("\n")) {
      const m = /^(fail|pass):\s*(.+?)\s*$/.exec(line);
      if (m) pick[m[1] as "fail" | "pass"] = m[2];
    }
  }
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of body.split("\n")) {
    const h = /^##\s+(.*?)\s*$/.exec(line);
    if (h) {
      current = h[1]!.toLowerCase();
      sections.set(current, "");
      continue;
    }
    if (current !== undefined) sections.set(current, sections.get(current)! + line + "\n");
  }
  const get = (k: string) => sections.get(k)?.trim();
  return { why: get("why it matters") ?? "", fix: get("how to fix") ?? "", notes: get("notes"), pick };
}

function lang(name: string, text: string): string {
  if (/\.json$/i.test(name)) return "json";
  if (/\.ya?ml$/i.test(name)) return "yaml";
  if (/\.tf$/i.test(name)) return "hcl";
  return /^\s*[{[]/.test(text) ? "json" : "yaml";
}

function exampleBlock(ex: Example): string {
  let out = "";
  for (const f of ex.files) {
    out += `<!-- example ${ex.kind} fixture=${ex.fixture} file=${f.name} -->\n`;
    out += `\`${f.name}\`\n\n`;
    out += "```" + lang(f.name, f.text) + "\n" + f.text + (f.text.endsWith("\n") ? "" : "\n") + "```\n\n";
  }
  return out;
}

const SEVERITY_TEXT: Record<string, string> = { error: "error", warning: "warning", note: "note" };

/** The page of one rule. */
export function renderRulePage(rule: Rule, prose: Prose | undefined, fail: Example | undefined, pass: Example | undefined): string {
  const caseDir = `test/cases/${rule.code}-${rule.name}`;
  let md = `<!-- Generated by scripts/gen-docs.mjs from the rule metadata (src/rules), ${caseDir} and docs/rules/src/${rule.code}.md. Do not edit: edit those and run npm run docs. -->\n`;
  md += `# ${rule.code} ${rule.name}\n\n`;
  md += `${rule.description}.\n\n`;
  md += `| code | name | default severity | category | security severity |\n|---|---|---|---|---|\n`;
  md += `| ${rule.code} | \`${rule.name}\` | ${SEVERITY_TEXT[rule.severity]} | ${rule.category} | ${rule.securitySeverity > 0 ? rule.securitySeverity.toFixed(1) : "none (not a security alert)"} |\n\n`;
  md += `## What it catches\n\n${rule.fullDescription ?? rule.description}\n\n`;
  if (prose?.why) md += `## Why it matters\n\n${prose.why}\n\n`;
  md += `## Examples\n\n`;
  if (fail) {
    md += `### Failing\n\n`;
    md += fail.folder ? `A project (\`${caseDir}/fail/${fail.fixture}\`), linted as a whole:\n\n` : `From \`${caseDir}/fail/${fail.fixture}\`:\n\n`;
    md += exampleBlock(fail);
    if (fail.findings.length) {
      md += `deputy reports (\`line:column-endLine:endColumn rule severity message\`):\n\n`;
      md += "```text\n" + fail.findings.join("\n") + "\n```\n\n";
    }
  } else {
    md += `_No failing fixture yet._\n\n`;
  }
  if (pass) {
    md += `### Passing\n\n`;
    md += pass.folder ? `A project (\`${caseDir}/pass/${pass.fixture}\`) with no ${rule.code} finding:\n\n` : `From \`${caseDir}/pass/${pass.fixture}\`, no ${rule.code} finding:\n\n`;
    md += exampleBlock(pass);
  } else if (rule.code !== "DPY000") {
    md += `_No passing fixture yet._\n\n`;
  }
  if (prose?.fix) md += `## How to fix\n\n${prose.fix}\n\n`;
  if (rule.fixable) {
    md += `## Automatic fix\n\n`;
    md +=
      rule.fixable === "safe"
        ? `\`deputy --fix\` repairs the findings of this rule it can repair exactly (a **safe** fix: it only corrects a value to the one meant, or adds what the configuration says). \`deputy --fix-dry-run\` shows the change first. See [Fixes](../fixes.md) for what it does and when it is offered.\n\n`
        : `\`deputy --unsafe-fixes\` repairs the findings of this rule it can repair (an **unsafe** fix: it changes what the policy allows or who can use it, so review it; \`--fix\` alone does not apply it). \`deputy --fix-dry-run --unsafe-fixes\` shows the change first. See [Fixes](../fixes.md) for what it does and when it is offered.\n\n`;
  }
  if (prose?.notes) md += `## Notes\n\n${prose.notes}\n\n`;
  md += suppressSection(rule);
  md += `## Messages\n\n`;
  for (const [id, text] of Object.entries(rule.messages)) md += `- \`${id}\`: ${text.replace(/\{\{\s*(\w+)\s*\}\}/g, "<$1>")}\n`;
  md += `\n[All rules](README.md)\n`;
  return md;
}

function suppressSection(rule: Rule): string {
  return `## Configuration and suppression

Change the severity, or turn the rule off, in \`deputy.config.yaml\` (by code or name; \`overrides\` do it for some files):

\`\`\`yaml
rules:
  ${rule.code}: warning      # or ${rule.name}: off
\`\`\`

To accept one finding, suppress it where it is, with the reason (a suppression without a reason is not honoured, and
one that matches nothing is reported):

- CloudFormation or CDK, on the resource the finding belongs to (CDK: \`resource.cfnOptions.metadata\` or
  \`addMetadata("deputy", {...})\`):

  \`\`\`yaml
  Metadata:
    deputy:
      suppress:
        - rule: ${rule.code}
          reason: "Why this is acceptable (ticket, owner)"
          expires: "2026-12-31"   # optional: reported again after this day
  \`\`\`

- YAML, a comment at the end of the finding's line or on the line above it:

  \`\`\`yaml
  # deputy-ignore ${rule.code} -- Why this is acceptable
  \`\`\`

- Raw JSON (policies, data action exports), in \`deputy.config.yaml\`:

  \`\`\`yaml
  suppress:
    - file: "path/to/file.json"
      rule: ${rule.name}
      path: "Statement[0]"      # optional: logical path prefix; or sid: "StatementSid"
      reason: "Why this is acceptable"
  \`\`\`

Suppressed findings stay in SARIF (with the justification) and JSON output. See [configuration](../configuration.md).
SARIF \`helpUri\`: ${helpUri(rule)}

`;
}

/** The index page. */
export function renderIndex(rules: readonly Rule[]): string {
  let md = `<!-- Generated by scripts/gen-docs.mjs from the rule metadata. Do not edit: run npm run docs. -->\n# deputy rules\n\n`;
  md += `Each rule has a stable code (the SARIF \`ruleId\`) and a kebab-case name; configuration and suppressions accept either. `;
  md += `Severity is the default; configuration can change it (see [configuration](../configuration.md)). \`deputy explain <rule>\` prints a page in the terminal.\n\n`;
  for (const cat of CATEGORY_ORDER) {
    const list = rules.filter((r) => r.category === cat).sort((a, b) => (a.code < b.code ? -1 : 1));
    if (list.length === 0) continue;
    md += `## ${cat}\n\n| code | name | severity | category | fix | description |\n|---|---|---|---|---|---|\n`;
    for (const r of list) md += `| [${r.code}](${r.code}-${r.name}.md) | \`${r.name}\` | ${r.severity} | ${r.category} | ${r.fixable ?? ""} | ${r.description.replace(/\|/g, "\\|")} |\n`;
    md += "\n";
  }
  return md;
}

export interface DocsOutput {
  /** Relative path under the package root → content. */
  files: Map<string, string>;
  /** Rules without a prose file, or without fail/pass fixtures. */
  missingProse: string[];
  missingFixtures: string[];
}

/** Every generated docs file for these rules. */
export function generateDocs(root: string, rules: readonly Rule[]): DocsOutput {
  const files = new Map<string, string>();
  const missingProse: string[] = [];
  const missingFixtures: string[] = [];
  for (const rule of [...rules].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    const prosePath = join(root, "docs", "rules", "src", `${rule.code}.md`);
    const prose = existsSync(prosePath) ? parseProse(readFileSync(prosePath, "utf8")) : undefined;
    if (!prose) missingProse.push(rule.code);
    const caseDir = join(root, "test", "cases", `${rule.code}-${rule.name}`);
    const fail = pickExample(caseDir, "fail", prose?.pick.fail);
    const pass = pickExample(caseDir, "pass", prose?.pick.pass);
    if (rule.code !== "DPY000" && (!fail || !pass)) missingFixtures.push(`${rule.code}${fail ? "" : " fail"}${pass ? "" : " pass"}`);
    files.set(`docs/rules/${rule.code}-${rule.name}.md`, renderRulePage(rule, prose, fail, pass));
  }
  files.set("docs/rules/README.md", renderIndex(rules));
  return { files, missingProse, missingFixtures };
}

export interface EmbeddedExample {
  kind: "fail" | "pass";
  fixture: string;
  files: ExampleFile[];
}

/** The examples a page embeds, read back from the Markdown (what the docs test lints). */
export function extractExamples(page: string): EmbeddedExample[] {
  const out: EmbeddedExample[] = [];
  const re = /<!-- example (fail|pass) fixture=(\S+) file=(\S+) -->\n`[^`\n]*`\n\n```[a-z]*\n([\s\S]*?)```\n/g;
  for (let m = re.exec(page); m; m = re.exec(page)) {
    const kind = m[1] as "fail" | "pass";
    let ex = out.find((e) => e.kind === kind && e.fixture === m![2]);
    if (!ex) {
      ex = { kind, fixture: m[2]!, files: [] };
      out.push(ex);
    }
    ex.files.push({ name: m[3]!, text: m[4]! });
  }
  return out;
}
