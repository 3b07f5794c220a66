import { describe, expect, it } from "vitest";
import { SourceFile } from "../../src/engine/source.js";
import { isString, prop } from "../../src/model/node.js";
import { valueSubRange } from "../../src/model/sub-range.js";
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
