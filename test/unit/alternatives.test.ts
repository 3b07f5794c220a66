/** One mistake, one finding: findings on the alternatives of one intrinsic are folded into one (engine.ts). */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config.js";
import { alternativesMessage, lintFiles } from "../../src/engine/engine.js";

describe("alternativesMessage", () => {
  const t = "The {{principal}} can assume this role; list {{account}} under accounts.own.";
  it("keeps the first alternative's message and lists the fields that differ for the others, once each", () => {
    const got = alternativesMessage(t, [
      { principal: "principal arn:aws:iam::210987654321:role/a (account 210987654321)", account: "210987654321" },
      { principal: "principal arn:aws:iam::222233334444:role/a (account 222233334444)", account: "222233334444" },
      { principal: "principal arn:aws:iam::222233334444:role/a (account 222233334444)", account: "222233334444" },
    ]);
    expect(got).toBe(
      "The principal arn:aws:iam::210987654321:role/a (account 210987654321) can assume this role; list 210987654321 under accounts.own. The same holds for the other value this element can take (Fn::If, Fn::FindInMap or parameter combinations): principal arn:aws:iam::222233334444:role/a (account 222233334444).",
    );
  });
  it("says nothing more when the alternatives give the same message", () => {
    expect(alternativesMessage(t, [{ principal: "p", account: "1" }, { principal: "p", account: "1" }])).toBe("The p can assume this role; list 1 under accounts.own.");
  });
  it("lists at most eight others", () => {
    const data = Array.from({ length: 12 }, (_, i) => ({ principal: `p${i}`, account: "1" }));
    expect(alternativesMessage(t, data)).toMatch(/: p1; p2; p3; p4; p5; p6; p7; p8; and 3 more\.$/);
  });
});

describe("folding findings on one intrinsic", () => {
  const template = (resource: unknown) =>
    JSON.stringify({
      Parameters: { Env: { Type: "String" } },
      Conditions: { IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] } },
      Resources: {
        P: {
          Type: "AWS::IAM::ManagedPolicy",
          Properties: { PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: resource }] } },
        },
      },
    });
  const lint = (text: string) => lintFiles([{ path: "t.json", absPath: "/nonexistent/t.json", text }], defaultConfig()).findings.filter((f) => f.ruleId === "DPY207");
  it("folds a Fn::Sub's alternatives into one finding, but keeps Fn::If branches (two positions) apart", () => {
    const sub = lint(template({ "Fn::Sub": ["arn:aws:lambda:us-east-1:${A}:function:x", { A: { "Fn::If": ["IsProd", "123", "4567"] } }] }));
    expect(sub).toHaveLength(1);
    expect(sub[0]!.message).toMatch(/account "123".* The same holds for the other value this element can take .*"4567"/);
    const branches = lint(template({ "Fn::If": ["IsProd", "arn:aws:lambda:us-east-1:123:function:x", "arn:aws:lambda:us-east-1:4567:function:x"] }));
    expect(branches).toHaveLength(2);
  });
});
