import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";
import { composeYaml, parseYaml } from "../../src/parsers/yaml.js";
import { fastYaml, type YamlCst } from "../../src/parsers/yaml-fast.js";
import { treeDifference } from "./yaml-equivalence.js";

const Y = createRequire(import.meta.url)("yaml") as YamlCst;
const TAGS: Record<string, string> = { "!Ref": "Ref", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join", "!If": "Fn::If", "!Equals": "Fn::Equals", "!GetAZs": "Fn::GetAZs", "!Select": "Fn::Select" };
const fast = (text: string) => fastYaml(Y, text, TAGS, 200);

/** The fast path takes the text and builds what the composer-based path builds. */
function expectSame(text: string): void {
  const f = fast(text);
  expect(f, "the fast path should take this text").toBeDefined();
  const slow = composeYaml(text);
  expect(slow.problems).toEqual([]);
  expect(treeDifference(f!.root, slow.root)).toBeUndefined();
}

describe("fast YAML path", () => {
  it("builds the composer's tree for block and flow collections, tags, scalars and comments", () => {
    expectSame(`# a template
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: { Type: String, Default: prod }   # trailing comment
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Name: !Sub "\${Env}-lookup"
      Tags: [ { Key: a, Value: b }, [1, 2.5, x] ]
      Code:
        ZipFile: |
          def handler(event, context):
              return 1
      Folded: >-
        one
        two
      Arns: !Join
        - ":"
        - - arn
          - !Ref AWS::Partition
      Cond: !If [IsProd, !Ref A, 'single ''quoted''']
      # a comment between entries
      Multi: plain text
        that folds
    # trailing comment of the map

  Other: x
`);
  });

  it("types plain scalars as the core schema does and keeps numbers whose text JavaScript would change", () => {
    const text = "a: 012345678901\nb: 1.0\nc: 0x1F\nd: .inf\ne: true\nf: ~\ng: 42\nh: -3.5\ni: 1e3\nj: '42'\nk: False\nl: 0o17\nm: nan\n";
    expectSame(text);
    const root = fast(text)!.root!;
    const values = root.type === "object" ? root.entries.map((e) => (e.value.type === "scalar" ? e.value.value : undefined)) : [];
    expect(values).toEqual(["012345678901", "1.0", "0x1F", ".inf", true, null, 42, -3.5, "1e3", "42", false, "0o17", "nan"]);
  });

  it("writes keys as the composer does (typed, then as text)", () => {
    expectSame("1.0: a\ntrue: b\n~: c\n'q': d\n0x10: e\n");
  });

  it("takes empty values where the composer places them: null, or an empty string under a tag", () => {
    for (const text of [
      "a:\nb: 1\n",
      "a:   # why\nb: 1\n",
      "a:\n\n# between\nb: 1\n",
      "m:\n  x: 1\n  last:\n",
      "m:\n  last:   \n",
      "a: !Ref\nb: x\n",
      "a: !GetAZs   # all zones\nb: x\n",
      "a: !GetAtt\n",
      "l:\n  -\n  - x\n  - !Ref\n  -   # c\n  - y\n",
      "s: !Select [ 0, !GetAZs ]\n",
      "s: !Select [0, !GetAZs]\n",
      "s: !Select [ 0, !GetAZs\n  ]\n",
      "f: [a, b, ]\n",
      "f: [a, b\n  ]\n",
      "f: { a: 1, }\n",
      "f: [ # c\n  a ]\n",
    ]) {
      expectSame(text);
    }
    const root = fast("a:\nb: !Ref\n")!.root!;
    expect(root.type === "object" ? root.entries.map((e) => e.value.type === "scalar" ? e.value.value : e.value.type) : []).toEqual([null, "object"]);
  });

  it("takes a document marker, a comment-only file and an empty file", () => {
    expectSame("---\na: 1\n");
    expect(fast("# nothing here\n")).toEqual({ root: undefined });
    expect(fast("")).toEqual({ root: undefined });
  });

  it("leaves everything else to the composer", () => {
    for (const text of [
      "a: &x 1\nb: *x\n", // anchors and aliases
      "a: 1\na: 2\n", // duplicate keys (the composer reports them)
      "a: [1, , 2]\n", // an empty item inside a flow sequence (the composer reports it)
      "a: [, 1]\n", // a leading comma
      "a: {b: }\n", // an empty value in a flow mapping
      "a: [1, 2\n", // error
      "a:\n\t- 1\n", // tab
      "a: 1\n---\nb: 2\n", // two documents
      "base: {x: 1}\nc:\n  <<: {y: 2}\n", // merge key
      "? a\n: 1\n", // explicit key
      "a: !Custom 1\n", // a tag that is not CloudFormation's
      "a: !!str 1\n",
      "%YAML 1.2\n---\na: 1\n", // directive
      '"multi\n  line": 1\n', // multi-line key
    ]) {
      expect(fast(text), JSON.stringify(text)).toBeUndefined();
      // parseYaml still answers, through the composer.
      expect(parseYaml(text)).toEqual(composeYaml(text));
    }
  });

  it("leaves nesting beyond the limit to the composer path, which reports it", () => {
    const deep = "a: ".concat("[".repeat(250), "]".repeat(250), "\n");
    expect(fast(deep)).toBeUndefined();
    expect(parseYaml(deep).problems.map((p) => p.kind)).toEqual(["limit"]);
  });

  it("builds the composer's tree for every YAML fixture it takes", () => {
    const files = fg.sync("test/cases/**/*.{yaml,yml}", { cwd: join(import.meta.dirname, "..", ".."), absolute: true });
    expect(files.length).toBeGreaterThan(20);
    let taken = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const f = fast(text);
      const slow = composeYaml(text);
      if (!f) continue;
      taken++;
      expect(slow.problems, file).toEqual([]);
      expect(treeDifference(f.root, slow.root), file).toBeUndefined();
    }
    expect(taken).toBeGreaterThan(files.length * 0.8);
  });

  it("never takes a text the composer would read differently: 3,000 mutations of the fixtures", () => {
    const files = fg
      .sync("test/cases/**/*.{yaml,yml}", { cwd: join(import.meta.dirname, "..", ".."), absolute: true })
      .map((f) => readFileSync(f, "utf8"));
    // Deterministic (a linear congruential generator), so a failure reproduces.
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const inserts = [":", " ", "\t", "\n", "'", '"', "-", "#", "&a ", "*a", "!Ref ", "[", "]", "{", "}", ",", "? ", "|", ">", "  ", "\n  x: 1", "\n- y", "!!str ", "%", "---\n", "~", "0x1", "1.0"];
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      let t = files[rnd(files.length)]!;
      for (let k = 0, m = 1 + rnd(3); k < m; k++) {
        const p = rnd(t.length + 1);
        const op = rnd(3);
        if (op === 0) t = t.slice(0, p) + inserts[rnd(inserts.length)] + t.slice(p);
        else if (op === 1) t = t.slice(0, p) + t.slice(p + 1 + rnd(5));
        else {
          const lines = t.split("\n");
          lines.splice(rnd(lines.length), 0, lines[rnd(lines.length)]!);
          t = lines.join("\n");
        }
      }
      const f = fast(t);
      if (!f) continue;
      taken++;
      const slow = composeYaml(t);
      expect(slow.problems, t).toEqual([]);
      expect(treeDifference(f.root, slow.root), t).toBeUndefined();
    }
    // Many mutations stay valid YAML of the plain shapes: the check is not vacuous.
    expect(taken).toBeGreaterThan(300);
  });
});
