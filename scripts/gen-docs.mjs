#!/usr/bin/env node
/**
 * Writes the rule documentation (docs/rules/<CODE>-<name>.md and docs/rules/README.md) from the built rule metadata,
 * the fixtures in test/cases and the prose in docs/rules/src. Run through `npm run docs` (which builds first).
 *
 *   node scripts/gen-docs.mjs           write
 *   node scripts/gen-docs.mjs --check   exit 1 when a page is missing or stale
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { generateDocs } = await import(join(root, "dist", "docs", "rule-docs.js"));
const { allRules } = await import(join(root, "dist", "rules", "index.js"));

const { files, missingProse, missingFixtures } = generateDocs(root, allRules);
const check = process.argv.includes("--check");
let stale = 0;
for (const [rel, content] of files) {
  const abs = join(root, rel);
  const current = existsSync(abs) ? readFileSync(abs, "utf8") : undefined;
  if (current === content) continue;
  stale++;
  if (check) console.error(`${rel} is ${current === undefined ? "missing" : "stale"}`);
  else {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    console.log(`wrote ${rel}`);
  }
}
// Pages of rules that no longer exist.
const pagesDir = join(root, "docs", "rules");
for (const f of existsSync(pagesDir) ? readdirSync(pagesDir) : []) {
  if (!/^DPY\d{3}-.*\.md$/.test(f) || files.has(`docs/rules/${f}`)) continue;
  stale++;
  if (check) console.error(`docs/rules/${f} belongs to no rule`);
  else {
    unlinkSync(join(pagesDir, f));
    console.log(`removed docs/rules/${f}`);
  }
}
if (missingProse.length) console.warn(`no prose (docs/rules/src/<CODE>.md) for: ${missingProse.join(", ")}`);
if (missingFixtures.length) console.warn(`no fixture for: ${missingFixtures.join(", ")}`);
if (check && stale) {
  console.error("run npm run docs");
  process.exit(1);
}
if (!check && !stale) console.log(`docs/rules: ${files.size} files up to date`);
