/**
 * Finding and loading `deputy.config.yaml` (also `deputy.config.yml`, `.deputy.yaml`, or `--config FILE`): found by
 * walking up from the working directory, parsed with positions, validated with ajv against the generated schema
 * (`schemas/config.schema.json`, see schema.ts), turned into a `DeputyConfig`. Every problem is a `ConfigError` whose
 * message names the file, line, column and key: `deputy.config.yaml:7:3: rules.DPY999: unknown rule "DPY999" ...`.
 */
import type { Ajv as AjvClass, ErrorObject } from "ajv";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Document, LineCounter, Node as YNode } from "yaml";
import type { Rule, SeveritySetting } from "../engine/rule.js";
import { genesysRegionDomains } from "../model/genesys.js";
import { allRules } from "../rules/index.js";
import { lookupRule, suggestRule } from "../engine/suppressions.js";
import type { ConfigLocation, ConfigOverride, ConfigSuppression, DeputyConfig } from "./config.js";
import { defaultConfig } from "./config.js";
import { configSchema } from "./schema.js";

/** File names deputy looks for, in order, in each folder from the working directory up. */
export const CONFIG_NAMES = ["deputy.config.yaml", "deputy.config.yml", ".deputy.yaml"];

export class ConfigError extends Error {}

// yaml and ajv are loaded only when there is a config file (start-up time matters in a pre-commit hook).
const require = createRequire(import.meta.url);
type YamlModule = typeof import("yaml");
let yamlModule: YamlModule | undefined;
function Y(): YamlModule {
  return (yamlModule ??= require("yaml") as YamlModule);
}

/** The nearest config file from `dir` up to the file system root, if any. */
export function findConfigFile(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const f = join(d, name);
      try {
        if (statSync(f).isFile()) return f;
      } catch {
        /* not here */
      }
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

type Seg = string | number;

function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  const p = rel === "" ? abs : rel.startsWith("..") && rel.split(sep).filter((s) => s === "..").length > 3 ? abs : rel;
  return sep === "/" ? p : p.split(sep).join("/");
}

function keyPath(segs: Seg[]): string {
  let s = "";
  for (const seg of segs) s += typeof seg === "number" ? `[${seg}]` : s === "" ? seg : `.${seg}`;
  return s || "(top level)";
}

/** The YAML node at a path, and (for an unknown key) the key node itself. */
function locate(doc: Document, segs: Seg[], key?: string): YNode | undefined {
  const { isMap, isPair, isScalar, isSeq } = Y();
  let cur: unknown = doc.contents;
  for (const seg of segs) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      cur = pair?.value ?? cur;
      if (!pair) break;
    } else if (isSeq(cur) && typeof seg === "number") {
      cur = cur.items[seg] ?? cur;
    } else break;
  }
  if (key !== undefined && isMap(cur)) {
    const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) return pair.key as YNode;
  }
  return (cur as YNode | null) ?? undefined;
}

interface Ctx {
  file: string;
  text: string;
  doc: Document;
  lc: LineCounter;
}

function locationOf(ctx: Ctx, node: YNode | undefined): ConfigLocation {
  const r = node?.range ?? [0, 0, 0];
  const s = ctx.lc.linePos(r[0]);
  const e = ctx.lc.linePos(Math.max(r[0], r[1]));
  return { file: ctx.file, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
}

function fail(ctx: Ctx, loc: ConfigLocation, path: string, message: string): string {
  return `${ctx.file}:${loc.line}:${loc.column}: ${path}: ${message}`;
}

function listOr(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;
}

function explain(err: ErrorObject, segs: Seg[], rules: readonly Rule[]): { message: string; key?: string } {
  const p = err.params as Record<string, unknown>;
  const last = segs[segs.length - 1];
  const parent = segs[segs.length - 2];
  switch (err.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      if (last === "rules") {
        const hint = suggestRule(rules, key);
        return { key, message: `unknown rule "${key}"; ${hint ? `did you mean ${hint}?` : "rules are named by code (DPY101) or name (trust-missing-external-id); see deputy --list-rules."}` };
      }
      const allowed = Object.keys(((err.parentSchema as Record<string, unknown>)?.properties as Record<string, unknown>) ?? {}).filter((k) => k !== "$schema");
      return { key, message: `unknown key "${key}"; expected ${listOr(allowed)}.` };
    }
    case "enum": {
      const value = JSON.stringify(err.data);
      if (last === "region") return { message: `unknown Genesys region ${value}; use an AWS region such as eu-west-1 or a Genesys domain such as mypurecloud.ie (${Object.keys(genesysRegionDomains()).length} regions are known).` };
      return { message: `must be ${listOr((p.allowedValues as string[]).map(String))}, not ${value}.` };
    }
    case "pattern": {
      const value = JSON.stringify(err.data);
      if (last === "expires") return { message: `${value} is not a date; write YYYY-MM-DD.` };
      if (last === "orgId") return { message: `${value} is not a Genesys organization ID (a UUID such as 011a0480-9a1e-4da9-8cdd-2642474cf92a).` };
      if (parent === "own" || last === "id") return { message: `${value} is not a 12-digit AWS account ID.` };
      return { message: `${value} does not match ${String(p.pattern)}.` };
    }
    case "type": {
      const t = String(p.type);
      const word = t === "array" ? "a list" : t === "object" ? "a mapping" : t === "string" ? "a string" : t;
      return { message: `must be ${word}.` };
    }
    case "required":
      return { message: `missing "${String(p.missingProperty)}".` };
    case "minItems":
      return { message: "must not be empty." };
    case "minLength":
      return { message: "must not be empty." };
    default:
      return { message: err.message ?? "invalid." };
  }
}

let validator: ReturnType<AjvClass["compile"]> | undefined;
let validatorRules: readonly Rule[] | undefined;

/** Validates and converts a parsed config. Throws ConfigError listing every problem with its line. */
export function parseConfig(text: string, file: string, baseDir: string, rules: readonly Rule[] = allRules): DeputyConfig {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = Y();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const ctx: Ctx = { file, text, doc, lc };
  if (doc.errors.length) {
    throw new ConfigError(
      doc.errors
        .map((e) => {
          const pos = lc.linePos(e.pos[0]);
          return `${file}:${pos.line}:${pos.col}: ${e.message.split("\n")[0]}`;
        })
        .join("\n"),
    );
  }
  // YAML reads an unquoted 123456789012 as a number: keep the digits as written for account IDs. One with a leading
  // 0 is refused, as the schema (what editors check) refuses it: YAML reads 012345678901 as 12345678901 (YAML 1.1
  // tools as an octal number), so it must be quoted to mean the same everywhere.
  const leadingZero: string[] = [];
  const keepDigits = (n: unknown, path: string) => {
    if (!(isScalar(n) && typeof n.value === "number" && typeof n.source === "string" && /^\d+$/.test(n.source))) return;
    if (n.source.length > 1 && n.source.startsWith("0")) {
      const loc = locationOf(ctx, n as YNode);
      leadingZero.push(fail(ctx, loc, path, `write the account ID in quotes ("${n.source}"): unquoted, YAML reads ${n.source} as the number ${n.value}.`));
    }
    n.value = n.source;
  };
  const own = doc.getIn(["accounts", "own"], true);
  if (isSeq(own)) own.items.forEach((n, i) => keepDigits(n, `accounts.own[${i}]`));
  const trusted = doc.getIn(["accounts", "trusted"], true);
  if (isSeq(trusted)) trusted.items.forEach((t, i) => isMap(t) && keepDigits(t.get("id", true), `accounts.trusted[${i}].id`));
  if (leadingZero.length) throw new ConfigError(leadingZero.join("\n"));
  for (const k of ["genesysRoles"]) {
    const l = doc.getIn([k], true);
    if (isSeq(l)) l.items.forEach((n) => isScalar(n) && typeof n.value === "number" && (n.value = String(n.source ?? n.value)));
  }
  const data = (doc.toJS() ?? {}) as unknown;
  // A key left with only comments under it (`rules:` in the starter config) reads as null: treat it as absent.
  if (data && typeof data === "object" && !Array.isArray(data)) {
    for (const [k, v] of Object.entries(data)) if (v === null) delete (data as Record<string, unknown>)[k];
  }

  if (!validator || validatorRules !== rules) {
    const { Ajv } = require("ajv") as typeof import("ajv");
    validator = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(configSchema(rules, { forLoader: true }));
    validatorRules = rules;
  }
  if (!validator(data)) {
    const seen = new Set<string>();
    const lines: { loc: ConfigLocation; text: string }[] = [];
    for (const err of validator.errors ?? []) {
      const segs: Seg[] = err.instancePath
        .split("/")
        .slice(1)
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      // A `$ref`'d enum/pattern reports once per failing branch: keep the first per location.
      const { message, key } = explain(err, segs, rules);
      const path = keyPath(key !== undefined ? [...segs, key] : segs);
      const loc = locationOf(ctx, locate(doc, segs, key));
      const id = `${path}|${err.keyword}`;
      if (seen.has(id)) continue;
      seen.add(id);
      lines.push({ loc, text: fail(ctx, loc, path, message) });
    }
    lines.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
    throw new ConfigError(lines.map((l) => l.text).join("\n"));
  }

  const raw = data as {
    rules?: Record<string, SeveritySetting>;
    ignores?: string[];
    overrides?: ConfigOverride[];
    genesys?: { region?: string; orgId?: string };
    accounts?: { own?: string[]; trusted?: { id: string; reason?: string }[] };
    genesysRoles?: string[];
    permissions?: { readOnlyWildcards?: SeveritySetting };
    suppress?: ConfigSuppression[];
  };
  const config = defaultConfig();
  config.source = file;
  config.baseDir = baseDir;
  config.rules = { ...(raw.rules ?? {}) };
  config.ignores = [...(raw.ignores ?? [])];
  if (raw.overrides) config.overrides = raw.overrides.map((o) => ({ files: [...o.files], rules: { ...o.rules } }));
  if (raw.genesys) config.genesys = { ...raw.genesys };
  if (raw.accounts) config.accounts = raw.accounts;
  if (raw.genesysRoles) config.genesysRoles = raw.genesysRoles;
  if (raw.permissions) config.permissions = { ...raw.permissions };
  if (raw.suppress) {
    config.suppress = raw.suppress.map((s, i) => ({ ...s, loc: locationOf(ctx, locate(doc, ["suppress", i])) }));
  }
  return config;
}

/**
 * Loads the configuration: `explicit` (from `--config`) or the nearest config file from `cwd` up; the default
 * configuration when there is none. Paths in messages are relative to `cwd`.
 */
export function loadConfig(cwd: string, explicit?: string, rules: readonly Rule[] = allRules): DeputyConfig {
  let abs: string | undefined;
  if (explicit !== undefined) {
    abs = resolve(cwd, explicit);
    if (!existsSync(abs)) throw new ConfigError(`${explicit}: config file not found.`);
  } else {
    abs = findConfigFile(cwd);
  }
  if (!abs) return defaultConfig();
  const file = displayPath(cwd, abs);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (e) {
    throw new ConfigError(`${file}: cannot read the config file (${(e as Error).message}).`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseConfig(text, file, dirname(abs), rules);
}

/** The rule a config key names (code or name), for `print-config`. */
export function ruleFor(key: string, rules: readonly Rule[] = allRules): Rule | undefined {
  return lookupRule(rules, key);
}
