/**
 * deputy's results in LSP terms (src/lsp/convert.ts): findings and notifications as diagnostics, and fixes
 * (`Finding.fix`: edits by UTF-16 offset) as LSP text edits, which the language server's quick fixes and "fix all"
 * send. Findings carrying fixes are made here, so the mapping is tested whatever rules can fix.
 */
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding, Fix } from "../../src/api.js";
import { compatibleFixes, findingDiagnostic, notificationDiagnostic, toLspEdits, toRange } from "../../src/lsp/convert.js";

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

const fix = (description: string, safe: boolean, ...edits: [number, number, string][]): Fix => ({ description, safe, edits: edits.map(([start, end, text]) => ({ file: "a.json", start, end, text })) });

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

  it("fix all takes whole fixes in offset order, leaving out those that overlap one taken (deterministically)", () => {
    const a = fix("a", true, [10, 20, "A"]);
    const b = fix("b", true, [15, 25, "B"]);
    const c = fix("c", true, [30, 30, "C"], [40, 45, "C2"]);
    const d = fix("d", true, [30, 30, "D"]);
    const e = fix("e", true, [0, 5, "E"]);
    expect(compatibleFixes([b, a, c, d, e]).map((f) => f.description)).toEqual(["e", "a", "c"]);
    expect(compatibleFixes([a, b]).map((f) => f.description)).toEqual(["a"]);
    expect(compatibleFixes([b, a]).map((f) => f.description)).toEqual(["a"]);
    // Edits of other files never clash; a fix with no edits is nothing to apply.
    const other: Fix = { description: "other", safe: true, edits: [{ file: "b.json", start: 10, end: 20, text: "" }] };
    expect(compatibleFixes([a, other, fix("empty", true)]).map((f) => f.description)).toEqual(["a", "other"]);
  });
});
