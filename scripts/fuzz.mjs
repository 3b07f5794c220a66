#!/usr/bin/env node
/**
 * `npm run fuzz -- --runs N [--seed S] [--corpus DIR] [--bound MS] [--batch N] [--keep-going] [--save DIR]`: a long
 * run of the fuzzer (test/fuzz/core.ts, bundled here with esbuild so that the run needs no test runner), over the
 * fixtures and, when present, the real corpus (../shared/corpus, or --corpus). Prints the figures docs/RELIABILITY.md
 * records: inputs tried, failures, the slowest input and its time (`--save` keeps failing inputs and the slowest).
 * Needs `npm run build` first (the CLI batches run bin/deputy.js).
 */
import { build } from "esbuild";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    corpus: { type: "string" },
    bound: { type: "string", default: "5000" },
    batch: { type: "string", default: "500" },
    "keep-going": { type: "boolean", default: false },
    save: { type: "string" },
  },
});
const corpus = values.corpus ?? join(root, "..", "shared", "corpus");
// Two levels below the project root (dist/.fuzz-*), as the built modules are: the bundle's imports (fast-check, yaml)
// resolve from node_modules and its data files (../../data) are found. Removed after the run.
mkdirSync(join(root, "dist"), { recursive: true });
const out = mkdtempSync(join(root, "dist", ".fuzz-"));
const entry = join(out, "core.mjs");
await build({ entryPoints: [join(root, "test", "fuzz", "core.ts")], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile: entry, logLevel: "warning", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
const { fuzz, savedName } = await import(pathToFileURL(entry).href);
const runs = Number(values.runs);
const seed = Number(values.seed);
console.log(`deputy fuzz: ${runs} inputs, seed ${seed}, bound ${values.bound} ms per input, CLI batches of ${values.batch}${existsSync(corpus) ? `, seeds from ${corpus} too` : ""}`);
let stats;
try {
  stats = await fuzz({
    root,
    bin: join(root, "bin", "deputy.js"),
    runs,
    seed,
    extraSeeds: existsSync(corpus) ? [corpus] : [],
    timeBoundMs: Number(values.bound),
    batchSize: Number(values.batch),
    keepGoing: values["keep-going"],
    saveDir: values.save,
    onFailure: (m) => console.log(`FAILURE: ${m.slice(0, 3000)}`),
    onProgress: (s) => console.log(`  ${s.tried} tried, ${s.failures.length} failures, ${s.batches} CLI batches, slowest ${s.slowest.ms.toFixed(0)} ms, ${(s.ms / 1000).toFixed(0)} s`),
  });
} catch (e) {
  console.log(`FAILURE (seed ${seed}):\n${e.message}`);
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
const s = stats.slowest;
// The slowest input is kept too, so that the figure docs/RELIABILITY.md records can be looked into.
if (values.save && s.input) {
  mkdirSync(values.save, { recursive: true });
  writeFileSync(join(values.save, `slowest-${savedName(s.input)}`), s.input.text);
}
console.log(`inputs tried: ${stats.tried}\nfailures: ${stats.failures.length}\nCLI batches (--workers 1 and 2): ${stats.batches}\nslowest input: ${s.ms.toFixed(0)} ms (${s.input?.path}, ${s.input?.text.length} chars; ${s.input?.how.slice(0, 400)})\ntotal: ${(stats.ms / 1000).toFixed(0)} s`);
for (const f of stats.failures.slice(0, 20)) console.log(`- ${f}`);
process.exit(stats.failures.length ? 1 : 0);
