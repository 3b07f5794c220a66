/**
 * A real LSP client for the tests: spawns the built `deputy lsp` over stdio and speaks to it with
 * `vscode-languageserver-protocol`'s client-side connection (the library VS Code's client is built on), as an editor
 * does: initialize, open and edit documents, wait for published diagnostics, ask for code actions, run commands,
 * shut down.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ApplyWorkspaceEditParams,
  type CodeAction,
  type Command,
  type Diagnostic,
  type FileEvent,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
} from "vscode-languageserver-protocol/node";
import { ROOT } from "./helpers.js";

export const BIN = join(ROOT, "bin", "deputy.js");

export function uri(path: string): string {
  return pathToFileURL(path).href;
}

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  /** The latest diagnostics published for each URI, and how many times each was published. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly publications = new Map<string, number>();
  readonly logs: string[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly registrations: unknown[] = [];
  stderr = "";
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private versions = new Map<string, number>();
  readonly exited: Promise<number | null>;

  constructor(args: string[] = ["lsp", "--stdio"], cwd = ROOT) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.publications.set(p.uri, (this.publications.get(p.uri) ?? 0) + 1);
      this.wake();
    });
    this.connection.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
      this.wake();
    });
    this.connection.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
    });
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
      this.appliedEdits.push(p);
      return { applied: true };
    });
    this.connection.listen();
  }

  private wake(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves when `test` holds (checked now and after every notification); rejects after `ms`. */
  until(test: () => boolean, what: string, ms = 20000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  async initialize(rootPath: string | undefined, initializationOptions: unknown = { debounce: 0 }, capabilities: Record<string, unknown> = {}): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: rootPath ? uri(rootPath) : null,
      workspaceFolders: rootPath ? [{ uri: uri(rootPath), name: "ws" }] : null,
      initializationOptions,
      capabilities: {
        workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ["create"] }, didChangeWatchedFiles: { dynamicRegistration: true }, applyEdit: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll"] } } } },
        ...capabilities,
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Opens a document and waits for its diagnostics. */
  async open(path: string, text: string, languageId = "yaml"): Promise<Diagnostic[]> {
    const u = uri(path);
    const before = this.publications.get(u) ?? 0;
    this.versions.set(u, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId, version: 1, text } });
    await this.until(() => (this.publications.get(u) ?? 0) > before, `diagnostics of ${path}`);
    return this.diagnostics.get(u)!.diagnostics;
  }

  /**
   * Replaces the whole text (or a range of it) without saving, and waits for diagnostics of that version. Returns the
   * diagnostics of `path`.
   */
  async change(path: string, text: string, range?: Range): Promise<Diagnostic[]> {
    const u = uri(path);
    const version = (this.versions.get(u) ?? 1) + 1;
    this.versions.set(u, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version }, contentChanges: [range ? { range, text } : { text }] });
    await this.until(() => this.diagnostics.get(u)?.version === version, `diagnostics of ${path} version ${version}`);
    return this.diagnostics.get(u)!.diagnostics;
  }

  version(path: string): number {
    return this.versions.get(uri(path)) ?? 0;
  }

  async close(path: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uri(path) } });
  }

  async watchedFiles(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  codeActions(path: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(Command | CodeAction)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(path) }, range, context: { diagnostics, only } });
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** shutdown, then exit: resolves with the server's exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
