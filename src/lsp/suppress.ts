/**
 * "Suppress with a reason" code actions, in the form the file supports (docs/configuration.md, src/engine/suppressions.ts):
 *
 * - YAML (and Terraform) files: a `# deputy-ignore RULE -- ` comment on its own line above the finding's line;
 * - JSON CloudFormation templates, for a finding that belongs to a resource: `Metadata.deputy.suppress` on that
 *   resource, merged into what the resource already has (`Metadata`, `deputy`, `suppress` list);
 * - other JSON files (policies, data action exports, AWS CLI outputs), which have room for neither: an entry in the
 *   configuration's `suppress` list (`file`, `rule`, `path`), added to the config file in use or to a new
 *   `deputy.config.yaml` in the workspace folder.
 *
 * Every edit is an insertion into the text as it is (formatting, comments and key order kept). The reason is left
 * for the user to write: until it is there the suppression is not honoured and deputy says so where it is written, so
 * an action never hides a finding without a reason.
 */
import { relative, sep } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { WorkspaceEdit } from "vscode-languageserver/node";
import type { Finding } from "../api.js";
import type { ObjectNode } from "../model/node.js";
import { isArray, isObject, prop } from "../model/node.js";
import { parseJson } from "../parsers/json.js";

export interface SuppressContext {
  /** The folder paths of findings are relative to. */
  root: string;
  /** The configuration file in use (absolute), if any. */
  configFile?: string;
  documentFor(uri: string): TextDocument | undefined;
  /** Whether the client can create files in a workspace edit. */
  canCreateFiles: boolean;
}

export interface SuppressAction {
  title: string;
  edit: WorkspaceEdit;
}

const COMMENT_FILES = /\.(ya?ml|template|tf)$/i;

/** The suppression action for a finding in `doc`, if its file has a form for one. */
export function suppressionAction(f: Finding, doc: TextDocument, ctx: SuppressContext): SuppressAction | undefined {
  const text = doc.getText();
  const json = /^\s*[{[]/.test(text);
  if (COMMENT_FILES.test(doc.uri) && !json) return commentAction(f, doc);
  if (!json) return undefined;
  if (f.logical.kind === "resource" && f.logical.name) {
    const m = metadataAction(f, doc);
    if (m) return m;
  }
  return configAction(f, ctx);
}

function label(f: Finding): string {
  return `${f.ruleId} (${f.ruleName})`;
}

function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

function commentAction(f: Finding, doc: TextDocument): SuppressAction {
  const line = f.region.startLine - 1;
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } }).replace(/\r?\n$/, "");
  const indent = /^[ \t]*/.exec(lineText)![0];
  return {
    title: `Suppress ${label(f)} on this line with a reason (# deputy-ignore)`,
    edit: { changes: { [doc.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# deputy-ignore ${f.ruleId} -- ${eolOf(doc.getText())}` }] } },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON templates: Metadata on the resource

/** The leading whitespace of the line `offset` is on. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

function sameLine(text: string, a: number, b: number): boolean {
  return !text.slice(Math.min(a, b), Math.max(a, b)).includes("\n");
}

/**
 * An insertion of `"key": value` as the last entry of an object, laid out as its entries are: on a line of its own
 * with their indentation when they are on lines of their own, inline otherwise.
 */
function appendEntry(text: string, obj: ObjectNode, entry: string): { at: number; text: string } {
  const last = obj.entries[obj.entries.length - 1];
  if (!last) {
    // An empty object: `{}` becomes `{ entry }` (on one line).
    const open = text.indexOf("{", obj.range.start);
    return { at: open + 1, text: ` ${entry} ` };
  }
  const multiline = !sameLine(text, obj.range.start, last.keyRange.start);
  const sepText = multiline ? `${eolOf(text)}${indentAt(text, last.keyRange.start)}` : " ";
  return { at: last.value.range.end, text: `,${sepText}${entry}` };
}

function suppressItem(f: Finding): string {
  return `{"rule": "${f.ruleId}", "reason": ""}`;
}

function metadataAction(f: Finding, doc: TextDocument): SuppressAction | undefined {
  const text = doc.getText();
  const { root } = parseJson(text);
  const resource = prop(prop(root, "Resources"), f.logical.name!);
  if (!isObject(resource)) return undefined;
  const metadata = prop(resource, "Metadata");
  const deputy = prop(metadata, "deputy");
  const list = prop(deputy, "suppress");
  let edit: { at: number; text: string };
  if (isArray(list)) {
    const last = list.items[list.items.length - 1];
    edit = last ? { at: last.range.end, text: `, ${suppressItem(f)}` } : { at: text.indexOf("[", list.range.start) + 1, text: suppressItem(f) };
  } else if (list !== undefined) {
    return undefined; // a `suppress` that is not a list: deputy reports it; nothing sensible to add to
  } else if (isObject(deputy)) {
    edit = appendEntry(text, deputy, `"suppress": [${suppressItem(f)}]`);
  } else if (deputy !== undefined) {
    return undefined;
  } else if (isObject(metadata)) {
    edit = appendEntry(text, metadata, `"deputy": {"suppress": [${suppressItem(f)}]}`);
  } else if (metadata !== undefined) {
    return undefined;
  } else {
    edit = appendEntry(text, resource, `"Metadata": {"deputy": {"suppress": [${suppressItem(f)}]}}`);
  }
  const pos = doc.positionAt(edit.at);
  return {
    title: `Suppress ${label(f)} for ${f.logical.name} with a reason (Metadata)`,
    edit: { changes: { [doc.uri]: [{ range: { start: pos, end: pos }, newText: edit.text }] } },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Other JSON files: the configuration's suppress list

const require = createRequire(import.meta.url);
type YamlModule = typeof import("yaml");

/** A gitignore-style pattern that matches exactly this path (relative to the config folder). */
function exactPattern(rel: string): string {
  return rel.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
}

function configAction(f: Finding, ctx: SuppressContext): SuppressAction | undefined {
  const configFile = ctx.configFile ?? `${ctx.root}${sep}deputy.config.yaml`;
  const configDir = configFile.slice(0, configFile.lastIndexOf(sep));
  const abs = `${ctx.root}${sep}${f.file.split("/").join(sep)}`;
  const rel = relative(configDir, abs).split(sep).join("/");
  if (rel.startsWith("../")) return undefined; // the config's globs cannot name a file outside its folder
  const fields: [string, string][] = [
    ["file", JSON.stringify(exactPattern(rel))],
    ["rule", f.ruleId],
    ...(f.logical.path ? [["path", JSON.stringify(f.logical.path)] as [string, string]] : []),
    ["reason", '""'],
  ];
  const uri = pathToFileURL(configFile).href;
  const title = `Suppress ${label(f)} here with a reason (in ${configFile.slice(configDir.length + 1)})`;
  const doc = ctx.configFile ? ctx.documentFor(uri) : undefined;
  if (!doc) {
    if (ctx.configFile || !ctx.canCreateFiles) return undefined;
    const body = `suppress:\n${blockItem(fields, "  ", "\n")}`;
    return { title, edit: { documentChanges: [{ kind: "create", uri, options: { ignoreIfExists: true } }, { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: body }] }] } };
  }
  const text = doc.getText();
  const ins = configInsertion(text, fields);
  if (!ins) return undefined;
  const a = doc.positionAt(ins.start);
  const b = doc.positionAt(ins.end);
  return { title, edit: { changes: { [uri]: [{ range: { start: a, end: b }, newText: ins.text }] } } };
}

/** `- file: ...` and the other fields under it, each line ended. */
function blockItem(fields: [string, string][], indent: string, eol: string): string {
  return fields.map(([k, v], i) => `${indent}${i === 0 ? "- " : "  "}${k}: ${v}${eol}`).join("");
}

/** Where and what to write in the config text to add one suppress entry. */
export function configInsertion(text: string, fields: [string, string][]): { start: number; end: number; text: string } | undefined {
  const Y = require("yaml") as YamlModule;
  const eol = eolOf(text);
  const doc = Y.parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const contents = doc.contents;
  const lineEnd = (offset: number) => {
    const i = text.indexOf("\n", offset);
    return i < 0 ? text.length : text[i - 1] === "\r" ? i - 1 : i;
  };
  if (contents !== null && !Y.isMap(contents)) return undefined;
  const pair = contents ? contents.items.find((p) => Y.isScalar(p.key) && p.key.value === "suppress") : undefined;
  if (!pair) {
    const lead = text.length === 0 || text.endsWith("\n") ? "" : eol;
    return { start: text.length, end: text.length, text: `${lead}suppress:${eol}${blockItem(fields, "  ", eol)}` };
  }
  const key = pair.key as { range?: [number, number, number] };
  const value = pair.value as { range?: [number, number, number]; items?: unknown[]; flow?: boolean } | null;
  if (value === null || (Y.isScalar(value) && (value.value === null || value.value === ""))) {
    const at = lineEnd(key.range![1]);
    return { start: at, end: at, text: `${eol}${blockItem(fields, "  ", eol).replace(new RegExp(`${eol}$`), "")}` };
  }
  if (!Y.isSeq(value)) return undefined;
  const [start, end] = value.range!;
  if (value.flow) {
    const inline = `{ ${fields.map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
    const last = value.items[value.items.length - 1] as { range?: [number, number, number] } | undefined;
    if (!last) return { start, end, text: `${eol}${blockItem(fields, "  ", eol).replace(new RegExp(`${eol}$`), "")}` };
    return { start: last.range![1], end: last.range![1], text: `, ${inline}` };
  }
  // A block sequence: the new item after the last one, with the first item's indentation.
  const first = value.items[0] as { range?: [number, number, number] } | undefined;
  const last = value.items[value.items.length - 1] as { range?: [number, number, number] } | undefined;
  if (!first || !last) return undefined;
  const dash = text.lastIndexOf("-", first.range![0]);
  const indent = " ".repeat(dash - (text.lastIndexOf("\n", dash) + 1));
  const at = lineEnd(Math.max(last.range![1] - 1, start));
  return { start: at, end: at, text: `${eol}${blockItem(fields, indent, eol).replace(new RegExp(`${eol}$`), "")}` };
}
