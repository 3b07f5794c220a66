import { describe, it, expect } from "vitest";
import {
  expectedGenesysAccountForRegion,
  genesysAccounts,
  genesysData,
  genesysRegion,
  genesysRegionDomains,
  isGenesysAccount,
  isUuid,
  mentionsGenesys,
  nearMissGenesysAccount,
} from "../../src/model/genesys.js";

describe("genesys account data", () => {
  it("lists the commercial and FedRAMP accounts", () => {
    expect(genesysAccounts()).toEqual(["765628985471", "325654371633"]);
  });

  it("gives a source beside every account and wrong-number entry", () => {
    const data = genesysData();
    for (const a of data.accounts) {
      expect(a.source).toMatch(/^https:\/\//);
      expect(["confirmed", "supported"]).toContain(a.status);
    }
    expect(data.regionDomainsSource).toMatch(/^https:\/\//);
    expect(data.knownWrong.map((k) => k.account)).toEqual(["765628981432", "76562898547"]);
    for (const k of data.knownWrong) expect(k.note.length).toBeGreaterThan(0);
  });

  it("has all 17 Genesys regions and no account for the unconfirmed ones", () => {
    const domains = genesysRegionDomains();
    expect(Object.keys(domains)).toHaveLength(17);
    expect(domains["eu-west-1"]).toBe("mypurecloud.ie");
    expect(domains["us-east-2"]).toBe("use2.us-gov-pure.cloud");
    const assigned = genesysData().accounts.flatMap((a) => a.regions);
    expect(assigned).not.toContain("mx-central-1");
    expect(assigned).not.toContain("ap-southeast-1");
    expect(genesysData().unknownRegions.map((u) => u.region ?? u.partition)).toEqual(["mx-central-1", "ap-southeast-1", "aws-eusc"]);
    // every region is either assigned to exactly one account or listed as unknown
    for (const r of Object.keys(domains)) {
      const n = assigned.filter((x) => x === r).length + (r === "mx-central-1" || r === "ap-southeast-1" ? 1 : 0);
      expect(n, r).toBe(1);
    }
  });

  it("caches the data", () => {
    expect(genesysData()).toBe(genesysData());
  });
});

describe("isGenesysAccount", () => {
  it("accepts exactly the Genesys accounts", () => {
    expect(isGenesysAccount("765628985471")).toBe(true);
    expect(isGenesysAccount("325654371633")).toBe(true);
    expect(isGenesysAccount("765628981432")).toBe(false);
    expect(isGenesysAccount("123456789012")).toBe(false);
    expect(isGenesysAccount("arn:aws:iam::765628985471:root")).toBe(false);
    expect(isGenesysAccount("")).toBe(false);
  });
});

describe("nearMissGenesysAccount", () => {
  it("finds the known wrong numbers", () => {
    expect(nearMissGenesysAccount("765628981432")).toBe("765628985471");
    expect(nearMissGenesysAccount("76562898547")).toBe("765628985471");
  });

  it("finds digits changed, added or dropped (distance 1..3)", () => {
    expect(nearMissGenesysAccount("765628985472")).toBe("765628985471"); // 1 changed
    expect(nearMissGenesysAccount("7656289854711")).toBe("765628985471"); // 1 added
    expect(nearMissGenesysAccount("65628985471")).toBe("765628985471"); // 1 dropped
    expect(nearMissGenesysAccount("325654371634")).toBe("325654371633");
    expect(nearMissGenesysAccount("765628000471")).toBe("765628985471"); // 3 changed
  });

  it("ignores exact matches, distant accounts and non-account strings", () => {
    expect(nearMissGenesysAccount("765628985471")).toBeUndefined();
    expect(nearMissGenesysAccount("325654371633")).toBeUndefined();
    expect(nearMissGenesysAccount("765620000071")).toBeUndefined(); // 4 changed
    expect(nearMissGenesysAccount("123456789012")).toBeUndefined();
    expect(nearMissGenesysAccount("76562898")).toBeUndefined(); // 8 digits: too short
    expect(nearMissGenesysAccount("7656289854710000")).toBeUndefined(); // 16 digits: too long
    expect(nearMissGenesysAccount("76562898547a")).toBeUndefined();
    expect(nearMissGenesysAccount("")).toBeUndefined();
  });
});

describe("expectedGenesysAccountForRegion", () => {
  it("maps commercial regions and domains to the commercial account", () => {
    for (const v of ["us-east-1", "eu-west-1", "ap-northeast-3", "EU_CENTRAL_2", "mypurecloud.ie", "mypurecloud.com", "mypurecloud.com.au", "api.mypurecloud.de", "https://login.usw2.pure.cloud/oauth", "apne2.pure.cloud"]) {
      expect(expectedGenesysAccountForRegion(v), v).toBe("765628985471");
    }
  });

  it("maps FedRAMP us-east-2 to the FedRAMP account", () => {
    expect(expectedGenesysAccountForRegion("us-east-2")).toBe("325654371633");
    expect(expectedGenesysAccountForRegion("use2.us-gov-pure.cloud")).toBe("325654371633");
    expect(expectedGenesysAccountForRegion("api.use2.us-gov-pure.cloud")).toBe("325654371633");
  });

  it("returns undefined for unconfirmed and unknown regions", () => {
    expect(expectedGenesysAccountForRegion("mx-central-1")).toBeUndefined();
    expect(expectedGenesysAccountForRegion("mxc1.pure.cloud")).toBeUndefined();
    expect(expectedGenesysAccountForRegion("ap-southeast-1")).toBeUndefined();
    expect(expectedGenesysAccountForRegion("apse1.pure.cloud")).toBeUndefined();
    expect(expectedGenesysAccountForRegion("eu-north-1")).toBeUndefined();
    expect(expectedGenesysAccountForRegion("example.com")).toBeUndefined();
    expect(expectedGenesysAccountForRegion("notmypurecloud.com")).toBeUndefined();
    expect(expectedGenesysAccountForRegion("")).toBeUndefined();
  });

  it("normalizes regions and domains", () => {
    expect(genesysRegion("mypurecloud.com.au")).toBe("ap-southeast-2");
    expect(genesysRegion("mypurecloud.com")).toBe("us-east-1");
    expect(genesysRegion("apps.mypurecloud.com:443")).toBe("us-east-1");
    expect(genesysRegion("us_west_2")).toBe("us-west-2");
  });
});

describe("mentionsGenesys", () => {
  it("detects Genesys-facing names", () => {
    for (const t of [
      "GenesysCloudLambdaRole",
      "genesys-data-action-role",
      "PureCloudLexRole",
      "purecloud",
      "Pure Cloud integration",
      "DataActionsInvokeRole",
      "role for data actions",
      "my_dataaction_role",
      "data_action",
      "Lambda-Data-Action-Role",
      "MyDataActionRole",
    ]) {
      expect(mentionsGenesys(t), t).toBe(true);
    }
  });

  it("ignores unrelated names", () => {
    for (const t of ["LambdaExecutionRole", "metadataActionRole", "datastore-role", "", "action-data"]) {
      expect(mentionsGenesys(t), t).toBe(false);
    }
  });
});

describe("isUuid", () => {
  it("accepts UUIDs (the Genesys organization ID form)", () => {
    expect(isUuid("011a0480-9a1e-4da9-8cdd-2642474cf92a")).toBe(true);
    expect(isUuid("011A0480-9A1E-4DA9-8CDD-2642474CF92A")).toBe(true);
  });
  it("rejects other strings", () => {
    expect(isUuid("011a0480-9a1e-4da9-8cdd-2642474cf92")).toBe(false);
    expect(isUuid("011a04809a1e4da98cdd2642474cf92a")).toBe(false);
    expect(isUuid(" 011a0480-9a1e-4da9-8cdd-2642474cf92a")).toBe(false);
    expect(isUuid("your-org-id")).toBe(false);
    expect(isUuid("g11a0480-9a1e-4da9-8cdd-2642474cf92a")).toBe(false);
  });
});
