/**
 * Effective configuration. Loading from `deputy.config.yaml` / `.deputy.yaml` is done by `load.ts`; this module holds
 * the shape, the defaults that a zero-config run uses, and the per-file view (`overrides`, `ignores`).
 */
import type { Ignore } from "ignore";
import { createRequire } from "node:module";
import { isAbsolute, relative, sep } from "node:path";
import type { Rule, SeveritySetting } from "../engine/rule.js";

/** Where a configuration entry is written (for messages about it). */
export interface ConfigLocation {
  /** Path of the config file as reports show it. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ConfigSuppression {
  file?: string;
  rule: string;
  path?: string;
  sid?: string;
  reason?: string;
  expires?: string;
  /** Where the entry is written in the config file. */
  loc?: ConfigLocation;
}

export interface ConfigOverride {
  /** Globs (gitignore-style, relative to the config file's folder). */
  files: string[];
  rules: Record<string, SeveritySetting>;
}

export interface DeputyConfig {
  /** Severity by rule code or name. */
  rules: Record<string, SeveritySetting>;
  /** Globs of files not to scan. */
  ignores: string[];
  genesys?: { region?: string; orgId?: string };
  accounts?: { own?: string[]; trusted?: { id: string; reason?: string }[] };
  /** Roles the configuration declares Genesys-facing (names or ARNs). */
  genesysRoles?: string[];
  /**
   * Permissions rules' options. `readOnlyWildcards`: the severity of DPY202 findings whose actions only list,
   * describe or read metadata (`off` by default: read-only and monitoring roles need them on `"*"`).
   */
  permissions?: { readOnlyWildcards?: SeveritySetting };
  suppress?: ConfigSuppression[];
  /** Per-glob rule severities, applied in order after `rules` (the last match wins). */
  overrides?: ConfigOverride[];
  /** Severities by rule code from the command line (`--select`, `--ignore`, `--rule`): they win over the file's, everywhere. */
  commandLine?: Record<string, SeveritySetting>;
  /** Where the config was loaded from, if anywhere. */
  source?: string;
  /** Folder that globs are relative to (the config file's folder); without it, paths as reported. */
  baseDir?: string;
}

export function defaultConfig(): DeputyConfig {
  return { rules: {}, ignores: [] };
}

/** A scanned file as the configuration sees it. */
export interface FileRef {
  /** Path as reported (relative to the working directory). */
  path: string;
  absPath: string;
}

function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

/** The file's path relative to the config folder (forward slashes), or undefined when it lies outside it. */
export function configRelativePath(config: DeputyConfig, file: FileRef): string | undefined {
  let rel = config.baseDir ? toPosix(relative(config.baseDir, file.absPath)) : file.path;
  rel = rel.replace(/^\.\//, "");
  if (rel === "" || rel === "." || rel.startsWith("../") || rel === ".." || isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return undefined;
  return rel;
}

const matcherCache = new WeakMap<readonly string[], Ignore>();
// Loaded on first use: most runs have no globs to match.
const require = createRequire(import.meta.url);
let ignoreFactory: ((options?: object) => Ignore) | undefined;
function ignore(): Ignore {
  ignoreFactory ??= require("ignore") as (options?: object) => Ignore;
  return ignoreFactory();
}

/** Whether a file matches gitignore-style globs (relative to the config folder). */
export function matchesGlobs(config: DeputyConfig, file: FileRef, globs: readonly string[]): boolean {
  if (globs.length === 0) return false;
  const rel = configRelativePath(config, file);
  if (rel === undefined) return false;
  let m = matcherCache.get(globs);
  if (!m) {
    m = ignore().add([...globs]);
    matcherCache.set(globs, m);
  }
  try {
    return m.ignores(rel);
  } catch {
    return false;
  }
}

/** Whether the configuration's `ignores` exclude a file. */
export function isIgnoredByConfig(config: DeputyConfig, file: FileRef): boolean {
  return matchesGlobs(config, file, config.ignores);
}

/**
 * The severity the configuration sets for a rule on a file (`rules`, then every matching override in order; the last
 * one that names the rule, by code or name, wins), or undefined when the configuration does not name the rule.
 */
export function configuredSetting(config: DeputyConfig, rule: Pick<Rule, "code" | "name">, file?: FileRef): SeveritySetting | undefined {
  let v: SeveritySetting | undefined = config.rules[rule.code] ?? config.rules[rule.name];
  if (file && config.overrides) {
    for (const o of config.overrides) {
      const ov = o.rules[rule.code] ?? o.rules[rule.name];
      if (ov !== undefined && matchesGlobs(config, file, o.files)) v = ov;
    }
  }
  return config.commandLine?.[rule.code] ?? v;
}

/** Whether some file could have the rule enabled (globally, or through an override). */
export function ruleMayRun(config: DeputyConfig, rule: Rule): boolean {
  const given = config.commandLine?.[rule.code];
  if (given !== undefined) return given !== "off";
  if ((configuredSetting(config, rule) ?? rule.severity) !== "off") return true;
  return (config.overrides ?? []).some((o) => {
    const v = o.rules[rule.code] ?? o.rules[rule.name];
    return v !== undefined && v !== "off";
  });
}
