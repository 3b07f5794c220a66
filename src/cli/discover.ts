/**
 * Which files a run reads: explicit files as given; folders walked for JSON/YAML/template/Terraform files; globs expanded.
 * Honours .gitignore files, `--ignore-pattern` and config `ignores`; always skips node_modules, .git and CDK asset
 * folders. The result is sorted, so output order never depends on the file system.
 */
import type { Ignore } from "ignore";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

// Loaded on first use: a pre-commit run on named files needs neither.
const require = createRequire(import.meta.url);
type FastGlob = typeof import("fast-glob");
type IgnoreFactory = () => Ignore;
let fgModule: FastGlob | undefined;
let ignoreModule: IgnoreFactory | undefined;
const fg = (): FastGlob => (fgModule ??= require("fast-glob") as FastGlob);
const ignore = (): Ignore => {
  if (!ignoreModule) {
    const m = require("ignore") as IgnoreFactory & { default?: IgnoreFactory };
    ignoreModule = m.default ?? m;
  }
  return ignoreModule();
};

// `.terraform/` holds provider binaries and downloaded modules (read as modules of the configuration that calls them).
export const ALWAYS_IGNORED = ["**/node_modules/**", "**/.git/**", "**/cdk.out/asset.*/**", "**/.deputycache", "**/.terraform/**"];
const PATTERNS = ["**/*.json", "**/*.yaml", "**/*.yml", "**/*.template", "**/*.tf"];

export interface Discovered {
  /** Path relative to cwd, forward slashes. */
  path: string;
  absPath: string;
}

function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

/** A `.` or `..` segment (either separator): such a path is left to `path.relative` to normalize. */
const DOT_SEGMENT = /(^|[\\/])\.\.?([\\/]|$)/;

/**
 * `relative(dir, abs)`, with a shortcut for a path inside `dir` (every discovered file, usually): `path.relative`
 * resolves both paths on each call, which a scan of thousands of files notices.
 */
function relativeTo(dir: string, abs: string): string {
  if (abs.length > dir.length && abs.startsWith(dir) && (abs[dir.length] === sep || dir.endsWith(sep)) && !DOT_SEGMENT.test(abs)) {
    return abs.slice(dir.endsWith(sep) ? dir.length : dir.length + 1);
  }
  return relative(dir, abs);
}

export function displayPath(cwd: string, abs: string): string {
  const rel = relativeTo(cwd, abs);
  return toPosix(rel === "" ? "." : rel);
}

function isGlob(s: string): boolean {
  return /[*?[\]{}]/.test(s);
}

/** .gitignore rules from the folder of each scan root up to the git top (or filesystem root), plus nested ones. */
class GitIgnores {
  /** Folders with a .gitignore, and its rules (folders without one are only remembered as visited). */
  private readonly byDir = new Map<string, Ignore>();
  private readonly visited = new Set<string>();

  add(dir: string): void {
    if (this.visited.has(dir)) return;
    this.visited.add(dir);
    const f = join(dir, ".gitignore");
    if (existsSync(f)) {
      try {
        this.byDir.set(dir, ignore().add(readFileSync(f, "utf8")));
      } catch {
        /* unreadable: no rules */
      }
    }
  }

  addAncestors(dir: string): void {
    let d = dir;
    for (;;) {
      this.add(d);
      if (existsSync(join(d, ".git"))) break;
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }

  ignored(abs: string): boolean {
    for (const [dir, ig] of this.byDir) {
      const rel = relativeTo(dir, abs);
      if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) continue;
      if (ig.ignores(toPosix(rel))) return true;
    }
    return false;
  }
}

export function discover(inputs: string[], cwd: string, ignorePatterns: string[]): Discovered[] {
  const out = new Map<string, Discovered>();
  const extra = ignorePatterns.length > 0 ? ignore().add(ignorePatterns) : undefined;
  const git = new GitIgnores();
  const add = (abs: string) => {
    const rel = displayPath(cwd, abs);
    if (extra && !rel.startsWith("..") && extra.ignores(rel)) return;
    if (extra && extra.ignores(toPosix(abs).replace(/^\//, ""))) return;
    out.set(abs, { path: rel, absPath: abs });
  };
  for (const input of inputs.length ? inputs : ["."]) {
    const abs = resolve(cwd, input);
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(abs);
    } catch {
      st = undefined;
    }
    if (st?.isFile()) {
      // An explicitly named file is always read (classification decides whether it is ours).
      add(abs);
      continue;
    }
    let base: string;
    let patterns: string[];
    if (st?.isDirectory()) {
      base = abs;
      patterns = PATTERNS;
    } else if (isGlob(input)) {
      base = cwd;
      patterns = [toPosix(input)];
    } else {
      throw new Error(`No such file or folder: ${input}`);
    }
    git.addAncestors(base);
    // One walk finds both the inputs and the nested .gitignore files (whose rules apply before any input is kept).
    const found: string[] = [];
    // Paths relative to `base`, made absolute here: fast-glob's `absolute` option, then `resolve`, normalised every
    // path twice (about 15 ms on 2,000 files, before any file is read).
    const prefix = base.endsWith(sep) ? base : base + sep;
    for (const rel of fg().sync([...patterns, "**/.gitignore"], { cwd: base, ignore: ALWAYS_IGNORED, dot: true, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true })) {
      const f = sep === "/" && !/(^|\/)\.\.?(\/|$)/.test(rel) ? prefix + rel : resolve(base, rel);
      if (rel === ".gitignore" || rel.endsWith("/.gitignore")) git.add(dirname(f));
      else found.push(f);
    }
    for (const a of found) {
      if (git.ignored(a)) continue;
      add(a);
    }
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
