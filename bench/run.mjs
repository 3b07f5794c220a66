#!/usr/bin/env node
// deputy benchmark driver (`npm run bench`).
//
//   node bench/run.mjs [--runs N] [--quick] [--full] [--seed S] [--timeout SEC]
//                      [--real DIR | --no-real] [--only kinds,whole,single,scaling]
//                      [--out FILE | --no-write] [--bin FILE] [--rss time|import]
//
// Times whole-process runs of the CLI (`node bin/deputy.js --format json
// --output /dev/null <path>`): one untimed warm-up run (which also writes the
// JSON report to a temporary file, to check deputy really ran and to count its
// findings), then N timed runs; reports the median and min-max wall time and the
// highest peak RSS. The same is done for bench/floor.mjs (read + parse only) on
// the same paths, so every deputy number has a "parse floor" next to it. The
// timed runs of deputy and of the floor are interleaved (one of each per round,
// in alternating order) and deputy/floor is the median of the rounds' ratios, so
// a host whose speed drifts during a measurement does not skew the ratio.
//
// Exit code 1 from deputy means "findings" and is a normal result here. Exit 2,
// a crash, a timeout or a missing report is written into the table and the run
// goes on; floor rows are measured regardless.
//
// Results go to docs/PERFORMANCE.md (Markdown) and .bench/last-run.json.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureCorpus, ensureSingles, KINDS, ROOT, BENCH_DIR, DEFAULT_SEED } from "./generate.mjs";
import { walk } from "./floor.mjs";
import { ensureTerraformCorpus } from "./lib/terraform.mjs";
import { detectRssMethod, runOnce, median } from "./lib/measure.mjs";

// ---------------------------------------------------------------------------
// Options

const HELP = `usage: node bench/run.mjs [options]

  --runs N        timed runs per measurement (default 5; --quick: 2; 50k: at most 3)
  --quick         smoke test: 2 runs, synthetic 1k only (no 10k/50k scaling)
  --full          also measure the 50k-file corpus
  --seed S        synthetic corpus seed (default ${DEFAULT_SEED})
  --timeout SEC   per-run timeout (default 600)
  --real DIR      real corpus (default ../shared/corpus); --no-real to skip it
  --only LIST     sections to run: kinds,whole,single,scaling,terraform (default all)
  --out FILE      Markdown report (default docs/PERFORMANCE.md); --no-write to skip
  --bin FILE      CLI script to benchmark (default bin/deputy.js)
  --rss METHOD    peak RSS via "time" (/usr/bin/time) or "import" (node hook); default: auto
`;

function parseArgs(argv) {
  const o = {
    runs: null,
    quick: false,
    full: false,
    seed: DEFAULT_SEED,
    timeoutSec: 600,
    real: path.resolve(ROOT, "../shared/corpus"),
    only: new Set(["kinds", "whole", "single", "scaling", "terraform"]),
    out: path.join(ROOT, "docs/PERFORMANCE.md"),
    bin: path.join(ROOT, "bin/deputy.js"),
    rss: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const int = (v, min) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${a} must be an integer >= ${min}`);
      return n;
    };
    switch (a) {
      case "--runs": o.runs = int(val(), 1); break;
      case "--quick": o.quick = true; break;
      case "--full": o.full = true; break;
      case "--seed": o.seed = int(val(), 0); break;
      case "--timeout": o.timeoutSec = int(val(), 1); break;
      case "--real": o.real = path.resolve(val()); break;
      case "--no-real": o.real = null; break;
      case "--only": o.only = new Set(val().split(",")); break;
      case "--out": o.out = path.resolve(val()); break;
      case "--no-write": o.out = null; break;
      case "--bin": o.bin = path.resolve(val()); break;
      case "--rss": o.rss = val(); if (!["time", "import"].includes(o.rss)) throw new Error("--rss must be time or import"); break;
      case "-h": case "--help": o.help = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  for (const s of o.only) if (!["kinds", "whole", "single", "scaling", "terraform"].includes(s)) throw new Error(`unknown section ${s}`);
  if (o.quick && o.full) throw new Error("--quick and --full exclude each other");
  o.runs ??= o.quick ? 2 : 5;
  return o;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${e.message}\n\n${HELP}`);
  process.exit(2);
}
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}

const log = (msg) => process.stderr.write(`${msg}\n`);
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-bench-"));
process.on("exit", () => fs.rmSync(tmpDir, { recursive: true, force: true }));
const rssMethod = detectRssMethod(tmpDir, opts.rss);
const timeoutMs = opts.timeoutSec * 1000;
const FLOOR = path.join(ROOT, "bench/floor.mjs");
const rel = (p) => path.relative(ROOT, p) || ".";

// ---------------------------------------------------------------------------
// Is deputy runnable at all?

/** Turns a finished run into null (fine) or a short error text. */
function runError(r, { isDeputy }) {
  if (r.timedOut) return `timeout after ${opts.timeoutSec} s`;
  const msg = errorLine(r.stderr);
  if (r.signal) return `crashed (${r.signal})${msg ? `: ${msg}` : ""}`;
  if (!isDeputy) return r.code === 0 ? null : `exit ${r.code}${msg ? `: ${msg}` : ""}`;
  // deputy: 0 = clean, 1 = findings. But Node also exits 1 on an uncaught error
  // at startup (missing dist/, syntax error), which prints a stack: treat that as a crash.
  if (r.code === 0 || r.code === 1) {
    if (r.code === 1 && looksLikeCrash(r.stderr)) return `crashed (exit 1)${msg ? `: ${msg}` : ""}`;
    return null;
  }
  if (r.code === 134 || /heap out of memory/i.test(r.stderr)) return `crashed (exit ${r.code}, out of memory?)${msg ? `: ${msg}` : ""}`;
  return `exit ${r.code}${msg ? `: ${msg}` : ""}`;
}

function looksLikeCrash(stderr) {
  return /ERR_MODULE_NOT_FOUND|Cannot find module|node:internal\/|^\s+at .+:\d+:\d+\)?$/m.test(stderr) && /(Error|Exception)\b/.test(stderr);
}

/** The most telling line of stderr (an Error line if any, else the first line). */
function errorLine(stderr) {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^-{3,}.*-{3,}$/.test(l) && !/^\d+: 0x[0-9a-f]+/i.test(l)); // skip V8 native stack dumps
  const line = lines.find((l) => /(?:^|\W)\w*Error\b|FATAL|\berror:/.test(l) && !/^at /.test(l)) ?? lines[0] ?? "";
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

let deputyBroken = null; // set when deputy cannot start, so rows are not re-tried one by one

function preflight() {
  if (!fs.existsSync(opts.bin)) return `${rel(opts.bin)} not found`;
  return null;
}

// ---------------------------------------------------------------------------
// Measurements

const deputyArgv = (paths, output) => [process.execPath, opts.bin, "--format", "json", "--output", output, ...paths];
const floorArgv = (paths) => [process.execPath, FLOOR, "--json", ...paths];

/** Number of findings in deputy's JSON report (`findings[]`, see src/reporters/json.ts); null if absent. */
function countFindings(report) {
  return Array.isArray(report?.findings) ? report.findings.length : null;
}

const cache = new Map(); // same command on the same paths is measured once
const STARTUP_RETRY_MS = 15_000;

/** deputy failed while loading (missing or half-written dist/), before linting anything. */
function isStartupCrash(error, stderr) {
  return error.startsWith("crashed (exit 1)") && /ERR_MODULE_NOT_FOUND|Cannot find (module|package)|SyntaxError/.test(stderr);
}

/**
 * Measures deputy and the floor on `paths`: a warm-up/probe run of each, then `runs` timed rounds. A round runs both
 * commands back to back, in alternating order (deputy first, then floor first), so a machine that slows down or speeds
 * up during a measurement (other work on the host) moves both sides alike; the deputy/floor ratio is the median of the
 * rounds' ratios. Returns { lint, floor }, each { ok, error, times, median, min, max, rssKb, cores, findings, scanned,
 * analyzed, runs }; lint.floorRatios holds the per-round ratios when both sides ran every round.
 */
async function measurePair(paths, runs, label) {
  const key = `${paths.join("\0")}\0${runs}`;
  if (cache.has(key)) return cache.get(key);
  const sides = [await probe("deputy", paths, runs, label), await probe("floor", paths, runs, label)];
  for (let i = 0; i < runs; i++) {
    for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
      if (side.result.error) continue;
      const r = await runOnce(side.argv, { method: rssMethod, tmpDir, timeoutMs, cwd: ROOT });
      const e = runError(r, { isDeputy: side.isDeputy });
      if (e) {
        side.result.error = `run ${i + 1}: ${e}`;
        log(`    -> ${side.tool}: ${side.result.error}`);
        continue;
      }
      side.result.times.push(r.ms);
      if (r.rssKb != null) side.result.rssKb = Math.max(side.result.rssKb ?? 0, r.rssKb);
      if (r.cpuMs != null) (side.result.cpu ??= []).push(r.cpuMs / r.ms);
    }
  }
  for (const side of sides) {
    const result = side.result;
    if (result.error) continue;
    result.ok = true;
    result.median = median(result.times);
    result.min = Math.min(...result.times);
    result.max = Math.max(...result.times);
    // Cores kept busy: CPU time over wall time, median of the runs.
    result.cores = result.cpu?.length ? median(result.cpu) : null;
    const seen = result.scanned != null ? `, ${result.scanned} scanned / ${result.analyzed ?? "?"} analyzed` : "";
    log(`    -> ${side.tool.padEnd(6)} ${fmtMs(result.median)} (${fmtMs(result.min)}-${fmtMs(result.max)}), ${fmtRss(result.rssKb)}${seen}${result.findings != null ? `, ${result.findings} findings` : ""}`);
  }
  const [lint, floor] = sides.map((x) => x.result);
  if (lint.ok && floor.ok) lint.floorRatios = lint.times.map((t, i) => t / floor.times[i]);
  const pair = { lint, floor };
  cache.set(key, pair);
  return pair;
}

/** The warm-up/probe run of one side (it also fills the page cache; for deputy, it checks the report). */
async function probe(tool, paths, runs, label) {
  const isDeputy = tool === "deputy";
  const result = { ok: false, error: null, times: [], median: null, min: null, max: null, rssKb: null, findings: null, scanned: null, analyzed: null, runs };
  const side = { tool, isDeputy, result, argv: isDeputy ? deputyArgv(paths, "/dev/null") : floorArgv(paths) };
  if (isDeputy && deputyBroken) {
    result.error = "deputy not runnable (see the header)";
    return side;
  }
  log(`  ${tool.padEnd(6)} ${label} ...`);
  const report = path.join(tmpDir, "report.json");
  fs.rmSync(report, { force: true });
  const runProbe = () => runOnce(isDeputy ? deputyArgv(paths, report) : floorArgv(paths), { method: rssMethod, tmpDir, timeoutMs, cwd: ROOT });
  let first = await runProbe();
  let error = runError(first, { isDeputy });
  if (isDeputy && error && isStartupCrash(error, first.stderr)) {
    // Often dist/ being rebuilt right now (tsc writes files one by one): retry once.
    log(`    -> ${error}; retrying in ${STARTUP_RETRY_MS / 1000} s (dist/ may be being rebuilt)`);
    await new Promise((r) => setTimeout(r, STARTUP_RETRY_MS));
    first = await runProbe();
    error = runError(first, { isDeputy });
  }
  if (!error && isDeputy) {
    if (!fs.existsSync(report)) {
      error = `exit ${first.code} but no report written to --output${first.stderr ? `: ${errorLine(first.stderr)}` : ""}`;
    } else {
      try {
        const json = JSON.parse(fs.readFileSync(report, "utf8"));
        result.findings = countFindings(json);
        // deputy's report says how many files it read and how many it recognised.
        const s = json?.summary ?? {};
        if (typeof s.filesScanned === "number") result.scanned = s.filesScanned;
        if (typeof s.filesAnalyzed === "number") result.analyzed = s.filesAnalyzed;
      } catch {
        // not JSON we understand; still a valid run
      }
    }
  }
  if (error) {
    result.error = error;
    log(`    -> ${error}`);
    // A crash on startup (nothing linted yet) will repeat on every input.
    if (isDeputy && isStartupCrash(error, first.stderr)) deputyBroken = `not runnable: ${error}`;
  }
  return side;
}

/**
 * Files the walkers consider under paths, and their total size; `inputs`: those of them deputy takes as inputs (it
 * reads `.tfvars` files through the module that holds them, not as inputs of their own).
 */
function inputSize(paths) {
  const files = walk(paths);
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(f).size;
  return { files: files.length, bytes, inputs: files.filter((f) => !f.endsWith(".tfvars")).length };
}

/**
 * A row counts only if deputy read what the floor read: its report must say how many files it scanned and analyzed,
 * it must have scanned at least 90% of the files the floor read that deputy takes as inputs, and analyzed at least
 * one (unless the row is of files deputy should skip). Otherwise the row is an error, not a time: a deputy that reads
 * nothing (an ignore rule hiding the corpus, a broken loader) is fast, and its ratio would pass.
 */
function checkCoverage(row, { expectAnalyzed = true } = {}) {
  const m = row.lint;
  if (!m?.ok) return row;
  const expected = row.inputs ?? row.files;
  let why = null;
  if (m.scanned == null) why = "its report does not say how many files it scanned";
  else if (m.scanned === 0) why = "it scanned no file";
  else if (m.scanned < expected * 0.9) why = `it scanned ${m.scanned} of the ${expected} files the floor read`;
  else if (expectAnalyzed && !m.analyzed) why = "it analyzed no file";
  if (why) {
    m.ok = false;
    m.error = `read too little: ${why}`;
    log(`    -> deputy: ${m.error}`);
  }
  return row;
}

// ---------------------------------------------------------------------------
// Formatting

const fmtMs = (ms) => (ms == null ? "—" : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtRss = (kb) => (kb == null ? "—" : `${Math.round((kb * 1024) / 1e6)} MB`);
const fmtMb = (bytes) => (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1);
const fmtRate = (x) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(x >= 10 ? 1 : 2));
const cell = (s) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");

function fmtTime(m) {
  if (!m) return "—";
  if (!m.ok) return `**error**: ${cell(m.error)}`;
  return `${fmtMs(m.median)} (${fmtMs(m.min)}–${fmtMs(m.max)})`;
}

const fmtSeen = (m) => (m?.ok && m.scanned != null ? `${m.scanned} / ${m.analyzed ?? "?"}` : "—");
const ratio = (a, b) => (a?.ok && b?.ok ? a.median / b.median : null);
/** deputy/floor of a measured pair: the median of the rounds' ratios (see measurePair), else of the medians. */
const floorRatio = (row) => (row.lint.floorRatios?.length ? median(row.lint.floorRatios) : ratio(row.lint, row.floor));
const fmtRatio = (x) => (x == null ? "—" : `${x.toFixed(2)}×`);

function table(headers, rows, align) {
  const a = align ?? headers.map((_, i) => (i === 0 ? "l" : "r"));
  const sep = a.map((x) => (x === "r" ? "---:" : x === "c" ? ":---:" : "---"));
  return [`| ${headers.join(" | ")} |`, `| ${sep.join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

// ---------------------------------------------------------------------------
// Benchmark plan

const SYNTH_LABELS = {
  policies: "identity policies",
  trust: "trust policies",
  "cfn-json": "CloudFormation JSON",
  "cfn-yaml": "CloudFormation YAML",
  cdk: "CDK cloud assemblies",
  "data-actions": "Genesys data actions",
  other: "unrelated files (to skip)",
};
const REAL_KINDS = [
  ["policies", "identity policies"],
  ["trust", "trust policies"],
  ["cfn", "CloudFormation (JSON + YAML)"],
  ["cdk", "CDK templates"],
  ["genesys/data-actions", "Genesys data actions"],
];

const started = Date.now();
const loadAtStart = os.loadavg();
const buildTime = distBuildTime(); // at start: tells which build was measured (a rebuild mid-run would mix builds)
const results = { kinds: [], whole: [], single: [], scaling: [], terraform: [], corpora: [] };
const corpora = new Map(); // n -> { dir, stamp, generated }

function corpus(n) {
  if (!corpora.has(n)) {
    const t0 = performance.now();
    const c = ensureCorpus(n, { seed: opts.seed, log });
    c.wallMs = performance.now() - t0;
    corpora.set(n, c);
    results.corpora.push({ n, dir: rel(c.dir), files: c.stamp.files, bytes: c.stamp.bytes, kinds: c.stamp.kinds, generated: c.generated, generationMs: c.stamp.ms });
  }
  return corpora.get(n);
}

const realExists = opts.real && fs.existsSync(opts.real);
const sizes = opts.quick ? [1000] : opts.full ? [1000, 10000, 50000] : [1000, 10000];
const runsFor = (n) => (n >= 50000 ? Math.min(opts.runs, 3) : opts.runs);

log(`deputy benchmark: ${rel(opts.bin)}, ${opts.runs} runs, RSS via ${rssMethod === "time" ? "/usr/bin/time" : "node --import hook"}`);
deputyBroken = preflight();
if (deputyBroken) log(`deputy: ${deputyBroken} (floor rows are still measured)`);

const synth1k = corpus(1000);
const singles = ensureSingles(opts.seed);

// 1. Per input kind
if (opts.only.has("kinds")) {
  log("\n[per input kind]");
  for (const kind of KINDS) {
    const p = [path.join(synth1k.dir, kind)];
    results.kinds.push(checkCoverage({ corpus: "synthetic 1k", kind: SYNTH_LABELS[kind], ...inputSize(p), ...(await measurePair(p, opts.runs, `synth-1k/${kind}`)) }, { expectAnalyzed: kind !== "other" }));
  }
  if (realExists) {
    for (const [sub, label] of REAL_KINDS) {
      const dir = path.join(opts.real, sub);
      if (!fs.existsSync(dir)) continue;
      const p = [dir];
      results.kinds.push(checkCoverage({ corpus: "real", kind: label, ...inputSize(p), ...(await measurePair(p, opts.runs, `real/${sub}`)) }));
    }
  }
}

// 2. Whole corpus, deputy vs floor
if (opts.only.has("whole")) {
  log("\n[whole corpus]");
  const wholes = [["synthetic 1k", [synth1k.dir]]];
  if (realExists) wholes.push([`real (${rel(opts.real)})`, [opts.real]]);
  for (const [name, p] of wholes) {
    results.whole.push(checkCoverage({ corpus: name, ...inputSize(p), ...(await measurePair(p, opts.runs, name)) }));
  }
}

// 3. One file, node start included
if (opts.only.has("single")) {
  log("\n[one file]");
  const node = await (async () => {
    log("  node   node -e 0 ...");
    const times = [];
    let rssKb = null;
    for (let i = 0; i <= opts.runs; i++) {
      const r = await runOnce([process.execPath, "-e", "0"], { method: rssMethod, tmpDir, timeoutMs, cwd: ROOT });
      if (i > 0) times.push(r.ms); // first run is the warm-up
      rssKb = Math.max(rssKb ?? 0, r.rssKb ?? 0) || null;
    }
    return { ok: true, times, median: median(times), min: Math.min(...times), max: Math.max(...times), rssKb };
  })();
  results.nodeBaseline = node;
  const cases = [
    ["small trust policy (Genesys, with ExternalId)", singles.trustSmall],
    ["300-resource template, JSON", singles.template300Json],
    ["300-resource template, YAML", singles.template300Yaml],
  ];
  for (const [name, file] of cases) {
    const p = [file];
    results.single.push(checkCoverage({ input: name, file: rel(file), files: 1, bytes: fs.statSync(file).size, ...(await measurePair(p, opts.runs, name)) }));
  }
}

// 4. Scaling
if (opts.only.has("scaling")) {
  log("\n[scaling]");
  for (const n of sizes) {
    const c = corpus(n);
    const p = [c.dir];
    const runs = runsFor(n);
    results.scaling.push(checkCoverage({ n, files: c.stamp.files, ...inputSize(p), runs, ...(await measurePair(p, runs, `synth-${n}`)) }));
  }
}

// 5. Terraform: synthetic blueprint-style repositories (root + local modules), against the floor parsing the same
// .tf/.tfvars files with the same HCL parser
if (opts.only.has("terraform")) {
  log("\n[terraform]");
  for (const n of opts.quick ? [1000] : [1000, 5000]) {
    const c = ensureTerraformCorpus(BENCH_DIR, n, opts.seed, log);
    const p = [c.dir];
    results.terraform.push(checkCoverage({ n, files: c.files, ...inputSize(p), runs: opts.runs, ...(await measurePair(p, opts.runs, `terraform-${n}`)) }));
  }
}

// ---------------------------------------------------------------------------
// Targets

const byN = (n) => results.scaling.find((r) => r.n === n);
const wholeRow = (prefix) => results.whole.find((r) => r.corpus.startsWith(prefix));
const notMeasured = (why) => ({ measured: "—", status: `not measured (${why})` });
const verdict = (ok) => (ok ? "met" : "**not met**");

function targetRatio(row, why) {
  if (!row) return notMeasured(why);
  if (!row.lint.ok) return { measured: `deputy error: ${cell(row.lint.error)}`, status: "error" };
  if (!row.floor.ok) return { measured: `floor error: ${cell(row.floor.error)}`, status: "error" };
  const x = floorRatio(row);
  return { measured: `${fmtRatio(x)} (${fmtMs(row.lint.median)} vs ${fmtMs(row.floor.median)})`, status: verdict(x <= 2) };
}

const targets = [];
{
  const big = byN(10000) ?? byN(1000);
  targets.push({ target: `lint ≤ 2× floor, synthetic ${big ? `${big.n / 1000}k ` : ""}corpus`, ...targetRatio(big, "scaling section skipped") });
  const whyReal = !opts.only.has("whole") ? "whole section skipped" : !opts.real ? "--no-real" : "real corpus absent";
  targets.push({ target: "lint ≤ 2× floor, real corpus", ...targetRatio(wholeRow("real"), whyReal) });

  const small = results.single[0];
  if (!small) targets.push({ target: "one small file ≤ 150 ms", ...notMeasured("single section skipped") });
  else if (!small.lint.ok) targets.push({ target: "one small file ≤ 150 ms", measured: `error: ${cell(small.lint.error)}`, status: "error" });
  else targets.push({ target: "one small file ≤ 150 ms", measured: fmtMs(small.lint.median), status: verdict(small.lint.median <= 150) });

  const t10 = byN(10000);
  const why10 = opts.quick ? "--quick" : "scaling section skipped";
  if (!t10) {
    targets.push({ target: "10k files < 5 s", ...notMeasured(why10) }, { target: "10k files < 500 MB RSS", ...notMeasured(why10) });
  } else if (!t10.lint.ok) {
    const m = { measured: `error: ${cell(t10.lint.error)}`, status: "error" };
    targets.push({ target: "10k files < 5 s", ...m }, { target: "10k files < 500 MB RSS", ...m });
  } else {
    targets.push({ target: "10k files < 5 s", measured: fmtMs(t10.lint.median), status: verdict(t10.lint.median < 5000) });
    const mb = t10.lint.rssKb != null ? (t10.lint.rssKb * 1024) / 1e6 : null;
    targets.push({ target: "10k files < 500 MB RSS", measured: fmtRss(t10.lint.rssKb), status: mb == null ? "not measured (no RSS)" : verdict(mb < 500) });
  }

  const t50 = byN(50000);
  if (!t50 || !t10) targets.push({ target: "50k ≤ 5.5× the 10k time", ...notMeasured(opts.quick ? "--quick" : "needs --full") });
  else if (!t50.lint.ok || !t10.lint.ok) targets.push({ target: "50k ≤ 5.5× the 10k time", measured: `error: ${cell((t50.lint.ok ? t10 : t50).lint.error)}`, status: "error" });
  else {
    const x = ratio(t50.lint, t10.lint);
    targets.push({ target: "50k ≤ 5.5× the 10k time", measured: `${fmtRatio(x)} (${fmtMs(t50.lint.median)} vs ${fmtMs(t10.lint.median)})`, status: verdict(x <= 5.5) });
    // "Memory stays bounded": trees are not all kept, so peak RSS must grow less than the number of files does (what
    // is kept is the cross-file index, which grows with the roles, functions and policies it holds, and the findings).
    const m = t50.lint.rssKb != null && t10.lint.rssKb != null ? t50.lint.rssKb / t10.lint.rssKb : null;
    targets.push({ target: "50k peak RSS grows less than the files (< 5× the 10k's)", measured: m == null ? "—" : `${fmtRatio(m)} (${fmtRss(t50.lint.rssKb)} vs ${fmtRss(t10.lint.rssKb)})`, status: m == null ? "not measured (no RSS)" : verdict(m < 5) });
  }
  const tf1k = results.terraform.find((r) => r.n === 1000);
  targets.push({ target: "lint ≤ 2× floor, 1,000-file Terraform repository", ...targetRatio(tf1k, "terraform section skipped") });
  // Both cores used on a large run: CPU time over wall time of the 10k run.
  if (t10?.lint.ok && t10.lint.cores != null) targets.push({ target: "both cores used on the 10k run (≥ 1.5 cores busy)", measured: t10.lint.cores.toFixed(2), status: verdict(t10.lint.cores >= 1.5) });
}

// ---------------------------------------------------------------------------
// Report

function deputyVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

/** When dist/ was last built (newest .js under it), to tell which build a report measured. */
function distBuildTime() {
  const dist = path.join(path.dirname(path.dirname(opts.bin)), "dist");
  let newest = 0;
  const visit = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) visit(f);
      else if (e.name.endsWith(".js")) newest = Math.max(newest, fs.statSync(f).mtimeMs);
    }
  };
  try {
    visit(dist);
  } catch {
    return null;
  }
  return newest ? `${new Date(newest).toISOString().replace("T", " ").slice(0, 16)} UTC` : null;
}
/** Cores kept busy on average (CPU time / wall time, median of the runs). */
function fmtCores(m) {
  return m?.ok && m.cores != null ? m.cores.toFixed(2) : "—";
}

function markdown() {
  const cpus = os.cpus();
  const now = new Date();
  const md = [];
  md.push("# Performance", "");
  md.push("Generated by `npm run bench` (bench/run.mjs); see bench/README.md for what is measured and how. Do not edit by hand.", "");
  md.push(`- **Date:** ${now.toISOString().replace("T", " ").slice(0, 16)} UTC`);
  md.push(`- **Machine:** ${cpus[0]?.model?.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()})`);
  md.push(`- **Node:** ${process.version}; load average at start ${loadAtStart.map((x) => x.toFixed(2)).join(" / ")} (1 / 5 / 15 min; other work on the machine makes timings noisy)`);
  const buildNow = distBuildTime();
  const rebuilt = buildNow !== buildTime ? ` — **dist/ was rebuilt during the run (last at ${buildNow}): rows may measure different builds**` : "";
  md.push(`- **deputy:** ${deputyVersion()} (${rel(opts.bin)}${buildTime ? `, dist/ built ${buildTime}` : ""})${rebuilt}${deputyBroken ? ` — **${cell(deputyBroken)}**` : ""}`);
  md.push(`- **Mode:** ${opts.quick ? "quick (smoke test)" : opts.full ? "full" : "default"}; ${opts.runs} timed run${opts.runs === 1 ? "" : "s"} per measurement after one warm-up${sizes.includes(50000) ? ` (${runsFor(50000)} for 50k)` : ""}, deputy's and the floor's interleaved; median (min–max) wall time; deputy/floor = median of the per-round ratios; peak RSS = highest of the runs, via ${rssMethod === "time" ? "`/usr/bin/time -f %M`" : "`process.resourceUsage().maxRSS` (node --import hook)"}`);
  md.push(`- **Command:** \`node ${rel(opts.bin)} --format json --output /dev/null <path>\`; floor: \`node bench/floor.mjs <path>\` (read + JSON.parse / yaml.parse only)`);
  md.push(`- **Synthetic corpus:** seed ${opts.seed}; real corpus: ${realExists ? `\`${rel(opts.real)}\`` : opts.real ? `not found at \`${opts.real}\` (real rows skipped)` : "skipped (--no-real)"}`);
  md.push("");

  md.push("## Targets", "");
  md.push(table(["Target", "Measured", "Status"], targets.map((t) => [t.target, t.measured, t.status]), ["l", "l", "l"]));
  md.push("");

  if (results.kinds.length) {
    md.push("## Per input kind", "");
    md.push("Throughput is files (or MB) divided by the median whole-process time, so node start-up and module loading are included.", "");
    md.push(
      table(
        ["Corpus", "Kind", "Files", "MB", "deputy", "files/s", "MB/s", "Peak RSS", "Scanned / analyzed", "Findings", "Floor", "deputy/floor"],
        results.kinds.map((r) => [
          r.corpus, r.kind, r.files, fmtMb(r.bytes), fmtTime(r.lint),
          r.lint.ok ? fmtRate(r.files / (r.lint.median / 1000)) : "—",
          r.lint.ok ? fmtRate(r.bytes / 1e6 / (r.lint.median / 1000)) : "—",
          r.lint.ok ? fmtRss(r.lint.rssKb) : "—", fmtSeen(r.lint), r.lint.findings ?? "—",
          fmtTime(r.floor), fmtRatio(floorRatio(r)),
        ]),
        ["l", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
      ),
    );
    md.push("");
  }

  if (results.whole.length) {
    md.push("## Whole corpus: deputy vs parse floor", "");
    md.push(
      table(
        ["Corpus", "Files", "MB", "deputy", "deputy RSS", "deputy cores", "Scanned / analyzed", "Findings", "Floor", "Floor RSS", "Floor cores", "Time ratio", "RSS ratio"],
        results.whole.map((r) => [
          r.corpus, r.files, fmtMb(r.bytes), fmtTime(r.lint), r.lint.ok ? fmtRss(r.lint.rssKb) : "—", fmtCores(r.lint), fmtSeen(r.lint), r.lint.findings ?? "—",
          fmtTime(r.floor), r.floor.ok ? fmtRss(r.floor.rssKb) : "—", fmtCores(r.floor), fmtRatio(floorRatio(r)),
          r.lint.ok && r.floor.ok && r.lint.rssKb && r.floor.rssKb ? fmtRatio(r.lint.rssKb / r.floor.rssKb) : "—",
        ]),
        ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
      ),
    );
    md.push("");
  }

  if (results.terraform.length) {
    md.push("## Terraform: deputy vs parse floor", "");
    md.push("Synthetic blueprint-style repositories (`bench/lib/terraform.mjs`): projects of a root module (variables, locals, tfvars) calling local modules for the Lambda and its roles, the Genesys integration and the data action, and a remote module; some with for_each and dynamic blocks, some with the mistakes deputy reports. The floor reads and parses the same `.tf`/`.tfvars` files with the same parser (web-tree-sitter and the tree-sitter HCL grammar).", "");
    md.push(
      table(
        ["Files", "MB", "Runs", "deputy", "deputy RSS", "Scanned / analyzed", "Findings", "Floor", "Floor RSS", "deputy/floor"],
        results.terraform.map((r) => [r.files, fmtMb(r.bytes), r.runs, fmtTime(r.lint), r.lint.ok ? fmtRss(r.lint.rssKb) : "—", fmtSeen(r.lint), r.lint.findings ?? "—", fmtTime(r.floor), r.floor.ok ? fmtRss(r.floor.rssKb) : "—", fmtRatio(floorRatio(r))]),
        ["r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
      ),
    );
    md.push("");
  }

  if (results.single.length) {
    md.push("## One file (node start included)", "");
    const nb = results.nodeBaseline;
    md.push(
      table(
        ["Input", "Bytes", "deputy", "deputy RSS", "Floor", "Floor RSS"],
        [
          ...results.single.map((r) => [`${r.input} (\`${r.file}\`)`, r.bytes.toLocaleString("en-US"), fmtTime(r.lint), r.lint.ok ? fmtRss(r.lint.rssKb) : "—", fmtTime(r.floor), r.floor.ok ? fmtRss(r.floor.rssKb) : "—"]),
          ["reference: `node -e 0`", "—", "—", "—", fmtTime(nb), fmtRss(nb.rssKb)],
        ],
        ["l", "r", "r", "r", "r", "r"],
      ),
    );
    md.push("");
  }

  if (results.scaling.length) {
    md.push("## Scaling (synthetic corpus)", "");
    md.push(
      table(
        ["Corpus", "Files (read)", "MB", "Runs", "deputy", "deputy RSS", "deputy cores", "Scanned / analyzed", "Findings", "Floor", "Floor RSS", "Floor cores", "deputy/floor"],
        results.scaling.map((r) => [
          `synth-${r.n}`, `${r.n.toLocaleString("en-US")} (${r.files.toLocaleString("en-US")})`, fmtMb(r.bytes), r.runs, fmtTime(r.lint),
          r.lint.ok ? fmtRss(r.lint.rssKb) : "—", fmtCores(r.lint), fmtSeen(r.lint), r.lint.findings ?? "—", fmtTime(r.floor), r.floor.ok ? fmtRss(r.floor.rssKb) : "—", fmtCores(r.floor), fmtRatio(floorRatio(r)),
        ]),
        ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
      ),
    );
    md.push("");
    const steps = [];
    for (const [a, b] of [[1000, 10000], [10000, 50000]]) {
      const ra = byN(a);
      const rb = byN(b);
      if (ra && rb) steps.push(`${b / 1000}k/${a / 1000}k: deputy ${fmtRatio(ratio(rb.lint, ra.lint))}, floor ${fmtRatio(ratio(rb.floor, ra.floor))} (files ×${b / a})`);
    }
    if (steps.length) md.push(`Time ratios — ${steps.join("; ")}.`, "");
  }

  if (results.corpora.length) {
    md.push("## Synthetic corpora", "");
    md.push("Generated by `bench/generate.mjs` (deterministic from the seed, cached in `.bench/`). \"Files (read)\" above counts the .json/.yaml/.yml/.template files outside node_modules, i.e. what the floor parses.", "");
    const kinds = KINDS.map((k) => SYNTH_LABELS[k]);
    md.push(
      table(
        ["Corpus", "Files", "MB", ...kinds, "Generation"],
        results.corpora.map((c) => [
          `synth-${c.n}`, c.files.toLocaleString("en-US"), fmtMb(c.bytes),
          ...KINDS.map((k) => `${c.kinds[k].files} / ${fmtMb(c.kinds[k].bytes)} MB`),
          `${(c.generationMs / 1000).toFixed(1)} s${c.generated ? "" : " (cached)"}`,
        ]),
      ),
    );
    md.push("");
  }

  md.push("## Notes", "");
  md.push("- A row whose deputy run read too little is an error, not a time (\"read too little\"): deputy's report must say it scanned at least 90% of the files the floor read that it takes as inputs (`.tfvars` are read through their module), and analyzed at least one (except the unrelated files, which it should skip).");
  md.push("- Exit code 1 (findings) is a normal result. Errors (exit 2, crash, timeout, no report) are shown in the cell instead of a time.");
  md.push("- \"Scanned / analyzed\" (deputy's `summary.filesScanned` / `filesAnalyzed`) and \"Findings\" come from the JSON report of the warm-up run (\"—\" if absent).");
  md.push("- The floor does no rule work and keeps no source positions, so deputy/floor shows the cost of everything beyond reading and parsing. With YAML, `yaml.parse` itself runs at roughly 1.5–2.5 MB/s, so YAML volume dominates the floor.");
  md.push("- \"Cores\" is CPU time (user + system, every thread of the process) divided by wall time: how many cores a run kept busy on average. A single-threaded deputy run already keeps more than one core busy (V8 collects garbage and compiles on background threads). By default a run with at least 500 files other than YAML gets one helper thread (src/engine/parallel.ts): it takes the files from the end while the main thread goes forward. What a helper saves is mostly rule work on standalone files; templates come back from it as models whose copying costs about what it saves, so a run of templates alone stays on one thread. `--workers 1` keeps a run on one thread; the report is the same either way (tested).");
  md.push(`- Total benchmark time: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  md.push("");
  return md.join("\n");
}

const text = markdown();
fs.mkdirSync(BENCH_DIR, { recursive: true });
fs.writeFileSync(path.join(BENCH_DIR, "last-run.json"), JSON.stringify({ date: new Date().toISOString(), opts: { ...opts, only: [...opts.only] }, rssMethod, deputyBroken, targets, results }, null, 2) + "\n");
if (opts.out) {
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, text);
  log(`\nwrote ${rel(opts.out)} and .bench/last-run.json`);
}
// Summary on stdout: the targets table.
console.log(table(["Target", "Measured", "Status"], targets.map((t) => [t.target, t.measured, t.status]), ["l", "l", "l"]));
