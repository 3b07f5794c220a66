import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config.js";
import { Linter } from "../../src/engine/engine.js";
import { at, type Node } from "../../src/model/node.js";
import { CASES } from "../helpers.js";


function input(rel: string) {
  return { path: rel, absPath: join(CASES, rel) };
}

function keys(n: Node | undefined): string[] {
  return n && n.type === "object" ? n.entries.map((e) => e.key) : [];
}

describe("files kept for the cross-file phase", () => {
  it("keep only the nodes their entities point at, their ancestors and statement Sids", () => {
    const linter = new Linter(defaultConfig());
    linter.addFile(input("DPY301-function-url-wrong-principal/fail/execution-role.yaml"));
    const [m] = linter.project.files;
    const root = m!.root!;
    // The function keeps its resource node and the properties an entity reads (Role), not its code or runtime.
    const fnProps = at(root, "Resources", "ReportFunction", "Properties");
    expect(keys(fnProps)).toEqual(["Role"]);
    expect(at(root, "AWSTemplateFormatVersion")).toBeUndefined();
    // Policy statements keep what the rules read, and the locations of kept nodes are unchanged.
    const action = at(root, "Resources", "ReportFunctionRole", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0, "Action", 0);
    expect(action?.type === "scalar" && action.value).toBe("lambda:InvokeFunctionUrl");
    expect(action?.path).toEqual(["Resources", "ReportFunctionRole", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0, "Action", 0]);
    // The cross-file findings land where they did before the tree was cut down.
    const result = linter.finish();
    expect(result.findings.filter((f) => f.ruleId === "DPY301").map((f) => [f.region.startLine, f.region.startColumn, f.logical.path])).toEqual([
      [33, 21, "Resources/ReportFunctionRole/Properties/Policies[0]/PolicyDocument/Statement[0]/Action[0]"],
      [41, 15, "Resources/ReportSelfUrlPermission/Properties/Action"],
    ]);
  });

  it("settle what needs the whole file before cutting it: a role's managed policies, the stack's account", () => {
    const linter = new Linter(defaultConfig());
    linter.addFile(input("DPY105-unknown-genesys-account/pass/own-account-from-pruned-resource.yaml"));
    const [m] = linter.project.files;
    expect(at(m!.root!, "Resources", "AuditLogs")).toBeUndefined();
    expect(m!.roles[0]!.origin.inferredAccount).toBe("111122223333");
    expect(m!.roles[0]!.localIncompleteReason).toBeNull();
    expect(linter.finish().findings).toEqual([]);
  });

  it("keep a statement's Sid for the logical location of a cross-file finding", () => {
    const linter = new Linter(defaultConfig());
    linter.addFile(input("DPY301-function-url-wrong-principal/fail/get-policy.json"));
    const f = linter.finish().findings.find((x) => x.ruleId === "DPY301");
    expect(f?.logical).toMatchObject({ path: "Policy/Statement[0]/Action", statement: { index: 0, sid: "events" } });
  });

  it("keep only the identity statements about invoking functions, and only files that have some", () => {
    const policy = (actions: string[]) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }, { Effect: "Allow", Action: actions, Resource: "*" }] }, null, 2);
    const linter = new Linter(defaultConfig());
    const add = (name: string, actions: string[]) => linter.addFile({ path: name, absPath: `/virtual/${name}`, text: policy(actions) });
    add("get-only.json", ["lambda:GetFunction"]);
    add("pattern.json", ["lamb*:Invoke*"]);
    add("url.json", ["lambda:InvokeFunctionUrl"]);
    add("unknown.json", ["${Action}"]);
    expect(linter.project.files.map((m) => m.file.path)).toEqual(["pattern.json", "url.json", "unknown.json"]);
    for (const d of linter.project.documents) expect(d.statements.map((s) => s.index)).toEqual([1]);
  });
});
