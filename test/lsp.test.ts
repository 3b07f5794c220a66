/**
 * The language server (`deputy lsp`) tested with a real LSP client over stdio (test/lsp-client.ts): the diagnostics
 * are the CLI's findings for the same files, unsaved edits are linted, cross-file findings come from the workspace
 * folder (unsaved buffers in place of the files on disk), the workspace's deputy.config.yaml applies, code actions
 * and commands edit what they should, and shutdown/exit ends the process cleanly.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CodeAction, Diagnostic, TextEdit as LspEdit } from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CASES, ROOT, withoutTerraformExample } from "./helpers.js";
import { BIN, LspClient, uri } from "./lsp-client.js";

interface CliFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related: { file: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
  suppressions: unknown[];
}

/** The CLI's findings (JSON report) for a folder, run from that folder. */
function cliFindings(cwd: string, args: string[] = []): CliFinding[] {
  const r = spawnSync(process.execPath, [BIN, "--format", "json", ...args], { cwd, encoding: "utf8" });
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  return (JSON.parse(r.stdout) as { findings: CliFinding[] }).findings.filter((f) => f.suppressions.length === 0);
}

const SEVERITY: Record<string, number> = { error: 1, warning: 2, note: 3 };

/** A CLI finding as the diagnostic the server should publish for it. */
function expected(f: CliFinding, root: string) {
  return {
    code: f.ruleId,
    severity: SEVERITY[f.severity],
    message: f.message,
    range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
    related: f.related.map((r) => ({ uri: uri(join(root, r.file)), range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } }, message: r.message })),
  };
}

function shown(d: Diagnostic) {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: d.range,
    related: (d.relatedInformation ?? []).map((r) => ({ uri: r.location.uri, range: r.location.range, message: r.message })),
  };
}

function workspace(files: Record<string, string> = {}, copy: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "deputy-lsp-"));
  for (const [to, from] of Object.entries(copy)) cpSync(from, join(dir, to), { recursive: true, filter: withoutTerraformExample });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const clients: LspClient[] = [];
function client(): LspClient {
  const c = new LspClient();
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
});

const CROSS = join(CASES, "DPY404-data-action-lambda-not-permitted", "fail", "cross-folder");

describe("deputy lsp", () => {
  it("initializes with diagnostics, code actions and the fix-all command, and exits 0 after shutdown", async () => {
    const c = client();
    const init = await c.initialize(ROOT);
    expect(init.serverInfo?.name).toBe("deputy");
    expect(init.capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(init.capabilities.codeActionProvider).toMatchObject({ codeActionKinds: ["quickfix", "source.fixAll.deputy"] });
    expect(init.capabilities.executeCommandProvider?.commands).toEqual(["deputy.applySafeFixes"]);
    expect(await c.shutdown()).toBe(0);
  });

  it("publishes the CLI's findings for every example file, with rule code, rule page link and related locations", async () => {
    const root = workspace({}, { examples: join(ROOT, "examples") });
    const cli = cliFindings(root);
    const c = client();
    await c.initialize(root);
    const files = [
      "examples/infra/genesys-lambda.yaml",
      "examples/policies/genesys-trust-policy.json",
      "examples/genesys/order-status-actions.json",
    ];
    let seen = 0;
    for (const file of files) {
      const diags = await c.open(join(root, file), readFileSync(join(root, file), "utf8"), file.endsWith(".json") ? "json" : file.endsWith(".tf") ? "terraform" : "yaml");
      const want = cli.filter((f) => f.file === file);
      expect(want.length).toBeGreaterThan(0);
      expect(diags.map(shown)).toEqual(want.map((f) => expected(f, root)));
      for (const d of diags) {
        expect(d.source).toBe("deputy");
        expect(d.codeDescription?.href).toMatch(new RegExp(`/docs/rules/${String(d.code)}-[a-z-]+\\.md$`));
      }
      seen += diags.length;
    }
    expect(seen).toBe(cli.length);
    // DPY301 points at the role's trust policy as a related location.
    const yaml = c.diagnostics.get(uri(join(root, files[0]!)))!.diagnostics;
    const dpy301 = yaml.find((d) => d.code === "DPY301")!;
    expect(dpy301.relatedInformation?.[0]).toMatchObject({ location: { uri: uri(join(root, files[0]!)), range: { start: { line: 18, character: 8 } } } });
    expect(await c.shutdown()).toBe(0);
  });

  it("lints unsaved edits (full and incremental changes) and reports what the CLI reports for the edited text", async () => {
    const root = workspace({}, { "template.yaml": join(ROOT, "examples", "infra", "genesys-lambda.yaml") });
    const path = join(root, "template.yaml");
    const text = readFileSync(path, "utf8");
    const c = client();
    await c.initialize(root);
    const before = await c.open(path, text);
    expect(before.map((d) => d.code)).toContain("DPY102");
    // An incremental change: the placeholder external ID becomes a real organization ID (not saved).
    const doc = TextDocument.create(uri(path), "yaml", 1, text);
    const at = text.indexOf("YOUR_GENESYS_ORG_ID");
    const range = { start: doc.positionAt(at), end: doc.positionAt(at + "YOUR_GENESYS_ORG_ID".length) };
    const after = await c.change(path, "011a0480-9a1e-4da9-8cdd-2642474cf92a", range);
    expect(after.map((d) => d.code)).not.toContain("DPY102");
    const edited = text.replace("YOUR_GENESYS_ORG_ID", "011a0480-9a1e-4da9-8cdd-2642474cf92a");
    const other = workspace({ "template.yaml": edited });
    expect(after.map(shown)).toEqual(cliFindings(other).map((f) => expected(f, root)));
    // The file on disk is untouched.
    expect(readFileSync(path, "utf8")).toBe(text);
    // A syntax error while typing is a DPY001 diagnostic, not a dead server.
    const broken = await c.change(path, edited.replace("Resources:", "Resources: [\n"));
    expect(broken.map((d) => d.code)).toContain("DPY001");
    expect(await c.shutdown()).toBe(0);
  });

  it("reports a cross-file finding from the workspace folder, and takes an unsaved buffer of the other file over the disk", async () => {
    const root = workspace({}, { genesys: join(CROSS, "genesys"), infra: join(CROSS, "infra") });
    const actions = join(root, "genesys", "actions.json");
    const template = join(root, "infra", "template.yaml");
    const c = client();
    await c.initialize(root);
    // Only the data actions are open: the role is read from infra/template.yaml on disk.
    const diags = await c.open(actions, readFileSync(actions, "utf8"), "json");
    expect(diags.map(shown)).toEqual(cliFindings(root).filter((f) => f.file === "genesys/actions.json").map((f) => expected(f, root)));
    expect(diags.map((d) => `${d.code} ${d.range.start.line + 1}`)).toEqual(["DPY404 41"]);
    expect(diags[0]!.message).toContain("order-refund");
    // The role's template is opened and edited without saving to grant the refund function too: the data action's
    // finding goes, in the other (unchanged) document.
    const text = readFileSync(template, "utf8");
    await c.open(template, text);
    const published = c.publications.get(uri(actions))!;
    await c.change(template, text.replace("Resource: !GetAtt LookupFunction.Arn", 'Resource:\n                  - !GetAtt LookupFunction.Arn\n                  - "arn:aws:lambda:us-east-1:123456789012:function:order-refund"'));
    await c.until(() => c.publications.get(uri(actions))! > published, "the data action file's diagnostics again");
    expect(c.diagnostics.get(uri(actions))!.diagnostics).toEqual([]);
    // Closing the template without saving: the disk's version counts again.
    await c.close(template);
    await c.until(() => (c.diagnostics.get(uri(actions))?.diagnostics.length ?? 0) === 1, "DPY404 back after closing the unsaved template");
    expect(await c.shutdown()).toBe(0);
  });

  it("with diagnostics: workspace, publishes the findings of files that are not open too", async () => {
    const root = workspace({}, { genesys: join(CROSS, "genesys"), infra: join(CROSS, "infra") });
    const c = client();
    await c.initialize(root, { debounce: 0, diagnostics: "workspace" });
    const template = join(root, "infra", "template.yaml");
    await c.open(template, readFileSync(template, "utf8"));
    const actions = uri(join(root, "genesys", "actions.json"));
    await c.until(() => c.diagnostics.has(actions), "diagnostics of the data actions, never opened");
    expect(c.diagnostics.get(actions)!.diagnostics.map(shown)).toEqual(cliFindings(root).filter((f) => f.file === "genesys/actions.json").map((f) => expected(f, root)));
    expect(await c.shutdown()).toBe(0);
  });

  it("uses the workspace's deputy.config.yaml, and the unsaved buffer of it when it is open", async () => {
    const config = "rules:\n  DPY202: off\n";
    const root = workspace({ "deputy.config.yaml": config }, { "template.yaml": join(ROOT, "examples", "infra", "genesys-lambda.yaml") });
    const path = join(root, "template.yaml");
    const c = client();
    await c.initialize(root);
    const diags = await c.open(path, readFileSync(path, "utf8"));
    expect(diags.map((d) => d.code)).not.toContain("DPY202");
    expect(diags.map(shown)).toEqual(cliFindings(root).map((f) => expected(f, root)));
    // The config is opened and DPY202 turned to a note (unsaved): the template's DPY202 is back, as information.
    const configPath = join(root, "deputy.config.yaml");
    await c.open(configPath, config);
    const n = c.publications.get(uri(path))!;
    await c.change(configPath, "rules:\n  DPY202: note\n");
    await c.until(() => c.publications.get(uri(path))! > n && c.diagnostics.get(uri(path))!.diagnostics.some((d) => d.code === "DPY202"), "DPY202 as a note");
    expect(c.diagnostics.get(uri(path))!.diagnostics.find((d) => d.code === "DPY202")!.severity).toBe(3);
    // An invalid config is shown on the config file, where the problem is.
    const cfg = await c.change(configPath, "rules:\n  DPY999: off\n");
    expect(cfg).toHaveLength(1);
    expect(cfg[0]).toMatchObject({ code: "config", severity: 1, range: { start: { line: 1, character: 2 } } });
    expect(cfg[0]!.message).toContain('unknown rule "DPY999"');
    expect(await c.shutdown()).toBe(0);
  });

  it("offers a suppression with a reason as a deputy-ignore comment in YAML, honoured once the reason is written", async () => {
    const root = workspace({}, { "template.yaml": join(ROOT, "examples", "infra", "genesys-lambda.yaml") });
    const path = join(root, "template.yaml");
    const text = readFileSync(path, "utf8");
    const c = client();
    await c.initialize(root);
    const diags = await c.open(path, text);
    const d202 = diags.find((d) => d.code === "DPY202")!;
    const actions = (await c.codeActions(path, d202.range, [d202])) as CodeAction[];
    const sup = actions.find((a) => a.title.startsWith("Suppress DPY202"))!;
    expect(sup.kind).toBe("quickfix");
    const edits = sup.edit!.changes![uri(path)]!;
    const doc = TextDocument.create(uri(path), "yaml", 1, text);
    const suppressed = TextDocument.applyEdits(doc, edits);
    const line = d202.range.start.line;
    expect(suppressed.split("\n")[line]).toBe("                Resource: \"*\"".replace(/Resource.*/, "") + "# deputy-ignore DPY202 -- ");
    // Without a reason it is not honoured, and the comment says so.
    const noReason = await c.change(path, suppressed);
    expect(noReason.map((d) => d.code)).toContain("DPY202");
    expect(noReason.find((d) => d.code === "suppression-no-reason")?.range.start.line).toBe(line);
    // With one, the finding is gone.
    const withReason = await c.change(path, suppressed.replace("# deputy-ignore DPY202 -- ", "# deputy-ignore DPY202 -- reviewed: a test account"));
    expect(withReason.map((d) => d.code)).not.toContain("DPY202");
    expect(withReason.map((d) => d.code)).not.toContain("suppression-no-reason");
    expect(await c.shutdown()).toBe(0);
  });

  it("suppresses in deputy.config.yaml for a JSON policy (creating the file), honoured once the reason is written", async () => {
    const root = workspace({}, { "trust.json": join(ROOT, "examples", "policies", "genesys-trust-policy.json") });
    const path = join(root, "trust.json");
    const c = client();
    await c.initialize(root);
    const diags = await c.open(path, readFileSync(path, "utf8"), "json");
    const d101 = diags.find((d) => d.code === "DPY101")!;
    const actions = (await c.codeActions(path, d101.range, [d101])) as CodeAction[];
    const sup = actions.find((a) => a.title.startsWith("Suppress DPY101"))!;
    expect(sup.title).toContain("deputy.config.yaml");
    const configUri = uri(join(root, "deputy.config.yaml"));
    const [create, edit] = sup.edit!.documentChanges as [{ kind: string; uri: string }, { textDocument: { uri: string }; edits: { newText: string }[] }];
    expect(create).toMatchObject({ kind: "create", uri: configUri });
    expect(edit.textDocument.uri).toBe(configUri);
    // The client applies it (the file is created) and its watcher tells the server.
    writeFileSync(join(root, "deputy.config.yaml"), edit.edits[0]!.newText);
    const n = c.publications.get(uri(path))!;
    await c.watchedFiles([{ uri: configUri, type: 1 }]);
    await c.until(() => c.publications.get(uri(path))! > n && (c.diagnostics.get(configUri)?.diagnostics.length ?? 0) > 0, "the config's diagnostics");
    expect(c.diagnostics.get(uri(path))!.diagnostics.map((d) => d.code)).toContain("DPY101");
    expect(c.diagnostics.get(configUri)!.diagnostics.map((d) => d.code)).toEqual(["suppression-no-reason"]);
    writeFileSync(join(root, "deputy.config.yaml"), edit.edits[0]!.newText.replace('reason: ""', "reason: our own account"));
    await c.watchedFiles([{ uri: configUri, type: 2 }]);
    await c.until(() => !c.diagnostics.get(uri(path))!.diagnostics.some((d) => d.code === "DPY101"), "DPY101 suppressed");
    expect(c.diagnostics.get(configUri)!.diagnostics).toEqual([]);
    expect(cliFindings(root).map((f) => f.ruleId)).not.toContain("DPY101");
    expect(await c.shutdown()).toBe(0);
  });

  it("lints Terraform files, and an unsaved edit of one file of a module counts for the others", async () => {
    const main = readFileSync(join(CASES, "DPY101-trust-missing-external-id", "fail", "terraform", "main.tf"), "utf8");
    const locals = main.slice(0, main.indexOf("}\n") + 2);
    const root = workspace({ "infra/locals.tf": locals, "infra/main.tf": main.slice(locals.length) });
    const mainPath = join(root, "infra", "main.tf");
    const c = client();
    await c.initialize(root);
    const diags = await c.open(mainPath, readFileSync(mainPath, "utf8"), "terraform");
    expect(diags.map(shown)).toEqual(cliFindings(root).map((f) => expected(f, root)));
    expect(diags.filter((d) => d.code === "DPY101" && d.severity === 1)).toHaveLength(3);
    // The local that two of the roles trust is changed in locals.tf, not saved: main.tf's findings follow.
    const localsPath = join(root, "infra", "locals.tf");
    await c.open(localsPath, locals, "terraform");
    const n = c.publications.get(uri(mainPath))!;
    await c.change(localsPath, locals.replace("765628985471", "111122223333"));
    await c.until(() => c.publications.get(uri(mainPath))! > n, "main.tf's diagnostics again");
    const after = c.diagnostics.get(uri(mainPath))!.diagnostics.filter((d) => d.code === "DPY101");
    expect(after.filter((d) => d.severity === 1)).toHaveLength(1);
    expect(after.filter((d) => String(d.message).includes("111122223333"))).toHaveLength(2);
    expect(await c.shutdown()).toBe(0);
  });

  it("offers the rules' fixes as quick fixes, and applies the safe ones of a file as deputy --fix does (code action and command)", async () => {
    const root = workspace({}, { examples: join(ROOT, "examples") });
    const file = "examples/policies/genesys-trust-policy.json";
    const path = join(root, file);
    const text = readFileSync(path, "utf8");
    // What the CLI's --fix makes of the same file, in a copy.
    const other = workspace({}, { examples: join(ROOT, "examples") });
    spawnSync(process.execPath, [BIN, "--fix"], { cwd: other, encoding: "utf8" });
    const cliFixed = readFileSync(join(other, file), "utf8");
    expect(cliFixed).not.toBe(text);
    const c = client();
    await c.initialize(root);
    const diags = await c.open(path, text, "json");
    const doc = TextDocument.create(uri(path), "json", 1, text);
    const d105 = diags.find((d) => d.code === "DPY105")!;
    const quick = ((await c.codeActions(path, d105.range, [d105])) as CodeAction[]).find((a) => !a.title.startsWith("Suppress"))!;
    expect(quick).toMatchObject({ kind: "quickfix", isPreferred: true, diagnostics: [d105] });
    expect(quick.title).toContain("765628985471");
    const quickEdits = (quick.edit!.documentChanges![0] as { textDocument: { version: number }; edits: LspEdit[] });
    expect(quickEdits.textDocument.version).toBe(1);
    expect(TextDocument.applyEdits(doc, quickEdits.edits)).toBe(cliFixed);
    // Fix all (the source.fixAll kind VS Code runs on save), and the command, which sends workspace/applyEdit.
    const all = ((await c.codeActions(path, d105.range, [], ["source.fixAll"])) as CodeAction[]);
    expect(all.map((a) => a.kind)).toEqual(["source.fixAll.deputy"]);
    expect(TextDocument.applyEdits(doc, (all[0]!.edit!.documentChanges![0] as { edits: LspEdit[] }).edits)).toBe(cliFixed);
    expect(await c.executeCommand("deputy.applySafeFixes", [uri(path)])).toEqual({ applied: true, fixes: 1 });
    const sent = c.appliedEdits[0]!.edit.documentChanges![0] as { textDocument: { uri: string; version: number }; edits: LspEdit[] };
    expect(sent.textDocument).toEqual({ uri: uri(path), version: 1 });
    expect(TextDocument.applyEdits(doc, sent.edits)).toBe(cliFixed);
    // The editor applies it: the finding is gone, and nothing is left to fix.
    const after = await c.change(path, cliFixed);
    expect(after.map((d) => d.code)).not.toContain("DPY105");
    expect(await c.executeCommand("deputy.applySafeFixes", [uri(path)])).toEqual({ applied: false, fixes: 0 });
    // The file on disk was never written by the server.
    expect(readFileSync(path, "utf8")).toBe(text);

    // An unsafe fix is offered as such, not preferred, and removes its finding.
    const yamlPath = join(root, "examples/infra/genesys-lambda.yaml");
    const yaml = readFileSync(yamlPath, "utf8");
    const yd = await c.open(yamlPath, yaml);
    const d301 = yd.find((d) => d.code === "DPY301")!;
    const unsafe = ((await c.codeActions(yamlPath, d301.range, [d301])) as CodeAction[]).find((a) => !a.title.startsWith("Suppress"))!;
    expect(unsafe.title).toContain("(unsafe fix: review it)");
    expect(unsafe.isPreferred).toBe(false);
    const yamlDoc = TextDocument.create(uri(yamlPath), "yaml", 1, yaml);
    const fixedYaml = TextDocument.applyEdits(yamlDoc, (unsafe.edit!.documentChanges![0] as { edits: LspEdit[] }).edits);
    expect((await c.change(yamlPath, fixedYaml)).map((d) => d.code)).not.toContain("DPY301");
    expect(await c.shutdown()).toBe(0);
  });

  it("refuses unknown arguments, explains itself with --help, and ends when the client goes away", () => {
    const r = spawnSync(process.execPath, [BIN, "lsp", "--tcp"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown argument "--tcp"');
    const h = spawnSync(process.execPath, [BIN, "lsp", "--help"], { encoding: "utf8" });
    expect(h.status).toBe(0);
    expect(h.stdout).toContain("docs/editors.md");
    // Standard input closed without shutdown/exit (the editor crashed): the server ends, with code 1 as LSP says.
    const gone = spawnSync(process.execPath, [BIN, "lsp"], { input: "", encoding: "utf8", timeout: 20000 });
    expect(gone.status).toBe(1);
  });
});
