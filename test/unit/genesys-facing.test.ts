import { describe, it, expect } from "vitest";
import { defaultConfig, type DeputyConfig } from "../../src/config/config.js";
import { Project } from "../../src/engine/project.js";
import { SourceFile } from "../../src/engine/source.js";
import type { FileModel, Role } from "../../src/model/entities.js";
import { genesysFacing, trustedGenesysAccount, trustedGenesysAccountIn } from "../../src/model/genesys-facing.js";
import { loadText } from "../../src/parsers/index.js";

function model(path: string, value: unknown): FileModel {
  const m = loadText(new SourceFile(path, `/nonexistent/${path}`, typeof value === "string" ? value : JSON.stringify(value))).model;
  if (!m) throw new Error(`not recognised: ${path}`);
  return m;
}

const trust = (principal: unknown, effect = "Allow") => ({
  Version: "2012-10-17",
  Statement: [{ Effect: effect, Principal: principal, Action: "sts:AssumeRole" }],
});

/** A CloudFormation role with the given properties. */
function cfnRole(props: Record<string, unknown>, extra: Record<string, unknown> = {}, logicalId = "Role"): Role {
  const m = model("template.json", { Resources: { [logicalId]: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: trust({ Service: "lambda.amazonaws.com" }), ...props }, ...extra } } });
  return m.roles[0]!;
}

function getRole(name: string, principal: unknown, path = "/"): FileModel {
  return model(`${name}.json`, {
    Role: { Path: path, RoleName: name, RoleId: "AROAEXAMPLE", Arn: `arn:aws:iam::111122223333:role${path}${name}`, AssumeRolePolicyDocument: trust(principal) },
  });
}

function project(models: FileModel[], config: DeputyConfig = defaultConfig()): Project {
  const p = new Project(config);
  for (const m of models) p.add(m);
  return p;
}

describe("trustedGenesysAccount", () => {
  it("finds a Genesys account among the Allow principals, in any written form", () => {
    expect(trustedGenesysAccount(getRole("r1", { AWS: "arn:aws:iam::765628985471:root" }).roles[0]!)).toBe("765628985471");
    expect(trustedGenesysAccount(getRole("r2", { AWS: ["arn:aws:iam::111122223333:root", "325654371633"] }).roles[0]!)).toBe("325654371633");
    expect(trustedGenesysAccount(cfnRole({ AssumeRolePolicyDocument: trust({ AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::765628985471:root" } }) }))).toBe("765628985471");
  });

  it("ignores Deny statements, near misses and other principal types", () => {
    const deny = model("deny.json", trust({ AWS: "arn:aws:iam::765628985471:root" }, "Deny"));
    expect(trustedGenesysAccountIn(deny.documents[0]!)).toBeUndefined();
    expect(trustedGenesysAccount(getRole("r3", { AWS: "arn:aws:iam::765628981432:root" }).roles[0]!)).toBeUndefined();
    expect(trustedGenesysAccount(getRole("r4", { Service: "lex.amazonaws.com" }).roles[0]!)).toBeUndefined();
  });

  it("works on a standalone trust policy", () => {
    const doc = model("trust.json", trust({ AWS: "765628985471" })).documents[0]!;
    expect(trustedGenesysAccountIn(doc)).toBe("765628985471");
  });
});

describe("genesysFacing", () => {
  it("is Genesys-facing when the role trusts a Genesys account", () => {
    const role = getRole("lookup", { AWS: "arn:aws:iam::765628985471:root" }).roles[0]!;
    expect(genesysFacing(role)?.reason).toBe("it trusts the Genesys account 765628985471");
  });

  it("reads the name, logical ID, path, description and tags", () => {
    expect(genesysFacing(cfnRole({ RoleName: "genesys-lambda-invoker" }))?.reason).toBe('its name "genesys-lambda-invoker" mentions Genesys');
    expect(genesysFacing(cfnRole({}, {}, "PureCloudLexRole"))?.reason).toBe('its logical ID "PureCloudLexRole" mentions PureCloud');
    expect(genesysFacing(cfnRole({ Path: "/data-actions/" }))?.reason).toBe('its path "/data-actions/" mentions data actions');
    expect(genesysFacing(cfnRole({ Description: "Assumed by Genesys Cloud" }))?.reason).toBe('its description "Assumed by Genesys Cloud" mentions Genesys');
    expect(genesysFacing(cfnRole({ Tags: [{ Key: "integration", Value: "genesys" }] }))?.reason).toBe('its tag "genesys" mentions Genesys');
  });

  it("reads the CDK construct path below the stack, not the stack name", () => {
    expect(genesysFacing(cfnRole({}, { Metadata: { "aws:cdk:path": "GenesysStack/LambdaExecRole/Resource" } }, "LambdaExecRoleABCD1234"))).toBeUndefined();
    expect(genesysFacing(cfnRole({}, { Metadata: { "aws:cdk:path": "App/GenesysIntegration/Role/Resource" } }, "Role1234ABCD"))?.reason).toMatch(/CDK path/);
  });

  it("is not Genesys-facing for unrelated roles or look-alike words", () => {
    expect(genesysFacing(cfnRole({ RoleName: "billing-reports" }))).toBeUndefined();
    expect(genesysFacing(cfnRole({ RoleName: "metadataActionRunner" }))).toBeUndefined();
    expect(genesysFacing(getRole("ops", { AWS: "arn:aws:iam::123456789012:root" }).roles[0]!)).toBeUndefined();
  });

  it("follows Genesys integrations that name the role's ARN in another file", () => {
    const roleFile = getRole("order-lookup", { AWS: "arn:aws:iam::444455556666:root" });
    const tf = model("genesys.tf.json", {
      resource: {
        genesyscloud_integration_credential: {
          lambda: { name: "role", credential_type_name: "amazonWebServicesARN", fields: { ARN: "arn:aws:iam::111122223333:role/order-lookup" } },
        },
      },
    });
    const p = project([roleFile, tf]);
    expect(genesysFacing(roleFile.roles[0]!, p)?.reason).toBe("a Genesys integration in genesys.tf.json uses it");
    // Without the project, only what the role itself says counts.
    expect(genesysFacing(getRole("order-lookup", { AWS: "arn:aws:iam::444455556666:root" }).roles[0]!)).toBeUndefined();
  });

  it("follows the configuration's genesysRoles, by name, ARN or logical ID", () => {
    for (const entry of ["ivr-lookup", "arn:aws:iam::111122223333:role/ivr-lookup", "arn:aws:iam::111122223333:role/team/ivr-lookup"]) {
      const f = getRole("ivr-lookup", { AWS: "arn:aws:iam::444455556666:root" });
      const p = project([f], { ...defaultConfig(), genesysRoles: [entry] });
      expect(genesysFacing(f.roles[0]!, p)?.reason, entry).toBe("the configuration names it");
    }
    const role = cfnRole({}, {}, "IvrLookupRole");
    const m = { ...emptyish(), roles: [role] };
    expect(genesysFacing(role, project([m], { ...defaultConfig(), genesysRoles: ["IvrLookupRole"] }))?.reason).toBe("the configuration names it");
    const other = getRole("ivr-lookup", { AWS: "arn:aws:iam::444455556666:root" });
    expect(genesysFacing(other.roles[0]!, project([other], { ...defaultConfig(), genesysRoles: ["other-role"] }))).toBeUndefined();
  });
});

function emptyish(): FileModel {
  return { file: new SourceFile("x.json", "/nonexistent/x.json", ""), kind: "test", documents: [], roles: [], functions: [], functionUrls: [], permissions: [], dataActions: [], roleReferences: [] };
}
