import { describe, it, expect } from "vitest";
import { hasExpressions, parseTemplate, usesCredentials, type Segment } from "../../src/model/genesys-template.js";

function exprs(s: string): Extract<Segment, { kind: "expr" }>[] {
  return parseTemplate(s).filter((x): x is Extract<Segment, { kind: "expr" }> => x.kind === "expr");
}

/** Segments must tile the input exactly, and each text must equal the slice at its offsets. */
function expectTiles(s: string): void {
  const segs = parseTemplate(s);
  let pos = 0;
  for (const seg of segs) {
    expect(seg.start).toBe(pos);
    expect(seg.end).toBeGreaterThan(seg.start);
    expect(seg.text).toBe(s.slice(seg.start, seg.end));
    if (seg.kind === "expr") {
      for (const lit of seg.literals) {
        expect(lit.text).toBe(s.slice(lit.start, lit.end));
        expect(lit.start).toBeGreaterThanOrEqual(seg.start);
        expect(lit.end).toBeLessThanOrEqual(seg.end);
      }
    }
    pos = seg.end;
  }
  expect(pos).toBe(s.length);
}

describe("parseTemplate", () => {
  it("returns no segments for an empty string", () => {
    expect(parseTemplate("")).toEqual([]);
  });

  it("keeps plain text as one literal", () => {
    expect(parseTemplate("/api/v2/analytics/queues/observations/query")).toEqual([
      { kind: "literal", text: "/api/v2/analytics/queues/observations/query", start: 0, end: 43 },
    ]);
  });

  it("parses a braced reference with offsets (corpus: Disconnect-Interaction)", () => {
    const s = "/api/v2/conversations/${input.conversationId}/disconnect";
    expect(parseTemplate(s)).toEqual([
      { kind: "literal", text: "/api/v2/conversations/", start: 0, end: 22 },
      {
        kind: "expr",
        text: "${input.conversationId}",
        start: 22,
        end: 45,
        refs: ["input.conversationId"],
        literals: [],
      },
      { kind: "literal", text: "/disconnect", start: 45, end: 56 },
    ]);
  });

  it("parses the quiet form $!{...} (corpus: Create-Scheduled-Callback)", () => {
    const s = '{\n"scriptId": "$!{input.scriptId}",\n"callbackNumbers": [ "${input.phone}" ]\n}';
    const e = exprs(s);
    expect(e.map((x) => x.text)).toEqual(["$!{input.scriptId}", "${input.phone}"]);
    expect(e.map((x) => x.refs)).toEqual([["input.scriptId"], ["input.phone"]]);
    // quotes of the JSON body are literal text, not string literals of an expression
    expect(e.every((x) => x.literals.length === 0)).toBe(true);
    expectTiles(s);
  });

  it("parses the short form $input.x (corpus: Get-Sentiment)", () => {
    const s = "/api/v2/speechandtextanalytics/conversations/$input.conversationid";
    const e = exprs(s);
    expect(e).toHaveLength(1);
    expect(e[0]?.text).toBe("$input.conversationid");
    expect(e[0]?.refs).toEqual(["input.conversationid"]);
    expect(e[0]?.end).toBe(s.length);
  });

  it("keeps the case of references (corpus: Update-External-Tag)", () => {
    expect(exprs("/api/v2/conversations/${INPUT.ConversationID}/tags")[0]?.refs).toEqual(["INPUT.ConversationID"]);
  });

  it("drops method names from references and lists single-quoted args (corpus: Update-IVR-Cache-Entry)", () => {
    const s = "/api/v2/flows/datatables/c602af71-de81-434d-b30c-d40ff8d73966/rows/${input.key.replace(' ','%20')}";
    const e = exprs(s);
    expect(e).toHaveLength(1);
    expect(e[0]?.text).toBe("${input.key.replace(' ','%20')}");
    expect(e[0]?.refs).toEqual(["input.key"]);
    expect(e[0]?.literals.map((l) => l.text)).toEqual([" ", "%20"]);
    expectTiles(s);
  });

  it("parses tools with nested references: $esc.url(${input.x})", () => {
    const s = "https://api.example.com/search?q=$esc.url(${input.query})&x=1";
    const e = exprs(s);
    expect(e).toHaveLength(1);
    expect(e[0]?.text).toBe("$esc.url(${input.query})");
    expect(e[0]?.refs).toEqual(["esc", "input.query"]);
    expectTiles(s);
  });

  it("parses $encodeBase64 with interpolated credentials; only constant pieces of the string are literals", () => {
    const s = 'Basic $encodeBase64("${credentials.user}:${credentials.pass}")';
    const e = exprs(s);
    expect(e).toHaveLength(1);
    expect(e[0]?.start).toBe(6);
    expect(e[0]?.end).toBe(s.length);
    expect(e[0]?.refs).toEqual(["credentials.user", "credentials.pass"]);
    expect(e[0]?.literals).toEqual([{ text: ":", start: 40, end: 41 }]);
  });

  it("lists a constant string literal with offsets: $encodeBase64(\"user:hunter2\")", () => {
    const s = 'Basic $encodeBase64("user:hunter2")';
    const e = exprs(s);
    expect(e[0]?.refs).toEqual([]);
    expect(e[0]?.literals).toEqual([{ text: "user:hunter2", start: 21, end: 33 }]);
    expect(s.slice(21, 33)).toBe("user:hunter2");
  });

  it("lists string literals in tool args: $esc.url(\"abc\")", () => {
    const e = exprs('$esc.url("abc")');
    expect(e[0]?.refs).toEqual(["esc"]);
    expect(e[0]?.literals).toEqual([{ text: "abc", start: 10, end: 13 }]);
  });

  it("handles braces and parens inside strings inside expressions", () => {
    const s = '${input.x.replace("}", ")")}tail';
    const e = exprs(s);
    expect(e).toHaveLength(1);
    expect(e[0]?.text).toBe('${input.x.replace("}", ")")}');
    expect(e[0]?.literals.map((l) => l.text)).toEqual(["}", ")"]);
    expectTiles(s);
  });

  it("handles nested braced references and method chains", () => {
    const s = "${input.a.substring(0, ${input.n}).toUpperCase()}!";
    const e = exprs(s);
    expect(e).toHaveLength(1);
    expect(e[0]?.refs).toEqual(["input.a", "input.n"]);
    expectTiles(s);
  });

  it("treats $${ (Terraform escape) as one expression", () => {
    const s = "Bearer $${credentials.token}";
    const e = exprs(s);
    expect(e).toHaveLength(1);
    expect(e[0]?.text).toBe("$${credentials.token}");
    expect(e[0]?.start).toBe(7);
    expect(e[0]?.refs).toEqual(["credentials.token"]);
  });

  it("parses #set / #if / #else / #end directives as expressions", () => {
    const s = '#set($t = "abc")#if($input.a == "b")yes#else no#end';
    const e = exprs(s);
    expect(e.map((x) => x.text)).toEqual(['#set($t = "abc")', '#if($input.a == "b")', "#else", "#end"]);
    expect(e[0]?.literals.map((l) => l.text)).toEqual(["abc"]);
    expect(e[1]?.refs).toEqual(["input.a"]);
    expectTiles(s);
  });

  it("keeps comments and non-directive # text literal", () => {
    const s = "## a comment with $input.x\n#* block ${credentials.k} *#color #fff #endpoint https://x/#frag";
    expect(exprs(s)).toEqual([]);
    expectTiles(s);
  });

  it("treats a lone $, $5, and trailing dots as literal text", () => {
    const s = "Costs $5 or $ 3; see $input.name.";
    const e = exprs(s);
    expect(e.map((x) => x.text)).toEqual(["$input.name"]);
    expectTiles(s);
  });

  it("treats the rest as literal on an unbalanced brace", () => {
    const s = "a ${input.x} b ${input.y c $input.z";
    const segs = parseTemplate(s);
    expect(segs.map((x) => x.kind)).toEqual(["literal", "expr", "literal"]);
    expect(segs[2]?.text).toBe(" b ${input.y c $input.z");
    expectTiles(s);
  });

  it("treats the rest as literal on an unbalanced paren or an unterminated string", () => {
    for (const s of ['x $esc.url(${input.x} y', 'x $encodeBase64("abc) y', "x ${input.a.replace('a}", "#if($input.a"]) {
      const segs = parseTemplate(s);
      expect(segs.every((x) => x.kind === "literal")).toBe(true);
      expectTiles(s);
    }
  });

  it("does not throw or hang on pathological input", () => {
    const inputs = [
      "${".repeat(5000),
      "$esc.url(".repeat(5000),
      '$x("'.repeat(3000),
      "}".repeat(1000) + "${input.a}",
      "$!{" + "(".repeat(10000),
      "#if(".repeat(3000),
      "$$$$$${{{{{",
      "${input.a]}",
    ];
    for (const s of inputs) {
      const t0 = Date.now();
      expect(() => parseTemplate(s)).not.toThrow();
      expectTiles(s);
      expect(Date.now() - t0).toBeLessThan(2000);
    }
  });
});

describe("usesCredentials", () => {
  it("detects credentials references in any form", () => {
    expect(usesCredentials("Bearer ${credentials.token}")).toBe(true);
    expect(usesCredentials("$credentials.apiKey")).toBe(true);
    expect(usesCredentials('Basic $encodeBase64("${credentials.user}:${credentials.pass}")')).toBe(true);
    expect(usesCredentials("https://x/?key=$esc.url(${credentials.key})")).toBe(true);
    expect(usesCredentials("Bearer $${credentials.token}")).toBe(true);
  });

  it("is false for inputs, literals and comments", () => {
    expect(usesCredentials("Bearer ${input.token}")).toBe(false);
    expect(usesCredentials("Bearer abc123")).toBe(false);
    expect(usesCredentials("credentials.token")).toBe(false);
    expect(usesCredentials("## ${credentials.token}")).toBe(false);
    expect(usesCredentials("${credentialsX.token}")).toBe(false);
    expect(usesCredentials("")).toBe(false);
  });
});

describe("hasExpressions", () => {
  it("is true only when an expression is present", () => {
    expect(hasExpressions("/api/v2/x")).toBe(false);
    expect(hasExpressions("/api/v2/${input.x}")).toBe(true);
    expect(hasExpressions("#if($a)x#end")).toBe(true);
  });
});
