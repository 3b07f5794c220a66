/**
 * `--cache`: results of files that do not take part in the cross-file phase, keyed by a hash of their content (as
 * ESLint's cache is). A file that contributes to the project index (a role, a function, a data action, a trust or
 * resource policy, a grant of Lambda actions) is always analysed again, so cross-file rules see every file on every
 * run and stay correct; what the cache saves is the parse and the per-file rules of everything else, which in a
 * typical repository is most of its policy files.
 *
 * The whole cache is invalid when deputy, the IAM catalog, the rule set or the configuration changes (and, when a
 * suppression has an expiry date, when the day changes). Files with an expiring suppression are never cached.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Finding } from "./finding.js";
import { sha1Hex } from "./hash.js";
import type { Notification } from "./suppressions.js";

export interface CacheEntry {
  hash: string;
  analyzed: boolean;
  findings: Finding[];
  notifications: Notification[];
  /** Indexes of configuration suppressions that matched findings of this file. */
  configUsed: number[];
}

interface CacheFile {
  key: string;
  files: Record<string, CacheEntry>;
}

export class LintCache {
  private files: Record<string, CacheEntry> = {};
  hits = 0;

  constructor(
    readonly location: string,
    /** Identifies everything besides a file's content that its results depend on. */
    readonly key: string,
  ) {
    try {
      const data = JSON.parse(readFileSync(location, "utf8")) as CacheFile;
      if (data && data.key === key && data.files && typeof data.files === "object") this.files = data.files;
    } catch {
      /* no cache yet, or unreadable: start empty */
    }
  }

  static hash(content: Uint8Array | string): string {
    return sha1Hex(content);
  }

  get(absPath: string, hash: string): CacheEntry | undefined {
    const e = Object.hasOwn(this.files, absPath) ? this.files[absPath] : undefined;
    // A cache file is data on disk: an entry of the wrong shape (corrupted, hand-edited) is a miss, not a crash later.
    if (e && e.hash === hash && wellFormed(e)) {
      this.hits++;
      return e;
    }
    return undefined;
  }

  set(absPath: string, entry: CacheEntry): void {
    this.files[absPath] = entry;
  }

  delete(absPath: string): void {
    delete this.files[absPath];
  }

  save(): void {
    const tmp = `${this.location}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key: this.key, files: this.files } satisfies CacheFile));
    renameSync(tmp, this.location);
  }
}

const isRegion = (r: unknown): boolean => {
  const x = r as Record<string, unknown> | null;
  return !!x && typeof x === "object" && ["startLine", "startColumn", "endLine", "endColumn"].every((k) => Number.isInteger(x[k]));
};

function wellFormed(e: CacheEntry): boolean {
  if (typeof e !== "object" || typeof e.analyzed !== "boolean" || !Array.isArray(e.findings) || !Array.isArray(e.notifications) || !Array.isArray(e.configUsed)) return false;
  if (!e.configUsed.every((i) => Number.isInteger(i) && i >= 0)) return false;
  for (const f of e.findings as unknown[]) {
    const x = f as Finding | null;
    if (!x || typeof x !== "object" || typeof x.ruleId !== "string" || typeof x.ruleName !== "string" || typeof x.message !== "string" || typeof x.file !== "string") return false;
    if (!["error", "warning", "note"].includes(x.severity) || !isRegion(x.region) || !x.logical || typeof x.logical.path !== "string" || !Array.isArray(x.related)) return false;
    if (!x.related.every((r) => r && typeof r.file === "string" && isRegion(r.region))) return false;
    if (x.suppressions !== undefined && !Array.isArray(x.suppressions)) return false;
  }
  for (const n of e.notifications as unknown[]) {
    const x = n as Notification | null;
    if (!x || typeof x !== "object" || typeof x.kind !== "string" || typeof x.message !== "string" || (x.region !== undefined && !isRegion(x.region))) return false;
  }
  return true;
}

/** The cache key: deputy and catalog versions, the rules, the configuration (and today when suppressions expire). */
export function cacheKey(parts: { toolVersion: string; catalogVersion: string; rules: string[]; config: unknown; today?: string }): string {
  return LintCache.hash(JSON.stringify(parts));
}
