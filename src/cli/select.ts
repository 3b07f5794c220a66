/**
 * Rule selection on the command line, by the conventions users bring from other linters:
 *
 * - `--select DPY1,wildcard-action` (ruff): only these rules run; a code prefix (`DPY1`, `DPY20`) selects every rule
 *   it starts, `ALL` every rule;
 * - `--ignore DPY202` (ruff): these rules do not run (applied after `--select`);
 * - `--rule DPY202:off`, `--rule wildcard-resource=error` (ESLint's `--rule`): a severity for one rule.
 *
 * Each takes codes or names, is repeatable, and `--select`/`--ignore` take comma-separated lists. They win over the
 * configuration file and its overrides, for every file. DPY000 (internal-error) always runs: a crash is never hidden.
 */
import { SEVERITY_SETTINGS } from "../config/schema.js";
import type { Rule, SeveritySetting } from "../engine/rule.js";
import { lookupRule, suggestRule } from "../engine/suppressions.js";

export class RuleSelectionError extends Error {}

export interface RuleSelectionOptions {
  select?: string[];
  ignore?: string[];
  rule?: string[];
}

function unknown(option: string, word: string, rules: readonly Rule[]): RuleSelectionError {
  const hint = suggestRule(rules, word);
  return new RuleSelectionError(`${option}: unknown rule "${word}"; ${hint ? `did you mean ${hint}?` : "see deputy --list-rules."}`);
}

/** The rules one `--select`/`--ignore` word names: a code, a name, a code prefix or ALL. */
function matching(option: string, word: string, rules: readonly Rule[]): Rule[] {
  if (word.toUpperCase() === "ALL") return [...rules];
  const one = lookupRule(rules, word);
  if (one) return [one];
  const prefix = word.toUpperCase();
  const byPrefix = /^DPY\d{0,2}$/.test(prefix) ? rules.filter((r) => r.code.startsWith(prefix)) : [];
  if (byPrefix.length) return byPrefix;
  throw unknown(option, word, rules);
}

const words = (values: string[] | undefined): string[] => (values ?? []).flatMap((v) => v.split(",")).map((w) => w.trim()).filter(Boolean);

/** Severities by rule code that the options set, or undefined when none is given. */
export function ruleSelection(opts: RuleSelectionOptions, rules: readonly Rule[]): Record<string, SeveritySetting> | undefined {
  const select = words(opts.select);
  const ignore = words(opts.ignore);
  const settings = opts.rule ?? [];
  if (!select.length && !ignore.length && !settings.length) return undefined;
  const out: Record<string, SeveritySetting> = {};
  if (select.length) {
    const chosen = new Set(select.flatMap((w) => matching("--select", w, rules)));
    for (const r of rules) if (!chosen.has(r)) out[r.code] = "off";
  }
  for (const r of ignore.flatMap((w) => matching("--ignore", w, rules))) out[r.code] = "off";
  for (const s of settings) {
    const m = /^\s*([^:=\s]+)\s*[:=]\s*(\S+)\s*$/.exec(s);
    if (!m) throw new RuleSelectionError(`--rule takes RULE:SEVERITY (for example --rule DPY202:off), not "${s}".`);
    const rule = lookupRule(rules, m[1]!);
    if (!rule) throw unknown("--rule", m[1]!, rules);
    const level = m[2]!.toLowerCase();
    if (!(SEVERITY_SETTINGS as readonly string[]).includes(level)) throw new RuleSelectionError(`--rule ${m[1]}: severity must be off, note, warning or error, not "${m[2]}".`);
    out[rule.code] = level as SeveritySetting;
  }
  delete out.DPY000;
  return out;
}
