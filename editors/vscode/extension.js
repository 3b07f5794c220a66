// A minimal VS Code extension for deputy: it starts `deputy lsp --stdio` (the language server in deputy-lint) and
// lets VS Code's language client do the rest (diagnostics, quick fixes, "fix all" on save with
// "editor.codeActionsOnSave": { "source.fixAll.deputy": "explicit" }). See docs/editors.md.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

/** The deputy command: the setting, else the workspace's own deputy-lint, else `deputy` on the PATH. */
function deputyCommand(config, folders) {
  const configured = config.get("path");
  if (configured) return configured;
  for (const f of folders ?? []) {
    const local = join(f.uri.fsPath, "node_modules", ".bin", process.platform === "win32" ? "deputy.cmd" : "deputy");
    if (existsSync(local)) return local;
  }
  return "deputy";
}

function activate(context) {
  const config = vscode.workspace.getConfiguration("deputy");
  const command = deputyCommand(config, vscode.workspace.workspaceFolders);
  const run = { command, args: ["lsp"], transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
  const serverOptions = { run, debug: run };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "terraform" },
      { scheme: "file", pattern: "**/*.{template,tf}" },
    ],
    initializationOptions: { debounce: config.get("debounce"), diagnostics: config.get("diagnostics") },
  };
  client = new LanguageClient("deputy", "deputy", serverOptions, clientOptions);
  context.subscriptions.push(
    // The server's own command (deputy.applySafeFixes) is registered by the language client and takes the document's
    // URI; this one passes the active editor's.
    vscode.commands.registerCommand("deputy.fixActiveFile", () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return undefined;
      return client.sendRequest("workspace/executeCommand", { command: "deputy.applySafeFixes", arguments: [editor.document.uri.toString()] });
    }),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, deputyCommand };
