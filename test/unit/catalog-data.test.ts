import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogSource, installedVersion, packageSource, slimService, slimSource, writeSlim } from "../../src/model/catalog-data.js";

describe("slim IAM catalog", () => {
  it("keeps names, access levels, resource types, ARN formats and condition keys, and drops the rest", () => {
    const slim = slimService(
      {
        InvokeFunction: {
          name: "InvokeFunction",
          accessLevel: "Write",
          resourceTypes: [{ name: "function", required: true, conditionKeys: ["lambda:FunctionArn"] }],
          conditionKeys: ["lambda:EventSourceToken"],
        },
        ListFunctions: { name: "ListFunctions", accessLevel: "List" },
      },
      {
        Function: { arn: "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}", conditionKeys: ["aws:ResourceTag/${TagKey}", "lambda:FunctionArn"] },
        Layer: { arn: ["a", "b"] },
      },
    );
    // An action's keys: its own, its resource types', and their definitions' (each once, by index into `k`).
    expect(slim).toEqual({
      a: [
        ["InvokeFunction", "Write", [["function", 1]], [0, 1, 2]],
        ["ListFunctions", "List", [], []],
      ],
      r: { function: ["arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"], layer: ["a", "b"] },
      k: ["lambda:EventSourceToken", "lambda:FunctionArn", "aws:ResourceTag/${TagKey}"],
    });
  });

  it("round-trips every service of the installed package through the slim file", () => {
    const pkg = packageSource();
    const slim = slimSource(writeSlim(pkg))!;
    expect(slim.kind).toBe("slim");
    expect(slim.version).toBe(pkg.version);
    expect(slim.updatedAt).toBe(pkg.updatedAt);
    expect(slim.services).toEqual(pkg.services);
    expect(pkg.services.length).toBeGreaterThan(300);
    for (const s of pkg.services) expect(slim.service(s), s).toEqual(pkg.service(s));
  });

  it("uses the slim file only when it was built from the installed version", () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-catalog-"));
    const pkg = packageSource();
    const current = join(dir, "current.jsonl");
    writeFileSync(current, writeSlim({ ...pkg, services: ["lambda"] }));
    const fromCurrent = catalogSource(current);
    expect(fromCurrent.kind).toBe("slim");
    expect(fromCurrent.version).toBe(installedVersion());
    expect(fromCurrent.service("lambda")).toEqual(pkg.service("lambda"));

    const stale = join(dir, "stale.jsonl");
    writeFileSync(stale, writeSlim({ ...pkg, version: "0.0.1", services: ["lambda"] }));
    expect(catalogSource(stale).kind).toBe("package");

    const garbage = join(dir, "garbage.jsonl");
    writeFileSync(garbage, "{not json\n");
    expect(catalogSource(garbage).kind).toBe("package");
    expect(catalogSource(join(dir, "absent.jsonl")).kind).toBe("package");
  });

  it("reads a service's line by its byte offsets, non-ASCII text included, and finds the package where the build did", () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-catalog-"));
    const file = join(dir, "iam-catalog.jsonl");
    const pkg = packageSource();
    const odd = { a: [["Ünïcode😀Action", "Write", [["thing", 1]]]], r: { thing: ["arn:${Partition}:x:${Region}:${Account}:thing/${ThingName}—é"] } };
    const text = writeSlim({ ...pkg, services: ["x", "lambda"], service: (s: string) => (s === "x" ? odd : pkg.service(s)) } as never, file);
    expect([...text].every((c) => c.charCodeAt(0) < 128)).toBe(true);
    expect(JSON.parse(text.slice(0, text.indexOf("\n"))).packageJson).toMatch(/@cloud-copilot[\\/]iam-data[\\/]package\.json$/);
    writeFileSync(file, text);
    const source = catalogSource(file);
    expect(source.kind).toBe("slim");
    expect(source.service("x")).toEqual(odd);
    expect(source.service("lambda")).toEqual(pkg.service("lambda"));
  });
});
