#!/usr/bin/env node
/**
 * Runs the built CLI (`npm run build` first) over the shared real-world corpus (`../shared/corpus`, beside the
 * repository) and prints the number of findings per rule. Exits 1 when any internal error (DPY000) appears or the run
 * itself fails; skips (exit 0) when the corpus folder is absent, as it is outside the development environment.
 *
 *   npm run corpus                 # counts per rule
 *   npm run corpus -- --out x.json # keep the JSON report
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = resolve(root, "..", "shared", "corpus");
const cli = join(root, "bin", "deputy.js");

if (!existsSync(corpus)) {
  console.log(`corpus: ${corpus} not found; skipped.`);
  process.exit(0);
}
if (!existsSync(join(root, "dist"))) {
  console.error("corpus: dist/ is missing; run `npm run build` first.");
  process.exit(1);
}

const outIndex = process.argv.indexOf("--out");
const keep = outIndex > 0 ? resolve(process.argv[outIndex + 1] ?? "corpus.json") : undefined;
const tmp = keep ? undefined : mkdtempSync(join(tmpdir(), "deputy-corpus-"));
const report = keep ?? join(tmp, "corpus.json");

const started = Date.now();
const run = spawnSync(process.execPath, [cli, corpus, "--format", "json", "-o", report], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
// Exit 0: no findings at the fail level; 1: findings; anything else is a usage or internal error.
if (run.error || (run.status !== 0 && run.status !== 1) || !existsSync(report)) {
  console.error(`corpus: the CLI failed (exit ${run.status ?? "?"}).`);
  if (run.error) console.error(run.error.message);
  if (run.stderr) console.error(run.stderr.trim());
  process.exit(1);
}

const { findings = [] } = JSON.parse(readFileSync(report, "utf8"));
if (tmp) rmSync(tmp, { recursive: true, force: true });

const counts = new Map();
for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
const names = new Map(findings.map((f) => [f.ruleId, f.ruleName]));
console.log(`corpus: ${findings.length} findings in ${seconds}s (${corpus})`);
for (const code of [...counts.keys()].sort()) {
  console.log(`  ${code} ${String(names.get(code) ?? "").padEnd(34)} ${String(counts.get(code)).padStart(6)}`);
}
if (keep) console.log(`report: ${keep}`);

const internal = findings.filter((f) => f.ruleId === "DPY000");
if (internal.length > 0) {
  console.error(`\ncorpus: ${internal.length} internal error(s) (DPY000):`);
  for (const f of internal.slice(0, 20)) console.error(`  ${f.file}:${f.line ?? "?"} ${f.message}`);
  process.exit(1);
}
