/**
 * Terraform HCL configurations (`*.tf`, with `terraform.tfvars` / `*.auto.tfvars`) into entities.
 *
 * A Terraform module is a folder, and a configuration is a root module with the local modules it calls, so a `.tf`
 * file is not evaluated alone: the first file of a configuration that the engine loads evaluates the whole
 * configuration once (`modelForFile`), and every `.tf` file of it then takes its own share of the entities (those whose
 * block is written in it). Which configuration a file belongs to: the highest folder above it (up to the repository
 * top) whose local `module` calls reach the file's folder, or else the file's own folder as a root module. Files are
 * read from disk only to evaluate; entities are reported only for the files the engine loads.
 *
 * The evaluator understands the subset policies use: literals, templates (`$${` is a literal `${`), heredocs (the
 * indented `<<-` form loses its lines' common indentation, as in Terraform; JSON in them is parsed with exact
 * offsets), lists, maps, `jsonencode`/`jsondecode` and a few pure functions, `file`/`templatefile` of files inside
 * the repository (bounded; located at the call), `path.module`/`path.root`, `var.*`
 * (module arguments, `terraform.tfvars`, `*.auto.tfvars` in the root module, `default`), `local.*`,
 * `data.aws_iam_policy_document.x.json`, resource attributes (ARNs of roles, policies, functions and aliases built from
 * their names), and `module.m.output` of local modules and of modules downloaded under `.terraform/modules`
 * (`modules.json`). Everything else (for_each and count values, conditionals, for expressions, other data sources,
 * remote modules, functions deputy does not evaluate) is *unknown*: a `${...}` placeholder, never a wildcard. A known
 * part of a partly unknown ARN still counts.
 *
 * Locations: a value that a reference brings in (a local, a variable's default or tfvars value, a module argument or
 * output, a resource's ARN) is located at the reference, where it is used. A policy attribute that is just a reference
 * to a document (`data.aws_iam_policy_document.x.json`, `local.policy`) reports on the document itself, in its file;
 * so do the statements that `source_policy_documents` / `override_policy_documents` take from a document of the same
 * file (a document merged into another is checked there, not twice). Logical locations are Terraform addresses
 * (`module.lambda.aws_iam_role.trusted`).
 */
import { pushAll } from "../engine/arrays.js";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { SourceFile, decode } from "../engine/source.js";
import type { FileModel, LambdaFunction, Origin, PolicyDocument, PolicyKind, RestrictingPurpose, Role } from "../model/entities.js";
import { emptyModel } from "../model/entities.js";
import type { ContainerNode, Node, ObjectNode, PathSegment, Scalar } from "../model/node.js";
import { harmlessManagedPolicy } from "../model/links.js";
import { buildDocument, hasPrincipal, looksLikeTrust } from "../model/policy.js";
import { hasUnknown, Resolver, type Str } from "../model/resolve.js";
import { TArray, TEntry, TObject, TScalar } from "../model/tree.js";
import { parseHcl, type HBlock, type HBody, type HExpr, type HPart } from "./hcl.js";
import { parseJson, type ParseProblem } from "./json.js";
import { terraformGenesysEntities } from "./terraform.js";
import { isTerraformJsonConfig, jsonConfigBody, templateExpr } from "./terraform-json.js";

// ---------------------------------------------------------------------------------------------------------------
// Values

/**
 * `s.replace(/\$\$\{|\$\{[^}]*\}/g, fn)` in linear time: the regular expression rescans the rest of the text from every
 * `${` that has no '}' after it (`${${${…`, quadratic).
 */
function replaceInterpolations(s: string, fn: (m: string) => string): string {
  let out = "";
  let last = 0;
  let closes = true;
  for (let i = s.indexOf("$"); i >= 0; ) {
    if (s.startsWith("$${", i)) {
      out += s.slice(last, i) + fn("$${");
      last = i + 3;
      i = s.indexOf("$", last);
      continue;
    }
    if (closes && s.startsWith("${", i)) {
      const close = s.indexOf("}", i + 2);
      if (close >= 0) {
        out += s.slice(last, i) + fn(s.slice(i, close + 1));
        last = close + 1;
        i = s.indexOf("$", last);
        continue;
      }
      closes = false;
    }
    i = s.indexOf("$", i + 1);
  }
  return out + s.slice(last);
}

interface TfFile {
  file: SourceFile;
  body?: HBody;
  problems: ParseProblem[];
}

interface VBase {
  s: number;
  e: number;
  f: TfFile;
}
interface VS extends VBase {
  t: "s";
  v: Scalar;
  /** The template it came from (a heredoc holding JSON is parsed with exact offsets). */
  tmpl?: HExpr & { k: "tmpl" };
  ctx?: Ctx;
}
interface VL extends VBase {
  t: "l";
  items: V[];
}
interface VEntry {
  k: string;
  ks: number;
  ke: number;
  v: V;
}
interface VO extends VBase {
  t: "o";
  entries: VEntry[];
  /** A policy document whose statements are not all known (dynamic blocks, unknown source documents). */
  incomplete?: string;
  /** Where a policy document was declared (`data.aws_iam_policy_document.x`). */
  address?: string;
}
interface VU extends VBase {
  t: "u";
  text: string;
}
type V = VS | VL | VO | VU;

/** The placeholder for an unknown expression: `${var.region}` (no braces inside, so it stays one unknown part). */
function placeholder(text: string): string {
  const t = text.replace(/\s+/g, "").replace(/[{}]/g, "").slice(0, 120);
  return "${" + (t || "unknown") + "}";
}

/** A cap on values built per configuration (copies of values referenced from other files): bounds hostile inputs. */
const MAX_VALUES = 500_000;

// ---------------------------------------------------------------------------------------------------------------
// Modules and configurations

interface ModuleDir {
  dir: string;
  files: TfFile[];
}

interface Declared {
  block: HBlock;
  file: TfFile;
}

interface Ctx {
  inst: ModuleInst;
  file: TfFile;
  /** Names bound by `for` expressions and `dynamic` blocks: unknown. */
  bound?: Set<string>;
  /** Keep Terraform's `$${` escape in literal text (data action fields, read as Terraform JSON is). */
  escape?: boolean;
  /** In a `templatefile` template: the variables it was given, the only names in scope. */
  tvars?: VO;
}

interface Config {
  root: string;
  /** `.terraform/modules/modules.json`: module key → folder. */
  downloaded: Map<string, string>;
  /** Per file (absolute path): its model. */
  models: Map<string, FileModel>;
  /** Module folders evaluated (as the root or as a called module). */
  dirs: Set<string>;
  budget: { n: number };
  /** What `ref`s resolve within (see `Origin.scope`). */
  scope: object;
  region?: string;
  account?: string;
}

class ModuleInst {
  readonly vars = new Map<string, Declared>();
  readonly locals = new Map<string, { expr: HExpr; file: TfFile }>();
  readonly resources = new Map<string, Declared>();
  readonly data = new Map<string, Declared>();
  /**
   * Every declaration, duplicates included (invalid in Terraform, but a folder of unrelated examples has them): a
   * reference prefers the declaration in its own file.
   */
  readonly all: { kind: "resource" | "data" | "local"; key: string; decl: Declared | { expr: HExpr; file: TfFile } }[] = [];
  readonly calls = new Map<string, Declared>();
  readonly outputs = new Map<string, { expr: HExpr; file: TfFile }>();
  readonly cache = new Map<string, V>();
  readonly pending = new Set<string>();
  readonly children = new Map<string, ModuleInst | null>();
  /** Policy documents merged into others (`source_policy_documents`): checked there. */
  readonly merged = new Set<string>();
  readonly resolver = new Resolver();
  tfvars = new Map<string, { expr: HExpr; file: TfFile }>();

  /** The declaration of `key` that `file` sees: its own when it has one (see `all`). */
  pick<T extends { file: TfFile }>(kind: "resource" | "data" | "local", key: string, first: T | undefined, file: TfFile): T | undefined {
    if (!first || first.file === file) return first;
    for (const a of this.all) if (a.kind === kind && a.key === key && a.decl.file === file) return a.decl as unknown as T;
    return first;
  }

  constructor(
    readonly config: Config,
    readonly mod: ModuleDir,
    /** Address prefix: "" or "module.a." or "module.a.module.b.". */
    readonly prefix: string,
    /** Module key in modules.json ("" for the root, "a", "a.b"). */
    readonly key: string,
    readonly inputs: Map<string, () => V>,
    readonly depth: number,
  ) {
    for (const f of mod.files) {
      for (const b of f.body?.blocks ?? []) {
        const [l0, l1] = b.labels;
        switch (b.type) {
          case "variable":
            if (l0 !== undefined) this.vars.set(l0, { block: b, file: f });
            break;
          case "locals":
            for (const a of b.body.attrs) {
              const l = { expr: a.expr, file: f };
              if (!this.locals.has(a.name)) this.locals.set(a.name, l);
              this.all.push({ kind: "local", key: a.name, decl: l });
            }
            break;
          case "resource":
            if (l0 !== undefined && l1 !== undefined) {
              const d = { block: b, file: f };
              if (!this.resources.has(`${l0}.${l1}`)) this.resources.set(`${l0}.${l1}`, d);
              this.all.push({ kind: "resource", key: `${l0}.${l1}`, decl: d });
            }
            break;
          case "data":
            if (l0 !== undefined && l1 !== undefined) {
              const d = { block: b, file: f };
              if (!this.data.has(`${l0}.${l1}`)) this.data.set(`${l0}.${l1}`, d);
              this.all.push({ kind: "data", key: `${l0}.${l1}`, decl: d });
            }
            break;
          case "module":
            if (l0 !== undefined) this.calls.set(l0, { block: b, file: f });
            break;
          case "output": {
            const v = b.body.attrs.find((a) => a.name === "value");
            if (l0 !== undefined && v) this.outputs.set(l0, { expr: v.expr, file: f });
            break;
          }
        }
      }
    }
  }
}

/** The identity of one configuration, for `Origin.scope`. */
class TerraformScope {}

const dirs = new Map<string, ModuleDir | null>();
const configs = new Map<string, Config>();

/** Forgets every parsed folder and evaluated configuration (a new run, or tests). */
export function resetTerraform(): void {
  dirs.clear();
  configs.clear();
  listings.clear();
  tfListings.clear();
  roots.clear();
}

function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** Folder -> its entries (read once per run: every file of a folder, and every folder above it, asks). */
const listings = new Map<string, string[]>();

function entries(dir: string): string[] {
  let hit = listings.get(dir);
  if (!hit) {
    try {
      hit = readdirSync(dir).sort();
    } catch {
      hit = [];
    }
    listings.set(dir, hit);
  }
  return hit;
}

/** Folder -> its Terraform files (every folder above a module asks, for each module below it). */
const tfListings = new Map<string, string[]>();

function listTf(dir: string): string[] {
  let hit = tfListings.get(dir);
  if (!hit) {
    hit = entries(dir)
      .filter((n) => n.endsWith(".tf") || n.endsWith(".tf.json"))
      .map((n) => join(dir, n));
    tfListings.set(dir, hit);
  }
  return hit;
}

const MAX_FILE = 20 * 1024 * 1024;

let overlay: ReadonlyMap<string, string> | undefined;

/**
 * Texts to read in place of `.tf` files on disk (absolute path -> text) while a configuration is evaluated: the
 * unsaved editor buffers of a language server's run (src/api.ts), so that an edit of one file of a module counts for
 * the others. Until the next call (undefined: none).
 */
export function useTerraformTexts(texts: ReadonlyMap<string, string> | undefined): void {
  overlay = texts && texts.size > 0 ? texts : undefined;
}

function readTf(abs: string, given?: SourceFile): TfFile | undefined {
  let file = given;
  const text = given ? undefined : overlay?.get(abs);
  if (text !== undefined) file = new SourceFile(displayPath(abs), abs, text);
  if (!file) {
    try {
      if (statSync(abs).size > MAX_FILE) return undefined;
      const d = decode(readFileSync(abs));
      if ("error" in d) return undefined;
      file = new SourceFile(displayPath(abs), abs, d.text, true);
    } catch {
      return undefined;
    }
  }
  if (file.text.length > MAX_FILE) return { file, problems: [] };
  if (abs.endsWith(".json")) {
    const j = parseJson(file.text);
    if (!j.root) return { file, problems: j.problems };
    return { file, body: isTerraformJsonConfig(j.root) ? jsonConfigBody(j.root) : undefined, problems: j.problems };
  }
  const r = parseHcl(file.text);
  return { file, body: r.body, problems: r.problems };
}

function moduleDir(dir: string, given?: SourceFile): ModuleDir | null {
  const hit = dirs.get(dir);
  if (hit !== undefined) return hit;
  const paths = [...listTf(dir)];
  if (given && !paths.includes(given.absPath)) paths.push(given.absPath);
  // Unsaved files of the folder (useTerraformTexts) count too.
  for (const p of overlay?.keys() ?? []) if (/\.tf$/i.test(p) && dirname(p) === dir && !paths.includes(p)) paths.push(p);
  const files: TfFile[] = [];
  for (const p of paths) {
    const f = readTf(p, given && p === given.absPath ? given : undefined);
    if (f) files.push(f);
  }
  const m = files.length > 0 ? { dir, files } : null;
  dirs.set(dir, m);
  return m;
}

/** The local folders a module folder calls (`source = "./..."`, `"../..."`). */
function localCalls(m: ModuleDir): string[] {
  const out: string[] = [];
  for (const f of m.files)
    for (const b of f.body?.blocks ?? []) {
      if (b.type !== "module") continue;
      const src = b.body.attrs.find((a) => a.name === "source");
      const s = src && literalString(src.expr);
      if (s !== undefined && /^\.\.?[\\/]/.test(s)) out.push(resolve(m.dir, s));
    }
  return out;
}

function literalString(x: HExpr): string | undefined {
  if (x.k === "lit" && typeof x.v === "string") return x.v;
  if (x.k === "tmpl" && x.parts.every((p) => "lit" in p)) return x.parts.map((p) => ("lit" in p ? p.lit : "")).join("");
  return undefined;
}

/** Whether `target` is `dir` or reached from it by local module calls. */
function reaches(dir: string, target: string, seen = new Set<string>(), depth = 0): boolean {
  if (dir === target) return true;
  if (seen.has(dir) || depth > 12) return false;
  seen.add(dir);
  const m = moduleDir(dir);
  if (!m) return false;
  return localCalls(m).some((c) => reaches(c, target, seen, depth + 1));
}

const roots = new Map<string, string>();

/** The root module folder of the configuration `dir` belongs to. */
function rootFor(dir: string): string {
  const hit = roots.get(dir);
  if (hit !== undefined) return hit;
  let root = dir;
  let d = dir;
  for (let i = 0; i < 8; i++) {
    const up = dirname(d);
    if (up === d) break;
    if (entries(d).includes(".git")) break;
    d = up;
    if (listTf(d).length > 0 && reaches(d, dir)) root = d;
  }
  roots.set(dir, root);
  return root;
}

function downloadedModules(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const f = join(root, ".terraform", "modules", "modules.json");
  try {
    if (!existsSync(f) || statSync(f).size > MAX_FILE) return out;
    const j = JSON.parse(readFileSync(f, "utf8")) as { Modules?: { Key?: unknown; Dir?: unknown }[] };
    for (const m of j.Modules ?? []) {
      if (typeof m.Key === "string" && m.Key !== "" && typeof m.Dir === "string") {
        const dir = resolve(root, m.Dir);
        // Only folders inside the configuration (modules.json is input too).
        if (dir.startsWith(root + sep)) out.set(m.Key, dir);
      }
    }
  } catch {
    /* unreadable: no downloaded modules */
  }
  return out;
}

/**
 * The model of one `.tf` file (`file` as the engine loaded it), with its parse problems. Evaluates the file's
 * configuration on first use.
 */
export function modelForFile(file: SourceFile): { model?: FileModel; problems: ParseProblem[] } {
  const abs = file.absPath;
  // On disk (not standard input): in its folder's listing, which the module is read from anyway (a stat per file
  // cost more).
  const onDisk = entries(dirname(abs)).includes(basename(abs));
  if (!onDisk) {
    // Standard input: a module of one file.
    const tf = readTf(abs, file);
    if (!tf || !tf.body) return { problems: tf?.problems ?? [] };
    const config = newConfig(abs);
    evaluate(config, { dir: dirname(abs), files: [tf] });
    return finish(config, file, tf.problems);
  }
  const dir = dirname(abs);
  const own = moduleDir(dir, file);
  const tf = own?.files.find((f) => f.file.absPath === abs);
  if (!tf) return { problems: [] };
  if (!tf.body) return { problems: tf.problems };
  const root = rootFor(dir);
  let config = configs.get(root);
  if (!config) {
    config = newConfig(root);
    configs.set(root, config);
    const rootMod = moduleDir(root);
    if (rootMod) evaluate(config, rootMod);
  }
  if (!config.dirs.has(dir) && own) {
    // Not reached from the root (a module called only under a condition deputy could not follow): its own root module.
    config.dirs.add(dir);
    const c2 = newConfig(dir);
    evaluate(c2, own);
    for (const [k, m] of c2.models) if (!config.models.has(k)) config.models.set(k, m);
  }
  return finish(config, file, tf.problems);
}

function newConfig(root: string): Config {
  return { root, downloaded: downloadedModules(root), models: new Map(), dirs: new Set(), budget: { n: 0 }, scope: new TerraformScope() };
}

/** Takes a file's model out of its configuration, with its origins pointing at the engine's `SourceFile`. */
function finish(config: Config, file: SourceFile, problems: ParseProblem[]): { model?: FileModel; problems: ParseProblem[] } {
  const m = config.models.get(file.absPath);
  if (!m) return { problems };
  config.models.delete(file.absPath);
  const old = m.file;
  m.file = file;
  const fix = (o: Origin) => {
    if (o.file === old) o.file = file;
  };
  for (const x of [...m.documents, ...m.roles, ...m.functions, ...m.functionUrls, ...m.permissions, ...m.dataActions, ...m.roleReferences]) fix(x.origin);
  const empty = !m.documents.length && !m.roles.length && !m.functions.length && !m.functionUrls.length && !m.permissions.length && !m.dataActions.length && !m.roleReferences.length;
  return { model: empty ? undefined : m, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

function evaluate(config: Config, rootMod: ModuleDir): void {
  config.dirs.add(rootMod.dir);
  const root = new ModuleInst(config, rootMod, "", "", new Map(), 0);
  // tfvars of the root module: terraform.tfvars, then *.auto.tfvars in lexical order (later wins).
  const names = entries(rootMod.dir)
    .filter((n) => n === "terraform.tfvars" || n.endsWith(".auto.tfvars"))
    .sort((a, b) => (a === "terraform.tfvars" ? -1 : b === "terraform.tfvars" ? 1 : a < b ? -1 : 1));
  for (const n of names) {
    const tf = readTf(join(rootMod.dir, n));
    for (const a of tf?.body?.attrs ?? []) root.tfvars.set(a.name, { expr: a.expr, file: tf! });
  }
  // The provider's region and allowed account, when literal.
  for (const f of rootMod.files)
    for (const b of f.body?.blocks ?? []) {
      if (b.type !== "provider" || b.labels[0] !== "aws" || b.body.attrs.some((a) => a.name === "alias")) continue;
      const ctx: Ctx = { inst: root, file: f };
      const region = attrValue(ctx, b.body, "region");
      if (region?.t === "s" && typeof region.v === "string" && !hasUnknown(region.v)) config.region = region.v;
      const ids = attrValue(ctx, b.body, "allowed_account_ids");
      if (ids?.t === "l" && ids.items.length === 1 && ids.items[0]!.t === "s" && /^\d{12}$/.test(String(ids.items[0]!.v))) config.account = String(ids.items[0]!.v);
    }
  extractModule(root);
}

function budget(ctx: Ctx): boolean {
  return ++ctx.inst.config.budget.n <= MAX_VALUES;
}

function srcOf(x: { s: number; e: number; src?: string }, ctx: Ctx): string {
  return x.src ?? ctx.file.file.text.slice(x.s, x.e);
}

function unknownOf(x: { s: number; e: number }, ctx: Ctx, text?: string): VU {
  return { t: "u", text: placeholder(text ?? srcOf(x, ctx)), s: x.s, e: x.e, f: ctx.file };
}

/** A copy of a value located at `at` in `ctx.file` (a value brought in by a reference). */
function rehome(v: V, at: { s: number; e: number }, ctx: Ctx): V {
  if (v.f === ctx.file && v.s === at.s && v.e === at.e) return v;
  const copy = (x: V, depth: number): V => {
    if (!budget(ctx) || depth > 64) return { t: "u", text: "${value}", s: at.s, e: at.e, f: ctx.file };
    switch (x.t) {
      case "s":
        return { t: "s", v: x.v, s: at.s, e: at.e, f: ctx.file };
      case "u":
        return { t: "u", text: x.text, s: at.s, e: at.e, f: ctx.file };
      case "l":
        return { t: "l", items: x.items.map((i) => copy(i, depth + 1)), s: at.s, e: at.e, f: ctx.file };
      case "o":
        return { t: "o", entries: x.entries.map((en) => ({ k: en.k, ks: at.s, ke: at.e, v: copy(en.v, depth + 1) })), s: at.s, e: at.e, f: ctx.file, incomplete: x.incomplete };
    }
  };
  return copy(v, 0);
}

function attrValue(ctx: Ctx, body: HBody, name: string): V | undefined {
  const a = body.attrs.find((x) => x.name === name);
  return a ? evalExpr(a.expr, ctx) : undefined;
}

function str(v: V | undefined): string | undefined {
  if (!v) return undefined;
  if (v.t === "s") return v.v === null ? undefined : String(v.v);
  if (v.t === "u") return v.text;
  return undefined;
}

function evalExpr(x: HExpr, ctx: Ctx): V {
  if (!budget(ctx)) return unknownOf(x, ctx);
  switch (x.k) {
    case "lit":
      return { t: "s", v: x.v, s: x.s, e: x.e, f: ctx.file };
    case "tmpl": {
      const only = x.parts.length === 1 ? x.parts[0]! : undefined;
      if (only && "expr" in only && !x.heredoc) {
        const v = evalExpr(only.expr, ctx);
        // `"${x}"` is x itself; located at the whole string.
        return v.f === ctx.file && v.t !== "s" ? v : v.t === "s" ? { ...v, s: x.s, e: x.e } : v;
      }
      let out = "";
      for (const p of x.parts) {
        if ("lit" in p) out += ctx.escape ? p.lit : p.lit.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
        else if ("expr" in p) {
          const v = evalExpr(p.expr, ctx);
          // `${jsonencode(x)}` is x's JSON text (a policy template's `"Resource": ${jsonencode(arns)}`).
          if (isJsonencode(p.expr) && v.t !== "u") out += jsonText(v);
          else out += v.t === "s" && v.v !== null ? String(v.v) : v.t === "u" ? v.text : placeholder(srcOf(p.expr, ctx));
        } else out += "${directive}";
      }
      return { t: "s", v: out, s: x.s, e: x.e, f: ctx.file, tmpl: x, ctx };
    }
    case "tuple":
      return { t: "l", items: x.items.map((i) => evalExpr(i, ctx)), s: x.s, e: x.e, f: ctx.file };
    case "object": {
      const entries: VEntry[] = [];
      for (const en of x.entries) {
        const k = objectKey(en.key, ctx);
        if (k === undefined) continue;
        entries.push({ k, ks: en.key.s, ke: en.key.e, v: evalExpr(en.value, ctx) });
      }
      return { t: "o", entries, s: x.s, e: x.e, f: ctx.file };
    }
    case "ref":
      return evalRef(x, ctx);
    case "call":
      return evalCall(x, ctx);
    default:
      return unknownOf(x, ctx);
  }
}

function objectKey(k: HExpr, ctx: Ctx): string | undefined {
  if (k.k === "ref" && k.steps.length === 0) return k.root;
  const s = literalString(k);
  if (s !== undefined) return s.replace(/\$\$\{/g, "${");
  const v = evalExpr(k, ctx);
  return v.t === "s" && typeof v.v === "string" && !hasUnknown(v.v) ? v.v : undefined;
}

function step(v: V, st: { attr: string } | { index: HExpr } | { splat: true }, ctx: Ctx): V | undefined {
  if ("splat" in st) return undefined;
  if (v.t === "u") return undefined;
  let key: string | number | undefined;
  if ("attr" in st) key = st.attr;
  else {
    const iv = evalExpr(st.index, ctx);
    if (iv.t === "s" && (typeof iv.v === "number" || typeof iv.v === "string") && !(typeof iv.v === "string" && hasUnknown(iv.v))) key = iv.v;
  }
  if (key === undefined) return undefined;
  if (v.t === "o") {
    for (let i = v.entries.length - 1; i >= 0; i--) if (v.entries[i]!.k === String(key)) return v.entries[i]!.v;
    return undefined;
  }
  if (v.t === "l" && typeof key === "number") return v.items[key];
  return undefined;
}

function applySteps(v: V, steps: readonly ({ attr: string } | { index: HExpr } | { splat: true })[], x: HExpr, ctx: Ctx): V {
  let cur = v;
  for (const st of steps) {
    const next = step(cur, st, ctx);
    if (!next) return unknownOf(x, ctx);
    cur = next;
  }
  return cur;
}

/** Evaluates a memoised named value once per module instance (a cycle is unknown). */
function memo(ctx: Ctx, key: string, at: HExpr, build: () => V): V {
  const inst = ctx.inst;
  const hit = inst.cache.get(key);
  if (hit) return hit;
  if (inst.pending.has(key)) return unknownOf(at, ctx);
  inst.pending.add(key);
  try {
    const v = build();
    inst.cache.set(key, v);
    return v;
  } finally {
    inst.pending.delete(key);
  }
}

/**
 * A reference's value, located at the reference (the use is what a finding points at: the principal, the resource),
 * except a policy document of the same file (`source_policy_documents = [data.aws_iam_policy_document.x.json]`), whose
 * statements keep their own lines.
 */
function evalRef(x: HExpr & { k: "ref" }, ctx: Ctx): V {
  const v = refValue(x, ctx);
  if (v.f === ctx.file && (v.t === "o" && v.address !== undefined)) return v;
  return rehome(v, x, ctx);
}

/** A reference's value, located where it was written (not yet rehomed). */
function refValue(x: HExpr & { k: "ref" }, ctx: Ctx): V {
  const inst = ctx.inst;
  const [s0, s1] = x.steps;
  const a0 = s0 && "attr" in s0 ? s0.attr : undefined;
  const a1 = s1 && "attr" in s1 ? s1.attr : undefined;
  if (ctx.bound?.has(x.root)) return unknownOf(x, ctx);
  if (ctx.tvars) {
    const hit = ctx.tvars.entries.find((en) => en.k === x.root);
    return hit ? applySteps(hit.v, x.steps, x, ctx) : unknownOf(x, ctx);
  }
  switch (x.root) {
    case "var": {
      if (a0 === undefined) return unknownOf(x, ctx);
      const v = memo(ctx, `var.${a0}`, x, () => variableValue(inst, a0) ?? unknownOf(x, ctx, `var.${a0}`));
      return applySteps(v, x.steps.slice(1), x, ctx);
    }
    case "local": {
      const l = a0 !== undefined ? inst.pick("local", a0, inst.locals.get(a0), ctx.file) : undefined;
      if (!l) return unknownOf(x, ctx);
      const v = memo(ctx, `local.${a0}${l === inst.locals.get(a0!) ? "" : "@" + l.file.file.absPath}`, x, () => evalExpr(l.expr, { inst, file: l.file }));
      return applySteps(v, x.steps.slice(1), x, ctx);
    }
    case "data": {
      const a2 = x.steps[2] && "attr" in x.steps[2] ? x.steps[2].attr : undefined;
      if (a0 === "aws_iam_policy_document" && a1 !== undefined && (a2 === "json" || a2 === "minified_json")) {
        const d = inst.pick("data", `${a0}.${a1}`, inst.data.get(`${a0}.${a1}`), ctx.file);
        if (!d) return unknownOf(x, ctx);
        return memo(ctx, dataKey(inst, `${a0}.${a1}`, d), x, () => policyDocumentValue(inst, d));
      }
      return unknownOf(x, ctx);
    }
    case "module": {
      if (a0 === undefined) return unknownOf(x, ctx);
      const child = childInstance(inst, a0);
      let rest = x.steps.slice(1);
      if (rest[0] && "index" in rest[0]) rest = rest.slice(1);
      const out = rest[0] && "attr" in rest[0] ? rest[0].attr : undefined;
      const o = child && out !== undefined ? child.outputs.get(out) : undefined;
      if (!child || !o) return unknownOf(x, ctx);
      const cctx: Ctx = { inst: child, file: o.file };
      const v = memo(cctx, `output.${out}`, o.expr, () => evalExpr(o.expr, cctx));
      return applySteps(v, rest.slice(1), x, ctx);
    }
    case "path": {
      // Terraform's paths are relative to the root module's folder (the working directory of a run).
      const dir = a0 === "module" ? inst.mod.dir : a0 === "root" || a0 === "cwd" ? inst.config.root : undefined;
      if (dir === undefined) return unknownOf(x, ctx);
      const rel = relative(inst.config.root, dir);
      return { t: "s", v: rel === "" ? "." : rel.split(sep).join("/"), s: x.s, e: x.e, f: ctx.file };
    }
    case "each":
    case "count":
    case "self":
    case "terraform":
      return unknownOf(x, ctx);
    default: {
      if (a0 === undefined) return unknownOf(x, ctx);
      const addr = `${x.root}.${a0}`;
      const r = inst.pick("resource", addr, inst.resources.get(addr), ctx.file);
      if (!r) return unknownOf(x, ctx);
      let rest = x.steps.slice(1);
      if (rest[0] && "index" in rest[0]) rest = rest.slice(1);
      const attr = rest[0] && "attr" in rest[0] ? rest[0].attr : undefined;
      if (attr === undefined) return unknownOf(x, ctx);
      const v = resourceAttribute(inst, r, addr, attr);
      return v ? applySteps(v, rest.slice(1), x, ctx) : unknownOf(x, ctx);
    }
  }
}

/** The memo key of a data source (a duplicate declaration has its own). */
function dataKey(inst: ModuleInst, addr: string, d: Declared): string {
  return `data.${addr}${inst.data.get(addr) === d ? "" : "@" + d.file.file.absPath}`;
}

function variableValue(inst: ModuleInst, name: string): V | undefined {
  const input = inst.inputs.get(name);
  if (input) return input();
  const tv = inst.prefix === "" ? inst.tfvars.get(name) : undefined;
  if (tv) return evalExpr(tv.expr, { inst, file: tv.file });
  const decl = inst.vars.get(name);
  const def = decl?.block.body.attrs.find((a) => a.name === "default");
  if (decl && def) {
    const v = evalExpr(def.expr, { inst, file: decl.file });
    if (v.t === "s" && v.v === null) return undefined;
    return v;
  }
  return undefined;
}

function childInstance(inst: ModuleInst, name: string): ModuleInst | null {
  const hit = inst.children.get(name);
  if (hit !== undefined) return hit;
  inst.children.set(name, null);
  const call = inst.calls.get(name);
  if (!call || inst.depth > 12) return null;
  const src = call.block.body.attrs.find((a) => a.name === "source");
  const s = src && literalString(src.expr);
  const key = inst.key === "" ? name : `${inst.key}.${name}`;
  let dir: string | undefined;
  if (s !== undefined && /^\.\.?[\\/]/.test(s)) dir = resolve(inst.mod.dir, s);
  else dir = inst.config.downloaded.get(key);
  const mod = dir ? moduleDir(dir) : null;
  if (!mod) return null;
  const inputs = new Map<string, () => V>();
  const cctx: Ctx = { inst, file: call.file };
  for (const a of call.block.body.attrs) {
    if (["source", "version", "providers", "count", "for_each", "depends_on"].includes(a.name)) continue;
    inputs.set(a.name, () => evalExpr(a.expr, cctx));
  }
  inst.config.dirs.add(mod.dir);
  const child = new ModuleInst(inst.config, mod, `${inst.prefix}module.${name}.`, key, inputs, inst.depth + 1);
  inst.children.set(name, child);
  return child;
}

/** The partition of the provider's region, when the region is known. */
function partition(inst: ModuleInst): string {
  const r = inst.config.region;
  if (r === undefined) return "${aws_partition}";
  return r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : r.startsWith("us-iso") ? "aws-iso" : "aws";
}
function region(inst: ModuleInst): string {
  return inst.config.region ?? "${aws_region}";
}
function account(inst: ModuleInst): string {
  return inst.config.account ?? "${aws_account_id}";
}

/** Attributes of resources in the same module instance that deputy can know: arguments as written, ARNs from names. */
function resourceAttribute(inst: ModuleInst, r: Declared, addr: string, attr: string): V | undefined {
  const type = addr.slice(0, addr.indexOf("."));
  const ctx: Ctx = { inst, file: r.file };
  const at = { s: r.block.s, e: r.block.e, f: r.file };
  const mk = (v: string): VS => ({ t: "s", v, ...at });
  const arg = (n: string) => {
    const a = r.block.body.attrs.find((x) => x.name === n);
    return a ? memo(ctx, `${addr}#${n}@${r.file.file.absPath}`, a.expr, () => evalExpr(a.expr, ctx)) : undefined;
  };
  const known = (v: V | undefined) => (v && v.t === "s" && v.v !== null ? String(v.v) : undefined);
  switch (type) {
    case "aws_iam_role":
    case "aws_iam_policy": {
      const name = known(arg("name"));
      const path = known(arg("path")) ?? "/";
      if (attr === "name" || (attr === "id" && type === "aws_iam_role")) return name !== undefined ? mk(name) : undefined;
      if (attr === "arn" || (attr === "id" && type === "aws_iam_policy")) {
        if (name === undefined) return undefined;
        return mk(`arn:${partition(inst)}:iam::${account(inst)}:${type === "aws_iam_role" ? "role" : "policy"}${path}${name}`);
      }
      if (attr === "path") return mk(path);
      break;
    }
    case "aws_lambda_function": {
      const name = known(arg("function_name"));
      if (attr === "function_name" || attr === "id") return name !== undefined ? mk(name) : undefined;
      if (attr === "arn") return name !== undefined ? mk(functionArn(inst, name)) : undefined;
      break;
    }
    case "aws_lambda_alias": {
      const name = known(arg("name"));
      const fn = known(arg("function_name"));
      if (attr === "name") return name !== undefined ? mk(name) : undefined;
      if (attr === "arn" && name !== undefined && fn !== undefined) return mk(`${fn.startsWith("arn:") ? fn : functionArn(inst, fn)}:${name}`);
      break;
    }
  }
  // Other attributes: an argument written in the block (`aws_iam_role.r.name` when `name` is set).
  const written = arg(attr);
  return written;
}

function functionArn(inst: ModuleInst, name: string): string {
  return `arn:${partition(inst)}:lambda:${region(inst)}:${account(inst)}:function:${name}`;
}

/** Largest file `file()` / `templatefile()` read (a policy is at most 10,240 characters; the string limit is 1 MiB). */
const MAX_LOCAL_FILE = 1024 * 1024;

/** The repository top above a configuration root (the folder holding `.git`), or the root itself. */
function repositoryTop(root: string): string {
  let d = root;
  for (let i = 0; i < 16; i++) {
    if (entries(d).includes(".git")) return d;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return root;
}

/**
 * The text of a file named by `file()` / `templatefile()`: only a regular file inside the repository the configuration
 * is in (symbolic links resolved first, so none leads out), of at most 1 MiB, in UTF-8; otherwise undefined (unknown).
 */
function localFile(config: Config, path: string): string | undefined {
  try {
    const top = realpathSync(repositoryTop(config.root));
    const abs = realpathSync(resolve(config.root, path));
    if (!abs.startsWith(top + sep)) return undefined;
    const st = statSync(abs);
    if (!st.isFile() || st.size > MAX_LOCAL_FILE) return undefined;
    const d = decode(readFileSync(abs));
    return "error" in d ? undefined : d.text;
  } catch {
    return undefined;
  }
}

const JSON_FUNCS = new Set(["jsonencode", "tolist", "toset", "tomap", "sensitive", "nonsensitive"]);

function evalCall(x: HExpr & { k: "call" }, ctx: Ctx): V {
  const args = () => x.args.map((a) => evalExpr(a, ctx));
  const at = { s: x.s, e: x.e, f: ctx.file };
  if (JSON_FUNCS.has(x.name) && x.args.length === 1) return evalExpr(x.args[0]!, ctx);
  switch (x.name) {
    case "file":
    case "templatefile": {
      // A file of the scanned repository, read as Terraform reads it (the path relative to the root module's folder);
      // its text is located at the call. A `templatefile` template sees only the variables it is given.
      const [pathV, varsV] = args();
      const text = pathV?.t === "s" && typeof pathV.v === "string" && !hasUnknown(pathV.v) ? localFile(ctx.inst.config, pathV.v) : undefined;
      if (text === undefined) return unknownOf(x, ctx);
      if (x.name === "file") return { t: "s", v: text, ...at };
      if (varsV && varsV.t !== "o") return unknownOf(x, ctx);
      const t = templateExpr(text, x.s, x.e);
      if (!t) return unknownOf(x, ctx);
      const v = evalExpr(t, { inst: ctx.inst, file: ctx.file, tvars: varsV ?? { t: "o", entries: [], ...at } });
      // The value only (no template of this file to read JSON from in place).
      return v.t === "s" ? { t: "s", v: v.v, ...at } : v;
    }
    case "jsondecode": {
      const [a] = args();
      if (a?.t === "s") {
        const doc = jsonDocument(a, ctx);
        if (doc) return doc;
      }
      return unknownOf(x, ctx);
    }
    case "concat": {
      const vs = args();
      if (vs.every((v) => v.t === "l")) return { t: "l", items: vs.flatMap((v) => (v as VL).items), ...at };
      return unknownOf(x, ctx);
    }
    case "flatten": {
      const [a] = args();
      if (a?.t !== "l") return unknownOf(x, ctx);
      const out: V[] = [];
      const go = (l: VL, d: number): boolean => l.items.every((i) => (i.t === "l" ? d < 16 && go(i, d + 1) : i.t === "u" ? false : (out.push(i), true)));
      return go(a, 0) ? { t: "l", items: out, ...at } : unknownOf(x, ctx);
    }
    case "merge": {
      const vs = args();
      if (!vs.every((v) => v.t === "o")) return unknownOf(x, ctx);
      const entries: VEntry[] = [];
      for (const v of vs as VO[]) for (const en of v.entries) {
        const i = entries.findIndex((y) => y.k === en.k);
        if (i >= 0) entries.splice(i, 1);
        entries.push(en);
      }
      return { t: "o", entries, ...at };
    }
    case "join": {
      const [sepV, list] = args();
      if (sepV?.t !== "s" || list?.t !== "l") return unknownOf(x, ctx);
      const parts = list.items.map(str);
      if (parts.some((p) => p === undefined)) return unknownOf(x, ctx);
      return { t: "s", v: parts.join(String(sepV.v ?? "")), ...at };
    }
    case "format": {
      const [fmt, ...rest] = args();
      if (fmt?.t !== "s" || typeof fmt.v !== "string") return unknownOf(x, ctx);
      let i = 0;
      let ok = true;
      const out = fmt.v.replace(/%%|%[sdv]/g, (m) => {
        if (m === "%%") return "%";
        const v = str(rest[i++]);
        if (v === undefined) ok = false;
        return v ?? "";
      });
      return ok ? { t: "s", v: out, ...at } : unknownOf(x, ctx);
    }
    case "lower":
    case "upper":
    case "trimspace":
    case "tostring": {
      const [a] = args();
      if (a?.t !== "s" || a.v === null) return unknownOf(x, ctx);
      const s = String(a.v);
      if (hasUnknown(s) && x.name !== "tostring") return unknownOf(x, ctx);
      return { t: "s", v: x.name === "lower" ? s.toLowerCase() : x.name === "upper" ? s.toUpperCase() : x.name === "trimspace" ? s.trim() : s, ...at };
    }
    case "coalesce": {
      for (const v of args()) {
        if (v.t === "u") return unknownOf(x, ctx);
        if (v.t === "s" && v.v !== null && v.v !== "") return { ...v, ...at };
      }
      return unknownOf(x, ctx);
    }
    case "lookup": {
      const [m, k, d] = args();
      if (m?.t === "o" && k?.t === "s") {
        const hit = m.entries.find((en) => en.k === String(k.v));
        if (hit) return hit.v;
        if (d) return d;
      }
      return unknownOf(x, ctx);
    }
    case "element": {
      const [l, i] = args();
      if (l?.t === "l" && l.items.length > 0 && i?.t === "s" && typeof i.v === "number") return l.items[i.v % l.items.length]!;
      return unknownOf(x, ctx);
    }
    default:
      return unknownOf(x, ctx);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Policy documents

function vs(v: Scalar, at: { s: number; e: number }, f: TfFile): VS {
  return { t: "s", v, s: at.s, e: at.e, f };
}

/** `data "aws_iam_policy_document"` as an IAM JSON document value. */
function policyDocumentValue(inst: ModuleInst, d: Declared): VO {
  const ctx: Ctx = { inst, file: d.file };
  const body = d.block.body;
  const kw = { s: d.block.ts, e: d.block.te };
  const doc: VO = { t: "o", entries: [], s: d.block.s, e: d.block.e, f: d.file, address: `data.aws_iam_policy_document.${d.block.labels[1] ?? ""}` };
  const version = body.attrs.find((a) => a.name === "version");
  doc.entries.push(version ? { k: "Version", ks: version.ks, ke: version.ke, v: evalExpr(version.expr, ctx) } : { k: "Version", ks: kw.s, ke: kw.e, v: vs("2012-10-17", kw, d.file) });
  if (body.attrs.some((a) => a.name === "policy_id")) {
    const a = body.attrs.find((x) => x.name === "policy_id")!;
    doc.entries.push({ k: "Id", ks: a.ks, ke: a.ke, v: evalExpr(a.expr, ctx) });
  }
  let statements: V[] = [];
  const stAt = body.blocks.find((b) => b.type === "statement" || b.type === "dynamic") ?? d.block;
  const fromDocs = (attr: string): V[] | undefined => {
    const a = body.attrs.find((x) => x.name === attr);
    if (!a) return [];
    if (a.expr.k === "tuple")
      for (const it of a.expr.items) {
        const s1 = it.k === "ref" && it.root === "data" ? it.steps[0] : undefined;
        const s2 = it.k === "ref" ? it.steps[1] : undefined;
        if (s1 && "attr" in s1 && s1.attr === "aws_iam_policy_document" && s2 && "attr" in s2) inst.merged.add(`aws_iam_policy_document.${s2.attr}`);
      }
    const list = evalExpr(a.expr, ctx);
    if (list.t !== "l") {
      doc.incomplete = `its ${attr} are not known`;
      return undefined;
    }
    const out: V[] = [];
    for (const item of list.items) {
      const src = item.t === "o" ? item : item.t === "s" ? jsonDocument(item, ctx) : undefined;
      const st = src && src.t === "o" ? src.entries.find((en) => en.k === "Statement")?.v : undefined;
      if (src && src.t === "o" && src.incomplete) doc.incomplete = src.incomplete;
      if (st?.t === "l") pushAll(out, st.items);
      else if (st?.t === "o") out.push(st);
      else doc.incomplete = `one of its ${attr} is not known`;
    }
    return out;
  };
  pushAll(statements, fromDocs("source_policy_documents") ?? []);
  for (const b of body.blocks) {
    if (b.type === "statement") {
      const st = statementValue(ctx, b);
      if (st) {
        const sid = sidOf(st);
        // A statement with the Sid of a source document's statement replaces it.
        const i = sid !== undefined ? statements.findIndex((x) => sidOf(x) === sid) : -1;
        if (i >= 0) statements[i] = st;
        else statements.push(st);
      } else doc.incomplete = "one of its statements is not known (a dynamic block inside it)";
    } else if (b.type === "dynamic" && b.labels[0] === "statement") {
      doc.incomplete = "its statements are built by a dynamic block";
    }
  }
  const overrides = fromDocs("override_policy_documents");
  for (const o of overrides ?? []) {
    const sid = sidOf(o);
    const i = sid !== undefined ? statements.findIndex((x) => sidOf(x) === sid) : -1;
    if (i >= 0) statements[i] = o;
    else statements.push(o);
  }
  statements = statements.filter(Boolean);
  doc.entries.push({ k: "Statement", ks: stAt.ts, ke: stAt.te, v: { t: "l", items: statements, s: stAt.s, e: stAt.e, f: d.file } });
  return doc;
}

function sidOf(v: V): string | undefined {
  if (v.t !== "o") return undefined;
  const s = v.entries.find((e) => e.k === "Sid")?.v;
  return s && s.t === "s" && typeof s.v === "string" && s.v !== "" ? s.v : undefined;
}

const STATEMENT_KEYS: Record<string, string> = {
  sid: "Sid",
  effect: "Effect",
  actions: "Action",
  not_actions: "NotAction",
  resources: "Resource",
  not_resources: "NotResource",
};

/** One `statement` block as an IAM statement value; undefined when a dynamic block makes part of it unknown. */
function statementValue(ctx: Ctx, b: HBlock): VO | undefined {
  if (b.body.blocks.some((x) => x.type === "dynamic")) return undefined;
  const st: VO = { t: "o", entries: [], s: b.s, e: b.e, f: ctx.file };
  for (const a of b.body.attrs) {
    const k = STATEMENT_KEYS[a.name];
    if (k) st.entries.push({ k, ks: a.ks, ke: a.ke, v: evalExpr(a.expr, ctx) });
  }
  // Terraform's default effect is Allow.
  if (!st.entries.some((e) => e.k === "Effect")) st.entries.push({ k: "Effect", ks: b.ts, ke: b.te, v: vs("Allow", { s: b.ts, e: b.te }, ctx.file) });
  for (const [blockType, key] of [
    ["principals", "Principal"],
    ["not_principals", "NotPrincipal"],
  ] as const) {
    const blocks = b.body.blocks.filter((x) => x.type === blockType);
    if (blocks.length === 0) continue;
    const p: VO = { t: "o", entries: [], s: blocks[0]!.s, e: blocks[blocks.length - 1]!.e, f: ctx.file };
    let star: V | undefined;
    for (const pb of blocks) {
      const type = str(attrValue(ctx, pb.body, "type"));
      const idsAttr = pb.body.attrs.find((a) => a.name === "identifiers");
      const ids = idsAttr ? evalExpr(idsAttr.expr, ctx) : undefined;
      if (type === undefined || hasUnknown(type) || !ids) return undefined;
      if (type === "*") {
        star = ids.t === "l" && ids.items.length === 1 ? ids.items[0] : ids;
        continue;
      }
      const typeAttr = pb.body.attrs.find((a) => a.name === "type")!;
      const existing = p.entries.find((e) => e.k === type);
      if (existing && existing.v.t === "l" && ids.t === "l") existing.v = { ...existing.v, items: [...existing.v.items, ...ids.items] };
      else p.entries.push({ k: type, ks: typeAttr.s, ke: typeAttr.e, v: ids });
    }
    const value = star && p.entries.length === 0 ? star : p;
    st.entries.push({ k: key, ks: blocks[0]!.ts, ke: blocks[0]!.te, v: value });
  }
  const conds = b.body.blocks.filter((x) => x.type === "condition");
  if (conds.length > 0) {
    const c: VO = { t: "o", entries: [], s: conds[0]!.s, e: conds[conds.length - 1]!.e, f: ctx.file };
    for (const cb of conds) {
      const test = str(attrValue(ctx, cb.body, "test"));
      const variable = str(attrValue(ctx, cb.body, "variable"));
      const valuesAttr = cb.body.attrs.find((a) => a.name === "values");
      if (test === undefined || variable === undefined || hasUnknown(test) || hasUnknown(variable) || !valuesAttr) return undefined;
      const testAttr = cb.body.attrs.find((a) => a.name === "test")!;
      const varAttr = cb.body.attrs.find((a) => a.name === "variable")!;
      let op = c.entries.find((e) => e.k === test);
      if (!op) {
        op = { k: test, ks: testAttr.s, ke: testAttr.e, v: { t: "o", entries: [], s: cb.s, e: cb.e, f: ctx.file } };
        c.entries.push(op);
      }
      (op.v as VO).entries.push({ k: variable, ks: varAttr.s, ke: varAttr.e, v: evalExpr(valuesAttr.expr, ctx) });
    }
    st.entries.push({ k: "Condition", ks: conds[0]!.ts, ke: conds[0]!.te, v: c });
  }
  return st;
}

/** A JSON string value as a document value: a heredoc is parsed in place (exact offsets), other strings at the string. */
function jsonDocument(v: VS, ctx: Ctx): V | undefined {
  if (typeof v.v !== "string") return undefined;
  const text = v.v.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return undefined;
  const t = v.tmpl;
  const f = v.f;
  const tctx = v.ctx ?? ctx;
  if (t && t.heredoc && t.cs !== undefined && t.ce !== undefined) {
    const interps = t.parts.filter((p) => !("lit" in p));
    // Interpolations standing where JSON values do (`"Resource": ${jsonencode(var.arns)}`) become same-length JSON
    // strings, so the offsets stay exact; their values are put back as the document is built.
    const bare = bareInterpolations(f.file.text, t.cs, t.ce, interps);
    if (!bare) return undefined;
    const raw = bare.text;
    const map = new Int32Array(raw.length + 1);
    for (let i = 0; i <= raw.length; i++) map[i] = t.cs + i;
    const parsed = parseJson(raw, { offsetMap: map, maxDepth: 64 });
    if (parsed.root && !parsed.problems.some((p) => p.kind === "syntax")) {
      const valueAt = (n: Node): V | undefined => {
        const p = bare.at.get(n.range.start);
        return p && p.e === n.range.end ? bareValue(p, n, f, tctx) : undefined;
      };
      return fromNode(parsed.root, f, valueAt, (n, s) => {
        const inside = interps.filter((p) => p.s >= n.range.start && p.e <= n.range.end);
        let i = 0;
        return replaceInterpolations(s, (m) => {
          if (m === "$${") return "${";
          const p = inside[i++];
          if (!p || !("expr" in p)) return placeholder(m.slice(2, -1));
          const pv = evalExpr(p.expr, tctx);
          return pv.t === "s" && pv.v !== null ? String(pv.v) : pv.t === "u" ? pv.text : placeholder(m.slice(2, -1));
        });
      });
    }
    return undefined;
  }
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    // A template's text with unknown values standing where JSON values do (`"Resource": ${var.arns}`).
    const quoted = quoteBarePlaceholders(text);
    if (quoted === undefined) return undefined;
    try {
      js = JSON.parse(quoted);
    } catch {
      return undefined;
    }
  }
  return fromJs(js, v, 0);
}

type ExprPart = Extract<HPart, { expr: HExpr }>;

/** `jsonencode(x)`: evaluated as x (JSON_FUNCS); in a template, Terraform writes x's JSON text. */
function isJsonencode(x: HExpr): boolean {
  return x.k === "call" && x.name === "jsonencode" && x.args.length === 1;
}

/** Interpolations of a heredoc that stand outside JSON strings, by start offset, and the text with each one replaced. */
function bareInterpolations(src: string, cs: number, ce: number, interps: readonly HPart[]): { text: string; at: Map<number, ExprPart> } | undefined {
  const at = new Map<number, ExprPart>();
  let text = "";
  let last = cs;
  let inString = false;
  let k = 0;
  for (let i = cs; i < ce; i++) {
    while (k < interps.length && interps[k]!.s < i) k++;
    const next = interps[k];
    if (next && i === next.s) {
      k++;
      if (!inString) {
        // A `%{ for }` directive outside a string builds JSON structure deputy does not evaluate: the document is unread.
        if (!("expr" in next) || next.e - next.s < 2) return undefined;
        text += src.slice(last, next.s) + '"' + "_".repeat(next.e - next.s - 2) + '"';
        last = next.e;
        at.set(next.s, next);
      }
      i = next.e - 1;
      continue;
    }
    const c = src.charCodeAt(i);
    if (inString && c === 92 /* \ */) i++;
    else if (c === 34 /* " */) inString = !inString;
  }
  return { text: text + src.slice(last, ce), at };
}

/** The value of an interpolation standing where a JSON value does: what Terraform's JSON text of it reads as. */
function bareValue(p: ExprPart, n: Node, f: TfFile, ctx: Ctx): V {
  const at = { s: n.range.start, e: n.range.end, f };
  // `jsonencode(x)` is evaluated as x (JSON_FUNCS): lists, objects and scalars are the values themselves.
  const v = evalExpr(p.expr, ctx);
  if (v.t === "s" && typeof v.v === "string") {
    if (isJsonencode(p.expr)) return v.f === f ? v : { ...v, ...at };
    // A string standing bare is JSON text (`${data.aws_iam_policy_document.x.json}`) unless it was jsonencode()d.
    const doc = hasUnknown(v.v) ? undefined : jsonDocument(v, ctx);
    return doc ?? { t: "u", text: placeholder(srcOf(p.expr, ctx)), ...at };
  }
  return v;
}

/**
 * A template's text whose unknown placeholders stand outside JSON strings, with each one quoted as a JSON string;
 * undefined when there is none (the text is not JSON for another reason).
 */
function quoteBarePlaceholders(text: string): string | undefined {
  let out = "";
  let last = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 36 /* $ */ && text.startsWith("${", i)) {
      const close = text.indexOf("}", i + 2);
      // `%{ for }` and `%{ if }` outside strings build JSON structure deputy does not evaluate: left unread.
      if (close < 0 || text.startsWith("${directive}", i)) return undefined;
      out += text.slice(last, i) + JSON.stringify(text.slice(i, close + 1));
      last = close + 1;
      i = close;
      found = true;
    }
  }
  return found ? out + text.slice(last) : undefined;
}

/** Terraform's JSON text of a value (jsonencode in a template); unknown parts stay `${...}` placeholders in strings. */
function jsonText(v: V, depth = 0): string {
  if (depth > 64) return JSON.stringify("${value}");
  switch (v.t) {
    case "s":
      return JSON.stringify(v.v);
    case "u":
      return JSON.stringify(v.text);
    case "l":
      return "[" + v.items.map((i) => jsonText(i, depth + 1)).join(",") + "]";
    case "o":
      return "{" + v.entries.map((en) => JSON.stringify(en.k) + ":" + jsonText(en.v, depth + 1)).join(",") + "}";
  }
}

function fromJs(js: unknown, at: VBase, depth: number): V {
  const base = { s: at.s, e: at.e, f: at.f };
  if (depth > 64) return { t: "u", text: "${value}", ...base };
  if (Array.isArray(js)) return { t: "l", items: js.map((j) => fromJs(j, at, depth + 1)), ...base };
  if (js !== null && typeof js === "object") return { t: "o", entries: Object.entries(js).map(([k, j]) => ({ k, ks: at.s, ke: at.e, v: fromJs(j, at, depth + 1) })), ...base };
  return { t: "s", v: js as Scalar, ...base };
}

function fromNode(n: Node, f: TfFile, valueAt: (n: Node) => V | undefined, mapString: (n: Node, s: string) => string): V {
  const base = { s: n.range.start, e: n.range.end, f };
  switch (n.type) {
    case "scalar":
      return valueAt(n) ?? { t: "s", v: typeof n.value === "string" && n.value.includes("${") ? mapString(n, n.value) : n.value, ...base };
    case "array":
      return { t: "l", items: n.items.map((i) => fromNode(i, f, valueAt, mapString)), ...base };
    case "object":
      return { t: "o", entries: n.entries.map((e) => ({ k: e.key, ks: e.keyRange.start, ke: e.keyRange.end, v: fromNode(e.value, f, valueAt, mapString) })), ...base };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Values to nodes

function toNode(v: V, parent: ContainerNode | undefined, key: PathSegment | undefined, ks?: number, ke?: number): Node {
  let n: TObject | TArray | TScalar;
  switch (v.t) {
    case "s":
      n = new TScalar(v.v, v.s, v.e, parent, key);
      break;
    case "u":
      n = new TScalar(v.text, v.s, v.e, parent, key);
      break;
    case "l": {
      const a = new TArray(v.s, v.e, parent, key);
      v.items.forEach((it, i) => a.items.push(toNode(it, a, i)));
      a.fit();
      n = a;
      break;
    }
    case "o": {
      const o = new TObject(v.s, v.e, parent, key);
      for (const en of v.entries) o.entries.push(new TEntry(en.k, toNode(en.v, o, en.k, en.ks, en.ke)));
      o.fit();
      n = o;
      break;
    }
  }
  if (ks !== undefined && ke !== undefined) n.setKeyRange(ks, ke);
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Entities

interface Extraction {
  inst: ModuleInst;
  config: Config;
  /** Policy documents by value (a data document used twice is one document). */
  docs: Map<V, PolicyDocument>;
  roles: Map<string, Role>;
  /** Policies by address, for attachments. */
  policies: Map<string, PolicyDocument[]>;
  attachments: { roles: Str[]; policy: Str; from: Origin }[];
  incompleteRoles: Map<Role, string>;
  /** What roles name as `permissions_boundary` (a policy of the module by reference or by ARN). */
  boundaries?: Str[];
  /** Documents that restrict (VPC endpoint policies, SCPs, RCPs), given their purpose once attachments are known. */
  restricting?: { doc: PolicyDocument; purpose: RestrictingPurpose }[];
  /** The integrations' blocks as nodes, read once for every action of the module. */
  integrationBodies?: Map<Declared, ObjectNode>;
}

function modelOf(config: Config, f: TfFile): FileModel {
  let m = config.models.get(f.file.absPath);
  if (!m) {
    m = emptyModel(f.file, "terraform-hcl");
    config.models.set(f.file.absPath, m);
  }
  return m;
}

const RESOURCE_POLICIES: Record<string, string> = {
  aws_s3_bucket_policy: "policy",
  aws_sqs_queue_policy: "policy",
  aws_sns_topic_policy: "policy",
  aws_kms_key: "policy",
  aws_secretsmanager_secret_policy: "policy",
  aws_ecr_repository_policy: "policy",
  aws_cloudwatch_event_bus_policy: "policy",
  aws_opensearch_domain_policy: "access_policies",
  aws_elasticsearch_domain_policy: "access_policies",
  aws_glacier_vault: "access_policy",
  aws_lambda_layer_version_permission: "",
};

function extractModule(inst: ModuleInst): void {
  const ex: Extraction = { inst, config: inst.config, docs: new Map(), roles: new Map(), policies: new Map(), attachments: [], incompleteRoles: new Map() };
  for (const a of inst.all) if (a.kind === "resource") extractResource(ex, a.key, a.decl as Declared);
  // Attachments: policies of this module to its roles.
  const attachedDocs = new Set<PolicyDocument>();
  for (const a of ex.attachments) {
    const docs = policyByArn(ex, a.policy);
    for (const d of docs ?? []) attachedDocs.add(d);
    for (const rs of a.roles) {
      const role = roleByValue(ex, rs);
      if (!role) continue;
      if (!docs) {
        if (!harmlessManagedPolicy(a.policy.value.replace(/^arn:\$\{[^}]*\}:/, "arn:aws:"))) ex.incompleteRoles.set(role, `its attached policy ${a.policy.value} is not in the scanned files`);
        continue;
      }
      for (const d of docs) {
        if (role.policies.includes(d)) continue;
        d.role ??= role;
        role.policies.push(d);
      }
    }
  }
  // A policy that only serves as a permissions boundary caps, it grants nothing (see restricting.ts).
  for (const b of ex.boundaries ?? []) {
    for (const d of policyByArn(ex, b) ?? []) {
      if (attachedDocs.has(d) || d.purpose !== undefined) continue;
      d.purpose = "permissions boundary";
      d.label = `permissions boundary ${b.ref?.logicalId ?? d.origin.logicalId ?? b.value}`;
    }
  }
  // VPC endpoint policies, SCPs and RCPs cap what other policies grant (unless the same document also serves a role).
  for (const { doc, purpose } of ex.restricting ?? []) {
    if (doc.role || attachedDocs.has(doc)) continue;
    doc.purpose = purpose;
  }
  for (const [role, reason] of ex.incompleteRoles) role.localIncompleteReason ??= reason;
  for (const role of ex.roles.values()) {
    if (role.localIncompleteReason !== undefined) continue;
    const inc = [role.trust, ...role.policies].find((d) => d && (d as PolicyDocument & { incomplete?: string }).incomplete);
    role.localIncompleteReason = inc ? `its policy ${inc.label} is partly unknown` : null;
  }
  // Policy documents no resource uses: checked on their own, as raw policies are.
  for (const a of inst.all) {
    if (a.kind !== "data") continue;
    const addr = a.key;
    const d = a.decl as Declared;
    if (!addr.startsWith("aws_iam_policy_document.")) continue;
    const key = dataKey(inst, addr, d);
    const v = inst.cache.get(key) ?? memo({ inst, file: d.file }, key, { k: "other", s: d.block.s, e: d.block.e }, () => policyDocumentValue(inst, d));
    if (ex.docs.has(v) || v.t !== "o" || inst.merged.has(addr)) continue;
    const node = toNode(v, undefined, undefined) as ObjectNode;
    const kind: PolicyKind = looksLikeTrust(node) ? "trust" : hasPrincipal(node) ? "resource" : "identity";
    document(ex, { t: "o", entries: [], s: d.block.s, e: d.block.e, f: d.file }, v, kind, `policy document ${inst.prefix}data.${addr}`, { file: d.file, address: `${inst.prefix}data.${addr}`, type: "aws_iam_policy_document", block: d.block }, node);
  }
  // Every module this one calls (instances are created on first use; make sure each call is evaluated once).
  for (const name of inst.calls.keys()) {
    const child = childInstance(inst, name);
    if (child && !child.cache.has("#extracted")) {
      child.cache.set("#extracted", { t: "u", text: "", s: 0, e: 0, f: child.mod.files[0]! });
      extractModule(child);
    }
  }
}

function policyByArn(ex: Extraction, v: Str): PolicyDocument[] | undefined {
  const ref = v.ref?.logicalId;
  if (ref) return ex.policies.get(ref);
  for (const [addr, docs] of ex.policies) {
    const r = ex.inst.resources.get(addr.slice(ex.inst.prefix.length));
    if (!r) continue;
    const arn = resourceAttribute(ex.inst, r, addr.slice(ex.inst.prefix.length), "arn");
    if (arn && arn.t === "s" && arn.v === v.value) return docs;
  }
  return undefined;
}

function roleByValue(ex: Extraction, v: Str): Role | undefined {
  if (v.ref) return ex.roles.get(v.ref.logicalId);
  for (const r of ex.roles.values()) if (r.name?.value === v.value || r.arn?.value === v.value) return r;
  return undefined;
}

/** The value of an attribute, with a `ref` when it is a reference to a resource of this module. */
function strOf(ctx: Ctx, body: HBody, name: string): Str | undefined {
  const a = body.attrs.find((x) => x.name === name);
  if (!a) return undefined;
  const v = evalExpr(a.expr, ctx);
  const s = str(v);
  if (s === undefined) return undefined;
  const node = toNode(v.t === "s" || v.t === "u" ? v : { t: "u", text: s, s: v.s, e: v.e, f: v.f }, undefined, name, a.ks, a.ke);
  const out: Str = { value: s, node };
  const ref = resourceRef(a.expr, ctx.inst);
  if (ref) out.ref = ref;
  return out;
}

function resourceRef(x: HExpr, inst: ModuleInst): Str["ref"] | undefined {
  let r = x;
  if (r.k === "tmpl" && r.parts.length === 1 && "expr" in r.parts[0]!) r = r.parts[0].expr;
  if (r.k !== "ref" || r.steps.length < 2) return undefined;
  const s0 = r.steps[0]!;
  if (!("attr" in s0)) return undefined;
  const addr = `${r.root}.${s0.attr}`;
  if (!inst.resources.has(addr)) return undefined;
  const last = r.steps[r.steps.length - 1]!;
  return { logicalId: inst.prefix + addr, attr: "attr" in last ? last.attr : undefined };
}

interface Where {
  file: TfFile;
  address: string;
  type: string;
  block: HBlock;
}

function originFor(ex: Extraction, w: Where, node: Node): Origin {
  const o: Origin = { file: w.file.file, logicalId: w.address, resourceType: w.type, resourceNode: node, resolver: ex.inst.resolver };
  o.scope = ex.inst.config.scope;
  if (ex.config.account) o.ownAccount = ex.config.account;
  else o.inferredAccount = null;
  return o;
}

/** A resource block's node: its range, and its arguments' names (for suppressions and logical paths). */
function blockNode(b: HBlock): TObject {
  const o = new TObject(b.s, b.e, undefined, undefined);
  return o;
}

/**
 * A policy attribute (`assume_role_policy`, `policy`) as a document. A reference to a whole document keeps the
 * document's own location (another block, maybe another file); anything else is located where it is written.
 */
function policyAttr(ex: Extraction, w: Where, resNode: TObject, body: HBody, attr: string, kind: PolicyKind, label: string): PolicyDocument | undefined {
  const a = body.attrs.find((x) => x.name === attr);
  if (!a) return undefined;
  const ctx: Ctx = { inst: ex.inst, file: w.file };
  let v: V;
  let home: Where = w;
  let direct = a.expr;
  if (direct.k === "tmpl" && direct.parts.length === 1 && "expr" in direct.parts[0]! && !direct.heredoc) direct = direct.parts[0].expr;
  if (direct.k === "ref") {
    v = refValue(direct, ctx);
    if (v.f !== w.file || (v.t === "o" && v.address)) {
      const addr = v.t === "o" && v.address ? ex.inst.prefix + v.address : `${w.address}.${attr}`;
      home = { file: v.f, address: addr, type: v.t === "o" && v.address ? "aws_iam_policy_document" : w.type, block: w.block };
    }
  } else v = evalExpr(a.expr, ctx);
  if (v.t === "s") {
    const j = jsonDocument(v, ctx);
    if (!j) return undefined;
    v = j;
  }
  if (v.t !== "o") return undefined;
  if (home === w) {
    const node = toNode(v, resNode, attr, a.ks, a.ke) as ObjectNode;
    resNode.entries.push(new TEntry(attr, node));
    return document(ex, w, v, kind, label, w, node, resNode);
  }
  return document(ex, w, v, kind, label, home);
}

function document(ex: Extraction, _w: Where | VO, v: VO, kind: PolicyKind, label: string, home: Where, node?: ObjectNode, resNode?: Node): PolicyDocument {
  const hit = ex.docs.get(v);
  if (hit) return hit;
  const n = node ?? (toNode(v, undefined, undefined) as ObjectNode);
  const origin = originFor(ex, home, resNode ?? n);
  const d = buildDocument(n, kind, origin, label);
  d.roleNames = { roles: [], roleName: [] };
  if (v.incomplete) (d as PolicyDocument & { incomplete?: string }).incomplete = v.incomplete;
  ex.docs.set(v, d);
  modelOf(ex.config, home.file).documents.push(d);
  return d;
}

function extractResource(ex: Extraction, localAddr: string, r: Declared): void {
  const inst = ex.inst;
  const [type] = r.block.labels as [string, string];
  const address = inst.prefix + localAddr;
  const w: Where = { file: r.file, address, type, block: r.block };
  const ctx: Ctx = { inst, file: r.file, bound: r.block.body.attrs.some((a) => a.name === "for_each" || a.name === "count") ? new Set(["each", "count"]) : undefined };
  const body = r.block.body;
  const model = () => modelOf(ex.config, r.file);
  const resNode = blockNode(r.block);
  const S = (n: string) => strOf(ctx, body, n);
  switch (type) {
    case "aws_iam_role": {
      const name = S("name");
      const path = S("path");
      const arnV = resourceAttribute(inst, r, localAddr, "arn");
      const arnValue = arnV && arnV.t === "s" ? String(arnV.v) : "${" + address + ".arn}";
      const role: Role = {
        origin: originFor(ex, w, resNode),
        node: resNode,
        name,
        path,
        description: S("description"),
        tags: tagsOf(ctx, body),
        policies: [],
        arn: { value: arnValue, node: resNode, ref: { logicalId: address, attr: "arn" } },
      };
      const trust = policyAttr(ex, w, resNode, body, "assume_role_policy", "trust", `trust policy of role ${address}`);
      if (trust) {
        trust.role ??= role;
        role.trust = trust;
      }
      for (const ib of body.blocks.filter((b) => b.type === "inline_policy")) {
        const pn = str(attrValue(ctx, ib.body, "name")) ?? "inline";
        const d = policyAttr(ex, w, resNode, ib.body, "policy", "identity", `policy ${pn} of role ${address}`);
        if (d) {
          d.role ??= role;
          role.policies.push(d);
        }
      }
      // A reference to a policy of this module, or an ARN (a local, a variable) that one of them has.
      const boundary = S("permissions_boundary");
      if (boundary) (ex.boundaries ??= []).push(boundary);
      const managed = body.attrs.find((a) => a.name === "managed_policy_arns");
      if (managed) {
        const v = evalExpr(managed.expr, ctx);
        const items = v.t === "l" ? v.items : [v];
        const exprs = managed.expr.k === "tuple" ? managed.expr.items : [];
        items.forEach((it, i) => {
          const s = str(it);
          if (s === undefined) return;
          const ref = exprs[i] ? resourceRef(exprs[i]!, inst) : undefined;
          ex.attachments.push({ roles: [{ value: address, node: resNode, ref: { logicalId: address } }], policy: { value: s, node: resNode, ref }, from: role.origin });
        });
      }
      ex.roles.set(address, role);
      model().roles.push(role);
      break;
    }
    case "aws_iam_role_policy": {
      const roleS = S("role");
      const d = policyAttr(ex, w, resNode, body, "policy", "identity", `policy ${address}`);
      if (d && roleS) ex.attachments.push({ roles: [roleS], policy: { value: address, node: resNode, ref: { logicalId: address } }, from: d.origin });
      if (d) ex.policies.set(address, [d]);
      break;
    }
    case "aws_iam_policy": {
      const d = policyAttr(ex, w, resNode, body, "policy", "identity", `policy ${address}`);
      if (d) ex.policies.set(address, [d]);
      break;
    }
    case "aws_iam_role_policy_attachment": {
      const roleS = S("role");
      const pol = S("policy_arn");
      if (roleS && pol) ex.attachments.push({ roles: [roleS], policy: pol, from: originFor(ex, w, resNode) });
      break;
    }
    case "aws_iam_policy_attachment": {
      const pol = S("policy_arn");
      const rolesA = body.attrs.find((a) => a.name === "roles");
      if (pol && rolesA) {
        const v = evalExpr(rolesA.expr, ctx);
        const exprs = rolesA.expr.k === "tuple" ? rolesA.expr.items : [];
        const roles: Str[] = [];
        (v.t === "l" ? v.items : []).forEach((it, i) => {
          const s = str(it);
          if (s === undefined) return;
          const ref = exprs[i] ? resourceRef(exprs[i]!, inst) : undefined;
          roles.push({ value: s, node: resNode, ref });
        });
        ex.attachments.push({ roles, policy: pol, from: originFor(ex, w, resNode) });
      }
      break;
    }
    case "aws_lambda_function": {
      const name = S("function_name");
      const arnV = resourceAttribute(inst, r, localAddr, "arn");
      const fn: LambdaFunction = {
        origin: originFor(ex, w, resNode),
        node: resNode,
        name,
        role: S("role"),
        arn: { value: arnV && arnV.t === "s" ? String(arnV.v) : "${" + address + ".arn}", node: resNode, ref: { logicalId: address, attr: "arn" } },
      };
      model().functions.push(fn);
      break;
    }
    case "aws_lambda_function_url":
      model().functionUrls.push({ origin: originFor(ex, w, resNode), node: resNode, authType: S("authorization_type"), target: functionTarget(inst, S("function_name")), qualifier: S("qualifier") });
      break;
    case "aws_lambda_permission": {
      const fnS = functionTarget(inst, S("function_name"));
      const q = S("qualifier");
      const functionName = fnS && q && !hasUnknown(q.value) && !/:[^:]+:function:[^:]+:/.test(fnS.value) ? { ...fnS, value: `${fnS.value}:${q.value}` } : fnS;
      model().permissions.push({
        origin: originFor(ex, w, resNode),
        node: resNode,
        action: S("action"),
        principal: S("principal"),
        functionName,
        sourceArn: S("source_arn"),
        sourceAccount: S("source_account"),
        principalOrgId: S("principal_org_id"),
        functionUrlAuthType: S("function_url_auth_type"),
      });
      break;
    }
    case "genesyscloud_integration_action":
    case "genesyscloud_integration_credential": {
      // The block as the JSON body the Terraform JSON reader understands (strings keep `$${` as written).
      const bodyNode = blockValueNode(ctx, r.block);
      const m = model();
      const origin = originFor(ex, w, bodyNode);
      const tfRes = { type, name: r.block.labels[1] ?? "", address, modulePrefix: inst.prefix, body: bodyNode };
      // The integrations of this module, those of the action's own file first (see `ModuleInst.all`); only an action
      // asks for them, and each is read once.
      const integrations =
        type !== "genesyscloud_integration_action"
          ? []
          : inst.all
              .filter((a) => a.kind === "resource" && a.key.startsWith("genesyscloud_integration."))
              .sort((a, b) => Number(b.decl.file === r.file) - Number(a.decl.file === r.file))
              .map((a) => {
                const decl = a.decl as Declared;
                let body = (ex.integrationBodies ??= new Map()).get(decl);
                if (!body) ex.integrationBodies.set(decl, (body = blockValueNode({ inst, file: decl.file }, decl.block)));
                return { type: "genesyscloud_integration", name: a.key.slice(a.key.indexOf(".") + 1), address: inst.prefix + a.key, modulePrefix: inst.prefix, body };
              });
      const got = terraformGenesysEntities(tfRes, origin, integrations, true);
      pushAll(m.dataActions, got.dataActions);
      pushAll(m.roleReferences, got.roleReferences);
      break;
    }
    case "aws_vpc_endpoint":
    case "aws_vpc_endpoint_policy": {
      // As AWS::EC2::VPCEndpoint's PolicyDocument: it caps what callers through the endpoint may do.
      const d = policyAttr(ex, w, resNode, body, "policy", "resource", `VPC endpoint policy of ${address}`);
      if (d) (ex.restricting ??= []).push({ doc: d, purpose: "VPC endpoint policy" });
      break;
    }
    case "aws_organizations_policy": {
      // As AWS::Organizations::Policy's Content: an SCP (Terraform's default type) or an RCP; other policy types (tag,
      // backup, AI opt-out) are not IAM policies, and a type deputy cannot know is not read.
      const typeS = S("type");
      const t = typeS ? typeS.value : "SERVICE_CONTROL_POLICY";
      const purpose: RestrictingPurpose | undefined = t === "SERVICE_CONTROL_POLICY" ? "service control policy" : t === "RESOURCE_CONTROL_POLICY" ? "resource control policy" : undefined;
      if (!purpose) break;
      const d = policyAttr(ex, w, resNode, body, "content", purpose === "service control policy" ? "identity" : "resource", `${purpose} ${address}`);
      if (d) (ex.restricting ??= []).push({ doc: d, purpose });
      break;
    }
    default: {
      const attr = RESOURCE_POLICIES[type];
      if (attr) policyAttr(ex, w, resNode, body, attr, "resource", `${attr} of ${address}`);
    }
  }
}

/**
 * A `function_name` that refers to an `aws_lambda_alias` (`aws_lambda_alias.live.arn`): its value stays the alias
 * (the function ARN and `:live`), and its reference becomes the alias's function when the alias names one of this
 * module (`function_name = aws_lambda_function.orders.function_name`), so that rules find the function.
 */
function functionTarget(inst: ModuleInst, v: Str | undefined): Str | undefined {
  const id = v?.ref?.logicalId;
  if (!v || !id || !id.startsWith(`${inst.prefix}aws_lambda_alias.`)) return v;
  const alias = inst.resources.get(id.slice(inst.prefix.length));
  const fnAttr = alias?.block.body.attrs.find((a) => a.name === "function_name");
  const fnRef = fnAttr ? resourceRef(fnAttr.expr, inst) : undefined;
  if (!fnRef || !fnRef.logicalId.startsWith(`${inst.prefix}aws_lambda_function.`)) return v;
  return { ...v, ref: { logicalId: fnRef.logicalId, attr: "arn" } };
}

function tagsOf(ctx: Ctx, body: HBody): Str[] {
  const a = body.attrs.find((x) => x.name === "tags");
  if (!a) return [];
  const v = evalExpr(a.expr, ctx);
  if (v.t !== "o") return [];
  const out: Str[] = [];
  for (const en of v.entries) {
    const node = toNode(en.v, undefined, en.k);
    out.push({ value: en.k, node });
    const s = str(en.v);
    if (s !== undefined) out.push({ value: s, node });
  }
  return out;
}

/**
 * A block as a JSON-like node: arguments evaluated, nested blocks as objects (a repeated block as an array). Strings
 * keep Terraform's `$${` escape as written (what the data action checks expect of Terraform sources).
 */
function blockValueNode(ctx: Ctx, b: HBlock): ObjectNode {
  const v = blockValue({ ...ctx, escape: true }, b.body, b, 0);
  return toNode(v, undefined, undefined) as ObjectNode;
}

function blockValue(ctx: Ctx, body: HBody, at: { s: number; e: number }, depth: number): VO {
  const o: VO = { t: "o", entries: [], s: at.s, e: at.e, f: ctx.file };
  for (const a of body.attrs) o.entries.push({ k: a.name, ks: a.ks, ke: a.ke, v: evalExpr(a.expr, ctx) });
  if (depth > 16) return o;
  const seen = new Map<string, VEntry>();
  for (const b of body.blocks) {
    if (b.type === "dynamic") continue;
    const bv = blockValue(ctx, b.body, b, depth + 1);
    const prev = seen.get(b.type);
    if (prev) {
      if (prev.v.t === "l") prev.v.items.push(bv);
      else prev.v = { t: "l", items: [prev.v, bv], s: prev.v.s, e: bv.e, f: ctx.file };
    } else {
      const en: VEntry = { k: b.type, ks: b.ts, ke: b.te, v: bv };
      seen.set(b.type, en);
      o.entries.push(en);
    }
  }
  return o;
}
