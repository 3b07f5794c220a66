/**
 * deputy's results in LSP terms (src/lsp/convert.ts): findings and notifications as diagnostics, fixes
 * (`Finding.fix`: edits by UTF-16 offset) as LSP text edits (the quick fixes), and a fixed text as one edit (fix all).
 */
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding } from "../../src/api.js";
import { findingDiagnostic, minimalEdit, notificationDiagnostic, toLspEdits, toRange } from "../../src/lsp/convert.js";

function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: "DPY105",
    ruleName: "unknown-genesys-account",
    severity: "error",
    message: "765628981432 is not a Genesys Cloud AWS account but a near miss of one",
    file: "policies/trust.json",
    region: { startLine: 8, startColumn: 16, endLine: 8, endColumn: 46 },
    logical: { path: "Statement[0]/Principal/AWS" },
    fingerprint: "abc",
    related: [{ file: "infra/role.yaml", region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 9 }, message: "the role" }],
    ...over,
  };
}

describe("findings as diagnostics", () => {
  it("carries range, severity, rule code, the rule page, related locations and the fingerprint", () => {
    const d = findingDiagnostic(finding(), "/ws");
    expect(d).toEqual({
      range: { start: { line: 7, character: 15 }, end: { line: 7, character: 45 } },
      severity: 1,
      code: "DPY105",
      codeDescription: { href: "https://github.com/deputy-lint/deputy/blob/main/docs/rules/DPY105-unknown-genesys-account.md" },
      source: "deputy",
      message: "765628981432 is not a Genesys Cloud AWS account but a near miss of one",
      relatedInformation: [{ location: { uri: "file:///ws/infra/role.yaml", range: { start: { line: 2, character: 4 }, end: { line: 2, character: 8 } } }, message: "the role" }],
      data: { fingerprint: "abc" },
    });
    expect(findingDiagnostic(finding({ severity: "warning", related: [] }), "/ws")).not.toHaveProperty("relatedInformation");
    expect(findingDiagnostic(finding({ severity: "note" }), "/ws").severity).toBe(3);
  });

  it("shows suppression problems where they are written, an unused one faded", () => {
    const unused = notificationDiagnostic({ kind: "suppression-unused", level: "warning", message: "matched no finding", file: "t.yaml", region: { startLine: 2, startColumn: 3, endLine: 2, endColumn: 20 } });
    expect(unused).toMatchObject({ severity: 2, code: "suppression-unused", tags: [1], range: { start: { line: 1, character: 2 } } });
    expect(notificationDiagnostic({ kind: "suppression-no-reason", level: "warning", message: "no reason" })).not.toHaveProperty("tags");
  });

  it("never makes a negative position", () => {
    expect(toRange({ startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 })).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });
});

describe("fixes as LSP edits", () => {
  it("turns offsets into positions in UTF-16 code units, across CRLF lines", () => {
    const text = '{\r\n  "k": "é😀x",\r\n  "a": "765628981432"\r\n}\r\n';
    const doc = TextDocument.create("file:///a.json", "json", 1, text);
    const start = text.indexOf("765628981432");
    const [e] = toLspEdits(doc, [{ start, end: start + 12, text: "765628985471" }]);
    expect(e).toEqual({ range: { start: { line: 2, character: 8 }, end: { line: 2, character: 20 } }, newText: "765628985471" });
    const x = text.indexOf("x");
    expect(toLspEdits(doc, [{ start: x, end: x + 1, text: "y" }])[0]!.range.start).toEqual({ line: 1, character: 11 });
    expect(TextDocument.applyEdits(doc, toLspEdits(doc, [{ start, end: start + 12, text: "765628985471" }]))).toBe(text.replace("765628981432", "765628985471"));
  });

  it("a whole-file fix becomes one edit of the changed span only, never splitting a surrogate pair", () => {
    const text = 'a: "😀"\r\nb: 765628981432\r\nc: 1\r\n';
    const doc = TextDocument.create("file:///a.yaml", "yaml", 1, text);
    const fixed = text.replace("765628981432", "765628985471");
    const e = minimalEdit(doc, fixed);
    expect(e).toEqual({ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 15 } }, newText: "5471" });
    expect(TextDocument.applyEdits(doc, [e])).toBe(fixed);
    // Two emoji that share their high surrogate: the edit takes the whole character.
    const emoji = TextDocument.create("file:///e.yaml", "yaml", 1, "x: 😀\n");
    const e2 = minimalEdit(emoji, "x: 😁\n");
    expect(e2.newText).toBe("😁");
    expect(TextDocument.applyEdits(emoji, [e2])).toBe("x: 😁\n");
    expect(minimalEdit(doc, text).newText).toBe("");
  });
});
