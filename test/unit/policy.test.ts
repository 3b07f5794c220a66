import { describe, expect, it } from "vitest";
import { actionGlobMatches } from "../../src/model/policy.js";

describe("actionGlobMatches", () => {
  it("matches IAM action globs case-insensitively", () => {
    expect(actionGlobMatches("lambda:InvokeFunction", "lambda:InvokeFunction")).toBe(true);
    expect(actionGlobMatches("Lambda:invoke*", "lambda:InvokeFunction")).toBe(true);
    expect(actionGlobMatches("LAMBDA:*", "lambda:InvokeFunctionUrl")).toBe(true);
    expect(actionGlobMatches("lamb*:Invoke*", "lambda:InvokeFunction")).toBe(true);
    expect(actionGlobMatches("*", "lambda:InvokeFunction")).toBe(true);
    expect(actionGlobMatches("*:InvokeFunction", "lambda:InvokeFunction")).toBe(true);
    expect(actionGlobMatches("?ambda:InvokeFunction", "lambda:InvokeFunction")).toBe(true);
    expect(actionGlobMatches("lambda:Invoke?unction", "lambda:InvokeFunction")).toBe(true);
  });

  it("does not match other actions or services", () => {
    expect(actionGlobMatches("s3:*", "lambda:InvokeFunction")).toBe(false);
    expect(actionGlobMatches("lambda:InvokeFunctionUrl", "lambda:InvokeFunction")).toBe(false);
    expect(actionGlobMatches("lambda:Get*", "lambda:InvokeFunction")).toBe(false);
    expect(actionGlobMatches("", "lambda:InvokeFunction")).toBe(false);
    expect(actionGlobMatches(" lambda:InvokeFunction", "lambda:InvokeFunction")).toBe(false);
    expect(actionGlobMatches("1ambda:*", "lambda:InvokeFunction")).toBe(false);
  });
});
