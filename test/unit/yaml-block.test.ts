import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";
import { composeYaml, parseYaml } from "../../src/parsers/yaml.js";
import { blockYaml } from "../../src/parsers/yaml-block.js";
import type { YamlCst } from "../../src/parsers/yaml-fast.js";
import { treeDifference } from "./yaml-equivalence.js";

const Y = createRequire(import.meta.url)("yaml") as YamlCst;
const TAGS: Record<string, string> = { "!Ref": "Ref", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join", "!If": "Fn::If", "!Equals": "Fn::Equals", "!GetAZs": "Fn::GetAZs", "!Select": "Fn::Select", "!Base64": "Fn::Base64" };
const scan = (text: string) => blockYaml(Y, text, TAGS, 200);

/** Whether the line scanner takes the text; when it does, it must build what the composer-based path builds. */
function sameIfTaken(text: string): boolean {
  const f = scan(text);
  if (!f) return false;
  const slow = composeYaml(text);
  expect(slow.problems, text).toEqual([]);
  expect(treeDifference(f.root, slow.root), text).toBeUndefined();
  return true;
}

/** The line scanner takes the text and builds what the composer-based path builds. */
function expectSame(text: string): void {
  const f = scan(text);
  expect(f, `the line scanner should take ${JSON.stringify(text)}`).toBeDefined();
  const slow = composeYaml(text);
  expect(slow.problems).toEqual([]);
  expect(treeDifference(f!.root, slow.root), text).toBeUndefined();
}

const fixtures = () =>
  fg.sync("test/cases/**/*.{yaml,yml}", { cwd: join(import.meta.dirname, "..", ".."), absolute: true }).map((f) => ({ file: f, text: readFileSync(f, "utf8") }));

describe("YAML line scanner", () => {
  it("builds the composer's tree for a template with the usual shapes", () => {
    expectSame(`# a template
---
AWSTemplateFormatVersion: "2010-09-09"
Description: 'A ''quoted'' description'   # why
Parameters:
  Env: { Type: String, Default: prod, AllowedValues: [dev, prod] }
Resources:

  # the function
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Name: !Sub "\${Env}-lookup"
      Timeout: 30
      Enabled: true
      Empty:
      Tags: [ { Key: a, Value: b }, [1, 2.5, x], !Ref Env ]
      Zones: !Select [ 0, !GetAZs '' ]
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
      Statement:
      - Effect: Allow
        Action:
          - lambda:InvokeFunction
        Resource: "*"
      -   Effect: Deny
          Action: "*"
  Other: x
Outputs:
  Out:
    Value: !Ref Fn
`);
  });

  it("types plain scalars as the core schema does and keeps numbers whose text JavaScript would change", () => {
    const text = "a: 012345678901\nb: 1.0\nc: 0x1F\nd: .inf\ne: true\nf: ~\ng: 42\nh: -3.5\ni: 1e3\nj: '42'\nk: False\nl: 0o17\nm: nan\n";
    expectSame(text);
    const root = scan(text)!.root!;
    const values = root.type === "object" ? root.entries.map((e) => (e.value.type === "scalar" ? e.value.value : undefined)) : [];
    expect(values).toEqual(["012345678901", "1.0", "0x1F", ".inf", true, null, 42, -3.5, "1e3", "42", false, "0o17", "nan"]);
  });

  it("places empty values, tagged ones included, where the composer places them", () => {
    for (const text of ["a:\nb: 1\n", "a:   \nb: 1\n", "m:\n  x: 1\n  last:\n", "a: !Ref\nb: x\n", "l:\n  -\n  - x\n", "s: !Select [0, !GetAZs]\n", "s: !Select [ 0, !GetAZs ]\n", "f: [a, b, ]\n"]) expectSame(text);
  });

  it("reads block scalars as the package's lexer delimits them", () => {
    for (const text of [
      "a: |\n  x\n\n  y\n\n\nb: 1\n",
      "a: >\n  folded\n  text\n\n    more\nb: 1\n",
      "a: |-   # header comment\n  x\n",
      "a: !Sub |\n  #!/bin/bash\n  echo ${X}\n",
      "a: |\nb: 1\n",
      "l:\n  - |\n    x\n  - k: |\n      y\n    k2: >-\n      z\n",
      "a: |\n  x\n    \n",
      "a: |\n  last line without a break",
    ]) expectSame(text);
  });

  it("reads scalars and flow collections over several lines, and values on a line below their key", () => {
    for (const text of [
      "a: plain text\n  that folds\n\n  over a blank line\nb: 1\n",
      "a:\n  text on the next line\n  and the one after\nb: 1\n",
      "a: 'quoted\n  over lines'\nb: \"double\\\n  escaped break\"\n",
      "Value:\n  !GetAtt Fn.Arn\nOther:\n  !Sub |\n    echo ${X}\n",
      "l:\n  - first\n    continued\n  - 1\n    2\n",
      "a: text\n    # a deeper comment ends it\nb: 1\n",
      "a: [1,\n  2, # a comment\n\n  'three',\n  { k: v,\n    k2: \"v2\" }\n]\nb: !Select [0,\n  !GetAZs '']\n",
      "Default:\n  'a quoted value: below its key,\n  over two lines'\nl:\n  - 'quoted: item\n    over lines'\n",
    ]) expectSame(text);
  });

  it("takes comments where they cannot change a range", () => {
    for (const text of ["a:\n  b: 1\n# margin comment\nc: 2\n", "a:\n  # before\n  b: 1\n  # between\n  c: 2\nd: 3\n", "a: 1 # end of line\n# at the end\n", "l:\n  - a\n  # between items\n  - b\n"]) expectSame(text);
  });

  it("leaves everything else to the next path, which reads it as before", () => {
    for (const text of [
      "a:\n  b: 1\n  # kept by the inner mapping\nc: 2\n", // a trailing comment the composer keeps in a collection
      "a:\n  b:\n  # in the empty value's properties\nc: 2\n",
      "a: 1\n  # attached to the last value, which it extends\n",
      "a: {b: 1\n# at a line's start inside a flow collection\n  }\n",
      "a: &x 1\nb: *x\n", // anchors and aliases
      "a: 1\na: 2\n", // duplicate keys (the composer reports them)
      "a: [1, 2\n", // error
      "a:\n\t- 1\n", // tab
      "a: 1\r\nb: 2\r\n", // CRLF
      "a: 1\n---\nb: 2\n", // two documents
      "base: {x: 1}\nc:\n  <<: {y: 2}\n", // merge key
      "? a\n: 1\n", // explicit key
      "a: !Custom 1\n", // a tag that is not CloudFormation's
      "a: !!str 1\n",
      "%YAML 1.2\n---\na: 1\n", // directive
      "a: text # a comment ends it\n  more\n", // then a line that continues nothing
      "a: 'quoted\nunder-indented'\n",
      "a: [1,\n2]\n", // a flow collection with an under-indented line
      "a: [x\n  y]\n", // a plain scalar a flow collection's next line continues
      "a: [ Ref: b ]\n", // a single-pair mapping in a flow sequence
      "a: |2\n   x\n", // indentation indicator
      "a: |+\n  x\n\n", // keep
      "{a: 1}\n", // a flow collection at the root
    ]) {
      expect(scan(text), JSON.stringify(text)).toBeUndefined();
      expect(parseYaml(text)).toEqual(composeYaml(text));
    }
  });

  it("leaves nesting beyond the limit to the next path", () => {
    const deep = "a: ".concat("[".repeat(250), "]".repeat(250), "\n");
    expect(scan(deep)).toBeUndefined();
    expect(parseYaml(deep).problems.map((p) => p.kind)).toEqual(["limit"]);
  });

  it("builds the composer's tree for every YAML fixture it takes", () => {
    const files = fixtures();
    expect(files.length).toBeGreaterThan(20);
    let taken = 0;
    for (const { text } of files) if (sameIfTaken(text)) taken++;
    expect(taken).toBeGreaterThan(files.length * 0.6);
  });

  it("never takes a flow collection the composer would read differently: 3,000 line breaks, indents and comments put into them", () => {
    let seed = 5;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bases = [
      "a:\n  b: [x, 'y z', {k: v, k2: \"w\"}, !Ref R, [1, 2], !GetAZs '', !Sub \"${A}\"]\n  c: 1\n",
      "l:\n  - !Join ['', [arn, !Ref P, ':x']]\n  - {a: [1, 2], b: {c: d}}\nz: [ ]\n",
      "m: {A: 1, B: [x, y], C: !If [c, a, b]}\nn: end\n",
    ];
    const pieces = ["\n", "\n  ", "\n    ", "\n ", " # c\n   ", "\n\n  ", "\n# c\n  ", " ", "\n  - ", ","];
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      let t = bases[rnd(bases.length)]!;
      for (let k = 0, m = 1 + rnd(4); k < m; k++) {
        const p = rnd(t.length + 1);
        t = t.slice(0, p) + pieces[rnd(pieces.length)] + t.slice(p);
      }
      if (sameIfTaken(t)) taken++;
    }
    expect(taken).toBeGreaterThan(600);
  });

  it("never takes a text the composer would read differently: 3,000 mutations of the fixtures", () => {
    const files = fixtures().map((f) => f.text);
    // Deterministic (a linear congruential generator), so a failure reproduces.
    let seed = 4242;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const inserts = [":", " ", "\t", "\n", "'", '"', "-", "#", "&a ", "*a", "!Ref ", "!GetAZs", "[", "]", "{", "}", ",", "? ", "|", ">", "  ", "\n  x: 1", "\n- y", "!!str ", "%", "---\n", "~", "0x1", "1.0", ":\n", " #c", "-\n", "\n# c\n", "\n  # c\n", "\n    # c\n", "\n\n", "|-\n", ">\n  "];
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      let t = files[rnd(files.length)]!;
      for (let k = 0, m = 1 + rnd(3); k < m; k++) {
        const p = rnd(t.length + 1);
        const op = rnd(4);
        if (op === 0) t = t.slice(0, p) + inserts[rnd(inserts.length)] + t.slice(p);
        else if (op === 1) t = t.slice(0, p) + t.slice(p + 1 + rnd(5));
        else if (op === 2) {
          const lines = t.split("\n");
          lines.splice(rnd(lines.length), 0, lines[rnd(lines.length)]!);
          t = lines.join("\n");
        } else {
          // Empty a value: cut the rest of a line after a colon.
          const e = t.indexOf("\n", p);
          const c = t.lastIndexOf(":", e);
          if (c > p) t = t.slice(0, c + 1) + t.slice(e);
        }
      }
      if (sameIfTaken(t)) taken++;
    }
    // Many mutations stay valid YAML of the plain shapes: the check is not vacuous.
    expect(taken).toBeGreaterThan(300);
  });
});
