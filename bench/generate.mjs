#!/usr/bin/env node
// Deterministic synthetic corpus for the deputy benchmark.
//
//   node bench/generate.mjs [--n 1000[,10000,...]] [--seed 1] [--force] [--out DIR]
//
// Writes N files to .bench/synth-<N>/ (or .bench/synth-<N>-seed<S>/ for a
// non-default seed), one subfolder per input kind so kinds can be benchmarked
// separately:
//
//   policies/      identity policies (JSON)                       ~34 %
//   trust/         trust policies, some trusting Genesys Cloud    ~14 %
//   cfn-json/      CloudFormation templates, JSON (.json/.template) ~10 %
//   cfn-yaml/      CloudFormation templates, YAML, short-form tags ~16 %
//   cdk/           cdk.out cloud assemblies (manifest + templates) ~12 %
//   data-actions/  Genesys Cloud data action exports              ~10 %
//   other/         package.json, tsconfig.json, CI workflow, node_modules/... ~4 %
//
// Templates: most have 2-8 resources; JSON/CDK ones have a tail of 50-150
// (7.5 %) and 200-500 (2.5 %) resources, YAML ones 50-120 (1.5 %) at most,
// which keeps the mean YAML template near the real corpus's ~3 KB.
// The corpus root gets an empty .git/ marker so that it is treated as its own
// repository (see markRepoRoot). A corpus is cached: .bench/synth-<N>.stamp.json records seed, generator
// version and sizes, and the folder is reused while they match. Generation
// writes to a temporary folder and renames it, so an interrupted run never
// leaves a half-written corpus behind.
//
// Also writes the one-file cases to .bench/single/ (see ensureSingles).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Rng, mixSeed } from "./lib/prng.mjs";
import { toJson, toYaml } from "./lib/emit.mjs";
import { identityPolicy, trustPolicy, cfnTemplate, templateSize, cdkAssembly, dataAction, projectFiles } from "./lib/kinds.mjs";

/** Bump when the generated content changes, so cached corpora are rebuilt. */
export const GENERATOR_VERSION = 3;
export const DEFAULT_SEED = 1;
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BENCH_DIR = path.join(ROOT, ".bench");

/** Kind folders, in the order they are reported. */
export const KINDS = ["policies", "trust", "cfn-json", "cfn-yaml", "cdk", "data-actions", "other"];

/** Share of the N files per kind; policies get whatever is left (~34 %). */
const SHARES = { trust: 0.14, "cfn-json": 0.1, "cfn-yaml": 0.16, cdk: 0.12, "data-actions": 0.1, other: 0.04 };

/** Files per leaf folder ("repository") for the flat kinds. */
const GROUP = 200;

const pad = (n, w = 4) => String(n).padStart(w, "0");

/** Writes files, creating each folder once. Tracks file count and bytes per kind. */
class Writer {
  constructor(root) {
    this.root = root;
    this.dirs = new Set();
    this.stats = {};
  }
  write(kind, rel, text) {
    const file = path.join(this.root, kind, rel);
    const dir = path.dirname(file);
    if (!this.dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    fs.writeFileSync(file, text);
    const s = (this.stats[kind] ??= { files: 0, bytes: 0 });
    s.files += 1;
    s.bytes += Buffer.byteLength(text);
  }
  count(kind) {
    return this.stats[kind]?.files ?? 0;
  }
}

/** Per-file random source: independent of N and of generation order. */
const rngFor = (seed, kind, i) => new Rng(mixSeed(seed, kind, i));

function genPolicies(w, seed, count) {
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, "policies", i);
    const doc = identityPolicy(rng);
    const indent = Number(rng.weighted({ 2: 60, 4: 30, 0: 10 }));
    const file = `${rng.pick(["policy", "iam-policy", "inline", "managed", "scp"])}-${rng.pick(["orders", "ivr", "crm", "ops", "lambda", "s3"])}-${pad(i, 6)}.json`;
    w.write("policies", `repo-${pad(Math.floor(i / GROUP), 3)}/${file}`, toJson(doc, indent));
  }
}

function genTrust(w, seed, count) {
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, "trust", i);
    const doc = trustPolicy(rng);
    const indent = Number(rng.weighted({ 2: 60, 4: 35, 0: 5 }));
    w.write("trust", `repo-${pad(Math.floor(i / GROUP), 3)}/${rng.pick(["trust-policy", "assume-role", "genesys-trust", "role-trust"])}-${pad(i, 6)}.json`, toJson(doc, indent));
  }
}

function genCfnJson(w, seed, count) {
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, "cfn-json", i);
    const doc = cfnTemplate(rng, templateSize(rng, "json"), "cfn");
    const ext = rng.chance(0.08) ? "template" : "json";
    w.write("cfn-json", `repo-${pad(Math.floor(i / GROUP), 3)}/${rng.pick(["stack", "template", "infra", "integration"])}-${pad(i, 6)}.${ext}`, toJson(doc, rng.chance(0.8) ? 2 : 4));
  }
}

function genCfnYaml(w, seed, count) {
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, "cfn-yaml", i);
    const doc = cfnTemplate(rng, templateSize(rng, "yaml"), "cfn");
    // Most files are pure short form; some mix in long-form intrinsics.
    const longForm = rng.chance(0.7) ? 0 : 0.3;
    const ext = rng.chance(0.85) ? "yaml" : "yml";
    w.write("cfn-yaml", `repo-${pad(Math.floor(i / GROUP), 3)}/${rng.pick(["template", "stack", "sam", "infra"])}-${pad(i, 6)}.${ext}`, toYaml(doc, { rng, longForm }));
  }
}

const STACK_WORDS = ["Api", "Data", "Integration", "Genesys", "Callback", "Ivr", "Network", "Monitoring", "Crm", "Auth"];

/** cdk.out assemblies; returns how many of `count` files could not be placed (0 or 1). */
function genCdk(w, seed, count) {
  for (let app = 0; ; app++) {
    const remaining = count - w.count("cdk");
    if (remaining < 2) return remaining; // an assembly needs a manifest and a template
    const rng = rngFor(seed, "cdk", app);
    let stacks = rng.int(1, 4);
    let opts = { tree: true, assets: true, versionFile: true };
    if (remaining < 2 * stacks + 3) {
      // Last assembly: templates + manifest only, exactly filling the budget.
      stacks = remaining - 1;
      opts = { tree: false, assets: false, versionFile: false };
    }
    const stage = rng.pick(["", "-dev", "-prod", "-test"]);
    const names = [];
    for (let s = 0; s < stacks; s++) names.push(`${STACK_WORDS[(app + s) % STACK_WORDS.length]}${s ? s : ""}Stack${stage}`);
    for (const f of cdkAssembly(rng, names, opts)) w.write("cdk", `app-${pad(app)}/cdk.out/${f.path}`, f.text);
  }
}

function genDataActions(w, seed, count) {
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, "data-actions", i);
    const { doc, fileName } = dataAction(rng);
    w.write("data-actions", `repo-${pad(Math.floor(i / GROUP), 3)}/exports/${fileName}-${pad(i, 6)}.json`, toJson(doc, rng.chance(0.8) ? 2 : 4));
  }
}

function genOther(w, seed, count) {
  for (let p = 0; w.count("other") < count; p++) {
    const files = projectFiles(rngFor(seed, "other", p));
    for (const f of files.slice(0, count - w.count("other"))) w.write("other", `project-${pad(p)}/${f.path}`, f.text);
  }
}

/** Where a corpus lives, and its stamp file. */
export function corpusPaths(n, seed = DEFAULT_SEED) {
  const name = seed === DEFAULT_SEED ? `synth-${n}` : `synth-${n}-seed${seed}`;
  return { dir: path.join(BENCH_DIR, name), stamp: path.join(BENCH_DIR, `${name}.stamp.json`) };
}

/**
 * Marks the corpus folder as a repository root with an (invalid, empty) .git
 * folder. deputy, like git, applies .gitignore files from the scan root up to
 * the enclosing repository's top; without this marker the project's own
 * .gitignore (which lists .bench/) would hide the whole corpus. Git itself
 * ignores a .git folder without HEAD/objects, and every walker skips .git.
 */
function markRepoRoot(dir) {
  const marker = path.join(dir, ".git");
  if (fs.existsSync(marker)) return;
  fs.mkdirSync(marker, { recursive: true });
  fs.writeFileSync(path.join(marker, "description"), "Synthetic deputy benchmark corpus (bench/generate.mjs). Not a real repository: this folder only marks the repository root.\n");
}

function readStamp(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** Generates the corpus into dir (which must not exist). Returns the stamp object. */
function generate(n, seed, dir) {
  const t0 = performance.now();
  const w = new Writer(dir);
  const planned = {};
  for (const [kind, share] of Object.entries(SHARES)) planned[kind] = Math.round(n * share);
  const cdkLeftover = genCdk(w, seed, planned.cdk);
  genOther(w, seed, planned.other);
  genTrust(w, seed, planned.trust);
  genCfnJson(w, seed, planned["cfn-json"]);
  genCfnYaml(w, seed, planned["cfn-yaml"]);
  genDataActions(w, seed, planned["data-actions"]);
  const placed = Object.values(w.stats).reduce((a, s) => a + s.files, 0);
  genPolicies(w, seed, n - placed);
  void cdkLeftover; // absorbed by policies
  const kinds = {};
  for (const k of KINDS) kinds[k] = w.stats[k] ?? { files: 0, bytes: 0 };
  const files = Object.values(kinds).reduce((a, s) => a + s.files, 0);
  const bytes = Object.values(kinds).reduce((a, s) => a + s.bytes, 0);
  return { generator: GENERATOR_VERSION, seed, n, files, bytes, kinds, ms: Math.round(performance.now() - t0), createdAt: new Date().toISOString() };
}

/**
 * Makes sure .bench/synth-<N> exists for this seed and generator version.
 * Returns { dir, stamp, generated } where generated tells whether it was built now.
 */
export function ensureCorpus(n, { seed = DEFAULT_SEED, force = false, log = () => {} } = {}) {
  const { dir, stamp: stampFile } = corpusPaths(n, seed);
  const stamp = readStamp(stampFile);
  if (!force && stamp && stamp.generator === GENERATOR_VERSION && stamp.seed === seed && stamp.n === n && fs.existsSync(dir)) {
    markRepoRoot(dir);
    return { dir, stamp, generated: false };
  }
  log(`generating ${n} files (seed ${seed}) into ${path.relative(ROOT, dir)} ...`);
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const fresh = generate(n, seed, tmp);
  markRepoRoot(tmp);
  fs.rmSync(stampFile, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  fs.writeFileSync(stampFile, JSON.stringify(fresh, null, 2) + "\n");
  return { dir, stamp: fresh, generated: true };
}

/**
 * One-file cases in .bench/single/: a small Genesys trust policy and a
 * 300-resource template (JSON and YAML). Cheap, so always rewritten.
 */
export function ensureSingles(seed = DEFAULT_SEED) {
  const dir = path.join(BENCH_DIR, "single");
  fs.mkdirSync(dir, { recursive: true });
  const trust = trustPolicy(new Rng(mixSeed(seed, "single-trust")), "genesysExt");
  const rng = new Rng(mixSeed(seed, "single-template"));
  const template = cfnTemplate(rng, 300, "cfn");
  // Units add several resources at once; trim to exactly 300 (later resources
  // only reference earlier ones, so nothing dangles).
  template.Resources = Object.fromEntries(Object.entries(template.Resources).slice(0, 300));
  const files = {
    trustSmall: path.join(dir, "trust-small.json"),
    template300Json: path.join(dir, "template-300.json"),
    template300Yaml: path.join(dir, "template-300.yaml"),
  };
  fs.writeFileSync(files.trustSmall, toJson(trust, 2));
  fs.writeFileSync(files.template300Json, toJson(template, 2));
  fs.writeFileSync(files.template300Yaml, toYaml(template, { rng }));
  return files;
}

// ---------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const opts = { n: [1000], seed: DEFAULT_SEED, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--n") opts.n = val().split(",").map((x) => Number(x.replace(/k$/i, "000")));
    else if (a === "--seed") opts.seed = Number(val());
    else if (a === "--force") opts.force = true;
    else if (a === "-h" || a === "--help") opts.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (opts.n.some((n) => !Number.isInteger(n) || n < 10)) throw new Error("--n must be integers >= 10");
  if (!Number.isInteger(opts.seed)) throw new Error("--seed must be an integer");
  return opts;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`generate: ${e.message}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log("usage: node bench/generate.mjs [--n 1000[,10000,50000]] [--seed 1] [--force]");
    process.exit(0);
  }
  for (const n of opts.n) {
    const { dir, stamp, generated } = ensureCorpus(n, { seed: opts.seed, force: opts.force, log: (m) => console.error(m) });
    const mb = (b) => (b / 1e6).toFixed(1);
    console.log(`${path.relative(process.cwd(), dir) || dir}: ${stamp.files} files, ${mb(stamp.bytes)} MB, ${generated ? `generated in ${(stamp.ms / 1000).toFixed(1)} s` : "cached"}`);
    for (const [k, s] of Object.entries(stamp.kinds)) console.log(`  ${k.padEnd(13)} ${String(s.files).padStart(6)} files ${mb(s.bytes).padStart(8)} MB`);
  }
  const singles = ensureSingles(opts.seed);
  console.log(`one-file cases: ${Object.values(singles).map((f) => path.relative(process.cwd(), f)).join(", ")}`);
}
