/**
 * From bytes to a file model: decode, sniff whether the file can be deputy's business at all (cheap text checks, so a
 * repository full of package.json and workflow files costs almost nothing), parse with positions, classify by
 * content. Files that are not deputy's business are skipped silently.
 */
import { MAX_FILE_CHARS, MAX_NODES, MAX_STRING_CHARS } from "../engine/limits.js";
import { decode, SourceFile } from "../engine/source.js";

export { decode };
import type { FileModel } from "../model/entities.js";
import { emptyModel } from "../model/entities.js";
import type { Node } from "../model/node.js";
import { isObject, prop, stringValue } from "../model/node.js";
import { buildDocument, findKey, hasPrincipal, looksLikeTrust } from "../model/policy.js";
import { awsManagedFromPath, purposeFromPath } from "../model/restricting.js";
import { PLAIN } from "../model/resolve.js";
import { extractCliOutput } from "./aws-cli.js";
import { extractTemplate, isTemplate } from "./cloudformation.js";
import { extractDataActions } from "./data-actions.js";
import { parseJson, type ParseProblem } from "./json.js";
import { extractTerraformDataActions } from "./terraform.js";
import { hclLoaded, loadHcl } from "./hcl.js";
import { modelForFile } from "./terraform-hcl.js";
import { isTerraformJsonConfig } from "./terraform-json.js";
import { parseYaml } from "./yaml.js";

/** Largest file analysed (engine/limits.ts). */
export const MAX_FILE_BYTES = MAX_FILE_CHARS;

export interface LoadResult {
  file: SourceFile;
  model?: FileModel;
  problems: ParseProblem[];
}

/** Extensions deputy reads. `.template` may hold JSON or YAML. */
export const EXTENSIONS = [".json", ".yaml", ".yml", ".template", ".tf"];

/**
 * A Terraform configuration file (`.tf`, and `.tf.json` when it holds a configuration): read within its module by
 * the Terraform evaluator (`.tf` with the HCL parser, which `.tf.json` needs too, for the templates in its strings).
 */
export function isTerraformHcl(path: string): boolean {
  return /\.tf(?:\.json)?$/i.test(path);
}

/**
 * Loads what the inputs need before they are read synchronously: the HCL parser (WebAssembly, asynchronous to
 * instantiate) when there is a `.tf` file among them, and nothing otherwise.
 */
export async function prepareInputs(inputs: readonly { path: string }[]): Promise<void> {
  if (!hclLoaded() && inputs.some((i) => isTerraformHcl(i.path))) await loadHcl();
}

const JSON_SNIFF = /"(?:statement|Resources|AWSTemplateFormatVersion|integrationType|requestUrlTemplate|AssumeRolePolicyDocument|PolicyVersion|RoleDetailList|FunctionUrl|FunctionArn|Policy|genesyscloud_[a-z_]+|resource_changes|planned_values)"/i;
const YAML_SNIFF = /^\s*["']?(?:Resources|AWSTemplateFormatVersion|Statement|integrationType)["']?\s*:/m;

function looksJson(path: string, text: string): boolean {
  if (path.endsWith(".json")) return true;
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return false;
  return /^\s*[{[]/.test(text);
}

/** Loads one file. `relPath` is what reports show; `absPath` where it is on disk. */
export function loadFile(relPath: string, absPath: string, buf: Uint8Array): LoadResult {
  const lower = relPath.toLowerCase();
  const dec = decode(buf);
  if ("error" in dec) {
    const file = new SourceFile(relPath, absPath, "");
    // Only a file we would analyse is reported; binary noise elsewhere is not our business.
    const head = Buffer.from(buf.subarray(0, 65536)).toString("latin1");
    if (JSON_SNIFF.test(head) || YAML_SNIFF.test(head)) return { file, problems: [{ kind: "encoding", message: dec.error, range: { start: 0, end: 0 } }] };
    return { file, problems: [] };
  }
  const file = new SourceFile(relPath, absPath, dec.text, true);
  return loadText(file, lower);
}

/** A file too large to read whole (`head` is its start): a DPY001 limit when it looks like deputy's business. */
export function loadOversized(relPath: string, absPath: string, head: Uint8Array, size: number): LoadResult {
  const file = new SourceFile(relPath, absPath, "");
  const start = Buffer.from(head).toString("latin1");
  if (!JSON_SNIFF.test(start) && !YAML_SNIFF.test(start)) return { file, problems: [] };
  return { file, problems: [{ kind: "limit", message: `File of ${size.toLocaleString("en-US")} bytes, larger than ${MAX_FILE_CHARS / 1024 / 1024} MiB (safety limit); not analysed`, range: { start: 0, end: 0 } }] };
}

export function loadText(file: SourceFile, lowerPath = file.path.toLowerCase()): LoadResult {
  const text = file.text;
  if (lowerPath.endsWith(".tf")) {
    if (text.length > MAX_FILE_BYTES) {
      return { file, problems: [{ kind: "limit", message: `File larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB (safety limit); not analysed`, range: { start: 0, end: 0 } }] };
    }
    if (!hclLoaded()) return { file, problems: [{ kind: "syntax", message: "The HCL parser was not loaded for this run (an internal error)", range: { start: 0, end: 0 } }] };
    const r = modelForFile(file);
    return { file, model: r.model, problems: r.problems };
  }
  if (lowerPath.endsWith(".tf.json") && hclLoaded() && text.length <= MAX_FILE_BYTES) {
    const parsed = parseJson(text);
    if (parsed.root && isTerraformJsonConfig(parsed.root)) {
      const r = modelForFile(file);
      return { file, model: r.model, problems: r.problems };
    }
  }
  const json = looksJson(lowerPath, text);
  if (json ? !JSON_SNIFF.test(text) : !YAML_SNIFF.test(text)) return { file, problems: [] };
  if (text.length > MAX_FILE_BYTES) {
    return { file, problems: [{ kind: "limit", message: `File larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB (safety limit); not analysed`, range: { start: 0, end: 0 } }] };
  }
  const parsed = json ? parseJson(text) : parseYaml(text);
  if (!parsed.root) {
    return { file, problems: parsed.problems };
  }
  // The JSON parser checks the string and value limits as it reads; YAML trees are checked here, and only when the
  // text is long enough to break one (no walk over the nodes of ordinary files).
  if (!json && text.length > MAX_STRING_CHARS) {
    const limit = treeLimit(parsed.root);
    if (limit) return { file, problems: [limit] };
  }
  const model = classify(file, parsed.root, lowerPath);
  if (!model) {
    // Parsed fine but not ours: a duplicate key in an unrelated file is not our business either.
    return { file, problems: [] };
  }
  const extra = (model as FileModel & { problems?: ParseProblem[] }).problems ?? [];
  return { file, model, problems: [...parsed.problems, ...extra] };
}

/** The first safety limit (engine/limits.ts) a parsed tree breaks: a string too long or too many values. */
function treeLimit(root: Node): ParseProblem | undefined {
  const stack: Node[] = [root];
  let count = 0;
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (++count > MAX_NODES) return { kind: "limit", message: `More than ${MAX_NODES.toLocaleString("en-US")} values in one file (safety limit)`, range: n.range };
    if (n.type === "scalar") {
      if (typeof n.value === "string" && n.value.length > MAX_STRING_CHARS) return { kind: "limit", message: `String longer than ${MAX_STRING_CHARS.toLocaleString("en-US")} characters (safety limit)`, range: { start: n.range.start, end: n.range.start + 1 } };
    } else if (n.type === "object") {
      for (const e of n.entries) {
        if (e.key.length > MAX_STRING_CHARS) return { kind: "limit", message: `Key longer than ${MAX_STRING_CHARS.toLocaleString("en-US")} characters (safety limit)`, range: { start: e.keyRange?.start ?? n.range.start, end: (e.keyRange?.start ?? n.range.start) + 1 } };
        stack.push(e.value);
      }
    } else for (const i of n.items) stack.push(i);
  }
  return undefined;
}

/** Recognises what a parsed document is. */
export function classify(file: SourceFile, root: Node, lowerPath: string): (FileModel & { problems?: ParseProblem[] }) | undefined {
  if (isTemplate(root)) {
    const cdk = lowerPath.includes("cdk.out/") || hasCdkMetadata(root);
    return extractTemplate(file, root, cdk ? "cdk" : "cloudformation");
  }
  const cli = extractCliOutput(file, root);
  if (cli) return Object.assign(cli.model, { problems: cli.problems });
  const da = extractDataActions(file, root);
  if (da) return da;
  const tf = extractTerraformDataActions(file, root);
  if (tf) return tf;
  if (isObject(root) && findKey(root, "Statement")) {
    const kind = looksLikeTrust(root) ? "trust" : hasPrincipal(root) ? "resource" : "identity";
    const model = emptyModel(file, `policy:${kind}`, root);
    const label = kind === "trust" ? "trust policy" : kind === "resource" ? "resource-based policy" : "policy";
    const doc = buildDocument(root, kind, { file, resolver: PLAIN }, label);
    const purpose = kind === "trust" ? undefined : purposeFromPath(file.path);
    if (purpose) {
      doc.purpose = purpose;
      doc.label = purpose;
    } else if (kind === "identity") {
      const managed = awsManagedFromPath(file.path);
      if (managed) {
        doc.awsManaged = managed;
        doc.label = `copy of the AWS managed policy ${managed.name}`;
      }
    }
    model.documents.push(doc);
    return model;
  }
  return undefined;
}

function hasCdkMetadata(root: Node): boolean {
  const res = prop(root, "Resources");
  return isObject(res) && res.entries.some((e) => stringValue(prop(prop(e.value, "Metadata"), "aws:cdk:path")) !== undefined);
}
