/** Locates the JSON schemas shipped in `schemas/` and compiles them once, on first use. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: `src/engine` or `dist/engine` are two levels below it. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function schemaPath(name: string): string {
  return join(PACKAGE_ROOT, "schemas", name);
}

const cache = new Map<string, unknown>();
export function loadSchema(name: string): unknown {
  let s = cache.get(name);
  if (!s) {
    s = JSON.parse(readFileSync(schemaPath(name), "utf8"));
    cache.set(name, s);
  }
  return s;
}
