/**
 * Which files a run reads: explicit files as given; folders walked for JSON/YAML/template/Terraform files; globs expanded.
 * Honours .gitignore files, `--ignore-pattern` and config `ignores`; always skips node_modules, .git and CDK asset
 * folders. The result is sorted, so output order never depends on the file system.
 */
import type { Ignore } from "ignore";
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
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

/** Why an existing path that is neither a file nor a folder is not read, or undefined. */
function specialFile(abs: string, st: ReturnType<typeof statSync> | undefined): string | undefined {
  if (st) return st.isDirectory() ? undefined : "not a regular file (a FIFO, socket or device)";
  try {
    return lstatSync(abs).isSymbolicLink() ? "a dangling symbolic link or a symbolic link loop" : undefined;
  } catch {
    return undefined;
  }
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

/** File names a folder walk reads (PATTERNS: case-sensitive, as fast-glob matches them). */
const READ_FILE = /\.(?:json|ya?ml|template|tf)$/;

/**
 * Walks a folder as `fg.sync(PATTERNS, { ignore: ALWAYS_IGNORED, dot: true, onlyFiles: true, followSymbolicLinks:
 * false, suppressErrors: true })` does: every file (not a symbolic link) whose name PATTERNS match, at any depth, dot
 * folders included; never into node_modules, .git, .terraform, a `.deputycache` or a `cdk.out/asset.*` folder, nor
 * through a symbolic link; unreadable folders skipped. `onGitignore` gets each folder that holds a `.gitignore`
 * before the files are filtered (test/unit/discover.test.ts compares it with fast-glob).
 */
export function walkFolder(base: string, found: string[], onGitignore: (dir: string) => void): void {
  const visit = (dir: string, name: string, depth: number) => {
    let list: import("node:fs").Dirent[];
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const e of list) {
      const n = e.name;
      if (e.isDirectory()) {
        if (n === "node_modules" || n === ".git" || n === ".terraform" || n === ".deputycache" || (name === "cdk.out" && n.startsWith("asset."))) continue;
        if (depth < 1000) visit(prefix + n, n, depth + 1);
      } else if (e.isFile()) {
        if (n === ".gitignore") onGitignore(dir);
        else if (READ_FILE.test(n) && n !== ".deputycache") found.push(prefix + n);
      }
    }
  };
  // The base folder's own name is not matched (fast-glob matches paths relative to it).
  visit(base, "", 0);
}

/**
 * `skipped`, when given, receives the explicitly named paths that are not read, with why: a FIFO, socket or device
 * (reading one can block for ever), a dangling symlink or a symlink loop. They are skipped, not a usage error, so that
 * the other files named (a pre-commit run) are still linted.
 */
export function discover(inputs: string[], cwd: string, ignorePatterns: string[], skipped?: Array<{ path: string; reason: string }>): Discovered[] {
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
    const special = specialFile(abs, st);
    if (special) {
      skipped?.push({ path: input, reason: special });
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
    if (patterns === PATTERNS) {
      // A folder: walked here (the same files fast-glob finds with PATTERNS and ALWAYS_IGNORED; loading fast-glob
      // and matching every path against the patterns took about 60 ms of a 1,000-file run).
      walkFolder(base, found, (d) => git.add(d));
    } else {
      // Paths relative to `base`, made absolute here: fast-glob's `absolute` option, then `resolve`, normalised every
      // path twice (about 15 ms on 2,000 files, before any file is read).
      const prefix = base.endsWith(sep) ? base : base + sep;
      for (const rel of fg().sync([...patterns, "**/.gitignore"], { cwd: base, ignore: ALWAYS_IGNORED, dot: true, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true })) {
        const f = sep === "/" && !/(^|\/)\.\.?(\/|$)/.test(rel) ? prefix + rel : resolve(base, rel);
        if (rel === ".gitignore" || rel.endsWith("/.gitignore")) git.add(dirname(f));
        else found.push(f);
      }
    }
    for (const a of found) {
      if (git.ignored(a)) continue;
      add(a);
    }
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
