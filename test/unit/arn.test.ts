import { describe, it, expect } from "vitest";
import { parse as sdkParse, validate as sdkValidate } from "@aws-sdk/util-arn-parser";
import {
  arnMatchesFormat,
  globToRegExp,
  hasUnknown,
  hasWildcard,
  lambdaFunctionArn,
  parseArnLoose,
  validateArn,
} from "../../src/model/arn.js";
import { lookupAction, resourceTypeArnFormats } from "../../src/model/iam-catalog.js";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:f";
const CFN_FN = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FnName}";

describe("parseArnLoose", () => {
  it("splits a literal ARN, keeping ':' in the resource", () => {
    expect(parseArnLoose(`${FN}:live`)).toEqual({
      partition: "aws",
      service: "lambda",
      region: "us-east-1",
      accountId: "123456789012",
      resource: "function:f:live",
      raw: `${FN}:live`,
    });
  });

  it("treats ${...} as opaque, even with ':' inside", () => {
    expect(parseArnLoose(CFN_FN)).toEqual({
      partition: "${AWS::Partition}",
      service: "lambda",
      region: "${AWS::Region}",
      accountId: "${AWS::AccountId}",
      resource: "function:${FnName}",
      raw: CFN_FN,
    });
    expect(parseArnLoose("arn:aws:s3:::bucket/${aws:username}/*")?.resource).toBe("bucket/${aws:username}/*");
  });

  it("agrees with @aws-sdk/util-arn-parser on literal ARNs", () => {
    for (const arn of [
      FN,
      `${FN}:live`,
      "arn:aws:s3:::b/k:with:colons",
      "arn:aws:iam::123456789012:role/r",
      "arn:aws:states:::lambda:invoke",
      "arn:aws:lambda:us-east-1",
      "arn:aws",
      "notarn:a:b:c:d:e",
    ]) {
      const ours = parseArnLoose(arn);
      expect(ours !== undefined, arn).toBe(sdkValidate(arn));
      if (ours) {
        const { raw, ...fields } = ours;
        expect(raw).toBe(arn);
        expect(fields).toEqual(sdkParse(arn));
      }
    }
  });

  it("rejects non-ARNs", () => {
    expect(parseArnLoose("arn:aws:lambda")).toBeUndefined();
    expect(parseArnLoose("*")).toBeUndefined();
    expect(parseArnLoose("${FnArn}")).toBeUndefined();
    expect(parseArnLoose("urn:${X}:a:b:c:d")).toBeUndefined();
  });
});

describe("hasUnknown / hasWildcard", () => {
  it("detects unresolved parts", () => {
    expect(hasUnknown(CFN_FN)).toBe(true);
    expect(hasUnknown("arn:aws:s3:::b/${aws:username}")).toBe(true);
    expect(hasUnknown(FN)).toBe(false);
    expect(hasUnknown("arn:aws:s3:::b/${*}")).toBe(false); // IAM escape for a literal '*'
    expect(hasUnknown("cost$ {x}")).toBe(false);
  });

  it("detects wildcards outside ${...}", () => {
    expect(hasWildcard("arn:aws:s3:::b/*")).toBe(true);
    expect(hasWildcard("arn:aws:s3:::b/?")).toBe(true);
    expect(hasWildcard("arn:aws:s3:::b/${*}")).toBe(false);
    expect(hasWildcard(FN)).toBe(false);
  });
});

describe("lambdaFunctionArn", () => {
  it("parses unqualified and qualified function ARNs", () => {
    expect(lambdaFunctionArn(FN)).toEqual({ partition: "aws", region: "us-east-1", account: "123456789012", name: "f" });
    expect(lambdaFunctionArn(`${FN}:live`)).toEqual({
      partition: "aws",
      region: "us-east-1",
      account: "123456789012",
      name: "f",
      qualifier: "live",
    });
    expect(lambdaFunctionArn(CFN_FN)?.name).toBe("${FnName}");
  });

  it("rejects other ARNs", () => {
    expect(lambdaFunctionArn("arn:aws:lambda:us-east-1:123456789012:layer:l:1")).toBeUndefined();
    expect(lambdaFunctionArn("arn:aws:lambda:us-east-1:123456789012:function:f:1:x")).toBeUndefined();
    expect(lambdaFunctionArn("arn:aws:lambda:us-east-1:123456789012:function:")).toBeUndefined();
    expect(lambdaFunctionArn("arn:aws:sqs:us-east-1:123456789012:function:f")).toBeUndefined();
    expect(lambdaFunctionArn("my-function")).toBeUndefined();
  });
});

describe("validateArn", () => {
  it("accepts well-formed ARNs and wildcards", () => {
    for (const ok of [
      FN,
      `${FN}:live`,
      "arn:aws:iam::123456789012:role/genesys-data-actions",
      "arn:aws:s3:::my-bucket",
      "arn:aws:s3:::my-bucket/some key/with spaces.txt",
      "arn:aws:iam::aws:policy/AdministratorAccess",
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f",
      "arn:aws-cn:iam::123456789012:role/r",
      "arn:aws:execute-api:us-east-1:123456789012:abc123/*/POST/orders",
      "arn:aws:ec2:us-east-1::image/ami-12345678",
      "arn:aws:ssm:us-east-1::document/AWS-RunShellScript",
      "arn:aws:lambda:*:*:function:*",
      "arn:aws:lambda:*:function:*", // '*' may span ':'
      "arn:*:iam::*:role/*",
      "arn:aws:logs:us-east-1:123456789012:*",
      "*",
    ]) {
      expect(validateArn(ok), ok).toBeUndefined();
    }
  });

  it("never calls unresolved parts malformed", () => {
    expect(validateArn(CFN_FN)).toBeUndefined();
    expect(validateArn("arn:aws:lambda:us-east-1:${AWS::AccountId}:function:f")).toBeUndefined();
    expect(validateArn("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}")).toBeUndefined();
    expect(validateArn("arn:aws:s3:::bucket/${aws:username}/*")).toBeUndefined();
    expect(validateArn("${FnArn}")).toBeUndefined();
    expect(validateArn("${FnArn}:*")).toBeUndefined();
  });

  it("flags an 11-digit account", () => {
    expect(validateArn("arn:aws:lambda:us-east-1:76562898547:function:f")?.message).toBe(
      'account "76562898547" is 11 digits; an account ID has 12',
    );
    // Known parts are still checked next to unknown ones.
    expect(validateArn("arn:${AWS::Partition}:iam::76562898547:role/r")?.message).toMatch(/11 digits/);
  });

  it("flags a non-numeric account", () => {
    expect(validateArn("arn:aws:iam::my-account:role/r")?.message).toBe(
      'account "my-account" is not a 12-digit account ID',
    );
  });

  it("flags an empty account only where the service needs one", () => {
    expect(validateArn("arn:aws:lambda:us-east-1::function:f")?.message).toMatch(/account is empty/);
    expect(validateArn("arn:aws:iam:::role/r")?.message).toMatch(/account is empty/);
    expect(validateArn("arn:aws:lambda:us-east-1::function:f", { requireAccountFor: false })).toBeUndefined();
    expect(validateArn("arn:aws:s3:::bucket/key")).toBeUndefined();
    expect(validateArn("arn:aws:unknownsvc:us-east-1::thing/x")).toBeUndefined();
  });

  it("flags an unknown partition", () => {
    expect(validateArn("arn:awss:lambda:us-east-1:123456789012:function:f")?.message).toMatch(
      /^unknown partition "awss"/,
    );
    expect(validateArn("arn::s3:::b")?.message).toMatch(/^unknown partition ""/);
  });

  it("flags stray whitespace", () => {
    expect(validateArn(` ${FN}`)?.message).toMatch(/leading whitespace/);
    expect(validateArn(`${FN} `)?.message).toMatch(/trailing whitespace/);
    expect(validateArn(`${FN}\n`)?.message).toMatch(/whitespace/);
    expect(validateArn("arn:aws:lambda:us-east-1:123456789012 :function:f")?.message).toMatch(
      /whitespace in the account part/,
    );
    expect(validateArn("arn:aws: lambda:us-east-1:123456789012:function:f")?.message).toMatch(
      /whitespace in the service part/,
    );
  });

  it("flags the wrong number of parts", () => {
    expect(validateArn("arn:aws:lambda:us-east-1:123456789012")?.message).toMatch(/has 5 colon-separated parts/);
    expect(validateArn("my-function")?.message).toMatch(/has 1 colon-separated part;/);
    expect(validateArn("foo:aws:lambda:us-east-1:123456789012:function:f")?.message).toMatch(/start with "arn:"/);
  });

  it("flags empty service or resource", () => {
    expect(validateArn("arn:aws::us-east-1:123456789012:x")?.message).toMatch(/service part is empty/);
    expect(validateArn("arn:aws:s3:::")?.message).toMatch(/resource part is empty/);
  });
});

describe("arnMatchesFormat", () => {
  const invokeFormats = lookupAction("lambda:InvokeFunction")!.resourceTypes.flatMap((r) => r.arnFormats);
  const canInvoke = (arn: string): boolean => invokeFormats.some((f) => arnMatchesFormat(arn, f));

  it("uses the catalog's function format", () => {
    expect(invokeFormats).toEqual(["arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"]);
  });

  it("matches Lambda function ARNs, qualified or not", () => {
    expect(canInvoke(FN)).toBe(true);
    expect(canInvoke("arn:aws:lambda:us-east-1:123456789012:function:f:live")).toBe(true);
    expect(canInvoke("arn:aws:lambda:us-east-1:123456789012:function:f:*")).toBe(true);
    expect(canInvoke("arn:aws:lambda:*:*:function:*")).toBe(true);
  });

  it("does not match other services or resource types", () => {
    expect(canInvoke("arn:aws:execute-api:us-east-1:123456789012:abc123/*/POST/orders")).toBe(false);
    expect(canInvoke("arn:aws:lambda:us-east-1:123456789012:layer:function:x")).toBe(false);
    expect(canInvoke("arn:aws:iam::123456789012:role/function:x")).toBe(false);
    expect(canInvoke("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*")).toBe(false);
  });

  it("is permissive with wildcards and unknowns", () => {
    expect(canInvoke("*")).toBe(true);
    expect(canInvoke(CFN_FN)).toBe(true);
    expect(canInvoke("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:x")).toBe(true);
    expect(canInvoke("${FnArn}")).toBe(true);
    expect(canInvoke("${FnArn}:*")).toBe(true);
    expect(canInvoke("arn:aws:lambda:*")).toBe(true);
    expect(canInvoke("arn:aws:*:function:x")).toBe(true);
    expect(canInvoke("arn:aws:lambda:us-east-1:123456789012:function:${aws:username}")).toBe(true);
    expect(canInvoke("arn:aws:lambda:us-?ast-1:123456789012:function:f")).toBe(true);
  });

  it("lets S3 object placeholders span '/'", () => {
    const [object] = resourceTypeArnFormats("s3", "object");
    const [bucket] = resourceTypeArnFormats("s3", "bucket");
    expect(arnMatchesFormat("arn:aws:s3:::b/a/b/c.txt", object)).toBe(true);
    expect(arnMatchesFormat("arn:aws:s3:::b/*", object)).toBe(true);
    expect(arnMatchesFormat("arn:aws:s3:::b", object)).toBe(false);
    expect(arnMatchesFormat("arn:aws:s3:::b", bucket)).toBe(true);
    expect(arnMatchesFormat("arn:aws:s3:::b*", object)).toBe(true);
  });

  it("matches sts:AssumeRole against IAM role ARNs", () => {
    const [role] = lookupAction("sts:AssumeRole")!.resourceTypes[0].arnFormats;
    expect(arnMatchesFormat("arn:aws:iam::123456789012:role/path/r", role)).toBe(true);
    expect(arnMatchesFormat("arn:aws:iam::123456789012:user/u", role)).toBe(false);
    expect(arnMatchesFormat("arn:aws:iam:us-east-1:123456789012:role/r", role)).toBe(false);
  });

  it("tells services apart from the header only where the service field's place is certain", () => {
    const [bucket] = resourceTypeArnFormats("s3", "bucket");
    expect(canInvoke("arn:${AWS::Partition}:s3:::b")).toBe(false);
    expect(arnMatchesFormat("arn:aws:S3:::b", bucket)).toBe(true);
    expect(canInvoke("ARN:AWS:LAMBDA:us-east-1:123456789012:function:f")).toBe(true);
    expect(canInvoke("arn:aws:${Service}:us-east-1:123456789012:function:f")).toBe(true);
    // A wildcard before the service field may stand for ':' and shift the fields: "*" can be "aws:lambda:…:function".
    expect(canInvoke("arn:*:s3:::x")).toBe(true);
    expect(canInvoke("arn:a?s:s3:::x")).toBe(false);
    expect(canInvoke("arn:aws?s3:us-east-1:123456789012:function:f")).toBe(false);
  });

  it("treats a literal '*' in a catalog format as a wildcard", () => {
    expect(arnMatchesFormat("arn:aws:dms:us-east-1:123456789012:endpoint:ABC", "arn:${Partition}:dms:${Region}:${Account}:endpoint:*")).toBe(true);
  });
});

describe("globToRegExp", () => {
  it("translates * and ? and escapes the rest", () => {
    const re = globToRegExp("arn:aws:s3:::b/*.txt");
    expect(re.test("arn:aws:s3:::b/x/y.txt")).toBe(true);
    expect(re.test("arn:aws:s3:::b/x/yatxt")).toBe(false);
    expect(globToRegExp("a?c").test("abc")).toBe(true);
    expect(globToRegExp("a?c").test("ac")).toBe(false);
  });

  it("is case-sensitive unless asked", () => {
    expect(globToRegExp("lambda:Invoke*").test("lambda:invokefunction")).toBe(false);
    expect(globToRegExp("lambda:Invoke*", { caseInsensitive: true }).test("lambda:invokefunction")).toBe(true);
  });

  it("handles ${...} literally or as anything, and IAM escapes", () => {
    expect(globToRegExp("b/${aws:username}").test("b/${aws:username}")).toBe(true);
    expect(globToRegExp("b/${aws:username}").test("b/alice")).toBe(false);
    expect(globToRegExp("b/${aws:username}", { unknownMatchesAnything: true }).test("b/alice")).toBe(true);
    expect(globToRegExp("b/${*}").test("b/*")).toBe(true);
    expect(globToRegExp("b/${*}").test("b/x")).toBe(false);
  });
});
