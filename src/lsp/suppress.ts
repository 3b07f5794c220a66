/**
 * "Suppress with a reason" code actions, in the form the file supports (docs/configuration.md, src/engine/suppressions.ts):
 * a `# deputy-ignore RULE -- reason` comment above the finding's line in YAML (and Terraform) files. The reason is
 * left for the user to write after `--`: until it is there the suppression is not honoured and deputy says so on the
 * comment, so an action can never hide a finding without a reason.
 */
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { WorkspaceEdit } from "vscode-languageserver/node";
import type { Finding } from "../api.js";

export interface SuppressContext {
  /** The folder paths of findings are relative to. */
  root: string;
  /** The configuration file in use, if any. */
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
export function suppressionAction(f: Finding, doc: TextDocument, _ctx: SuppressContext): SuppressAction | undefined {
  const text = doc.getText();
  if (COMMENT_FILES.test(doc.uri) && !/^\s*[{[]/.test(text)) return commentAction(f, doc);
  return undefined;
}

function commentAction(f: Finding, doc: TextDocument): SuppressAction {
  const line = f.region.startLine - 1;
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } }).replace(/\r?\n$/, "");
  const indent = /^[ \t]*/.exec(lineText)![0];
  const eol = doc.getText().includes("\r\n") ? "\r\n" : "\n";
  return {
    title: `Suppress ${f.ruleId} (${f.ruleName}) on this line with a reason (# deputy-ignore)`,
    edit: { changes: { [doc.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# deputy-ignore ${f.ruleId} -- ${eol}` }] } },
  };
}
