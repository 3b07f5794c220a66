#!/usr/bin/env node
// The "parse floor": the least work any tool must do to lint the same inputs.
//
//   node bench/floor.mjs [--json] [--strict] <paths...>
//
// Walks the paths (skipping node_modules, .git and .terraform, like deputy), reads
// every .json/.yaml/.yml/.template/.tf/.tfvars file and parses it: JSON.parse for
// JSON (and for .template files whose first character is "{"), yaml.parse for
// YAML, with the CloudFormation short-form tags (!Ref, !Sub, !GetAtt, ...)
// accepted as plain scalars/sequences/mappings, and HCL with the parser deputy
// uses (web-tree-sitter and the tree-sitter HCL grammar's Terraform .wasm, loaded
// only when there is a .tf file). Nothing else: no rules, no locations, no output
// formatting. deputy's whole-process time is compared against this script's.
//
// Prints "N files, B bytes, E parse errors, T ms" (or one JSON line with --json).
// Parse errors are counted, not fatal (the real corpus has deliberately broken
// fixtures); --strict exits 1 if there were any (used to check the generator).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Directory names never entered. */
export const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform"]);
/** File extensions that are read. */
export const EXTENSIONS = new Set([".json", ".yaml", ".yml", ".template", ".tf", ".tfvars"]);

/** The HCL parser deputy uses, loaded on first use. */
async function hclParser() {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const { Parser, Language } = await import("web-tree-sitter");
  await Parser.init({ wasmBinary: fs.readFileSync(require.resolve("web-tree-sitter/web-tree-sitter.wasm")) });
  const lang = await Language.load(fs.readFileSync(require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm")));
  const p = new Parser();
  p.setLanguage(lang);
  return p;
}

/** Lists the candidate files under the given paths (files given directly are always kept), sorted per folder. */
export function walk(paths) {
  const out = [];
  const visit = (p) => {
    let entries;
    try {
      entries = fs.readdirSync(p, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) visit(full);
      } else if (e.isFile() && EXTENSIONS.has(path.extname(e.name).toLowerCase())) {
        out.push(full);
      }
    }
  };
  for (const p of paths) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) throw new Error(`no such file or directory: ${p}`);
    if (st.isDirectory()) visit(p);
    else out.push(p);
  }
  return out;
}

/** CloudFormation short-form tags, accepted and resolved to their plain value. */
const CFN_TAGS = ["Ref", "Sub", "GetAtt", "Join", "If", "Select", "Split", "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Equals", "And", "Or", "Not", "Condition", "Transform"];

/** yaml customTags: each tag on scalars, sequences and mappings, returning the value unchanged. */
export function cfnCustomTags() {
  const tags = [];
  for (const name of CFN_TAGS) {
    const tag = `!${name}`;
    tags.push({ tag, resolve: (str) => str });
    tags.push({ tag, collection: "seq", resolve: (seq) => seq });
    tags.push({ tag, collection: "map", resolve: (map) => map });
  }
  return tags;
}

/** Parses the files; returns { files, bytes, errors, errorSamples }. */
export async function parseAll(files) {
  let yaml = null; // loaded only if there is YAML to parse (keeps one-file JSON runs minimal)
  let hcl = null; // likewise for HCL
  let yamlOptions = null;
  let bytes = 0;
  let errors = 0;
  const errorSamples = [];
  for (const file of files) {
    let text = fs.readFileSync(file, "utf8");
    bytes += Buffer.byteLength(text);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
    const ext = path.extname(file).toLowerCase();
    const asJson = ext === ".json" || (ext === ".template" && /^\s*\{/.test(text));
    try {
      if (ext === ".tf" || ext === ".tfvars") {
        hcl ??= await hclParser();
        const tree = hcl.parse(text);
        if (tree.rootNode.hasError) errors += 1;
        tree.delete();
      } else if (asJson) {
        JSON.parse(text);
      } else {
        if (!yaml) {
          yaml = await import("yaml");
          yamlOptions = { customTags: cfnCustomTags(), prettyErrors: false, logLevel: "error" };
        }
        yaml.parse(text, yamlOptions);
      }
    } catch (e) {
      errors += 1;
      if (errorSamples.length < 5) errorSamples.push(`${file}: ${String(e.message).split("\n")[0]}`);
    }
  }
  return { files: files.length, bytes, errors, errorSamples };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const strict = args.includes("--strict");
  const paths = args.filter((a) => !a.startsWith("--"));
  if (paths.length === 0) {
    console.error("usage: node bench/floor.mjs [--json] [--strict] <paths...>");
    process.exit(2);
  }
  const t0 = performance.now();
  let result;
  try {
    result = await parseAll(walk(paths));
  } catch (e) {
    console.error(`floor: ${e.message}`);
    process.exit(2);
  }
  const ms = Math.round(performance.now() - t0);
  if (json) {
    console.log(JSON.stringify({ ...result, ms }));
  } else {
    console.log(`${result.files} files, ${result.bytes} bytes (${(result.bytes / 1e6).toFixed(1)} MB), ${result.errors} parse errors, ${ms} ms`);
    for (const s of result.errorSamples) console.log(`  parse error: ${s}`);
  }
  if (strict && result.errors > 0) process.exitCode = 1;
}
