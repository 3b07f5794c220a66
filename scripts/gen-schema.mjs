#!/usr/bin/env node
/**
 * Writes schemas/config.schema.json from the built rule metadata (every rule by code and by name). Run through
 * `npm run schema` (which builds first); a test fails when the committed file differs from what this writes.
 *
 *   node scripts/gen-schema.mjs           write
 *   node scripts/gen-schema.mjs --check   exit 1 when the committed schema is stale
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { configSchemaText } = await import(join(root, "dist", "config", "schema.js"));
const { allRules } = await import(join(root, "dist", "rules", "index.js"));

const out = join(root, "schemas", "config.schema.json");
const text = configSchemaText(allRules);
const current = existsSync(out) ? readFileSync(out, "utf8") : undefined;
if (process.argv.includes("--check")) {
  if (current !== text) {
    console.error("schemas/config.schema.json is stale: run npm run schema");
    process.exit(1);
  }
} else if (current !== text) {
  writeFileSync(out, text);
  console.log("wrote schemas/config.schema.json");
} else {
  console.log("schemas/config.schema.json is up to date");
}
