/** Parser location round-trips: every node's range points at its own text, in JSON and YAML, with CRLF, BOM and tags. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";
import { SourceFile } from "../src/engine/source.js";
import { at, type Node, toJS } from "../src/model/node.js";
import { Resolver } from "../src/model/resolve.js";
import { decodeStringLiteralWithMap, parseJson } from "../src/parsers/json.js";
import { decode, loadText } from "../src/parsers/index.js";
import { parseYaml } from "../src/parsers/yaml.js";
import { replaceNode } from "../src/model/tree.js";

function walk(n: Node, f: (n: Node) => void): void {
  f(n);
  if (n.type === "object") for (const e of n.entries) walk(e.value, f);
  if (n.type === "array") for (const c of n.items) walk(c, f);
}

describe("JSON parser", () => {
  const text = '{\r\n  "Version": "2012-10-17",\r\n  "Statement": [\r\n    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Put\\u004fbject"], "Resource": "*", "N": -1.5e3, "B": true, "Z": null}\r\n  ]\r\n}';
  const { root, problems } = parseJson(text);

  it("gives the same value as JSON.parse", () => {
    expect(problems).toEqual([]);
    expect(toJS(root!)).toEqual(JSON.parse(text));
  });

  it("keeps each scalar's exact source text and path", () => {
    walk(root!, (n) => {
      if (n.type === "scalar") expect(JSON.parse(text.slice(n.range.start, n.range.end))).toEqual(n.value);
    });
    const action = at(root, "Statement", 0, "Action", 1)!;
    expect(action.path).toEqual(["Statement", 0, "Action", 1]);
    expect(text.slice(action.range.start, action.range.end)).toBe('"s3:Put\\u004fbject"');
  });

  it("maps offsets to 1-based lines and columns with CRLF line ends", () => {
    const f = new SourceFile("x.json", "/x.json", text);
    const effect = at(root, "Statement", 0, "Effect")!;
    expect(f.region(effect.range.start, effect.range.end)).toEqual({ startLine: 4, startColumn: 16, endLine: 4, endColumn: 23 });
    expect(f.lineText(4)).toContain('"Effect": "Allow"');
  });

  it("counts lines the same with LF, CRLF and lone CR line ends", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const f = new SourceFile("x", "x", ["a", "", "bcd", "e"].join(eol));
      const at3 = ["a", "", ""].join(eol).length + 1; // the "c" of line 3
      expect(f.position(at3)).toEqual({ line: 3, column: 2 });
      expect(f.position(0)).toEqual({ line: 1, column: 1 });
      expect(f.lineText(3)).toBe("bcd");
      expect(f.region(at3, at3 + 2 + eol.length)).toEqual({ startLine: 3, startColumn: 2, endLine: 3, endColumn: 4 + eol.length });
    }
  });

  it("reports syntax errors at their position, duplicate keys on the later key", () => {
    const bad = parseJson('{\n  "a": 1,\n  "b": [1, 2,]\n}');
    expect(bad.root).toBeUndefined();
    const f = new SourceFile("x", "x", '{\n  "a": 1,\n  "b": [1, 2,]\n}');
    expect(f.position(bad.problems[0]!.range.start)).toEqual({ line: 3, column: 14 });
    const dup = parseJson('{"a": 1, "b": 2, "a": 3}');
    expect(dup.problems).toHaveLength(1);
    expect(dup.problems[0]).toMatchObject({ kind: "duplicate-key", range: { start: 17, end: 20 } });
    expect(toJS(dup.root!)).toEqual({ a: 3, b: 2 });
  });

  it("bounds nesting depth", () => {
    const deep = parseJson("[".repeat(500) + "]".repeat(500));
    expect(deep.problems[0]!.kind).toBe("limit");
  });

  it("maps a JSON document inside a JSON string back to the outer file", () => {
    const outer = '{"Policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\"}]}"}';
    const outerRoot = parseJson(outer).root!;
    const str = at(outerRoot, "Policy")!;
    const dec = decodeStringLiteralWithMap(outer, str.range.start)!;
    const inner = parseJson(dec.text, { offsetMap: dec.map }).root!;
    replaceNode(inner, str);
    const effect = at(inner, "Statement", 0, "Effect")!;
    expect(outer.slice(effect.range.start, effect.range.end)).toBe('\\"Allow\\"');
    expect(effect.path).toEqual(["Policy", "Statement", 0, "Effect"]);
    expect(inner.path).toEqual(["Policy"]);
    expect(inner.parent).toBe(outerRoot);
  });
});

describe("YAML parser", () => {
  const text = [
    "Resources:",
    "  Role:",
    "    Type: AWS::IAM::Role",
    "    Properties:",
    "      RoleName: !Sub '${Env}-role'",
    "      Arn: !GetAtt Other.Arn",
    "      List: !Join ['', [a, !Ref B]]",
    "      Account: 012345678901",
    "      Flag: !If [C, !Base64 x, !Ref 'AWS::NoValue']",
    "      Tags: &t [1, 2]",
    "      Copy: *t",
    "",
  ].join("\r\n");
  const { root, problems } = parseYaml(text);

  it("rewrites short-form tags to the long form and keeps account IDs as written", () => {
    expect(problems).toEqual([]);
    const p = at(root, "Resources", "Role", "Properties")!;
    expect(toJS(p)).toEqual({
      RoleName: { "Fn::Sub": "${Env}-role" },
      Arn: { "Fn::GetAtt": ["Other", "Arn"] },
      List: { "Fn::Join": ["", ["a", { Ref: "B" }]] },
      Account: "012345678901",
      Flag: { "Fn::If": ["C", { "Fn::Base64": "x" }, { Ref: "AWS::NoValue" }] },
      Tags: [1, 2],
      Copy: [1, 2],
    });
  });

  it("keeps ranges on the written text (CRLF)", () => {
    const f = new SourceFile("t.yaml", "/t.yaml", text);
    const sub = at(root, "Resources", "Role", "Properties", "RoleName")!;
    expect(f.region(sub.range.start, sub.range.end)).toMatchObject({ startLine: 5, startColumn: 17 });
    const ref = at(root, "Resources", "Role", "Properties", "List", "Fn::Join", 1, 1)!;
    expect(f.position(ref.range.start)).toEqual({ line: 7, column: 28 });
    const copy = at(root, "Resources", "Role", "Properties", "Copy")!;
    expect(f.position(copy.range.start)).toEqual({ line: 11, column: 13 });
  });

  it("accepts every CloudFormation short-form tag", () => {
    const tags = ["Ref", "Sub", "GetAtt", "Join", "If", "Select", "Split", "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Equals", "And", "Or", "Not", "Condition", "Transform"];
    const doc = tags.map((t) => `${t}: !${t} x`).join("\n");
    const r = parseYaml(doc);
    expect(r.problems).toEqual([]);
    for (const t of tags) {
      const v = at(r.root, t)!;
      expect(v.type).toBe("object");
      const key = v.type === "object" ? v.entries[0]!.key : "";
      expect(key).toBe(t === "Ref" || t === "Condition" ? t : `Fn::${t}`);
    }
  });

  it("reports duplicate keys and bounds alias expansion", () => {
    expect(parseYaml("a: 1\nb: 2\na: 3\n").problems[0]).toMatchObject({ kind: "duplicate-key", message: expect.stringContaining('"a"') });
    const bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    expect(parseYaml(bomb.join("\n")).problems[0]!.kind).toBe("limit");
  });
});

describe("decoding and classification", () => {
  it("strips a UTF-8 BOM and decodes UTF-16", () => {
    expect(decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toEqual({ text: "{}" });
    expect(decode(new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]))).toEqual({ text: "{}" });
    expect(decode(new Uint8Array([0x7b, 0xe9, 0x7d]))).toHaveProperty("error");
  });

  const kinds: [string, string, string][] = [
    ["policy.json", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}', "policy:identity"],
    ["trust.json", '{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}', "policy:trust"],
    ["bucket.json", '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}', "policy:resource"],
    ["t.template", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", "cloudformation"],
    ["cdk.out/S.template.json", '{"Resources":{"R":{"Type":"AWS::SQS::Queue","Metadata":{"aws:cdk:path":"S/R/Resource"}}}}', "cdk"],
    ["role.json", '{"Role":{"RoleName":"r","Arn":"arn:aws:iam::123456789012:role/r","AssumeRolePolicyDocument":{"Statement":[]}}}', "cli:iam-get-role"],
    ["pol.json", '{"Policy":"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}","RevisionId":"x"}', "cli:lambda-get-policy"],
    ["url.json", '{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:f","AuthType":"NONE"}', "cli:lambda-get-function-url-config"],
    ["action.json", '{"name":"a","integrationType":"custom-rest-actions","config":{"request":{"requestUrlTemplate":"https://x"}},"contract":{}}', "genesys-data-action"],
  ];
  for (const [name, text, kind] of kinds) {
    it(`recognises ${kind} by content`, () => {
      const r = loadText(new SourceFile(name, "/" + name, text));
      expect(r.problems).toEqual([]);
      expect(r.model?.kind).toBe(kind);
    });
  }
});

describe("intrinsic resolution", () => {
  const t = parseYaml(
    [
      "Mappings: {M: {prod: {Acct: '111111111111'}, dev: {Acct: '222222222222'}}}",
      "V1: !Sub 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}'",
      "V2: !Join [':', [arn, !Ref 'AWS::Partition', iam, '', '123456789012', root]]",
      "V3: !If [C, a, b]",
      "V4: !FindInMap [M, !Ref Env, Acct]",
      "V5: !Sub ['${X}-y', {X: !Ref P}]",
      "V6: !GetAtt Fn.Arn",
      "V7: !Sub 'literal ${!aws:username}'",
    ].join("\n"),
  ).root!;
  const r = new Resolver({ resources: new Set(["Fn"]), parameters: new Set(["Env", "P"]), conditions: new Set(["C"]), mappings: at(t, "Mappings") });
  const vals = (k: string) => r.strings(at(t, k)).map((s) => s.value);
  it("keeps unknowns as ${...} and resolves what the template holds", () => {
    expect(vals("V1")).toEqual(["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}"]);
    expect(vals("V2")).toEqual(["arn:${AWS::Partition}:iam::123456789012:root"]);
    expect(vals("V3")).toEqual(["a", "b"]);
    expect(vals("V4")).toEqual(["111111111111", "222222222222"]);
    expect(vals("V5")).toEqual(["${P}-y"]);
    expect(r.strings(at(t, "V6"))[0]).toMatchObject({ value: "${Fn.Arn}", ref: { logicalId: "Fn", attr: "Arn" } });
    expect(vals("V7")).toEqual(["literal ${aws:username}"]);
  });
});

describe("CDK cloud assemblies", () => {
  it("maps resources to construct paths through manifest.json when templates carry no aws:cdk:path", async () => {
    const { lint } = await import("./helpers.js");
    const dir = join(ROOT, "test", "fixtures", "cdk-manifest");
    const f = lint(dir, dir).findings.find((x) => x.ruleId === "DPY002");
    expect(f).toMatchObject({ file: "cdk.out/OrderStack.template.json", region: { startLine: 8 }, logical: { name: "OrderStack/GenesysRole/Resource", kind: "construct" } });
  });
});
