/** Source-preserving edits: each helper writes in the syntax and style around the change, and refuses what it cannot write exactly. */
import { describe, expect, it } from "vitest";
import { SourceFile } from "../../src/engine/source.js";
import { applyTextEdits, CfnRef, FileEditor, yamlPlainSafe } from "../../src/engine/text-edits.js";
import type { TextEdit } from "../../src/engine/finding.js";
import { parseJson } from "../../src/parsers/json.js";
import { parseYaml } from "../../src/parsers/yaml.js";
import { at, type Node, type ObjectNode, type PathSegment } from "../../src/model/node.js";

function setup(name: string, text: string) {
  const root = (name.endsWith(".json") ? parseJson(text) : parseYaml(text)).root!;
  const file = new SourceFile(name, `/x/${name}`, text);
  const node = (...path: PathSegment[]): Node => at(root, ...path)!;
  const apply = (edits: TextEdit[] | undefined) => {
    expect(edits, "an edit").toBeDefined();
    return applyTextEdits(text, edits!);
  };
  return { editor: new FileEditor(file), node, apply, root };
}

describe("yamlPlainSafe", () => {
  it("accepts what reads back as the same string", () => {
    for (const v of ["arn:aws:lambda:us-east-1:123456789012:function:f", "StringEquals", "sts:ExternalId", "011a0480-9a1e-4da9-8cdd-2642474cf92a", "lambda:InvokeFunction"]) expect(yamlPlainSafe(v, false), v).toBe(true);
  });
  it("refuses numbers, booleans, nulls, indicators, comments and flow characters in flow context", () => {
    for (const v of ["765628985471", "1e5", "true", "No", "null", "~", "", " x", "*", "&a", "!Ref", "a: b", "a #b", "a:", "'q", "-", "0x1F", "12:30"]) expect(yamlPlainSafe(v, false), v).toBe(false);
    expect(yamlPlainSafe("a,b", true)).toBe(false);
    expect(yamlPlainSafe("a,b", false)).toBe(true);
  });
});

describe("FileEditor.replaceString", () => {
  it("keeps YAML plain, single- and double-quoted styles", () => {
    const t = "a: x1\nb: 'x2'\nc: \"x3\"\n";
    const { editor, node, apply } = setup("t.yaml", t);
    expect(apply(editor.replaceString(node("a"), "arn:aws:x"))).toBe("a: arn:aws:x\nb: 'x2'\nc: \"x3\"\n");
    expect(apply(editor.replaceString(node("b"), "it's"))).toBe("a: x1\nb: 'it''s'\nc: \"x3\"\n");
    expect(apply(editor.replaceString(node("c"), 'say "hi"'))).toBe('a: x1\nb: \'x2\'\nc: "say \\"hi\\""\n');
  });
  it("quotes a plain YAML value that would not read back as a string", () => {
    const { editor, node, apply } = setup("t.yaml", "a: x\n");
    expect(apply(editor.replaceString(node("a"), "765628985471"))).toBe('a: "765628985471"\n');
  });
  it("refuses block scalars", () => {
    const { editor, node } = setup("t.yaml", "a: |\n  text\nb: 1\n");
    expect(editor.replaceString(node("a"), "x")).toBeUndefined();
  });
  it("writes JSON strings with JSON escapes", () => {
    const { editor, node, apply } = setup("t.json", '{"a": "x", "b": 1}');
    expect(apply(editor.replaceString(node("a"), 'q"\\'))).toBe('{"a": "q\\"\\\\", "b": 1}');
  });
  it("edits a document embedded in a JSON string in the string's escapes", () => {
    const t = '{"Policy": "{\\"Statement\\": [{\\"Action\\": \\"a:b\\"}]}"}';
    const file = new SourceFile("p.json", "/x/p.json", t);
    // The CLI parser puts the embedded document in place of the string; here, the embedded text parsed with its map.
    const outer = parseJson(t).root as ObjectNode;
    const lit = outer.entries[0]!.value;
    const inner = JSON.parse(t).Policy as string;
    const map = new Int32Array(inner.length + 1);
    // Map each decoded character to its offset in the file (escapes are two characters).
    let o = lit.range.start + 1;
    for (let i = 0; i < inner.length; i++) {
      map[i] = o;
      o += t[o] === "\\" ? 2 : 1;
    }
    map[inner.length] = o;
    const root = parseJson(inner, { offsetMap: map }).root!;
    const action = at(root, "Statement", 0, "Action")!;
    const edits = new FileEditor(file).replaceString(action, "lambda:InvokeFunction");
    expect(applyTextEdits(t, edits!)).toBe('{"Policy": "{\\"Statement\\": [{\\"Action\\": \\"lambda:InvokeFunction\\"}]}"}');
  });
});

describe("FileEditor.replaceInString", () => {
  it("touches only the replaced characters when the value is written verbatim", () => {
    const { editor, node } = setup("t.json", '{"a": "arn:aws:iam::765628981432:root"}');
    expect(editor.replaceInString(node("a"), 13, 25, "765628985471")).toEqual([{ file: "t.json", start: 20, end: 32, text: "765628985471" }]);
  });
});

describe("FileEditor.renameKey", () => {
  it("renames in the key's quoting", () => {
    const y = setup("t.yaml", "C:\n  StringLike:\n    k: v\n");
    expect(y.apply(y.editor.renameKey(y.node("C", "StringLike"), "StringEquals"))).toBe("C:\n  StringEquals:\n    k: v\n");
    const j = setup("t.json", '{"C": {"StringLike": {"k": "v"}}}');
    expect(j.apply(j.editor.renameKey(j.node("C", "StringLike"), "StringEquals"))).toBe('{"C": {"StringEquals": {"k": "v"}}}');
  });
});

describe("FileEditor.addEntry", () => {
  const cond = { StringEquals: { "sts:ExternalId": "011a0480-9a1e-4da9-8cdd-2642474cf92a" } };
  it("JSON over several lines: a new entry at the siblings' indentation, nested objects in the file's indent unit", () => {
    const t = '{\n    "A": 1,\n    "S": {\n        "Effect": "Allow"\n    }\n}\n';
    const { editor, node, apply } = setup("t.json", t);
    expect(apply(editor.addEntry(node("S") as ObjectNode, "Condition", cond))).toBe(
      '{\n    "A": 1,\n    "S": {\n        "Effect": "Allow",\n        "Condition": {\n            "StringEquals": {\n                "sts:ExternalId": "011a0480-9a1e-4da9-8cdd-2642474cf92a"\n            }\n        }\n    }\n}\n',
    );
  });
  it("JSON on one line: inline, with the file's separators", () => {
    const { editor, root, apply } = setup("t.json", '{"Effect":"Allow","Action":"x"}');
    expect(apply(editor.addEntry(root as ObjectNode, "Condition", cond))).toBe('{"Effect":"Allow","Action":"x","Condition":{"StringEquals":{"sts:ExternalId":"011a0480-9a1e-4da9-8cdd-2642474cf92a"}}}');
  });
  it("YAML block: new lines after the last entry's line (its comment stays), CRLF kept", () => {
    const t = "S:\r\n  - Effect: Allow\r\n    Action: x # why\r\nNext: !Ref Other\r\n";
    const { editor, node, apply } = setup("t.yaml", t);
    expect(apply(editor.addEntry(node("S", 0) as ObjectNode, "Condition", { StringEquals: { "sts:ExternalId": new CfnRef("OrgId") } }))).toBe(
      "S:\r\n  - Effect: Allow\r\n    Action: x # why\r\n    Condition:\r\n      StringEquals:\r\n        sts:ExternalId: !Ref OrgId\r\nNext: !Ref Other\r\n",
    );
  });
  it("YAML block at the end of a file without a final line break", () => {
    const { editor, root, apply } = setup("t.yaml", "Effect: Allow\nAction: x");
    expect(apply(editor.addEntry(root as ObjectNode, "Sid", "One"))).toBe("Effect: Allow\nAction: x\nSid: One\n");
  });
  it("YAML flow mapping: inline", () => {
    const { editor, node, apply } = setup("t.yaml", "S: {Effect: Allow, Action: x}\n");
    expect(apply(editor.addEntry(node("S") as ObjectNode, "Condition", { StringEquals: { "sts:ExternalId": "abc" } }))).toBe("S: {Effect: Allow, Action: x, Condition: {StringEquals: {sts:ExternalId: abc}}}\n");
  });
  it("a Ref in the long form when the template uses no short-form tags", () => {
    const { editor, root, apply } = setup("t.yaml", "Effect: Allow\n");
    expect(apply(editor.addEntry(root as ObjectNode, "V", new CfnRef("OrgId")))).toBe("Effect: Allow\nV:\n  Ref: OrgId\n");
  });
});

describe("FileEditor.removeItem", () => {
  it("JSON: first, middle and last item with their separator", () => {
    const t = '[\n  "a",\n  "b",\n  "c"\n]';
    const { editor, root, apply } = setup("t.json", t);
    expect(apply(editor.removeItem(root, 0))).toBe('[\n  "b",\n  "c"\n]');
    expect(apply(editor.removeItem(root, 1))).toBe('[\n  "a",\n  "c"\n]');
    expect(apply(editor.removeItem(root, 2))).toBe('[\n  "a",\n  "b"\n]');
  });
  it("YAML block: the item's lines, its comment with it", () => {
    const t = "A:\n  - a\n  - b # why\n  - c\nB: 1\n";
    const { editor, node, apply } = setup("t.yaml", t);
    expect(apply(editor.removeItem(node("A"), 1))).toBe("A:\n  - a\n  - c\nB: 1\n");
    expect(apply(editor.removeItem(node("A"), 2))).toBe("A:\n  - a\n  - b # why\nB: 1\n");
  });
  it("YAML flow list", () => {
    const { editor, node, apply } = setup("t.yaml", "A: [a, b]\n");
    expect(apply(editor.removeItem(node("A"), 0))).toBe("A: [b]\n");
  });
  it("never empties a list", () => {
    const { editor, node } = setup("t.yaml", "A: [a]\n");
    expect(editor.removeItem(node("A"), 0)).toBeUndefined();
  });
});

describe("FileEditor.removeEntry", () => {
  it("JSON and flow mappings with their separator, YAML block mappings as lines", () => {
    const j = setup("t.json", '{"A": 1, "B": 2, "C": 3}');
    expect(j.apply(j.editor.removeEntry(j.root as ObjectNode, 0))).toBe('{"B": 2, "C": 3}');
    expect(j.apply(j.editor.removeEntry(j.root as ObjectNode, 2))).toBe('{"A": 1, "B": 2}');
    const y = setup("t.yaml", "M:\n  a: 1 # one\n  b:\n    c: 2\nN: {x: 1, y: 2}\n");
    expect(y.apply(y.editor.removeEntry(y.node("M") as ObjectNode, 0))).toBe("M:\n  b:\n    c: 2\nN: {x: 1, y: 2}\n");
    expect(y.apply(y.editor.removeEntry(y.node("M") as ObjectNode, 1))).toBe("M:\n  a: 1 # one\nN: {x: 1, y: 2}\n");
    expect(y.apply(y.editor.removeEntry(y.node("N") as ObjectNode, 1))).toBe("M:\n  a: 1 # one\n  b:\n    c: 2\nN: {x: 1}\n");
    expect(y.editor.removeEntry(y.node("M", "b") as ObjectNode, 0)).toBeUndefined();
  });
});

describe("FileEditor.replaceItemWithMany and replaceValue", () => {
  it("YAML block list items as lines", () => {
    const { editor, node, apply } = setup("t.yaml", "R:\n  - '*'\n  - x\n");
    expect(apply(editor.replaceItemWithMany(node("R"), 0, ["arn:a", "arn:b"]))).toBe("R:\n  - 'arn:a'\n  - 'arn:b'\n  - x\n");
  });
  it("JSON list over several lines", () => {
    const { editor, node, apply } = setup("t.json", '{"R": [\n  "*",\n  "x"\n]}');
    expect(apply(editor.replaceItemWithMany(node("R"), 0, ["a", "b"]))).toBe('{"R": [\n  "a",\n  "b",\n  "x"\n]}');
  });
  it("a scalar becomes a flow list, a Ref", () => {
    const y = setup("t.yaml", 'R: "*"\nT: !Sub x\n');
    expect(y.apply(y.editor.replaceValue(y.node("R"), ["a", "b"]))).toBe('R: ["a", "b"]\nT: !Sub x\n');
    expect(y.apply(y.editor.replaceValue(y.node("R"), new CfnRef("P")))).toBe("R: !Ref P\nT: !Sub x\n");
    const j = setup("t.json", '{"R": "x"}');
    expect(j.apply(j.editor.replaceValue(j.node("R"), new CfnRef("P")))).toBe('{"R": {"Ref": "P"}}');
  });
});

describe("applyTextEdits", () => {
  it("applies edits in order and refuses overlaps", () => {
    expect(applyTextEdits("abcdef", [{ file: "f", start: 4, end: 5, text: "E" }, { file: "f", start: 0, end: 1, text: "A" }])).toBe("AbcdEf");
    expect(() => applyTextEdits("abcdef", [{ file: "f", start: 0, end: 3, text: "" }, { file: "f", start: 2, end: 4, text: "" }])).toThrow();
  });
});
