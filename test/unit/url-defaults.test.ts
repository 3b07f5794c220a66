import { describe, expect, it } from "vitest";
import rule from "../../src/rules/function-url-public.js";
import { publicByDefault } from "../../src/model/url-defaults.js";

describe("function URLs public by default (data/function-url-public-by-default.json)", () => {
  it("knows SAM and the Terraform AWS provider, each fact with its source and a DPY302 message", () => {
    for (const type of ["AWS::Serverless::Function", "aws_lambda_function_url"]) {
      const e = publicByDefault(type);
      expect(e, type).toBeDefined();
      expect(e!.source).toMatch(/^https:\/\/github\.com\//);
      expect(e!.fact.length).toBeGreaterThan(40);
      expect(Object.keys(rule.messages)).toContain(e!.message);
      expect(Object.keys(rule.messages)).toContain(`${e!.message}Genesys`);
    }
  });

  it("does not count a CloudFormation URL or an unknown type (their permissions are written in the template)", () => {
    expect(publicByDefault("AWS::Lambda::Url")).toBeUndefined();
    expect(publicByDefault(undefined)).toBeUndefined();
  });
});
