import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config.js";
import { parseConfig } from "../../src/config/load.js";
import { byDanger, Rank, rankCounts, rankOf } from "../../src/model/access.js";
import { isPermissionsManagement } from "../../src/model/grants.js";
import { lookupAction } from "../../src/model/iam-catalog.js";
import { isUnscopable, supportsKey } from "../../src/model/scoping.js";
import { CASES, lint, render } from "../helpers.js";

const act = (name: string) => {
  const a = lookupAction(name);
  if (!a) throw new Error(`not in the catalog: ${name}`);
  return a;
};

describe("access ranks", () => {
  it("ranks permissions management, write, data read, tagging and metadata read", () => {
    expect(rankOf(act("iam:PutRolePolicy"))).toBe(Rank.PermissionsManagement);
    expect(rankOf(act("s3:PutBucketPolicy"))).toBe(Rank.PermissionsManagement);
    expect(rankOf(act("s3:DeleteObject"))).toBe(Rank.Write);
    expect(rankOf(act("kms:Decrypt"))).toBe(Rank.Write);
    for (const a of ["s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParametersByPath", "dynamodb:Query", "dynamodb:BatchGetItem", "logs:GetLogEvents", "ec2:GetPasswordData", "ecr:BatchGetImage"]) {
      expect(rankOf(act(a)), a).toBe(Rank.DataRead);
    }
    expect(rankOf(act("lambda:TagResource"))).toBe(Rank.Tagging);
    for (const a of ["s3:ListBucket", "s3:GetBucketPolicy", "iam:GetRole", "lambda:GetFunctionConfiguration", "sqs:GetQueueAttributes", "rds:DescribeDBInstances"]) {
      expect(rankOf(act(a)), a).toBe(Rank.MetadataRead);
    }
  });

  it("ranks AWS Config queries and the calibrated monitoring reads as metadata reads, other Select actions as data reads", () => {
    for (const a of ["config:SelectResourceConfig", "config:SelectAggregateResourceConfig", "cloudwatch:GetServiceData", "ssm-incidents:GetIncidentRecord"]) {
      expect(rankOf(act(a)), a).toBe(Rank.MetadataRead);
    }
    for (const a of ["cassandra:Select", "timestream:Select", "sdb:Select", "kinesis:GetRecords"]) {
      expect(rankOf(act(a)), a).not.toBe(Rank.MetadataRead);
    }
  });

  it("does not take the catalog's permissions-management label for actions that only read", () => {
    // Labelled "Permissions management" in the catalog.
    expect(act("backup:ListIndexedRecoveryPointsForSearch").accessLevel).toMatch(/Permissions management/);
    expect(isPermissionsManagement(act("backup:ListIndexedRecoveryPointsForSearch"))).toBe(false);
    expect(isPermissionsManagement(act("fsx:GetResourcePolicy"))).toBe(false);
    expect(isPermissionsManagement(act("iam:AttachRolePolicy"))).toBe(true);
    expect(isPermissionsManagement(act("kms:CreateGrant"))).toBe(true);
  });

  it("orders the most dangerous first and counts each rank", () => {
    const list = ["s3:ListBucket", "s3:GetObject", "lambda:TagResource", "s3:PutObject", "iam:PassRole"].map(act);
    expect(byDanger(list).map((a) => a.full)).toEqual(["iam:PassRole", "s3:PutObject", "s3:GetObject", "lambda:TagResource", "s3:ListBucket"]);
    expect(rankCounts(list)).toBe("2 write, 1 data-read, 1 tagging and 1 read-only");
  });
});

describe("scoping facts", () => {
  it("reads the condition keys an action supports from the catalog, tag placeholders included", () => {
    expect(supportsKey(act("ec2:StopInstances"), "aws:resourcetag/owner")).toBe(true);
    expect(supportsKey(act("ec2:StopInstances"), "ec2:resourcetag/owner")).toBe(true);
    expect(supportsKey(act("ssm:GetParameter"), "ssm:resourcetag/team")).toBe(true);
    expect(supportsKey(act("kms:Decrypt"), "kms:viaservice")).toBe(true);
    expect(supportsKey(act("s3:PutObject"), "ec2:resourcetag/owner")).toBe(false);
    expect(supportsKey(act("iam:PassRole"), "iam:passedtoservice")).toBe(true);
  });

  it("knows the grants AWS documents on a wildcard, and only on that wildcard", () => {
    expect(isUnscopable(act("ec2:CreateNetworkInterface"), "*")).toBe(true);
    expect(isUnscopable(act("logs:CreateLogGroup"), "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*")).toBe(true);
    expect(isUnscopable(act("logs:CreateLogGroup"), "arn:aws:logs:eu-west-1:123456789012:log-group:*")).toBe(true);
    expect(isUnscopable(act("logs:PutLogEvents"), "*")).toBe(false);
    expect(isUnscopable(act("ec2:TerminateInstances"), "*")).toBe(false);
  });
});

describe("permissions.readOnlyWildcards", () => {
  const fixture = join(CASES, "DPY202-wildcard-resource", "pass", "read-only.json");
  const dpy202 = (cfg = defaultConfig()) =>
    lint(fixture, join(CASES, "DPY202-wildcard-resource", "pass"), cfg)
      .findings.filter((f) => f.ruleId === "DPY202")
      .map(render);

  it("is off by default: read-only actions on * are not reported", () => {
    expect(dpy202()).toEqual([]);
  });

  it("reports them at the configured severity, listed by rank and name", () => {
    const cfg = parseConfig("permissions:\n  readOnlyWildcards: note\n", "deputy.config.yaml", "/nowhere");
    expect(cfg.permissions).toEqual({ readOnlyWildcards: "note" });
    expect(dpy202(cfg)).toEqual([
      '8:19-8:22 DPY202 note "*" grants backup:ListBackupPlanVersions, backup:ListBackupSelections, backup:ListProtectedResourcesByBackupVault, backup:ListRecoveryPointsByBackupVault and 10 more (14 read-only) on every resource; scope it to ARNs such as arn:aws:backup:REGION:ACCOUNT:backup-plan:BACKUP_PLAN_ID.',
    ]);
  });

  it("rejects a value that is not a severity", () => {
    expect(() => parseConfig("permissions:\n  readOnlyWildcards: loud\n", "deputy.config.yaml", "/nowhere")).toThrow(/permissions\.readOnlyWildcards/);
  });
});
