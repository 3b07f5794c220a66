import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { defaultConfig, type DeputyConfig } from "../../src/config/config.js";
import { SourceFile } from "../../src/engine/source.js";
import {
  accountRelation,
  cdkStackAccount,
  isTrustedAccount,
  ownAccounts,
  principalAccountField,
  principalAccountId,
  templateAccount,
} from "../../src/model/accounts.js";
import type { Origin, Principal } from "../../src/model/entities.js";
import { PLAIN } from "../../src/model/resolve.js";
import { loadText } from "../../src/parsers/index.js";

function origin(extra: Partial<Origin> = {}): Origin {
  return { file: new SourceFile("trust.json", "/nonexistent/trust.json", "{}"), resolver: PLAIN, ...extra };
}

const aws = (value: string): Principal => ({ type: "AWS", value, node: { type: "scalar", value, path: [], range: { start: 0, end: 0 } } });

describe("principalAccountField / principalAccountId", () => {
  it("reads bare IDs and IAM/STS ARNs, keeping unknown parts", () => {
    expect(principalAccountField("765628985471")).toBe("765628985471");
    expect(principalAccountField("arn:aws:iam::765628985471:root")).toBe("765628985471");
    expect(principalAccountField("arn:${AWS::Partition}:iam::765628985471:root")).toBe("765628985471");
    expect(principalAccountField("arn:aws:sts::123456789012:assumed-role/r/s")).toBe("123456789012");
    expect(principalAccountField("arn:aws:iam::${AWS::AccountId}:role/x")).toBe("${AWS::AccountId}");
    expect(principalAccountField("${AWS::AccountId}")).toBe("${AWS::AccountId}");
    expect(principalAccountField("arn:aws:iam::<ACCOUNT_ID>:root")).toBe("<ACCOUNT_ID>");
    expect(principalAccountField("lambda.amazonaws.com")).toBeUndefined();
    expect(principalAccountField("arn:aws:s3:::bucket")).toBeUndefined();
  });

  it("gives a literal 12-digit account only", () => {
    expect(principalAccountId("arn:aws-us-gov:iam::325654371633:root")).toBe("325654371633");
    expect(principalAccountId(aws(" 123456789012 "))).toBe("123456789012");
    expect(principalAccountId("76562898547")).toBeUndefined();
    expect(principalAccountId("arn:aws:iam::${Acct}:root")).toBeUndefined();
    expect(principalAccountId("*")).toBeUndefined();
  });
});

describe("accountRelation", () => {
  it("classifies same, other, unknown, public and non-account principals", () => {
    const o = origin();
    expect(accountRelation("arn:aws:iam::765628985471:root", o)).toBe("other");
    expect(accountRelation("123456789012", o)).toBe("other");
    expect(accountRelation("arn:${AWS::Partition}:iam::${AWS::AccountId}:root", o)).toBe("same");
    expect(accountRelation("${AWS::AccountId}", o)).toBe("same");
    expect(accountRelation("arn:aws:iam::${TrustedAccount}:root", o)).toBe("unknown");
    expect(accountRelation("${ImportValue}", o)).toBe("unknown");
    expect(accountRelation("arn:aws:iam::<ACCOUNT_A_ID>:root", o)).toBe("unknown");
    expect(accountRelation("arn:aws:iam::*:root", o)).toBe("unknown");
    expect(accountRelation("76562898547", o)).toBe("unknown");
    expect(accountRelation("*", o)).toBe("public");
    expect(accountRelation({ ...aws("*"), type: "*" }, o)).toBe("public");
    expect(accountRelation({ ...aws("lambda.amazonaws.com"), type: "Service" }, o)).toBe("not-an-account");
    expect(accountRelation("AIDAEXAMPLEUSERID", o)).toBe("not-an-account");
  });

  it("knows the own account from the origin and from accounts.own", () => {
    expect(accountRelation("arn:aws:iam::111122223333:root", origin({ ownAccount: "111122223333" }))).toBe("same");
    expect(accountRelation("arn:aws:iam::111122223333:role/ci", origin({ ownAccount: "111122223333" }))).toBe("same");
    expect(accountRelation("arn:aws:iam::444455556666:root", origin({ ownAccount: "111122223333" }))).toBe("other");
    const config: DeputyConfig = { ...defaultConfig(), accounts: { own: ["444455556666"] } };
    expect(accountRelation("arn:aws:iam::444455556666:root", origin(), config)).toBe("same");
    expect([...ownAccounts(origin({ ownAccount: "111122223333" }), config)].sort()).toEqual(["111122223333", "444455556666"]);
  });
});

describe("isTrustedAccount", () => {
  it("reads accounts.trusted", () => {
    const config: DeputyConfig = { ...defaultConfig(), accounts: { trusted: [{ id: "123456789012", reason: "billing vendor" }] } };
    expect(isTrustedAccount("123456789012", config)).toBe(true);
    expect(isTrustedAccount("210987654321", config)).toBe(false);
    expect(isTrustedAccount("123456789012")).toBe(false);
  });
});

describe("templateAccount", () => {
  it("takes the account of an ARN built from one of the template's own resources", () => {
    const text = JSON.stringify({
      Resources: {
        Project: { Type: "AWS::CodeBuild::Project", Properties: {} },
        Role: {
          Type: "AWS::IAM::Role",
          Properties: {
            AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::651706765732:root" }, Action: "sts:AssumeRole" }] },
            Policies: [
              {
                PolicyName: "logs",
                PolicyDocument: {
                  Version: "2012-10-17",
                  Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: { "Fn::Join": ["", ["arn:aws:logs:eu-west-1:651706765732:log-group:/aws/codebuild/", { Ref: "Project" }]] } }],
                },
              },
            ],
          },
        },
      },
    });
    const model = loadText(new SourceFile("template.json", "/nonexistent/template.json", text)).model!;
    const role = model.roles[0]!;
    expect(templateAccount(role.origin)).toBe("651706765732");
    expect(accountRelation("arn:aws:iam::651706765732:root", role.origin)).toBe("same");
  });

  it("says nothing when ARNs of the template's resources name different accounts, or only parameters", () => {
    const text = JSON.stringify({
      Parameters: { Name: { Type: "String" } },
      Resources: {
        A: { Type: "AWS::SNS::Topic", Properties: {} },
        Role: {
          Type: "AWS::IAM::Role",
          Properties: {
            AssumeRolePolicyDocument: { Statement: [] },
            Policies: [
              {
                PolicyName: "p",
                PolicyDocument: {
                  Statement: [
                    { Effect: "Allow", Action: "sns:Publish", Resource: { "Fn::Sub": "arn:aws:sns:eu-west-1:111111111111:${A.TopicName}" } },
                    { Effect: "Allow", Action: "sns:Publish", Resource: { "Fn::Sub": "arn:aws:sns:eu-west-1:222222222222:${A.TopicName}" } },
                    { Effect: "Allow", Action: "sns:Publish", Resource: { "Fn::Sub": "arn:aws:sns:eu-west-1:333333333333:${Name}" } },
                  ],
                },
              },
            ],
          },
        },
      },
    });
    const model = loadText(new SourceFile("template.json", "/nonexistent/template.json", text)).model!;
    expect(templateAccount(model.roles[0]!.origin)).toBeUndefined();
  });
});

describe("cdkStackAccount", () => {
  const template = JSON.stringify({
    Resources: { R: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: { Statement: [] } }, Metadata: { "aws:cdk:path": "OpsStack/R/Resource" } } },
  });

  it("reads the stack environment from manifest.json beside the template", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "deputy-cdk-")), "cdk.out");
    const abs = join(dir, "OpsStack.template.json");
    mkdirSync(dir, { recursive: true });
    writeFileSync(abs, template);
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({ artifacts: { OpsStack: { type: "aws:cloudformation:stack", environment: "aws://111122223333/eu-west-1", properties: { templateFile: "OpsStack.template.json" } } } }),
    );
    const model = loadText(new SourceFile("cdk.out/OpsStack.template.json", abs, template)).model!;
    expect(cdkStackAccount(model.roles[0]!.origin)).toBe("111122223333");
  });

  it("reads one manifest for all the stacks of an assembly, each with its own account", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "deputy-cdk-")), "cdk.out");
    mkdirSync(dir, { recursive: true });
    const stack = (name: string, account: string) => ({ type: "aws:cloudformation:stack", environment: `aws://${account}/eu-west-1`, properties: { templateFile: `${name}.template.json` } });
    // The first stack artifact naming a template decides; a later duplicate does not.
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ artifacts: { Tree: { type: "cdk:tree" }, A: stack("A", "111122223333"), B: stack("B", "444455556666"), B2: stack("B", "777788889999") } }));
    const accountOf = (name: string) => {
      const abs = join(dir, `${name}.template.json`);
      writeFileSync(abs, template);
      return cdkStackAccount(loadText(new SourceFile(`cdk.out/${name}.template.json`, abs, template)).model!.roles[0]!.origin);
    };
    expect(accountOf("A")).toBe("111122223333");
    expect(accountOf("B")).toBe("444455556666");
    expect(accountOf("C")).toBeUndefined();
  });

  it("ignores environment-agnostic stacks", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "deputy-cdk-")), "cdk.out");
    const abs = join(dir, "OpsStack.template.json");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({ artifacts: { OpsStack: { type: "aws:cloudformation:stack", environment: "aws://unknown-account/unknown-region", properties: { templateFile: "OpsStack.template.json" } } } }),
    );
    const model = loadText(new SourceFile("cdk.out/OpsStack.template.json", abs, template)).model!;
    expect(cdkStackAccount(model.roles[0]!.origin)).toBeUndefined();
  });

  it("falls back to the one account of the CDK bootstrap roles a template names", () => {
    const text = JSON.stringify({
      Resources: {
        R: {
          Type: "AWS::IAM::Role",
          Properties: { AssumeRolePolicyDocument: { Statement: [] }, Description: "arn:aws:iam::060498623801:role/cdk-hnb659fds-deploy-role-060498623801-us-west-1" },
          Metadata: { "aws:cdk:path": "Pipeline/R/Resource" },
        },
      },
    });
    const model = loadText(new SourceFile("Pipeline.template.json", "/nonexistent/Pipeline.template.json", text)).model!;
    expect(cdkStackAccount(model.roles[0]!.origin)).toBe("060498623801");
  });
});

