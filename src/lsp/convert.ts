/**
 * deputy's results in LSP terms: findings and notifications as diagnostics (rule code, link to the rule page, related
 * locations), fixes (`Finding.fix`, edits by offset) as LSP text edits. Positions: deputy's regions are 1-based lines
 * and columns counted in UTF-16 code units, which is the LSP's default position encoding, so a region maps to a range
 * by subtracting one from each.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic, DiagnosticRelatedInformation, Range, TextEdit as LspTextEdit } from "vscode-languageserver/node";
import { DiagnosticSeverity, DiagnosticTag } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding, Notification, Region, Severity, TextEdit } from "../api.js";
import { ruleHelpUri } from "../api.js";

export const SOURCE = "deputy";

/** What a diagnostic carries for the code actions: which finding it is. */
export interface DiagnosticData {
  fingerprint?: string;
  kind?: string;
}

export function uriOf(root: string, file: string): string {
  return pathToFileURL(resolve(root, file)).href;
}

export function toRange(r: Region): Range {
  return {
    start: { line: Math.max(0, r.startLine - 1), character: Math.max(0, r.startColumn - 1) },
    end: { line: Math.max(0, r.endLine - 1), character: Math.max(0, r.endColumn - 1) },
  };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, note: DiagnosticSeverity.Information };

export function findingDiagnostic(f: Finding, root: string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({ location: { uri: uriOf(root, r.file), range: toRange(r.region) }, message: r.message ?? "" }));
  const d: Diagnostic = {
    range: toRange(f.region),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    source: SOURCE,
    message: f.message,
    data: { fingerprint: f.fingerprint } satisfies DiagnosticData,
  };
  const href = ruleHelpUri(f.ruleId);
  if (href) d.codeDescription = { href };
  if (related.length > 0) d.relatedInformation = related;
  return d;
}

/** A problem with a suppression, where the suppression is written; an unused one is shown faded (it hides nothing). */
export function notificationDiagnostic(n: Notification): Diagnostic {
  const d: Diagnostic = {
    range: n.region ? toRange(n.region) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: n.kind,
    source: SOURCE,
    message: n.message,
    data: { kind: n.kind } satisfies DiagnosticData,
  };
  if (n.kind === "suppression-unused") d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

/** deputy's text edits (offsets into a file's text) as LSP edits of that document. */
export function toLspEdits(doc: TextDocument, edits: readonly Pick<TextEdit, "start" | "end" | "text">[]): LspTextEdit[] {
  return edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.text }));
}

/**
 * One edit that turns `doc`'s text into `text`: the span between their common start and common end (never splitting
 * a surrogate pair), so a document edited by a whole-file fix keeps everything around the change untouched.
 */
export function minimalEdit(doc: TextDocument, text: string): LspTextEdit {
  const old = doc.getText();
  let a = 0;
  const n = Math.min(old.length, text.length);
  while (a < n && old.charCodeAt(a) === text.charCodeAt(a)) a++;
  if (a > 0 && isHigh(old.charCodeAt(a - 1))) a--;
  let b = 0;
  while (b < n - a && old.charCodeAt(old.length - 1 - b) === text.charCodeAt(text.length - 1 - b)) b++;
  if (b > 0 && isLow(old.charCodeAt(old.length - b))) b--;
  return { range: { start: doc.positionAt(a), end: doc.positionAt(old.length - b) }, newText: text.slice(a, text.length - b) };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
