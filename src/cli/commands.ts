/**
 * Subcommands: `deputy init` (write a commented starter config), `deputy print-config FILE` (the settings that apply
 * to one file, after overrides), `deputy explain RULE` (a rule's documentation page, as plain text).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import type { Scalar } from "yaml";
import type { DeputyConfig } from "../config/config.js";
import { configuredSetting, isIgnoredByConfig, matchesGlobs } from "../config/config.js";
import { CONFIG_NAMES, loadConfig } from "../config/load.js";
import type { Rule } from "../engine/rule.js";
import { helpUri } from "../engine/rule.js";
import { PACKAGE_ROOT } from "../engine/schemas.js";
import { lookupRule, suggestRule } from "../engine/suppressions.js";
import { allRules } from "../rules/index.js";
import { displayPath } from "./discover.js";
import { parseOptions, type OptionSpecs } from "./options.js";

export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

export class CommandUsageError extends Error {}

export const SUBCOMMANDS = ["init", "print-config", "explain"] as const;

/** Runs a subcommand when `argv[0]` names one; undefined otherwise (a normal lint run). */
export function runSubcommand(argv: string[], io: CommandIO): number | undefined {
  switch (argv[0]) {
    case "init":
      return init(argv.slice(1), io);
    case "print-config":
      return printConfig(argv.slice(1), io);
    case "explain":
      return explain(argv.slice(1), io);
    default:
      return undefined;
  }
}

function args(argv: string[], options: OptionSpecs) {
  try {
    return parseOptions(argv, options);
  } catch (e) {
    throw new CommandUsageError((e as Error).message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// init

/** The starter configuration `deputy init` writes: valid as it is, every option explained in a comment. */
export function starterConfig(rules: readonly Rule[] = allRules): string {
  const ruleLines = rules
    .filter((r) => r.code !== "DPY000")
    .map((r) => `  # ${r.code}: ${r.severity.padEnd(7)} # ${r.name}`)
    .join("\n");
  return `# deputy configuration — https://github.com/deputy-lint/deputy/blob/main/docs/configuration.md
# yaml-language-server: $schema=./node_modules/deputy-lint/schemas/config.schema.json
#
# Every key is optional. Globs are gitignore-style patterns relative to this file's folder.

# Severity by rule code or name: off, note, warning or error. Defaults are shown; uncomment to change one.
rules:
${ruleLines}

# Files not to scan (node_modules, .git and cdk.out/asset.* are always skipped; .gitignore is honoured).
ignores:
  # - "legacy/**"

# Different severities for some files; the last matching override wins.
# overrides:
#   - files: ["sandbox/**"]
#     rules:
#       wildcard-action: note

# Your Genesys Cloud organization: the region (AWS region or Genesys domain) makes DPY105 check the account
# for that region (FedRAMP vs commercial); the organization ID is the external ID Genesys sends.
# genesys:
#   region: mypurecloud.ie
#   orgId: 00000000-0000-0000-0000-000000000000

# Your own AWS accounts (same-account principals are not cross-account), and other accounts you trust on purpose.
# Quote account IDs.
# accounts:
#   own: ["111122223333"]
#   trusted:
#     - id: "444455556666"
#       reason: "Shared-services account that runs our deployments"

# Roles to treat as Genesys-facing, by name, logical ID or ARN.
# genesysRoles:
#   - GenesysDataActionsRole

# DPY202 on read-only actions only (List, Describe, metadata Get on "*"): off by default; note, warning or error.
# permissions:
#   readOnlyWildcards: note

# Suppressions for files that cannot carry one (raw JSON policies, data action exports). A reason is required;
# a suppression that matches nothing is reported. CloudFormation/CDK: use resource Metadata
# (deputy: { suppress: [{ rule, reason }] }); YAML: a "# deputy-ignore DPY202 -- reason" comment.
# suppress:
#   - file: "policies/ops-readonly.json"
#     rule: wildcard-resource
#     path: "Statement[0]"
#     reason: "Describe* actions need Resource * (ticket OPS-123)"
#     expires: "2026-12-31"
`;
}

function init(argv: string[], io: CommandIO): number {
  const { positionals } = args(argv, {});
  if (positionals.length) throw new CommandUsageError(`init takes no arguments (got "${positionals[0]}").`);
  for (const name of CONFIG_NAMES) {
    if (existsSync(join(io.cwd, name))) {
      io.stderr(`deputy: ${name} already exists here; not overwriting it.\n`);
      return 2;
    }
  }
  const target = join(io.cwd, CONFIG_NAMES[0]!);
  writeFileSync(target, starterConfig(), { flag: "wx" });
  io.stdout(`Wrote ${CONFIG_NAMES[0]}. Run deputy to lint this folder; deputy explain <rule> describes a rule.\n`);
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// print-config

/** The settings that apply to one file: rule severities after overrides (with where each comes from), ignores. */
export function effectiveConfigFor(config: DeputyConfig, file: { path: string; absPath: string }, rules: readonly Rule[] = allRules) {
  const overrides = (config.overrides ?? []).map((o, i) => ({ o, i })).filter(({ o }) => matchesGlobs(config, file, o.files));
  const ruleRows = rules.map((r) => {
    const set = configuredSetting(config, r, file);
    let from = "default";
    if ((config.rules[r.code] ?? config.rules[r.name]) !== undefined) from = "rules";
    for (const { o, i } of overrides) if ((o.rules[r.code] ?? o.rules[r.name]) !== undefined) from = `overrides[${i}]`;
    return { rule: r, severity: set ?? r.severity, from };
  });
  const suppress = (config.suppress ?? []).filter((s) => !s.file || matchesGlobs(config, file, [s.file])).map(({ loc: _loc, ...s }) => s);
  return {
    file: file.path,
    config: config.source ?? null,
    ignored: isIgnoredByConfig(config, file),
    overrides: overrides.map(({ i }) => i),
    rules: ruleRows,
    genesys: config.genesys,
    accounts: config.accounts,
    genesysRoles: config.genesysRoles,
    permissions: config.permissions,
    suppress,
  };
}

function printConfig(argv: string[], io: CommandIO): number {
  const { values, positionals } = args(argv, { config: { type: "string", short: "c" }, format: { type: "string", short: "f", default: "yaml" } });
  if (positionals.length !== 1) throw new CommandUsageError("print-config takes one file: deputy print-config <file>.");
  const format = values.format as string;
  if (format !== "yaml" && format !== "json") throw new CommandUsageError(`print-config --format is yaml or json, not "${format}".`);
  const config = loadConfig(io.cwd, values.config as string | undefined);
  const abs = resolve(io.cwd, positionals[0]!);
  const eff = effectiveConfigFor(config, { path: displayPath(io.cwd, abs), absPath: abs });
  const plain = {
    file: eff.file,
    config: eff.config,
    ignored: eff.ignored,
    overrides: eff.overrides,
    rules: Object.fromEntries(eff.rules.map((r) => [r.rule.code, r.severity])),
    ...(eff.genesys ? { genesys: eff.genesys } : {}),
    ...(eff.accounts ? { accounts: eff.accounts } : {}),
    ...(eff.genesysRoles ? { genesysRoles: eff.genesysRoles } : {}),
    ...(eff.permissions ? { permissions: eff.permissions } : {}),
    suppress: eff.suppress,
  };
  if (format === "json") {
    io.stdout(JSON.stringify({ ...plain, rules: Object.fromEntries(eff.rules.map((r) => [r.rule.code, { name: r.rule.name, severity: r.severity, from: r.from }])) }, null, 2) + "\n");
    return 0;
  }
  const { Document, isMap, isScalar } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  const doc = new Document(plain);
  const rulesNode = doc.get("rules", true);
  if (isMap(rulesNode)) {
    for (const [i, pair] of rulesNode.items.entries()) {
      const row = eff.rules[i]!;
      if (isScalar(pair.value)) (pair.value as Scalar).comment = ` ${row.rule.name}${row.from === "default" ? "" : ` (from ${row.from})`}`;
    }
  }
  io.stdout(doc.toString({ lineWidth: 0 }));
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// explain

export function rulePagePath(rule: Pick<Rule, "code" | "name">): string {
  return join(PACKAGE_ROOT, "docs", "rules", `${rule.code}-${rule.name}.md`);
}

/** Markdown to terminal text: headings underlined, code blocks indented, links as `text <url>`, no HTML comments. */
export function markdownToText(md: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const raw of md.replace(/<!--[\s\S]*?-->\n?/g, "").split("\n")) {
    if (/^\s*```/.test(raw)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push("    " + raw);
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(raw);
    if (h) {
      const title = inline(h[2]!);
      out.push(title, (h[1]!.length === 1 ? "=" : h[1]!.length === 2 ? "-" : "~").repeat(Math.min(title.length, 80)));
      continue;
    }
    if (/^\|(\s*-+\s*\|)+\s*$/.test(raw)) continue;
    out.push(inline(raw.replace(/^\|\s*|\s*\|$/g, "").replace(/\s*\|\s*/g, raw.startsWith("|") ? "  |  " : " | ")));
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

function inline(s: string): string {
  return s
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, t: string, u: string) => (t === u ? u : `${t} <${u}>`))
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=[\s).,;:]|$)/g, "$1$2")
    .replace(/(^|[\s(])_([^_\s][^_]*)_(?=[\s).,;:]|$)/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1");
}

function explain(argv: string[], io: CommandIO): number {
  const { positionals } = args(argv, {});
  if (positionals.length !== 1) throw new CommandUsageError("explain takes one rule code or name: deputy explain DPY101.");
  const rule = lookupRule(allRules, positionals[0]!);
  if (!rule) {
    const hint = suggestRule(allRules, positionals[0]!);
    io.stderr(`deputy: unknown rule "${positionals[0]}"${hint ? `; did you mean ${hint}?` : "; see deputy --list-rules."}\n`);
    return 2;
  }
  const page = rulePagePath(rule);
  if (existsSync(page)) {
    io.stdout(markdownToText(readFileSync(page, "utf8")));
  } else {
    io.stdout(`${rule.code} ${rule.name} (${rule.severity})\n\n${rule.fullDescription ?? rule.description}\n\n${helpUri(rule)}\n`);
  }
  return 0;
}
