/**
 * The minimal VS Code extension (editors/vscode): loaded with stand-ins for the `vscode` API and
 * `vscode-languageclient` (neither is installed here), it must start `deputy lsp` over stdio for JSON, YAML and
 * Terraform documents with the user's settings, pick the workspace's own deputy, and stop the client on deactivate.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const EXT = join(ROOT, "editors", "vscode");

function load(settings: Record<string, unknown>, folders: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "deputy-vscode-"));
  copyFileSync(join(EXT, "extension.js"), join(dir, "extension.js"));
  mkdirSync(join(dir, "node_modules", "vscode"), { recursive: true });
  mkdirSync(join(dir, "node_modules", "vscode-languageclient"), { recursive: true });
  writeFileSync(
    join(dir, "node_modules", "vscode", "index.js"),
    `const settings = ${JSON.stringify(settings)};
exports.commands = { registered: [], registerCommand(id, fn) { this.registered.push(id); return { dispose() {} }; } };
exports.window = {};
exports.workspace = { workspaceFolders: ${JSON.stringify(folders)}.map((p) => ({ uri: { fsPath: p } })), getConfiguration: () => ({ get: (k) => settings[k] }) };`,
  );
  writeFileSync(
    join(dir, "node_modules", "vscode-languageclient", "node.js"),
    `exports.TransportKind = { stdio: 0 };
exports.clients = [];
exports.LanguageClient = class { constructor(id, name, server, client) { Object.assign(this, { id, name, server, client, state: "new" }); exports.clients.push(this); }
  start() { this.state = "started"; return Promise.resolve(); } stop() { this.state = "stopped"; return Promise.resolve(); } };`,
  );
  const req = createRequire(join(dir, "extension.js"));
  return { ext: req("./extension.js") as { activate(ctx: unknown): Promise<void>; deactivate(): Promise<void> }, lc: req("vscode-languageclient/node") as { clients: { id: string; server: { run: { command: string; args: string[]; transport: number } }; client: { documentSelector: { language?: string; pattern?: string }[]; initializationOptions: unknown }; state: string }[] }, vscode: req("vscode") as { commands: { registered: string[] } } };
}

describe("the VS Code extension", () => {
  it("starts deputy lsp over stdio for JSON, YAML and Terraform with the settings, and stops on deactivate", async () => {
    const { ext, lc, vscode } = load({ path: "/opt/deputy/bin/deputy", debounce: 300, diagnostics: "workspace" }, []);
    const subscriptions: unknown[] = [];
    await ext.activate({ subscriptions });
    const c = lc.clients[0]!;
    expect(c.id).toBe("deputy");
    expect(c.server.run).toMatchObject({ command: "/opt/deputy/bin/deputy", args: ["lsp"], transport: 0 });
    expect(c.client.documentSelector.map((s) => s.language ?? s.pattern)).toEqual(["json", "jsonc", "yaml", "terraform", "**/*.{template,tf}"]);
    expect(c.client.initializationOptions).toEqual({ debounce: 300, diagnostics: "workspace" });
    expect(c.state).toBe("started");
    expect(vscode.commands.registered).toEqual(["deputy.fixActiveFile"]);
    await ext.deactivate();
    expect(c.state).toBe("stopped");
  });

  it("uses the workspace's node_modules/.bin/deputy when there is one, else deputy on the PATH", async () => {
    const ws = mkdtempSync(join(tmpdir(), "deputy-ws-"));
    mkdirSync(join(ws, "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(ws, "node_modules", ".bin", "deputy"), "");
    const a = load({}, [ws]);
    await a.ext.activate({ subscriptions: [] });
    expect(a.lc.clients[0]!.server.run.command).toBe(join(ws, "node_modules", ".bin", "deputy"));
    const b = load({}, [mkdtempSync(join(tmpdir(), "deputy-ws-"))]);
    await b.ext.activate({ subscriptions: [] });
    expect(b.lc.clients[0]!.server.run.command).toBe("deputy");
  });

  it("contributes the command it registers and activates on the languages it serves", () => {
    const pkg = JSON.parse(readFileSync(join(EXT, "package.json"), "utf8")) as { main: string; activationEvents: string[]; contributes: { commands: { command: string }[] } };
    expect(pkg.main).toBe("./extension.js");
    expect(pkg.contributes.commands.map((c) => c.command)).toEqual(["deputy.fixActiveFile"]);
    for (const l of ["json", "yaml", "terraform"]) expect(pkg.activationEvents).toContain(`onLanguage:${l}`);
  });
});
