/**
 * The fuzzer (issue 16): property-based, with fast-check, over mutated copies of the project's fixtures (and of the
 * real corpus when `corpus` is given, for long runs). Inputs are structural mutations of JSON and YAML (values replaced
 * by long strings, wildcards, placeholders, intrinsics in odd places, deep nesting; keys deleted or added), byte- and
 * line-level mutations of any text (JSON, YAML, Terraform), and planted secrets.
 *
 * Properties of every input: no thrown error and no DPY000; every format's output valid (JSON and SARIF parse, GitHub
 * commands one per line, no raw control character in text formats, XML-safe JUnit); the same report twice; a fixed
 * file linted after each input gives its first report (no state leaks); planted secrets in no output; time under a bound. Over batches of inputs written to a folder: the CLI exits 0 or 1 and gives
 * the same report with `--workers 1` and `--workers 2`.
 *
 * Used by test/fuzz.test.ts (a short seeded run in `npm test`) and scripts/fuzz.mjs (`npm run fuzz -- --runs N`).
 */
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, relative } from "node:path";
import { parse as yamlParse, stringify as yamlStringify } from "yaml";
import { defaultConfig } from "../../src/config/config.js";
import { Linter, type LintResult } from "../../src/engine/engine.js";
import { prepareInputs } from "../../src/parsers/index.js";
import { reporters } from "../../src/reporters/index.js";
import { allRules } from "../../src/rules/index.js";

export interface Seed {
  path: string;
  text: string;
  /** Secret values planted in the seed (never to be printed). */
  secrets: string[];
}

export interface FuzzInput {
  path: string;
  text: string;
  secrets: string[];
  /** What was done to the seed, for the report of a failure. */
  how: string;
}

const EXT = new Set([".json", ".yaml", ".yml", ".template", ".tf"]);

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && EXT.has(extname(e.name))) out.push(p);
  }
  return out;
}

/** The secrets planted in test/fixtures/secrets (see test/unit/secrets.test.ts). */
const PLANTED = ["Fq8WeRt5YuIoP3As"];

/** Seed files: the fixtures and test cases of the repository, plus the files under `extra` folders (the corpus). */
export function loadSeeds(root: string, extra: string[] = []): Seed[] {
  const dirs = [join(root, "test", "cases"), join(root, "test", "fixtures"), join(root, "examples"), ...extra];
  const seeds: Seed[] = [];
  for (const d of dirs) {
    let files: string[];
    try {
      if (!statSync(d).isDirectory()) continue;
      files = walk(d);
    } catch {
      continue;
    }
    for (const f of files.sort()) {
      const text = readFileSync(f, "utf8");
      if (text.length > 300_000) continue;
      seeds.push({ path: relative(d, f).replace(/\\/g, "/"), text, secrets: PLANTED.filter((s) => text.includes(s)) });
    }
  }
  return seeds;
}

// ------------------------------------------------------------------------------------------------------------------
// Hostile values

const PIECES = ["*", "?", "**", "lambda:", "s3:", "sts:AssumeRole", "iam:", "arn:aws:lambda:us-east-1:123456789012:function:", "arn:aws:iam::", ":root", "${", "}", "${AWS::AccountId}", "${AWS::Partition}", "${x}", "${a.", "${!x}", ":", "/", "a", "Z", " ", "\u001b[2J", "\u001b]0;PWNED\u0007", "\n", "\r", "\t", "\u0000", "é", "\ud800", "\udfff", "\u202e", "\u2028", "𝒳", "%", "::error::", "<x>", "&", "|", "](http://x)", "\\", '"', "'", "#"];

const piecesArb = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((a) => a.join(""));
const longArb = fc.tuple(fc.constantFrom("*", "a", "${", "${a.", "${x}", ":", "*a", "lambda:*", "\u001b", "é", "${${"), fc.integer({ min: 500, max: 40_000 })).map(([s, n]) => s.repeat(Math.ceil(n / s.length)));

const scalarArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: piecesArb },
  { weight: 2, arbitrary: longArb },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const INTRINSICS = ["Ref", "Fn::Sub", "Fn::GetAtt", "Fn::Join", "Fn::If", "Fn::FindInMap", "Fn::Select", "Fn::ImportValue", "Fn::Split", "Condition", "Fn::Base64", "Fn::Not"];

const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: scalarArb },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...INTRINSICS), fc.oneof(scalarArb, fc.array(tie("v"), { maxLength: 3 }))).map(([k, v]) => ({ [k]: v })) },
    { weight: 1, arbitrary: fc.array(tie("v"), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(piecesArb, fc.constantFrom("Effect", "Action", "Resource", "Principal", "Condition", "Statement", "Type", "Properties", "NotAction")), tie("v"), { maxKeys: 3 }) },
  ),
})).v;

// ------------------------------------------------------------------------------------------------------------------
// Mutations

type TreeOp =
  | { op: "set"; at: number; value: unknown }
  | { op: "delete"; at: number }
  | { op: "add"; at: number; key: string; value: unknown }
  | { op: "deep"; at: number; depth: number; object: boolean }
  | { op: "wildcards"; at: number; where: number; piece: string };

type TextOp =
  | { op: "flip"; at: number; byte: number }
  | { op: "truncate"; at: number }
  | { op: "dupLine"; at: number; times: number }
  | { op: "delLine"; at: number }
  | { op: "insert"; at: number; text: string }
  | { op: "line"; at: number; text: string };

const treeOpArb: fc.Arbitrary<TreeOp> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: valueArb }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("add" as const), at: fc.nat(), key: fc.oneof(piecesArb, fc.constantFrom("Statement", "Action", "Fn::Sub", "Ref", "<<", "Resources")), value: valueArb }),
  fc.record({ op: fc.constant("deep" as const), at: fc.nat(), depth: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 190, max: 400 })), object: fc.boolean() }),
  fc.record({ op: fc.constant("wildcards" as const), at: fc.nat(), where: fc.nat(), piece: fc.constantFrom("*", "?", "${", "${x}", "**", "*".repeat(40) + "Z", ":*") }),
);

const YAML_BITS = ["!Sub ", "!Ref ", "!GetAtt ", "!If ", "!Join ", "&a ", "*a ", "<<: *a\n", "? ", "- ", ": ", "{", "}", "[", "]", "'", '"', "|\n", ">-\n", "%YAML 1.2\n---\n", "---\n", "...\n", "\t", "#", "!!binary ", "!Unknown "];
const HCL_BITS = ["${", "}", "{", '"', "<<EOF\n", "\nEOF\n", "[for x in y : x]", "var.", "local.", "jsonencode(", ")", "#", "//", "/*", "*/", "= ", "\\", "%{ if x }", "%{ endif }"];

/** Terraform structure: nested blocks and objects, nested `${`, heredocs, long strings, wildcards in policy documents, jsonencode of odd values. */
const depthArb = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 190, max: 400 }));
const WILD = ["*", "?", "**", "*:*", "s3:*", "lambda:*Z", "iam:Pass*", "arn:aws:iam::*:role/*", "arn:*", "${x}*", "*".repeat(40) + "Z", ""];
const ODD = ["null", "true", "1e308", "-0", "[]", "{}", '"*"', '["*", null]', "var.x", "local.y[0]", "{ a = [[[]]] }", `"${"*".repeat(1000)}"`, '"${var.a}${"', "try(x, null)"];
const hclArb: fc.Arbitrary<string> = fc.oneof(
  depthArb.map((d) => `${"b {\n".repeat(d)}${"}\n".repeat(d)}`),
  depthArb.map((d) => `x = ${"{ a = ".repeat(d)}1${" }".repeat(d)}\n`),
  depthArb.map((d) => `x = ${"[".repeat(d)}${"]".repeat(d)}\n`),
  depthArb.map((d) => `x = "${"${".repeat(d)}a${"}".repeat(d)}"\n`),
  fc.tuple(fc.boolean(), fc.oneof(piecesArb, longArb)).map(([dash, t]) => `x = <<${dash ? "-" : ""}EOT\n${t}\nEOT\n`),
  longArb.map((t) => `x = "${t}"\n`),
  fc.tuple(fc.constantFrom(...WILD), fc.constantFrom(...WILD), fc.constantFrom(...WILD), fc.constantFrom("actions", "not_actions"), fc.constantFrom("resources", "not_resources")).map(
    ([a, r, p, ak, rk]) => `data "aws_iam_policy_document" "fz" {\n  statement {\n    effect = "Allow"\n    ${ak} = ["${a}"]\n    ${rk} = ["${r}"]\n    principals {\n      type        = "AWS"\n      identifiers = ["${p}"]\n    }\n  }\n}\n`,
  ),
  fc.tuple(fc.constantFrom(...ODD), fc.constantFrom(...ODD), fc.constantFrom(...ODD)).map(
    ([e, a, r]) => `resource "aws_iam_policy" "fz" {\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = ${e}, Action = ${a}, Resource = ${r} }] })\n}\n`,
  ),
);

/** Largest input a mutation may build: far below V8's string limit and the memory of a shared machine. */
const MAX_INPUT_CHARS = 4_000_000;

const textOpArb: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ op: fc.constant("line" as const), at: fc.nat(), text: hclArb }),
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("dupLine" as const), at: fc.nat(), times: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ op: fc.constant("delLine" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(piecesArb, fc.constantFrom(...YAML_BITS), fc.constantFrom(...HCL_BITS), longArb) }),
);

/**
 * Structural mutations of Terraform HCL, on the text (there is no HCL writer to re-serialize a tree): an attribute's
 * value nested deep in lists or objects, a quoted string's content replaced by wildcards, placeholders or a long
 * string, or a policy-shaped block inserted at a line start (a `data "aws_iam_policy_document"` with wildcards, a
 * `dynamic "statement"`, a heredoc of JSON, `jsonencode` of odd values).
 */
type HclOp =
  | { op: "hclDeep"; at: number; depth: number; object: boolean }
  | { op: "hclString"; at: number; piece: string }
  | { op: "hclBlock"; at: number; block: string };

const HCL_BLOCKS = [
  'data "aws_iam_policy_document" "fz" {\n  statement {\n    actions   = ["*"]\n    resources = ["*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n  }\n}\n',
  'data "aws_iam_policy_document" "fz" {\n  dynamic "statement" {\n    for_each = var.statements\n    content {\n      actions   = statement.value.actions\n      resources = ["${statement.value.arn}/*"]\n    }\n  }\n}\n',
  'resource "aws_iam_role" "fz" {\n  assume_role_policy = <<-EOT\n    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${var.account}:root"},"Action":"sts:AssumeRole"}]}\n    EOT\n}\n',
  'resource "aws_iam_policy" "fz" {\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["lambda:*", "iam:PassRole"], Resource = [for a in var.arns : "${a}:*"] }] })\n}\n',
  'resource "aws_lambda_permission" "fz" {\n  action        = "lambda:InvokeFunctionUrl"\n  function_name = aws_lambda_function.f.function_name\n  principal     = "*"\n  function_url_auth_type = "NONE"\n}\n',
  'resource "genesyscloud_integration_action" "fz" {\n  config_request {\n    request_url_template = "http://x.execute-api.us-east-1.amazonaws.com/${input.id}"\n    headers = { Authorization = "Bearer abc${var.t}" }\n  }\n}\n',
  'locals {\n  a = local.b\n  b = local.a\n  c = "${local.c}"\n}\n',
  'module "fz" {\n  source = "./"\n  x      = module.fz.y\n}\n',
];

const hclOpArb: fc.Arbitrary<HclOp> = fc.oneof(
  fc.record({ op: fc.constant("hclDeep" as const), at: fc.nat(), depth: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 190, max: 400 })), object: fc.boolean() }),
  fc.record({ op: fc.constant("hclString" as const), at: fc.nat(), piece: fc.oneof(fc.constantFrom("*", "?", "${", "$${", "${var.x}", "${a.${b.${c", "arn:aws:iam::*:root", "lambda:*", "*".repeat(40) + "Z", "%{ for x in y }${x}%{ endfor }"), longArb) }),
  fc.record({ op: fc.constant("hclBlock" as const), at: fc.nat(), block: fc.constantFrom(...HCL_BLOCKS) }),
);

function applyHcl(text: string, op: HclOp): string {
  switch (op.op) {
    case "hclDeep": {
      const eqs = [...text.matchAll(/ = /g)];
      if (eqs.length === 0) return text;
      const at = eqs[op.at % eqs.length]!.index! + 3;
      const open = op.object ? "{ a = ".repeat(op.depth) : "[".repeat(op.depth);
      const close = op.object ? " }".repeat(op.depth) : "]".repeat(op.depth);
      const eol = text.indexOf("\n", at);
      const end = eol < 0 ? text.length : eol;
      return text.slice(0, at) + open + text.slice(at, end) + close + text.slice(end);
    }
    case "hclString": {
      const strs = [...text.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)];
      if (strs.length === 0) return text;
      const m = strs[op.at % strs.length]!;
      return text.slice(0, m.index! + 1) + op.piece + text.slice(m.index! + m[0].length - 1);
    }
    case "hclBlock": {
      const [s] = lineBounds(text, op.at);
      return text.slice(0, s) + op.block + text.slice(s);
    }
  }
}

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
}

function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && out.length < 5000) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      n.forEach((v, i) => {
        out.push({ parent: n, key: i });
        stack.push(v);
      });
    } else if (n && typeof n === "object") {
      for (const [k, v] of Object.entries(n)) {
        out.push({ parent: n as Record<string, unknown>, key: k });
        stack.push(v);
      }
    }
  }
  return out;
}

function containers(root: unknown): Container[] {
  const out: Container[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && out.length < 5000) {
    const n = stack.pop();
    if (n && typeof n === "object") {
      out.push(n as Container);
      for (const v of Object.values(n)) stack.push(v);
    }
  }
  return out;
}

const get = (s: Slot): unknown => (s.parent as Record<string | number, unknown>)[s.key];
const put = (s: Slot, v: unknown): void => void ((s.parent as Record<string | number, unknown>)[s.key] = v);

function applyTree(root: unknown, op: TreeOp, keepSecrets: boolean): void {
  if (op.op === "add") {
    const cs = containers(root);
    if (cs.length === 0) return;
    const c = cs[op.at % cs.length]!;
    if (Array.isArray(c)) c.push(op.value);
    else if (!(op.key in c)) c[op.key] = op.value;
    return;
  }
  // With planted secrets, only additions: a secret must stay where it is a secret (a header value).
  if (keepSecrets) return;
  const ss = slots(root);
  if (ss.length === 0) return;
  const s = ss[op.at % ss.length]!;
  switch (op.op) {
    case "set":
      put(s, op.value);
      return;
    case "delete":
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
      return;
    case "deep": {
      let v = get(s);
      for (let i = 0; i < op.depth; i++) v = op.object ? { Statement: v } : [v];
      put(s, v);
      return;
    }
    case "wildcards": {
      const v = get(s);
      if (typeof v === "string") {
        const at = op.where % (v.length + 1);
        put(s, v.slice(0, at) + op.piece + v.slice(at));
      }
      return;
    }
  }
}

function lineBounds(text: string, n: number): [number, number] {
  let start = 0;
  const lines = text.split("\n").length;
  for (let i = 0, k = n % lines; i < k; i++) start = text.indexOf("\n", start) + 1;
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end + 1];
}

function applyText(text: string, op: TextOp): string {
  const at = text.length === 0 ? 0 : op.at % (text.length + 1);
  switch (op.op) {
    case "flip": {
      const buf = Buffer.from(text, "utf8");
      if (buf.length === 0) return text;
      buf[op.at % buf.length] = op.byte;
      return buf.toString("utf8");
    }
    case "truncate":
      return text.slice(0, at);
    case "dupLine": {
      const [s, e] = lineBounds(text, op.at);
      if (text.length + (e - s) * op.times > MAX_INPUT_CHARS) return text;
      return text.slice(0, e) + text.slice(s, e).repeat(op.times) + text.slice(e);
    }
    case "delLine": {
      const [s, e] = lineBounds(text, op.at);
      return text.slice(0, s) + text.slice(e);
    }
    case "insert":
      if (text.length + op.text.length > MAX_INPUT_CHARS) return text;
      return text.slice(0, at) + op.text + text.slice(at);
    case "line": {
      // At a line start, where a block or an attribute may begin.
      if (text.length + op.text.length > MAX_INPUT_CHARS) return text;
      const [s] = lineBounds(text, op.at);
      return text.slice(0, s) + op.text + text.slice(s);
    }
  }
}

function parseSeed(seed: Seed): unknown {
  if (seed.path.endsWith(".tf")) return undefined;
  try {
    return seed.path.endsWith(".json") ? JSON.parse(seed.text) : undefined;
  } catch {
    return undefined;
  }
}

/** Inputs: a seed, tree mutations (JSON, and YAML re-serialized), then text mutations. */
export function inputArb(seeds: Seed[]): fc.Arbitrary<FuzzInput> {
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      tree: fc.array(treeOpArb, { maxLength: 4 }),
      hcl: fc.array(hclOpArb, { maxLength: 3 }),
      text: fc.array(textOpArb, { maxLength: 3 }),
      asYaml: fc.boolean(),
      indent: fc.constantFrom(0, 2),
    })
    .map(({ seed: i, tree, hcl, text, asYaml, indent }) => {
      const seed = seeds[i]!;
      const keep = seed.secrets.length > 0;
      let path = seed.path;
      let out = seed.text;
      const how: string[] = [`seed ${seed.path}`];
      let root = parseSeed(seed);
      if (root === undefined && /\.ya?ml$|\.template$/.test(seed.path) && tree.length > 0) {
        try {
          root = JSON.parse(JSON.stringify(yamlParseLoose(seed.text)));
        } catch {
          root = undefined;
        }
      }
      if (root !== undefined && tree.length > 0) {
        for (const op of tree) applyTree(root, op, keep);
        how.push(`tree ${JSON.stringify(tree).slice(0, 300)}`);
        const yaml = asYaml && !keep;
        try {
          out = yaml ? yamlStringify(root, { aliasDuplicateObjects: false }) : JSON.stringify(root, null, indent);
          if (yaml) path = path.replace(/\.json$/, ".yaml");
          else path = path.replace(/\.(ya?ml|template)$/, ".json");
        } catch {
          /* unserializable: keep the text */
        }
      }
      if (seed.path.endsWith(".tf") && hcl.length > 0 && !keep) {
        for (const op of hcl) {
          const next = applyHcl(out, op);
          if (next.length <= MAX_INPUT_CHARS) out = next;
        }
        how.push(`hcl ${JSON.stringify(hcl).slice(0, 300)}`);
      }
      // Text mutations would move the planted secrets; inputs with secrets get additions only.
      if (!keep) for (const op of text) out = applyText(out, op);
      if (text.length && !keep) how.push(`text ${JSON.stringify(text).slice(0, 300)}`);
      return { path, text: out, secrets: seed.secrets, how: how.join("; ") };
    });
}

function yamlParseLoose(text: string): unknown {
  // CloudFormation short forms are read as plain values (the tree is re-serialized anyway).
  return yamlParse(text, { strict: false, maxAliasCount: 100, logLevel: "silent" });
}

// ------------------------------------------------------------------------------------------------------------------
// Properties

export class PropertyFailure extends Error {}

const fail = (what: string, input: FuzzInput): never => {
  throw new PropertyFailure(`${what}\n  input: ${input.path} (${input.text.length} chars; ${input.how})`);
};

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const FORMATS = ["stylish", "concise", "json", "sarif", "github", "junit", "markdown"].filter((f) => f in reporters);

function lintOne(input: FuzzInput): LintResult {
  const linter = new Linter(defaultConfig(), allRules, { now: new Date("2026-12-01") });
  linter.addFile({ path: input.path, absPath: `/fuzz/${input.path}`, text: input.text });
  return linter.finish();
}

function render(format: string, result: LintResult): string {
  return reporters[format]!({ result, cwd: "/fuzz", color: false, toolVersion: "0.0.0-fuzz", catalogVersion: "fuzz" });
}

/**
 * A fixed Terraform file linted after every input: its report must not change, so no state left behind by one input
 * (a parser that resumes a stopped parse, a cache keyed wrongly) can reach the next file.
 */
const CANARY: FuzzInput = {
  path: "canary/main.tf",
  text: 'resource "aws_iam_role_policy" "p" {\n  role   = "r"\n  policy = <<EOF\n{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": ${jsonencode(["*"])}}]}\nEOF\n}\n',
  secrets: [],
  how: "canary",
};
let canaryReport: string | undefined;

/** The end of an input's path as one file name, for `--save` (failing inputs and the slowest). */
export function savedName(input: FuzzInput): string {
  return input.path.replace(/[^A-Za-z0-9.]+/g, "_").slice(-80);
}

/** Checks the properties of one input; returns the time the lint took, in milliseconds. */
export function checkInput(input: FuzzInput, timeBoundMs: number): number {
  canaryReport ??= render("json", lintOne(CANARY));
  const t0 = performance.now();
  let result: LintResult;
  try {
    result = lintOne(input);
  } catch (e) {
    return fail(`thrown: ${(e as Error).stack ?? String(e)}`, input);
  }
  const ms = performance.now() - t0;
  if (ms > timeBoundMs) fail(`slow: ${ms.toFixed(0)} ms (bound ${timeBoundMs} ms)`, input);
  const crash = result.findings.find((f) => f.ruleId === "DPY000");
  if (crash) fail(`DPY000: ${crash.message}`, input);
  const outputs: Record<string, string> = {};
  for (const format of FORMATS) {
    let out: string;
    try {
      out = render(format, result);
    } catch (e) {
      return fail(`${format} reporter threw: ${(e as Error).stack ?? String(e)}`, input);
    }
    outputs[format] = out;
    for (const s of input.secrets) if (out.includes(s)) fail(`planted secret printed by ${format}`, input);
    if (format === "json" || format === "sarif") {
      try {
        JSON.parse(out);
      } catch (e) {
        fail(`${format} output is not JSON: ${(e as Error).message}`, input);
      }
    } else {
      if (RAW_CONTROL.test(out)) fail(`${format} output holds a raw control character: ${JSON.stringify(RAW_CONTROL.exec(out)![0])}`, input);
      // Workflow commands, one per line (plain lines, for what is not annotated, never start with "::").
      if (format === "github" && !out.split("\n").every((l) => !l.startsWith("::") || /^::(error|warning|notice)( [^:]*)?::/.test(l))) fail("github output has a line that reads as a malformed workflow command", input);
      if (format === "junit" && XML_INVALID.test(out)) fail("junit output holds a character XML cannot carry", input);
    }
  }
  // The same report twice.
  const again = render("json", lintOne(input));
  if (again !== outputs.json) fail("a second run gave a different report", input);
  if (render("json", lintOne(CANARY)) !== canaryReport) fail("a fixed file linted after this input gave a different report (state leaked from the input)", input);
  return ms;
}

export interface BatchCheck {
  dir: string;
  files: number;
}

/**
 * Writes inputs to a folder and runs the CLI on it with `--workers 1` and `--workers 2`: exit 0 or 1, nothing on
 * stderr, and the same JSON report.
 */
export function checkBatch(inputs: FuzzInput[], bin: string): void {
  if (inputs.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), "deputy-fuzz-"));
  try {
    inputs.forEach((input, i) => {
      const p = join(dir, `i${i}`, input.path);
      mkdirSync(join(p, ".."), { recursive: true });
      writeFileSync(p, input.text);
    });
    const run = (workers: string) => spawnSync(process.execPath, [bin, "--format", "json", "--workers", workers, "."], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30, timeout: 300_000 });
    const one = run("1");
    const two = run("2");
    for (const [name, r] of [["--workers 1", one], ["--workers 2", two]] as const) {
      if (r.status !== 0 && r.status !== 1) throw new PropertyFailure(`CLI ${name} exited ${r.status}: ${r.stderr.slice(0, 2000)} (batch of ${inputs.length} in ${dir})`);
      if (r.stderr) throw new PropertyFailure(`CLI ${name} wrote to stderr: ${r.stderr.slice(0, 2000)}`);
    }
    if (one.stdout !== two.stdout) throw new PropertyFailure(`--workers 1 and --workers 2 gave different reports (batch of ${inputs.length})`);
    if (/"ruleId": "DPY000"/.test(one.stdout)) throw new PropertyFailure(`DPY000 in a CLI batch: ${/"message": "(Internal error[^"]*)"/.exec(one.stdout)?.[1]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FuzzStats {
  tried: number;
  failures: string[];
  slowest: { ms: number; input?: FuzzInput };
  batches: number;
  ms: number;
}

/**
 * Runs `runs` inputs (seeded); every `batchSize` inputs, a CLI batch check. Stops at the first property failure
 * unless `keepGoing` (then failures are collected).
 */
export async function fuzz(opts: { root: string; bin: string; runs: number; seed: number; extraSeeds?: string[]; timeBoundMs: number; batchSize: number; keepGoing?: boolean; saveDir?: string; onProgress?: (s: FuzzStats) => void; onFailure?: (message: string) => void }): Promise<FuzzStats> {
  const seeds = loadSeeds(opts.root, opts.extraSeeds);
  await prepareInputs(seeds.filter((s) => s.path.endsWith(".tf")).concat([{ path: "x.tf", text: "", secrets: [] }]));
  const stats: FuzzStats = { tried: 0, failures: [], slowest: { ms: 0 }, batches: 0, ms: 0 };
  const t0 = performance.now();
  let batch: FuzzInput[] = [];
  const flush = () => {
    try {
      checkBatch(batch, opts.bin);
      stats.batches++;
    } catch (e) {
      if (opts.saveDir) {
        const dir = join(opts.saveDir, `batch-${stats.failures.length + 1}`);
        batch.forEach((input, i) => {
          const p = join(dir, `i${i}`, input.path);
          mkdirSync(join(p, ".."), { recursive: true });
          writeFileSync(p, input.text);
        });
      }
      if (!opts.keepGoing) throw e;
      stats.failures.push((e as Error).message);
      opts.onFailure?.((e as Error).message);
    }
    batch = [];
  };
  fc.assert(
    fc.property(inputArb(seeds), (input) => {
      stats.tried++;
      try {
        const ms = checkInput(input, opts.timeBoundMs);
        if (ms > stats.slowest.ms) stats.slowest = { ms, input };
      } catch (e) {
        if (opts.saveDir) {
          mkdirSync(opts.saveDir, { recursive: true });
          const name = `failure-${stats.failures.length + 1}-${savedName(input)}`;
          writeFileSync(join(opts.saveDir, name), input.text);
        }
        if (!(e instanceof PropertyFailure) || !opts.keepGoing) throw e;
        stats.failures.push(e.message);
        opts.onFailure?.(e.message);
        return;
      }
      // Large inputs are left out of CLI batches (their own lint is checked above) to keep a batch quick.
      if (input.text.length < 200_000) batch.push(input);
      if (batch.length >= opts.batchSize) flush();
      if (opts.onProgress && stats.tried % 1000 === 0) opts.onProgress({ ...stats, ms: performance.now() - t0 });
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: true },
  );
  flush();
  stats.ms = performance.now() - t0;
  return stats;
}
