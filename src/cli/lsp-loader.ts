/**
 * Loads the language server for `deputy lsp`. It is a bundle of its own (dist/bundle/server.cjs, beside the CLI's
 * main.cjs): an `import()` that esbuild could follow would pull the server into main.cjs and turn every module of the
 * bundle into a lazily initialised one, which a lint run would pay for at start-up.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type ServerModule = typeof import("../lsp/server.js");

export async function loadLanguageServer(): Promise<ServerModule> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".cjs")) return createRequire(import.meta.url)(join(dirname(here), "server.cjs")) as ServerModule;
  // Unbundled (dist/cli): the module next door, by a URL esbuild does not follow.
  const url = pathToFileURL(join(dirname(here), "..", "lsp", "server.js")).href;
  return (await import(url)) as ServerModule;
}
