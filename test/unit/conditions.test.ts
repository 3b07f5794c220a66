import { describe, it, expect } from "vitest";
import { conditionBinds, hasLiteralWildcard, isWildcardOnly, looksLikeExternalIdPlaceholder, matchesAnything } from "../../src/model/conditions.js";
import type { Condition } from "../../src/model/entities.js";
import type { Node } from "../../src/model/node.js";
import { parseOperator } from "../../src/model/policy.js";

const node: Node = { type: "scalar", value: "", path: [], range: { start: 0, end: 0 } };
function cond(operator: string, key: string, values: string[]): Condition {
  return { operator, ...parseOperator(operator), key: key.toLowerCase(), keyAsWritten: key, values: values.map((value) => ({ value, node })), node };
}

describe("matchesAnything", () => {
  it("is true for wildcards and ARNs with wildcard account and resource", () => {
    for (const v of ["*", "?*", "arn:aws:s3:::*", "arn:aws:sns:*:*:*", "arn:${AWS::Partition}:s3:::*", "arn:aws:sqs:us-east-1::*"]) expect(matchesAnything(v), v).toBe(true);
  });
  it("is false for concrete or unknown parts", () => {
    for (const v of ["o-a1b2c3", "arn:aws:s3:::bucket", "arn:aws:s3:::bucket-*", "arn:aws:sns:*:123456789012:*", "arn:aws:s3:::${Bucket}", "arn:aws:sns:*:${AWS::AccountId}:*", "${Param}", ""]) {
      expect(matchesAnything(v), v).toBe(false);
    }
  });
});

describe("conditionBinds", () => {
  it("accepts positive operators with concrete or unknown values", () => {
    expect(conditionBinds(cond("StringEquals", "aws:SourceAccount", ["111122223333"]))).toBe(true);
    expect(conditionBinds(cond("ArnLike", "AWS:SourceArn", ["arn:aws:s3:::bucket"]))).toBe(true);
    expect(conditionBinds(cond("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", ["o-a/r-b/ou-c/*"]))).toBe(true);
    expect(conditionBinds(cond("StringEquals", "aws:SourceAccount", ["${AWS::AccountId}"]))).toBe(true);
  });
  it("rejects IfExists, ForAllValues, negated operators, Null and wildcard values", () => {
    expect(conditionBinds(cond("StringEqualsIfExists", "aws:SourceAccount", ["111122223333"]))).toBe(false);
    expect(conditionBinds(cond("ForAllValues:StringEquals", "aws:SourceAccount", ["111122223333"]))).toBe(false);
    expect(conditionBinds(cond("StringNotEquals", "aws:SourceAccount", ["111122223333"]))).toBe(false);
    expect(conditionBinds(cond("Null", "aws:SourceAccount", ["false"]))).toBe(false);
    expect(conditionBinds(cond("ArnLike", "aws:SourceArn", ["arn:aws:s3:::bucket", "*"]))).toBe(false);
    expect(conditionBinds(cond("StringEquals", "aws:SourceAccount", []))).toBe(false);
  });
});

describe("wildcards", () => {
  it("tells wildcard-only values and literal wildcards apart from unknowns", () => {
    expect(isWildcardOnly("*")).toBe(true);
    expect(isWildcardOnly("a*")).toBe(false);
    expect(isWildcardOnly("")).toBe(false);
    expect(hasLiteralWildcard("acme-*")).toBe(true);
    expect(hasLiteralWildcard("${Prefix}-id")).toBe(false);
  });
});

describe("looksLikeExternalIdPlaceholder", () => {
  it("recognises placeholders", () => {
    for (const v of ["YOUR_EXTERNAL_ID", "<org-id>", "CHANGEME", "example", "org-id", "xxxx", "EXTERNAL_ID", "my-external-id", "your-genesys-org-id", "{{orgId}}", "00000000-0000-0000-0000-000000000000", "externalId", "organization_id", "REPLACE_ME", "test"]) {
      expect(looksLikeExternalIdPlaceholder(v), v).toBe(true);
    }
  });
  it("accepts real-looking values", () => {
    for (const v of ["011a0480-9a1e-4da9-8cdd-2642474cf92a", "partner-7f3c2a", "CrossAcctS3Demo", "my-unique-external-id-abc123xyz", "Z4x9-QpL2-88aa"]) {
      expect(looksLikeExternalIdPlaceholder(v), v).toBe(false);
    }
  });
});
