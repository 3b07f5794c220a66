import { describe, it, expect } from "vitest";
import { parseArnLoose } from "../../src/model/arn.js";
import {
  actionShape,
  arnCouldMatch,
  distinct,
  exampleArn,
  hasBareWildcardName,
  leavesNameToWildcard,
  matchingResourceType,
  needsScoping,
  scopedActions,
} from "../../src/model/grants.js";
import { lookupAction, resourceTypeArnFormats } from "../../src/model/iam-catalog.js";

const action = (name: string) => {
  const a = lookupAction(name);
  if (!a) throw new Error(`no ${name} in the catalog`);
  return a;
};
const bare = (arn: string): boolean => hasBareWildcardName(parseArnLoose(arn)!);

describe("actionShape", () => {
  it("classifies action values, case-insensitively and without expanding *", () => {
    expect(actionShape("*").kind).toBe("all");
    expect(actionShape("*:*").kind).toBe("all");
    expect(actionShape("${Service}:Get*").kind).toBe("unknown");
    expect(actionShape("s3GetObject").kind).toBe("malformed");
    const svc = actionShape("Lambda:*");
    expect(svc.kind).toBe("service");
    expect(svc.kind === "service" && svc.known && svc.actions.length > 50).toBe(true);
    const exact = actionShape("lambda:invokefunction");
    expect(exact.kind === "exact" && exact.action?.full).toBe("lambda:InvokeFunction");
    const pattern = actionShape("iam:*Policy*");
    expect(pattern.kind === "pattern" && pattern.actions.some((a) => a.full === "iam:PutRolePolicy")).toBe(true);
    const typo = actionShape("lamda:InvokeFunction");
    expect(typo.kind === "exact" && !typo.serviceKnown).toBe(true);
  });

  it("caches shapes per value", () => {
    expect(actionShape("s3:GetObject")).toBe(actionShape(" S3:GETOBJECT "));
  });
});

describe("needsScoping", () => {
  it("is false for wildcard-only actions and for optional extras that need *", () => {
    for (const a of ["logs:DescribeLogGroups", "sts:GetCallerIdentity", "ec2:DescribeInstances", "cloudwatch:PutMetricData"]) {
      expect(needsScoping(action(a)), a).toBe(false);
    }
  });
  it("is true for actions that always act on a resource", () => {
    for (const a of ["lambda:InvokeFunction", "s3:GetObject", "s3:ListBucket", "execute-api:Invoke", "iam:PassRole", "dynamodb:GetItem"]) {
      expect(needsScoping(action(a)), a).toBe(true);
    }
  });
  it("filters a shape's actions", () => {
    const names = scopedActions(actionShape("logs:*")).map((a) => a.full);
    expect(names).toContain("logs:PutLogEvents");
    expect(names).not.toContain("logs:DescribeLogGroups");
  });
});

describe("bare wildcard names", () => {
  it("recognises a wildcarded resource name", () => {
    for (const arn of [
      "arn:aws:lambda:us-east-1:123456789012:function:*",
      "arn:aws:dynamodb:us-east-1:123456789012:table/*",
      "arn:aws:dynamodb:us-east-1:123456789012:table/*/index/*",
      "arn:aws:s3:::*",
      "arn:aws:logs:*:*:*",
      "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*",
    ]) {
      expect(bare(arn), arn).toBe(true);
    }
  });
  it("does not count qualifiers, prefixes, key prefixes or unknowns", () => {
    for (const arn of [
      "arn:aws:lambda:us-east-1:123456789012:function:lookup:*",
      "arn:aws:lambda:us-east-1:123456789012:function:app-*",
      "arn:aws:s3:::reports/*",
      "arn:aws:s3:::*/AWSLogs/*",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/*",
      "arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/eb-*",
      "arn:aws:lambda:us-east-1:123456789012:function:${FnName}",
    ]) {
      expect(bare(arn), arn).toBe(false);
    }
  });
  it("checks one ARN against one catalog format", () => {
    const [fn] = resourceTypeArnFormats("lambda", "function");
    expect(leavesNameToWildcard("function:*", fn!)).toBe(true);
    expect(leavesNameToWildcard("function:lookup", fn!)).toBe(false);
  });
});

describe("matching", () => {
  it("lets an ARN ending in / leave the last placeholder empty (API root path)", () => {
    const [general] = resourceTypeArnFormats("execute-api", "execute-api-general");
    expect(arnCouldMatch("arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/", general!)).toBe(true);
  });
  it("names the resource type the ARN spells out", () => {
    expect(matchingResourceType(action("ec2:CreateTags"), "arn:aws:ec2:*:123456789012:volume/*", true)?.name).toBe("volume");
    expect(matchingResourceType(action("dynamodb:Query"), "arn:aws:dynamodb:us-east-1:123456789012:table/*", true)?.name).toBe("table");
  });
});

describe("exampleArn", () => {
  it("turns a catalog format into something to write", () => {
    expect(exampleArn("arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}")).toBe("arn:aws:lambda:REGION:ACCOUNT:function:NAME");
    expect(exampleArn("arn:${Partition}:s3:::${BucketName}/${ObjectName}")).toBe("arn:aws:s3:::BUCKET_NAME/OBJECT_NAME");
    expect(exampleArn("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}", { region: "eu-west-1", account: "123456789012" })).toBe(
      "arn:aws:dynamodb:eu-west-1:123456789012:table/NAME",
    );
    expect(exampleArn("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", { region: "*" })).toBe("arn:aws:sqs:REGION:ACCOUNT:QUEUE_NAME");
  });
});

describe("distinct", () => {
  const at = (start: number, value: string) => ({ value, node: { range: { start } } });

  it("drops a text repeated at the same place (a !Sub whose Fn::If branches agree) and keeps the rest", () => {
    const values = [at(10, "a"), at(10, "a"), at(10, "b"), at(20, "a")];
    expect(distinct(values).map((v) => `${v.node.range.start}:${v.value}`)).toEqual(["10:a", "10:b", "20:a"]);
    expect(distinct(values)).toBe(distinct(values));
  });

  it("returns a list without repeats as it is", () => {
    const values = [at(1, "a"), at(2, "a")];
    expect(distinct(values)).toBe(values);
  });
});
