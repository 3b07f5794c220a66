import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config.js";
import { Project } from "../../src/engine/project.js";
import { SourceFile } from "../../src/engine/source.js";
import type { Origin } from "../../src/model/entities.js";
import {
  assumableByAccount,
  dataActionKind,
  literalLambdaTarget,
  namesInvokeFunctionUrl,
  resourceCovers,
  roleGrantInfo,
  roleInvokeCoverage,
} from "../../src/model/links.js";
import { PLAIN } from "../../src/model/resolve.js";
import { loadText } from "../../src/parsers/index.js";

function project(files: Record<string, string>): Project {
  const p = new Project(defaultConfig());
  for (const [path, text] of Object.entries(files)) {
    const r = loadText(new SourceFile(path, `/x/${path}`, text));
    if (r.model) p.add(r.model);
  }
  return p;
}

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:lookup";
const plain: Origin = { file: new SourceFile("p.json", "/x/p.json", "{}"), resolver: PLAIN };

describe("resourceCovers (literal resources)", () => {
  const p = project({});
  const cases: [string, string, string][] = [
    ["*", `${ARN}:live`, "yes"],
    ["arn:aws:lambda:us-east-1:123456789012:function:*", `${ARN}:live`, "yes"],
    [ARN, ARN, "yes"],
    [ARN, `${ARN}:live`, "no"],
    [`${ARN}:*`, ARN, "no"],
    [`${ARN}:*`, `${ARN}:live`, "yes"],
    [`${ARN}:live`, `${ARN}:live`, "yes"],
    [`${ARN}:live`, `${ARN}:prod`, "no"],
    ["arn:aws:lambda:us-east-1:123456789012:function:look*", `${ARN}:live`, "yes"],
    ["arn:aws:lambda:us-east-1:999999999999:function:lookup", ARN, "no"],
    ["arn:aws:lambda:*:123456789012:function:lookup", ARN, "yes"],
    ["arn:aws:lambda:us-east-1:${aws:PrincipalAccount}:function:lookup", ARN, "maybe"],
  ];
  for (const [res, arn, want] of cases) it(`${res} vs ${arn.replace(/^.*:function:/, "function:")} → ${want}`, () => expect(resourceCovers(p, plain, res, arn)).toBe(want));
});

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Target:
    Type: String
Resources:
  Named:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: lookup
      Runtime: nodejs20.x
      Handler: i.h
      Role: arn:aws:iam::123456789012:role/x
      Code: { ZipFile: "x" }
  Generated:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: i.h
      Role: arn:aws:iam::123456789012:role/x
      Code: { ZipFile: "x" }
  GenesysRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: "765628985471" }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: !GetAtt Named.Arn
`;

describe("resourceCovers (template references)", () => {
  const p = project({ "t.yaml": TEMPLATE });
  const origin = p.roles[0]!.origin;
  it("${Fn.Arn} of a named function is its unqualified ARN", () => {
    expect(resourceCovers(p, origin, "${Named.Arn}", ARN)).toBe("maybe");
    expect(resourceCovers(p, origin, "${Named.Arn}", `${ARN}:live`)).toBe("no");
    expect(resourceCovers(p, origin, "${Named.Arn}", "arn:aws:lambda:us-east-1:123456789012:function:other")).toBe("no");
    expect(resourceCovers(p, origin, "${Named.Arn}:*", `${ARN}:live`)).toBe("maybe");
    expect(resourceCovers(p, origin, "${Named.Arn}:*", ARN)).toBe("no");
  });
  it("a generated name is unknown but colon-free", () => {
    expect(resourceCovers(p, origin, "${Generated.Arn}", ARN)).toBe("maybe");
    expect(resourceCovers(p, origin, "${Generated.Arn}", `${ARN}:live`)).toBe("no");
  });
  it("a parameter may be anything", () => {
    expect(resourceCovers(p, origin, "${Target}", `${ARN}:live`)).toBe("maybe");
    expect(resourceCovers(p, origin, "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Named}", ARN)).toBe("maybe");
    expect(resourceCovers(p, origin, "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Named}", `${ARN}:live`)).toBe("no");
  });
  it("roleInvokeCoverage combines grants and qualifiers", () => {
    const role = p.roles.find((r) => r.origin.logicalId === "GenesysRole")!;
    expect(roleInvokeCoverage(p, role, literalLambdaTarget(ARN)!).coverage).toBe("maybe");
    expect(roleInvokeCoverage(p, role, literalLambdaTarget(`${ARN}:live`)!).coverage).toBe("no");
    expect(roleInvokeCoverage(p, role, literalLambdaTarget(`${ARN}:$LATEST`)!).coverage).toBe("maybe");
    expect(roleGrantInfo(p, role).complete).toBe(true);
  });
});

describe("role completeness and assumability", () => {
  it("a role with an unseen managed policy is incomplete, so not-covered becomes maybe", () => {
    const p = project({ "t.yaml": TEMPLATE.replace("      Policies:", "      ManagedPolicyArns:\n        - arn:aws:iam::123456789012:policy/Invoke\n      Policies:") });
    const role = p.roles.find((r) => r.origin.logicalId === "GenesysRole")!;
    expect(roleGrantInfo(p, role).complete).toBe(false);
    expect(roleInvokeCoverage(p, role, literalLambdaTarget(`${ARN}:live`)!).coverage).toBe("maybe");
  });
  it("AWS managed execution policies do not make a role incomplete", () => {
    const p = project({ "t.yaml": TEMPLATE.replace("      Policies:", "      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n      Policies:") });
    expect(roleGrantInfo(p, p.roles.find((r) => r.origin.logicalId === "GenesysRole")!).complete).toBe(true);
  });
  it("policies in another template attached by role name count", () => {
    const p = project({
      "a.yaml": TEMPLATE.replace("    Type: AWS::IAM::Role\n    Properties:\n", "    Type: AWS::IAM::Role\n    Properties:\n      RoleName: genesys-invoker\n"),
      "b.yaml": `Resources:
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [genesys-invoker]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: "${ARN}:*"
`,
    });
    const role = p.roles.find((r) => r.origin.logicalId === "GenesysRole")!;
    expect(roleInvokeCoverage(p, role, literalLambdaTarget(`${ARN}:live`)!).coverage).toBe("yes");
  });
  it("execution roles trusted only by services cannot be assumed by Genesys", () => {
    const p = project({
      "t.yaml": `Resources:
  GenesysLookupRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
`,
    });
    expect(assumableByAccount(p.roles[0]!)).toBe(false);
  });
});

describe("small helpers", () => {
  it("namesInvokeFunctionUrl: only patterns that do not also grant InvokeFunction", () => {
    expect(namesInvokeFunctionUrl("lambda:InvokeFunctionUrl")).toBe(true);
    expect(namesInvokeFunctionUrl("Lambda:invokefunctionurl")).toBe(true);
    expect(namesInvokeFunctionUrl("lambda:*Url")).toBe(true);
    expect(namesInvokeFunctionUrl("lambda:Invoke*")).toBe(false);
    expect(namesInvokeFunctionUrl("lambda:*")).toBe(false);
    expect(namesInvokeFunctionUrl("*")).toBe(false);
  });
  it("literalLambdaTarget", () => {
    expect(literalLambdaTarget(`${ARN}:live`)).toMatchObject({ name: "lookup", qualifier: "live", unqualified: ARN });
    expect(literalLambdaTarget("arn:aws:lambda:us-east-1:123456789012:function:${input.f}")).toBeUndefined();
    expect(literalLambdaTarget("arn:aws:lambda:us-east-1:123456789012:function:*")).toBeUndefined();
    expect(literalLambdaTarget("your-lambda-function-arn")).toBeUndefined();
  });
  it("dataActionKind infers the kind when the integration type is unknown", () => {
    const base = { origin: plain, node: { type: "scalar", value: null, path: [], range: { start: 0, end: 0 } } as const, headers: [] };
    expect(dataActionKind({ ...base, url: ARN })).toBe("lambda");
    expect(dataActionKind({ ...base, url: "https://x" })).toBe("rest");
    expect(dataActionKind({ ...base, url: "/api/v2/users" })).toBeUndefined();
    expect(dataActionKind({ ...base, integrationType: "purecloud-data-actions", url: "https://x" })).toBe("platform");
  });
});

describe("AWS managed policies with a partition pseudo parameter", () => {
  it("are recognised (CDK writes arn:${AWS::Partition}:iam::aws:policy/...)", () => {
    const p = project({ "t.yaml": TEMPLATE.replace("      Policies:", "      ManagedPolicyArns:\n        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n      Policies:") });
    expect(roleGrantInfo(p, p.roles.find((r) => r.origin.logicalId === "GenesysRole")!).complete).toBe(true);
  });
});
