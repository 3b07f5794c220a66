import { describe, it, expect } from "vitest";
import {
  actionMatchesPattern,
  actionsForService,
  allServicePrefixes,
  catalogUpdatedAt,
  catalogVersion,
  editDistance,
  expandActionPattern,
  isPermissionsManagementAction,
  lookupAction,
  resourceTypeArnFormats,
  serviceExists,
  suggestAction,
} from "../../src/model/iam-catalog.js";

const names = (pattern: string): string[] => expandActionPattern(pattern).map((a) => a.full);

describe("catalog metadata", () => {
  it("reports the iam-data version and update date", () => {
    expect(catalogVersion()).toMatch(/^\d+\.\d+\.\d{9,}$/);
    expect(catalogUpdatedAt()).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });
});

describe("services", () => {
  it("knows real prefixes, case-insensitively", () => {
    expect(serviceExists("lambda")).toBe(true);
    expect(serviceExists("LAMBDA")).toBe(true);
    expect(serviceExists("execute-api")).toBe(true);
    expect(serviceExists("lamda")).toBe(false);
    expect(serviceExists("")).toBe(false);
  });

  it("lists all prefixes in lowercase", () => {
    const prefixes = allServicePrefixes();
    expect(prefixes.length).toBeGreaterThan(300);
    expect(prefixes).toContain("sts");
    expect(prefixes).toContain("s3");
    expect(prefixes.every((p) => p === p.toLowerCase())).toBe(true);
  });

  it("returns no actions for an unknown service", () => {
    expect(actionsForService("nope")).toEqual([]);
    expect(actionsForService("lambda").length).toBeGreaterThan(50);
  });
});

describe("lookupAction", () => {
  it("returns the canonical entry for any case", () => {
    const a = lookupAction("Lambda:invokefunction");
    expect(a).toBeDefined();
    expect(a?.service).toBe("lambda");
    expect(a?.name).toBe("InvokeFunction");
    expect(a?.full).toBe("lambda:InvokeFunction");
    expect(a?.isWildcardOnly).toBe(false);
    expect(a?.resourceTypes[0].name).toBe("function");
    expect(a?.resourceTypes[0].required).toBe(true);
    expect(a?.resourceTypes[0].arnFormats).toContain(
      "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
    );
  });

  it("has sts:AssumeRole on role resources", () => {
    const a = lookupAction("sts:AssumeRole");
    expect(a?.name).toBe("AssumeRole");
    expect(a?.isWildcardOnly).toBe(false);
    expect(a?.resourceTypes.map((r) => r.name)).toEqual(["role"]);
    expect(a?.resourceTypes[0].arnFormats[0]).toMatch(/:iam::\$\{Account\}:role\//);
  });

  it("flags wildcard-only actions", () => {
    expect(lookupAction("logs:DescribeLogGroups")?.isWildcardOnly).toBe(true);
    expect(lookupAction("sts:GetCallerIdentity")?.isWildcardOnly).toBe(true);
    expect(lookupAction("s3:GetObject")?.isWildcardOnly).toBe(false);
  });

  it("returns undefined for unknown or malformed actions", () => {
    expect(lookupAction("lambda:InvokeFunctions")).toBeUndefined();
    expect(lookupAction("lamda:InvokeFunction")).toBeUndefined();
    expect(lookupAction("InvokeFunction")).toBeUndefined();
    expect(lookupAction(":InvokeFunction")).toBeUndefined();
  });
});

describe("actionMatchesPattern", () => {
  it("implements IAM globbing case-insensitively", () => {
    expect(actionMatchesPattern("lambda:Invoke*", "lambda:InvokeFunction")).toBe(true);
    expect(actionMatchesPattern("LAMBDA:invoke*", "lambda:InvokeFunction")).toBe(true);
    expect(actionMatchesPattern("lambda:?nvokeFunction", "lambda:InvokeFunction")).toBe(true);
    expect(actionMatchesPattern("lambda:?nvokeFunction", "lambda:InvokeFunctionUrl")).toBe(false);
    expect(actionMatchesPattern("*", "s3:GetObject")).toBe(true);
    expect(actionMatchesPattern("s3:*", "s3express:CreateSession")).toBe(false);
    expect(actionMatchesPattern("lambda:Invoke.Function", "lambda:InvokeXFunction")).toBe(false);
  });
});

describe("expandActionPattern", () => {
  it("expands lambda:Invoke*", () => {
    const got = names("lambda:Invoke*");
    expect(got).toEqual(
      expect.arrayContaining(["lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:InvokeAsync"]),
    );
    expect(got.every((n) => n.startsWith("lambda:Invoke"))).toBe(true);
  });

  it("is case-insensitive and supports ?", () => {
    expect(names("LAMBDA:invoke*").sort()).toEqual(names("lambda:Invoke*").sort());
    expect(names("lambda:?nvokeFunction")).toEqual(["lambda:InvokeFunction"]);
  });

  it("returns a single action for a literal and nothing for unknowns", () => {
    expect(names("sts:assumerole")).toEqual(["sts:AssumeRole"]);
    expect(names("sts:AssumeRoles")).toEqual([]);
    expect(names("nope:*")).toEqual([]);
    expect(names("no-colon")).toEqual([]);
  });

  it("expands a whole service", () => {
    const s3 = expandActionPattern("s3:*");
    expect(s3.length).toBe(actionsForService("s3").length);
    expect(s3.map((a) => a.full)).toContain("s3:GetObject");
    expect(s3.every((a) => a.service === "s3")).toBe(true);
  });

  it("supports wildcards in the service part", () => {
    const got = names("s?s:Get*");
    expect(got).toContain("sts:GetCallerIdentity");
    expect(got).toContain("sns:GetTopicAttributes");
  });

  it("finds permissions-management actions in iam:*Policy*", () => {
    const got = expandActionPattern("iam:*Policy*");
    const full = got.map((a) => a.full);
    expect(full).toEqual(expect.arrayContaining(["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion"]));
    const pm = got.filter(isPermissionsManagementAction).map((a) => a.full);
    expect(pm).toContain("iam:PutRolePolicy");
    expect(pm).toContain("iam:AttachRolePolicy");
    expect(pm).not.toContain("iam:GetRolePolicy");
  });

  it("expands * to every action", () => {
    const all = expandActionPattern("*");
    expect(all.length).toBeGreaterThan(15000);
  });
});

describe("isPermissionsManagementAction", () => {
  it("uses the catalog's access level", () => {
    const pm = (a: string): boolean => isPermissionsManagementAction(lookupAction(a)!);
    expect(pm("iam:PutRolePolicy")).toBe(true);
    expect(pm("iam:PassRole")).toBe(false);
    expect(pm("lambda:AddPermission")).toBe(true);
    expect(pm("lambda:InvokeFunction")).toBe(false);
    expect(pm("s3:PutBucketPolicy")).toBe(true);
    expect(pm("s3:GetObject")).toBe(false);
  });

  it("falls back to a name heuristic when there is no access level", () => {
    const base = lookupAction("iam:PutRolePolicy")!;
    expect(isPermissionsManagementAction({ ...base, accessLevel: "" })).toBe(true);
    expect(isPermissionsManagementAction({ ...base, name: "ListRoles", accessLevel: "" })).toBe(false);
  });
});

describe("suggestAction", () => {
  it("suggests the nearest action of a known service", () => {
    expect(suggestAction("lambda:InvokeFunctions")).toBe("lambda:InvokeFunction");
    expect(suggestAction("s3:GetObjects")).toBe("s3:GetObject");
    expect(suggestAction("sts:AssumeRol")).toBe("sts:AssumeRole");
    expect(suggestAction("lambda:invokefuntcion")).toBe("lambda:InvokeFunction");
  });

  it("fixes the service prefix when the action name exists there", () => {
    expect(suggestAction("lamda:InvokeFunction")).toBe("lambda:InvokeFunction");
    expect(suggestAction("stss:AssumeRole")).toBe("sts:AssumeRole");
  });

  it("falls back to the nearest service prefix", () => {
    expect(suggestAction("lamda:CompletelyMadeUpThing")).toBe("lambda");
  });

  it("gives nothing for real actions, wildcards or far-off names", () => {
    expect(suggestAction("lambda:InvokeFunction")).toBeUndefined();
    expect(suggestAction("lambda:Invoke*")).toBeUndefined();
    expect(suggestAction("lambda:Xyzzy")).toBeUndefined();
    expect(suggestAction("qwertyuiop:Foo")).toBeUndefined();
    expect(suggestAction("nocolon")).toBeUndefined();
  });
});

describe("resourceTypeArnFormats", () => {
  it("returns catalog formats, case-insensitively", () => {
    expect(resourceTypeArnFormats("lambda", "function")).toEqual([
      "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
    ]);
    expect(resourceTypeArnFormats("S3", "Bucket")).toEqual(["arn:${Partition}:s3:::${BucketName}"]);
    expect(resourceTypeArnFormats("lambda", "nope")).toEqual([]);
    expect(resourceTypeArnFormats("nope", "function")).toEqual([]);
  });
});

describe("editDistance", () => {
  it("counts edits and adjacent transpositions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("abc", "acb")).toBe(1);
    expect(editDistance("ABC", "abc")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("with a bound, agrees with the exact distance up to it and says max + 1 beyond", () => {
    // The textbook optimal-string-alignment table, without shortcuts, as the reference.
    const reference = (x: string, y: string): number => {
      const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= x.length; i++)
        for (let j = 1; j <= y.length; j++) {
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      return d[x.length]![y.length]!;
    };
    // Deterministic pseudo-random words over a small alphabet, so that near and far pairs (and shared prefixes and
    // suffixes) all occur.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const word = () => Array.from({ length: rnd(12) }, () => "abcd"[rnd(4)]).join("");
    for (let i = 0; i < 3000; i++) {
      const a = word();
      const b = i % 3 === 0 ? `${a.slice(0, rnd(a.length + 1))}${word()}` : word();
      const exact = editDistance(a, b);
      expect(exact).toBe(reference(a, b));
      for (const max of [0, 1, 2, 3, 5]) expect(editDistance(a, b, max)).toBe(exact <= max ? exact : max + 1);
    }
    expect(editDistance("lambda:InvokeFunction", "ec2:DescribeInstances", 3)).toBe(4);
  });
});
