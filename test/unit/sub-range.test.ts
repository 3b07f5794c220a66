import { describe, expect, it } from "vitest";
import { SourceFile } from "../../src/engine/source.js";
import { isString, prop } from "../../src/model/node.js";
import { scalarTextWithMap, valueSubRange } from "../../src/model/sub-range.js";
import { parseJson } from "../../src/parsers/json.js";
import { parseYaml } from "../../src/parsers/yaml.js";

function check(text: string, yaml: boolean, sub: string): string | undefined {
  const root = (yaml ? parseYaml(text) : parseJson(text)).root!;
  const n = prop(root, "h");
  if (!isString(n)) throw new Error("no h");
  const i = n.value.indexOf(sub);
  const r = valueSubRange(new SourceFile("f", "f", text), n, n.value, i, i + sub.length);
  return r && text.slice(r.start, r.end);
}

describe("valueSubRange", () => {
  it("maps through JSON strings, escapes included", () => {
    expect(check('{"h": "Bearer abc123"}', false, "abc123")).toBe("abc123");
    expect(check('{"h": "x \\"q\\" abc123"}', false, "abc123")).toBe("abc123");
    expect(check('{"h": "\\u0061bc123"}', false, "abc123")).toBe("\\u0061bc123");
  });
  it("maps YAML plain, single- and double-quoted scalars", () => {
    expect(check("h: Bearer abc123\n", true, "abc123")).toBe("abc123");
    expect(check("h: 'Bearer abc123'\n", true, "abc123")).toBe("abc123");
    expect(check('h: "Bearer abc123"\n', true, "abc123")).toBe("abc123");
  });
  it("gives up where the mapping is not exact", () => {
    expect(check("h: 'it''s abc123'\n", true, "abc123")).toBeUndefined();
    expect(check("h: >\n  Bearer\n  abc123\n", true, "abc123")).toBeUndefined();
  });
});

describe("scalarTextWithMap", () => {
  const every = (text: string): string[] | undefined => {
    const root = parseYaml(text).root!;
    const n = prop(root, "h")!;
    const m = scalarTextWithMap(new SourceFile("f", "f", text), n);
    if (!m) return undefined;
    // Every character of the value is the file's character at its mapped offset (a line break maps to "\n" or "\r").
    return [...m.text].map((c, i) => (c === "\n" ? (/[\r\n]/.test(text[m.map[i]!]!) ? "ok" : `bad ${i}`) : text[m.map[i]!] === c ? "ok" : `bad ${i}`)).filter((x) => x !== "ok");
  };

  it("maps literal block scalars line by line, blank lines and keep/strip chomping included", () => {
    expect(every('h: |\n  {"a":\n\n    "b"}\n')).toEqual([]);
    expect(every('h: |-\n    x: 1\n    y: 2\nz: 3\n')).toEqual([]);
    expect(every('h: |+\n  one\n\n\nz: 3\n')).toEqual([]);
    expect(every('h: |\r\n  one\r\n  two\r\n')).toEqual([]);
  });

  it("maps quoted and plain scalars, and gives up on folded ones", () => {
    expect(every('h: "a b"\n')).toEqual([]);
    expect(every("h: 'abc'\n")).toEqual([]);
    expect(every("h: abc def\n")).toEqual([]);
    expect(every("h: >\n  folded\n  text\n")).toBeUndefined();
  });
});
