/**
 * The language server's "suppress with a reason" edits (src/lsp/suppress.ts), on the text alone: a comment in YAML,
 * Metadata merged into a JSON template's resource, an entry added to the configuration's suppress list in each shape
 * that list can have. Each edited text is linted again through the engine: the suppression is there, names the rule,
 * and (reason still empty) is reported as having no reason; with a reason written, the finding is suppressed.
 */
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { TextEdit as LspTextEdit, WorkspaceEdit } from "vscode-languageserver/node";
import { parse as parseYaml } from "yaml";
import { lint, type Finding } from "../../src/api.js";
import { configInsertion, suppressionAction } from "../../src/lsp/suppress.js";

const ROOT = "/ws";

function edits(e: WorkspaceEdit, uri: string): LspTextEdit[] {
  if (e.changes) return e.changes[uri] ?? [];
  for (const c of e.documentChanges ?? []) if ("textDocument" in c && c.textDocument.uri === uri) return c.edits as LspTextEdit[];
  return [];
}

async function findingsOf(path: string, text: string, config?: string): Promise<Finding[]> {
  const r = await lint({ cwd: ROOT, texts: [{ path, text }], ...(config !== undefined ? { configText: { path: "deputy.config.yaml", text: config } } : { configFile: false as const }) });
  return [...r.findings, ...r.notifications.map((n) => ({ ruleId: n.kind, file: n.file, message: n.message }) as unknown as Finding)];
}

const TEMPLATE = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "InvokeRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]}}]
      }
    }
  }
}
`;

const ctx = { root: ROOT, documentFor: () => undefined, canCreateFiles: true };

async function suppressOnce(path: string, text: string, rule: string, ctxOver: Partial<typeof ctx> & { configFile?: string } = {}) {
  const before = await findingsOf(path, text);
  const f = before.find((x) => x.ruleId === rule)!;
  expect(f, `${rule} in ${path}`).toBeDefined();
  const doc = TextDocument.create(`file://${ROOT}/${path}`, "json", 1, text);
  const action = suppressionAction(f, doc, { ...ctx, ...ctxOver })!;
  expect(action).toBeDefined();
  return { f, action, doc };
}

describe("suppress with a reason: JSON template Metadata", () => {
  it("adds Metadata to a resource that has none, laid out as its entries are", async () => {
    const { action, doc } = await suppressOnce("t.json", TEMPLATE, "DPY202");
    expect(action.title).toBe("Suppress DPY202 (wildcard-resource) for InvokeRole with a reason (Metadata)");
    const out = TextDocument.applyEdits(doc, edits(action.edit, doc.uri));
    expect(out).toContain(`      }},\n      "Metadata": {"deputy": {"suppress": [{"rule": "DPY202", "reason": ""}]}}\n    }`.replace("}},", "},"));
    expect(JSON.parse(out).Resources.InvokeRole.Metadata).toEqual({ deputy: { suppress: [{ rule: "DPY202", reason: "" }] } });
    // Everything else byte for byte.
    expect(out.replace(/,\n {6}"Metadata": .*\n/, "\n")).toBe(TEMPLATE);
    const after = await findingsOf("t.json", out);
    expect(after.map((x) => x.ruleId)).toContain("DPY202");
    expect(after.map((x) => x.ruleId)).toContain("suppression-no-reason");
    const reasoned = await findingsOf("t.json", out.replace('"reason": ""', '"reason": "test account"'));
    expect(reasoned.find((x) => x.ruleId === "DPY202")!.suppressions?.[0]?.justification).toBe("test account");
  });

  it("merges into existing Metadata, deputy and suppress entries", async () => {
    const withMeta = TEMPLATE.replace('"Type": "AWS::IAM::Role",', '"Type": "AWS::IAM::Role",\n      "Metadata": {"cfn_nag": {}},');
    let { action, doc } = await suppressOnce("t.json", withMeta, "DPY202");
    let out = TextDocument.applyEdits(doc, edits(action.edit, doc.uri));
    expect(JSON.parse(out).Resources.InvokeRole.Metadata).toEqual({ cfn_nag: {}, deputy: { suppress: [{ rule: "DPY202", reason: "" }] } });
    const withList = TEMPLATE.replace('"Type": "AWS::IAM::Role",', '"Type": "AWS::IAM::Role",\n      "Metadata": {"deputy": {"suppress": [{"rule": "DPY201", "reason": "x"}]}},');
    ({ action, doc } = await suppressOnce("t.json", withList, "DPY202"));
    out = TextDocument.applyEdits(doc, edits(action.edit, doc.uri));
    expect(out).toContain('"suppress": [{"rule": "DPY201", "reason": "x"}, {"rule": "DPY202", "reason": ""}]');
    const emptyMeta = TEMPLATE.replace('"Type": "AWS::IAM::Role",', '"Type": "AWS::IAM::Role",\n      "Metadata": {},');
    ({ action, doc } = await suppressOnce("t.json", emptyMeta, "DPY202"));
    out = TextDocument.applyEdits(doc, edits(action.edit, doc.uri));
    expect(out).toContain('"Metadata": { "deputy": {"suppress": [{"rule": "DPY202", "reason": ""}]} },');
  });
});

describe("suppress with a reason: the configuration's suppress list", () => {
  const POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]\n}\n';

  it("creates deputy.config.yaml in the folder when there is none (and the client can create files)", async () => {
    const { action } = await suppressOnce("policies/p.json", POLICY, "DPY202");
    expect(action.title).toBe("Suppress DPY202 (wildcard-resource) here with a reason (in deputy.config.yaml)");
    const [create, edit] = action.edit.documentChanges as [{ kind: string; uri: string }, { edits: LspTextEdit[] }];
    expect(create).toMatchObject({ kind: "create", uri: "file:///ws/deputy.config.yaml" });
    const config = edit.edits[0]!.newText;
    expect(parseYaml(config)).toEqual({ suppress: [{ file: "policies/p.json", rule: "DPY202", path: "Statement[0]/Resource", reason: "" }] });
    const after = await findingsOf("policies/p.json", POLICY, config);
    expect(after.map((x) => x.ruleId)).toEqual(expect.arrayContaining(["DPY202", "suppression-no-reason"]));
    const reasoned = await findingsOf("policies/p.json", POLICY, config.replace('reason: ""', "reason: reviewed"));
    expect(reasoned.find((x) => x.ruleId === "DPY202")!.suppressions?.[0]?.justification).toBe("reviewed");
    expect(suppressionAction((await findingsOf("policies/p.json", POLICY)).find((x) => x.ruleId === "DPY202")!, TextDocument.create("file:///ws/policies/p.json", "json", 1, POLICY), { ...ctx, canCreateFiles: false })).toBeUndefined();
  });

  const fields: [string, string][] = [["file", '"a.json"'], ["rule", "DPY202"], ["reason", '""']];
  const apply = (text: string) => {
    const ins = configInsertion(text, fields)!;
    return text.slice(0, ins.start) + ins.text + text.slice(ins.end);
  };
  const entry = { file: "a.json", rule: "DPY202", reason: "" };

  it("adds to the config in every shape of suppress, keeping comments and the rest", () => {
    const shapes: [string, string][] = [
      ["no suppress key", "rules:\n  DPY101: error   # keep\n"],
      ["no suppress key, no final newline", "rules:\n  DPY101: error"],
      ["suppress: []", "rules: {}\nsuppress: []   # see below\nignores: []\n"],
      ["suppress with nothing under it", "suppress:\n  # none yet\nignores: []\n"],
      ["a block list", 'suppress:\n  - file: "b.json"\n    rule: DPY201\n    reason: old   # why\nignores: []\n'],
      ["an indented block list", 'suppress:\n    -   file: "b.json"\n        rule: DPY201\n        reason: old\n'],
      ["a flow list", 'suppress: [{ file: "b.json", rule: DPY201, reason: old }]\n'],
      ["CRLF", "rules:\r\n  DPY101: error\r\nsuppress:\r\n  - rule: DPY201\r\n    reason: old\r\n"],
    ];
    for (const [name, text] of shapes) {
      const out = apply(text);
      const before = (parseYaml(text) ?? {}) as { suppress?: unknown[] };
      const after = parseYaml(out) as { suppress: unknown[] };
      expect(after.suppress, name).toEqual([...(before.suppress ?? []), entry]);
      expect({ ...after, suppress: undefined }, name).toEqual({ ...before, suppress: undefined });
      for (const comment of text.match(/#.*$/gm) ?? []) expect(out, name).toContain(comment);
      if (text.includes("\r\n")) expect(out.replace(/\r\n/g, ""), name).not.toContain("\n");
    }
  });
});

describe("suppress with a reason: YAML comment", () => {
  it("puts the comment above the finding's line at its indentation", async () => {
    const yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: lambda:InvokeFunction\n    Resource: '*'\n";
    const { action, doc } = await suppressOnce("p.yaml", yaml, "DPY202");
    const out = TextDocument.applyEdits(doc, edits(action.edit, doc.uri));
    expect(out).toBe(yaml.replace("    Resource:", "    # deputy-ignore DPY202 -- \n    Resource:"));
  });
});
