/** Configuration-dependent behaviour of DPY101–DPY105 (the fixture tests run with the default configuration). */
import { describe, it, expect } from "vitest";
import { defaultConfig, type DeputyConfig } from "../../src/config/config.js";
import { lintFiles } from "../../src/engine/engine.js";

function lint(files: Record<string, unknown>, config: Partial<DeputyConfig> = {}, rule?: string): string[] {
  const inputs = Object.entries(files).map(([path, v]) => ({ path, absPath: `/nonexistent/${path}`, text: typeof v === "string" ? v : JSON.stringify(v, null, 2) }));
  const r = lintFiles(inputs, { ...defaultConfig(), ...config });
  return r.findings.filter((f) => (rule ? f.ruleId === rule : /^DPY10[1-5]$|^DPY000$/.test(f.ruleId))).map((f) => `${f.ruleId} ${f.severity} ${f.message}`);
}

const trust = (aws: unknown, condition?: unknown) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: aws }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
});

const ORG = "011a0480-9a1e-4da9-8cdd-2642474cf92a";

describe("DPY101 and the configuration", () => {
  it("treats accounts.own as the same account", () => {
    expect(lint({ "t.json": trust("arn:aws:iam::444455556666:root") }, {}, "DPY101")).toHaveLength(1);
    expect(lint({ "t.json": trust("arn:aws:iam::444455556666:root") }, { accounts: { own: ["444455556666"] } }, "DPY101")).toEqual([]);
  });

  it("still reports an account listed in accounts.trusted", () => {
    const got = lint({ "t.json": trust("arn:aws:iam::444455556666:root") }, { accounts: { trusted: [{ id: "444455556666", reason: "vendor" }] } }, "DPY101");
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^DPY101 warning/);
  });

  it("lets configuration severity override the per-finding severity", () => {
    const got = lint({ "t.json": trust("arn:aws:iam::444455556666:root") }, { rules: { DPY101: "error" } }, "DPY101");
    expect(got[0]).toMatch(/^DPY101 error/);
  });
});

describe("DPY101 first-party and known accounts", () => {
  it("does not take a Genesys or known vendor account for first-party because a file shows it", () => {
    // A CLI dump in the Datadog account would make that account "own" by inference; a vendor's never is.
    const dump = { Role: { RoleName: "r", Arn: "arn:aws:iam::464622532012:role/r", AssumeRolePolicyDocument: trust("arn:aws:iam::464622532012:root") } };
    const got = lint({ "get-role.json": dump, "t.json": trust("arn:aws:iam::464622532012:root") }, {}, "DPY101");
    expect(got).toEqual([expect.stringMatching(/^DPY101 error The account 464622532012 belongs to Datadog/)]);
  });

  it("takes a vendor account for own only when accounts.own says so", () => {
    expect(lint({ "t.json": trust("arn:aws:iam::464622532012:root") }, { accounts: { own: ["464622532012"] } }, "DPY101")).toEqual([]);
  });

  it("calls repeated-digit accounts placeholders, and leaves other accounts a warning that names accounts.own", () => {
    expect(lint({ "t.json": trust("000000000000") }, {}, "DPY101")).toEqual([expect.stringMatching(/^DPY101 warning The account 000000000000 is the AWS documentation's example account ID/)]);
    expect(lint({ "t.json": trust("210987654321") }, {}, "DPY101")).toEqual([expect.stringMatching(/accounts: \{own: \["210987654321"\]\} in deputy\.config\.yaml/)]);
  });

  it("takes an account that another scanned file deploys to for first-party", () => {
    const dump = { Role: { RoleName: "ci", Arn: "arn:aws:iam::210987654321:role/ci", AssumeRolePolicyDocument: trust("arn:aws:iam::210987654321:root") } };
    expect(lint({ "t.json": trust("arn:aws:iam::210987654321:root") }, {}, "DPY101")).toHaveLength(1);
    expect(lint({ "get-role.json": dump, "t.json": trust("arn:aws:iam::210987654321:root") }, {}, "DPY101")).toEqual([]);
  });
});

describe("DPY102 and genesys.orgId", () => {
  it("requires the configured organization ID for a Genesys principal", () => {
    const doc = trust("arn:aws:iam::765628985471:root", { StringEquals: { "sts:ExternalId": "f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e" } });
    expect(lint({ "t.json": doc }, {}, "DPY102")).toEqual([]);
    const got = lint({ "t.json": doc }, { genesys: { orgId: ORG } }, "DPY102");
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(`is not the Genesys Cloud organization ID in the configuration (${ORG})`);
    expect(lint({ "t.json": trust("arn:aws:iam::765628985471:root", { StringEquals: { "sts:ExternalId": ORG.toUpperCase() } }) }, { genesys: { orgId: ORG } }, "DPY102")).toEqual([]);
  });

  it("does not apply the organization ID to other accounts or to parameters", () => {
    expect(lint({ "t.json": trust("arn:aws:iam::123456789012:root", { StringEquals: { "sts:ExternalId": "partner-7f3c2a" } }) }, { genesys: { orgId: ORG } }, "DPY102")).toEqual([]);
    const tpl = {
      Parameters: { Org: { Type: "String" } },
      Resources: { R: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: trust("arn:aws:iam::765628985471:root", { StringEquals: { "sts:ExternalId": { Ref: "Org" } } }) } } },
    };
    expect(lint({ "template.json": tpl }, { genesys: { orgId: ORG } }, "DPY102")).toEqual([]);
  });
});

describe("DPY105 and the configuration", () => {
  const genesysRole = (accounts: string[]) => ({
    Role: { Path: "/", RoleName: "genesys-lookup", RoleId: "AROAEXAMPLE", Arn: "arn:aws:iam::111122223333:role/genesys-lookup", AssumeRolePolicyDocument: trust(accounts, { StringEquals: { "sts:ExternalId": ORG } }) },
  });

  it("accepts accounts listed in accounts.trusted and the role's own account", () => {
    const files = { "r.json": genesysRole(["arn:aws:iam::765628985471:root", "arn:aws:iam::123456789012:root", "arn:aws:iam::111122223333:root"]) };
    expect(lint(files, {}, "DPY105")).toHaveLength(1);
    expect(lint(files, { accounts: { trusted: [{ id: "123456789012" }] } }, "DPY105")).toEqual([]);
  });

  it("requires the account of the configured Genesys region", () => {
    const files = { "r.json": genesysRole(["arn:aws:iam::765628985471:root"]) };
    expect(lint(files, { genesys: { region: "eu-west-1" } }, "DPY105")).toEqual([]);
    expect(lint(files, { genesys: { region: "mypurecloud.ie" } }, "DPY105")).toEqual([]);
    const got = lint(files, { genesys: { region: "use2.us-gov-pure.cloud" } }, "DPY105");
    expect(got).toHaveLength(1);
    expect(got[0]).toContain("765628985471 is the Genesys Cloud account for commercial regions, but the configuration sets the Genesys region use2.us-gov-pure.cloud, whose account is 325654371633");
    const fed = { "r.json": genesysRole(["arn:aws-us-gov:iam::325654371633:root"]) };
    expect(lint(fed, { genesys: { region: "us-east-2" } }, "DPY105")).toEqual([]);
    expect(lint(fed, { genesys: { region: "eu-central-1" } }, "DPY105")[0]).toContain("Did you mean 765628985471?");
    // A region whose Genesys account is unconfirmed checks nothing.
    expect(lint(files, { genesys: { region: "mx-central-1" } }, "DPY105")).toEqual([]);
  });

  it("names the region's account for a near miss", () => {
    const got = lint({ "t.json": trust("arn:aws:iam::765628981432:root") }, { genesys: { region: "us-east-2" } }, "DPY105");
    expect(got[0]).toContain("Did you mean 325654371633 (the Genesys account for us-east-2)?");
    expect(lint({ "t.json": trust("arn:aws:iam::765628981432:root") }, {}, "DPY105")[0]).toContain("Did you mean 765628985471?");
  });

  it("reports the unknown account with the region's account as the expected one", () => {
    const files = { "r.json": genesysRole(["arn:aws:iam::765628985471:root", "arn:aws:iam::123456789012:root"]) };
    expect(lint(files, { genesys: { region: "eu-west-1" } }, "DPY105")[0]).toContain("Genesys Cloud assumes roles from 765628985471 (the account for eu-west-1)");
  });

  it("follows genesysRoles in the configuration", () => {
    const files = { "r.json": { Role: { Path: "/", RoleName: "ivr-lookup", RoleId: "AROAEXAMPLE", Arn: "arn:aws:iam::111122223333:role/ivr-lookup", AssumeRolePolicyDocument: trust("arn:aws:iam::123456789012:root") } } };
    expect(lint(files, {}, "DPY105")).toEqual([]);
    expect(lint(files, { genesysRoles: ["ivr-lookup"] }, "DPY105")[0]).toContain("(the configuration names it)");
  });
});
