#!/usr/bin/env node
/**
 * Builds what the `deputy` command and the GitHub Action run, with esbuild alone (no tsc, no type declarations):
 *
 * - dist/bundle/main.cjs, worker.cjs, action.cjs, server.cjs: the CLI, its worker thread, the Action's entry and the
 *   language server (`deputy lsp`, loaded by src/cli/lsp-loader.ts), each one CommonJS module bundled from src/
 *   (runtime dependencies stay in node_modules);
 * - dist/bundle/api.mjs: the programmatic API, an ES module (its declarations, dist/api.d.ts, come from tsc);
 * - dist/iam-catalog.jsonl: the slim IAM catalog (see src/model/catalog-data.ts).
 *
 * `npm run build` runs it after tsc; on its own it is what a pre-commit hook install (`postprepare`) and the Action
 * need, so neither waits for the type checker. Both find esbuild in node_modules, or at DEPUTY_ESBUILD (a folder
 * holding node_modules/esbuild: the Action installs it there, apart from the production tree).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = process.env.DEPUTY_ESBUILD ? join(process.env.DEPUTY_ESBUILD, "node_modules") : root;
const esbuild = createRequire(join(from, "noop.js"))("esbuild");

const dist = join(root, "dist");
rmSync(join(dist, "bundle"), { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = { bundle: true, platform: "node", target: "node20", packages: "external", logLevel: "warning", absWorkingDir: root };
await esbuild.build({
  ...common,
  entryPoints: { main: "src/cli/main.ts", worker: "src/engine/worker.ts", action: "src/cli/action.ts", server: "src/lsp/server.ts" },
  format: "cjs",
  outdir: "dist/bundle",
  outExtension: { ".js": ".cjs" },
  // The sources are ES modules that find files with import.meta.url: in the bundle it is the bundle file's URL.
  define: { "import.meta.url": "deputyImportMetaUrl" },
  inject: ["scripts/esbuild-cjs-shim.js"],
});

// The programmatic API (`import { lint } from "deputy-lint"`, package.json exports): one ES module, so that a script
// importing it loads one file, and a checkout installed from git (which runs only this script) has it too.
await esbuild.build({ ...common, entryPoints: { api: "src/api.ts" }, format: "esm", outdir: "dist/bundle", outExtension: { ".js": ".mjs" } });

// The slim catalog, written by the same function the run falls back to (catalog-data.ts), bundled for the moment.
const tmp = join(dist, `.catalog-build-${process.pid}.mjs`);
await esbuild.build({ ...common, entryPoints: ["src/model/catalog-data.ts"], format: "esm", outfile: tmp });
try {
  const { packageSource, writeSlim } = await import(pathToFileURL(tmp).href);
  const file = join(dist, "iam-catalog.jsonl");
  writeFileSync(file, writeSlim(packageSource(), file));
} finally {
  rmSync(tmp, { force: true });
}
