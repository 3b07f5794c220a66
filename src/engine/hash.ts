/**
 * Hashes for fingerprints and the cache. node:crypto is loaded on first use: a clean one-file run (the pre-commit
 * case) needs no hash at all, and loading the module costs it a few milliseconds.
 */
import { createRequire } from "node:module";

type Crypto = typeof import("node:crypto");
let cryptoModule: Crypto | undefined;
const crypto = (): Crypto => (cryptoModule ??= createRequire(import.meta.url)("node:crypto") as Crypto);

/** Hex SHA-256 of a string: Node's one-shot `crypto.hash` (Node 20.12+, a third of the cost) where it exists. */
export function sha256Hex(text: string): string {
  const c = crypto();
  return typeof (c as { hash?: unknown }).hash === "function" ? c.hash("sha256", text, "hex") : c.createHash("sha256").update(text).digest("hex");
}

/** Hex SHA-1 of a file's content or a string (cache keys). */
export function sha1Hex(content: Uint8Array | string): string {
  return crypto().createHash("sha1").update(content).digest("hex");
}
