/**
 * `deputy lsp`: the language server, over stdio, on `vscode-languageserver` (the protocol implementation VS Code's
 * own servers use; the CLI loads it only for this command).
 *
 * Each workspace folder is linted as `deputy` lints it from that folder: its files found once as the CLI finds them
 * (then kept up to date from the client's file watcher), its `deputy.config.yaml` (the unsaved buffer when the file is
 * open), and the open documents' unsaved texts in place of their files on disk, through one `LintSession` of the
 * programmatic API (src/api.ts): only the files that changed are analysed again, the cross-file phase runs over the
 * whole folder each time, so a data action being edited is checked against the roles in the folder's other files.
 * Runs are debounced (`initializationOptions.debounce`, default 150 ms). A document outside every workspace folder is
 * linted alone, with the configuration found from its folder up.
 *
 * Diagnostics: one per finding (rule code, link to the rule page, related locations) and per suppression problem;
 * suppressed findings are not shown. Code actions: the finding's fix (`Finding.fix`), "suppress with a reason" in the
 * form the file supports (suppress.ts), and "fix all safe problems" (`source.fixAll.deputy`, also the command
 * `deputy.applySafeFixes`).
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { ConfigError, LintSession, type Finding, type Fix, type LintReport } from "../api.js";
import { collectInputs } from "../cli/pipeline.js";
import { CONFIG_NAMES, findConfigFile } from "../config/load.js";
import { sha1Hex } from "../engine/hash.js";
import { displayPath } from "../cli/discover.js";
import { findingDiagnostic, minimalEdit, notificationDiagnostic, SOURCE, toLspEdits, uriOf, type DiagnosticData } from "./convert.js";
import { suppressionAction } from "./suppress.js";

/** Extensions of the documents the server lints (the loader decides whether a file is deputy's business). */
export const LINTED_EXTENSIONS = [".json", ".yaml", ".yml", ".template", ".tf"];

export const COMMAND_APPLY_SAFE_FIXES = "deputy.applySafeFixes";
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.deputy`;

const REDISCOVER_MS = 10_000;

export interface ServerOptions {
  /** Milliseconds between the last edit and the run. */
  debounce: number;
  /** `open`: diagnostics for open documents (default); `workspace`: for every file of the folder with findings. */
  diagnostics: "open" | "workspace";
}

interface Folder {
  root: string;
  /** A workspace folder (its files are discovered) or the folder of documents outside every workspace folder. */
  workspace: boolean;
  session?: LintSession;
  /** Which configuration the session was made with (file and content), to notice when it changes. */
  configKey?: string;
  configFile?: string;
  configDiagnostics: Diagnostic[];
  /** Files of the folder (absolute paths), found as the CLI finds them; undefined: to find again. */
  files?: string[];
  /** When they were found (performance.now()). */
  foundAt?: number;
  timer?: ReturnType<typeof setTimeout>;
  /** The run in progress, and whether another is wanted when it ends (a change came during it). */
  running?: Promise<void>;
  again?: boolean;
  /** URIs this folder published diagnostics for. */
  published: Set<string>;
  /** The findings (not suppressed) of the last run, by URI, with the text they were found in. */
  findings: Map<string, Finding[]>;
  report?: LintReport;
  /** The open documents' versions the last run saw, by URI. */
  versions: Map<string, number>;
}

function isLinted(path: string): boolean {
  return LINTED_EXTENSIONS.includes(extname(path).toLowerCase());
}

function inside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** `file:line:col: message` lines of a ConfigError as diagnostics of the config file. */
function configErrorDiagnostics(e: ConfigError): Diagnostic[] {
  return e.message.split("\n").map((line) => {
    const m = /^.*?:(\d+):(\d+): (.*)$/.exec(line);
    const l = m ? Math.max(0, Number(m[1]) - 1) : 0;
    const c = m ? Math.max(0, Number(m[2]) - 1) : 0;
    return {
      range: { start: { line: l, character: c }, end: { line: l, character: c + 1 } },
      severity: 1,
      source: SOURCE,
      code: "config",
      message: `${m ? m[3] : line} (deputy lints with the default settings until this is fixed)`,
    };
  });
}

export class DeputyServer {
  readonly documents = new TextDocuments(TextDocument);
  private folders: Folder[] = [];
  private loose = new Map<string, Folder>();
  private options: ServerOptions = { debounce: 150, diagnostics: "open" };
  private watching = false;
  private versionedEdits = false;
  private resourceOperations = false;

  constructor(private readonly connection: Connection) {
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => {
      if (this.watching) {
        const globs = ["**/*.{json,yaml,yml,template,tf}", ...CONFIG_NAMES.map((n) => `**/${n}`), "**/.gitignore"];
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) });
      }
    });
    connection.onDidChangeWatchedFiles((p) => {
      const touched = new Set<Folder>();
      for (const c of p.changes) {
        const abs = pathOf(c.uri);
        if (!abs) continue;
        for (const f of this.folders) {
          if (!inside(f.root, abs)) continue;
          // A new or deleted file changes the list; a changed one is noticed by the session itself (size and time).
          if (c.type !== FileChangeType.Changed || CONFIG_NAMES.includes(abs.slice(abs.lastIndexOf(sep) + 1)) || abs.endsWith(".gitignore")) f.files = undefined;
          touched.add(f);
        }
      }
      for (const f of touched) this.schedule(f);
    });
    this.documents.onDidOpen((e) => this.changed(e.document.uri, true));
    this.documents.onDidChangeContent((e) => this.changed(e.document.uri, false));
    this.documents.onDidClose((e) => this.closed(e.document.uri));
    connection.onCodeAction((p) => this.codeActions(p));
    connection.onExecuteCommand(async (p) => {
      if (p.command !== COMMAND_APPLY_SAFE_FIXES) return undefined;
      const uri = typeof p.arguments?.[0] === "string" ? (p.arguments[0] as string) : typeof (p.arguments?.[0] as { uri?: unknown })?.uri === "string" ? ((p.arguments![0] as { uri: string }).uri) : undefined;
      if (!uri) return { applied: false, fixes: 0 };
      const { edit, count } = await this.safeFixesEdit(uri);
      if (!edit || count === 0) return { applied: false, fixes: 0 };
      const r = await connection.workspace.applyEdit({ label: `deputy: apply ${count} safe fix${count === 1 ? "" : "es"}`, edit });
      return { applied: r.applied, fixes: count };
    });
    connection.onShutdown(() => {
      for (const f of this.allFolders()) if (f.timer) clearTimeout(f.timer);
    });
    this.documents.listen(connection);
  }

  private initialize(p: InitializeParams): InitializeResult {
    const init = (p.initializationOptions ?? {}) as Partial<ServerOptions>;
    if (typeof init.debounce === "number" && init.debounce >= 0) this.options.debounce = init.debounce;
    if (init.diagnostics === "workspace") this.options.diagnostics = "workspace";
    const roots = (p.workspaceFolders ?? []).map((w) => pathOf(w.uri)).filter((x): x is string => x !== undefined);
    const legacy = p.rootUri ? pathOf(p.rootUri) : p.rootPath ?? undefined;
    if (roots.length === 0 && legacy) roots.push(legacy);
    // Nested workspace folders: a file belongs to the innermost one.
    this.folders = roots.map((root) => this.newFolder(resolve(root), true)).sort((a, b) => b.root.length - a.root.length);
    this.watching = p.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.versionedEdits = p.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.resourceOperations = (p.capabilities.workspace?.workspaceEdit?.resourceOperations ?? []).includes("create");
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [COMMAND_APPLY_SAFE_FIXES] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
      },
      serverInfo: { name: "deputy" },
    };
  }

  private newFolder(root: string, workspace: boolean): Folder {
    return { root, workspace, configDiagnostics: [], published: new Set(), findings: new Map(), versions: new Map() };
  }

  private allFolders(): Folder[] {
    return [...this.folders, ...this.loose.values()];
  }

  /** The folder a file belongs to: the innermost workspace folder that holds it, or its own folder. */
  private folderOf(abs: string): Folder {
    const ws = this.folders.find((f) => inside(f.root, abs));
    if (ws) return ws;
    const dir = dirname(abs);
    let f = this.loose.get(dir);
    if (!f) this.loose.set(dir, (f = this.newFolder(dir, false)));
    return f;
  }

  private changed(uri: string, opened: boolean): void {
    const abs = pathOf(uri);
    if (!abs) return;
    const folder = this.folderOf(abs);
    // A document opened that the folder's list does not have (new, or found before it was written): find again.
    if (opened && folder.files && isLinted(abs) && !folder.files.includes(abs)) folder.files = undefined;
    this.schedule(folder);
  }

  private closed(uri: string): void {
    const abs = pathOf(uri);
    if (!abs) return;
    const folder = this.folderOf(abs);
    if (this.options.diagnostics === "open" || !folder.workspace) {
      folder.published.delete(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.schedule(folder);
  }

  private schedule(folder: Folder): void {
    if (folder.timer) clearTimeout(folder.timer);
    folder.timer = setTimeout(() => {
      folder.timer = undefined;
      void this.run(folder);
    }, this.options.debounce);
  }

  /** Runs a folder's pending lint now, or waits for the one in progress (before answering with its findings). */
  private async flush(folder: Folder): Promise<void> {
    if (folder.timer) {
      clearTimeout(folder.timer);
      folder.timer = undefined;
      await this.run(folder);
    } else if (folder.running) {
      await folder.running;
    }
  }

  /** One run at a time per folder: a run asked for during another starts when it ends. */
  private async run(folder: Folder): Promise<void> {
    if (folder.running) {
      folder.again = true;
      return folder.running;
    }
    folder.running = this.lintFolder(folder);
    try {
      await folder.running;
    } finally {
      folder.running = undefined;
      if (folder.again) {
        folder.again = false;
        this.schedule(folder);
      }
    }
  }

  /** The unsaved texts of a folder's open documents that deputy reads. */
  private textsOf(folder: Folder, docs = this.openDocumentsOf(folder)): { path: string; text: string }[] {
    return docs.filter((d) => isLinted(pathOf(d.uri)!)).map((d) => ({ path: pathOf(d.uri)!, text: d.getText() }));
  }

  private openDocumentsOf(folder: Folder): TextDocument[] {
    return this.documents.all().filter((d) => {
      const abs = pathOf(d.uri);
      return abs !== undefined && this.folderOf(abs) === folder;
    });
  }

  /** The session for the folder's current configuration (the open buffer of its config file, if open). */
  private ensureSession(folder: Folder): LintSession {
    const configFile = findConfigFile(folder.root);
    let key = "none";
    let configText: { path: string; text: string } | undefined;
    if (configFile) {
      const doc = this.documents.get(pathToFileURL(configFile).href);
      if (doc) {
        configText = { path: configFile, text: doc.getText() };
        key = `${configFile}:text:${sha1Hex(configText.text)}`;
      } else {
        try {
          const st = statSync(configFile);
          key = `${configFile}:disk:${st.size}:${st.mtimeMs}`;
        } catch {
          key = `${configFile}:gone`;
        }
      }
    }
    if (folder.session && folder.configKey === key) return folder.session;
    folder.configKey = key;
    folder.configFile = configFile;
    folder.files = undefined;
    try {
      folder.session = new LintSession({ cwd: folder.root, configText, configFile: configFile ?? false });
      folder.configDiagnostics = [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      folder.configDiagnostics = configErrorDiagnostics(e);
      folder.session = new LintSession({ cwd: folder.root, configFile: false });
    }
    return folder.session;
  }

  private async lintFolder(folder: Folder): Promise<void> {
    const t0 = performance.now();
    let session: LintSession;
    let report: LintReport;
    const docs = this.openDocumentsOf(folder);
    const versions = new Map(docs.map((d) => [d.uri, d.version]));
    try {
      session = this.ensureSession(folder);
      // Without a file watcher from the client, files created or deleted are noticed by finding them again now and
      // then (at most every 10 s, at a run).
      if (!this.watching && folder.foundAt !== undefined && performance.now() - folder.foundAt > REDISCOVER_MS) folder.files = undefined;
      if (folder.workspace && folder.files === undefined) {
        folder.foundAt = performance.now();
        try {
          folder.files = collectInputs([folder.root], folder.root, [], session.config).map((d) => d.absPath);
        } catch {
          folder.files = [];
        }
      }
      const texts = this.textsOf(folder, docs);
      report = await session.lint({ files: folder.files ?? [], texts });
    } catch (e) {
      this.connection.console.error(`deputy: ${(e as Error).stack ?? String(e)}`);
      return;
    }
    folder.report = report;
    // The versions the run linted (a change during the run makes another one).
    folder.versions = versions;
    const byUri = new Map<string, Diagnostic[]>();
    const add = (uri: string, d: Diagnostic) => {
      const l = byUri.get(uri);
      if (l) l.push(d);
      else byUri.set(uri, [d]);
    };
    folder.findings = new Map();
    for (const f of report.findings) {
      if (f.suppressions?.length || f.file === "<project>") continue;
      const uri = uriOf(folder.root, f.file);
      add(uri, findingDiagnostic(f, folder.root));
      const l = folder.findings.get(uri);
      if (l) l.push(f);
      else folder.findings.set(uri, [f]);
    }
    for (const n of report.notifications) if (n.file) add(uriOf(folder.root, n.file), notificationDiagnostic(n));
    const configUri = folder.configFile ? pathToFileURL(folder.configFile).href : undefined;
    if (configUri) for (const d of folder.configDiagnostics) add(configUri, d);
    // Shown: the open documents, the config file when something is wrong there, and (diagnostics: workspace) every
    // file with a finding.
    const shown = new Set<string>(docs.map((d) => d.uri));
    if (configUri && byUri.has(configUri)) shown.add(configUri);
    if (this.options.diagnostics === "workspace" && folder.workspace) for (const uri of byUri.keys()) shown.add(uri);
    for (const uri of folder.published) if (!shown.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const uri of shown) {
      const doc = this.documents.get(uri);
      void this.connection.sendDiagnostics({ uri, version: versions.get(uri) ?? doc?.version, diagnostics: byUri.get(uri) ?? [] });
    }
    folder.published = shown;
    const ms = performance.now() - t0;
    this.connection.console.log(`deputy: ${report.filesScanned} file(s) in ${folder.root}, ${session.lastAnalyzed} analysed again, ${report.findings.length} finding(s), ${ms.toFixed(1)} ms`);
  }

  /** The text of a file as the last run saw it: the open document, or the file on disk. */
  private documentFor(uri: string): TextDocument | undefined {
    const open = this.documents.get(uri);
    if (open) return open;
    const abs = pathOf(uri);
    if (!abs) return undefined;
    try {
      return TextDocument.create(uri, "plaintext", 0, readFileSync(abs, "utf8").replace(/^\uFEFF/, ""));
    } catch {
      return undefined;
    }
  }

  /** A workspace edit applying fixes (edits in one or several files), or undefined when a file cannot be read. */
  fixEdit(folder: Folder, fixes: readonly Fix[]): WorkspaceEdit | undefined {
    const byUri = new Map<string, { start: number; end: number; text: string }[]>();
    for (const fix of fixes) {
      for (const e of fix.edits) {
        const uri = uriOf(folder.root, e.file);
        const l = byUri.get(uri);
        if (l) l.push(e);
        else byUri.set(uri, [e]);
      }
    }
    const docs: { doc: TextDocument; open: boolean; edits: { start: number; end: number; text: string }[] }[] = [];
    for (const [uri, edits] of byUri) {
      const doc = this.documentFor(uri);
      if (!doc) return undefined;
      // Offsets are into the text as the engine read it, without a byte order mark.
      const bom = doc.getText().charCodeAt(0) === 0xfeff ? 1 : 0;
      const sorted = edits.sort((a, b) => a.start - b.start).map((e) => ({ start: e.start + bom, end: e.end + bom, text: e.text }));
      // Fixes of several findings may carry the same edit: it is made once.
      const unique = sorted.filter((e, i) => i === 0 || e.start !== sorted[i - 1]!.start || e.end !== sorted[i - 1]!.end || e.text !== sorted[i - 1]!.text);
      docs.push({ doc, open: this.documents.get(uri) !== undefined, edits: unique });
    }
    if (this.versionedEdits) {
      return { documentChanges: docs.map(({ doc, open, edits }) => ({ textDocument: { uri: doc.uri, version: open ? doc.version : null }, edits: toLspEdits(doc, edits) })) };
    }
    return { changes: Object.fromEntries(docs.map(({ doc, edits }) => [doc.uri, toLspEdits(doc, edits)])) };
  }

  /** Findings of the last run in a document, after running a pending lint, or undefined when the document moved on since. */
  private async freshFindings(uri: string): Promise<{ folder: Folder; findings: Finding[] } | undefined> {
    const abs = pathOf(uri);
    if (!abs) return undefined;
    const folder = this.folderOf(abs);
    await this.flush(folder);
    const doc = this.documents.get(uri);
    if (doc && folder.versions.get(uri) !== doc.version) return undefined;
    return { folder, findings: folder.findings.get(uri) ?? [] };
  }

  /**
   * The edit that applies every safe fix of a document, as `deputy --fix` would make them (in passes, each checked:
   * a fix that would break the file or leave its finding is not applied), through the folder's session; the
   * document's unsaved text and the folder's other files as they are now.
   */
  async safeFixesEdit(uri: string): Promise<{ edit?: WorkspaceEdit; count: number }> {
    const fresh = await this.freshFindings(uri);
    if (!fresh || !fresh.folder.session || !fresh.findings.some((f) => f.fix?.safe && !f.suppressions?.length)) return { count: 0 };
    const { folder } = fresh;
    const session = folder.session!;
    const abs = pathOf(uri)!;
    const doc = this.documentFor(uri);
    if (!doc) return { count: 0 };
    const outcome = await session.fix({ files: folder.files ?? [], texts: this.textsOf(folder), only: [abs] });
    const fixed = outcome.texts.get(displayPath(folder.root, abs));
    if (fixed === undefined || outcome.applied.length === 0) return { count: 0 };
    const edits = [minimalEdit(doc, fixed)];
    const open = this.documents.get(uri) !== undefined;
    const edit: WorkspaceEdit = this.versionedEdits ? { documentChanges: [{ textDocument: { uri, version: open ? doc.version : null }, edits }] } : { changes: { [uri]: edits } };
    return { edit, count: outcome.applied.length };
  }

  private async codeActions(p: CodeActionParams): Promise<CodeAction[]> {
    const uri = p.textDocument.uri;
    const fresh = await this.freshFindings(uri);
    if (!fresh) return [];
    const { folder, findings } = fresh;
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const d of p.context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const fp = (d.data as DiagnosticData | undefined)?.fingerprint;
        const f = fp ? findings.find((x) => x.fingerprint === fp) : undefined;
        if (!f) continue;
        if (f.fix && f.fix.edits.length > 0) {
          const edit = this.fixEdit(folder, [f.fix]);
          if (edit) actions.push({ title: `${f.fix.description}${f.fix.safe ? "" : " (unsafe fix: review it)"}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: f.fix.safe, edit });
        }
        const doc = this.documentFor(uri);
        const sup = doc ? suppressionAction(f, doc, { root: folder.root, configFile: folder.configFile, documentFor: (u) => this.documentFor(u), canCreateFiles: this.resourceOperations }) : undefined;
        if (sup) actions.push({ ...sup, kind: CodeActionKind.QuickFix, diagnostics: [d] });
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const { edit, count } = await this.safeFixesEdit(uri);
      if (edit && count > 0) actions.push({ title: `Fix all safe deputy problems in this file (${count})`, kind: FIX_ALL_KIND, edit });
    }
    return actions;
  }
}

/** Starts the server on stdin/stdout; resolves when the client closes the connection. */
export function startLanguageServer(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`Usage: deputy lsp [--stdio]

Runs deputy's language server: the Language Server Protocol over stdin/stdout, for editors (diagnostics as you
type, cross-file findings from the workspace folder, quick fixes, suppressions with a reason, fix all safe
problems). Initialization options: debounce (ms, default 150), diagnostics ("open" or "workspace").
Set-up for VS Code, Neovim and other clients: https://github.com/deputy-lint/deputy/blob/main/docs/editors.md
`);
    return Promise.resolve(0);
  }
  const extra = argv.filter((a) => a !== "--stdio" && !a.startsWith("--clientProcessId"));
  if (extra.length > 0) {
    io.stderr(`deputy lsp: unknown argument "${extra[0]}". The server speaks LSP over stdin/stdout ("deputy lsp" or "deputy lsp --stdio").\n`);
    return Promise.resolve(2);
  }
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  new DeputyServer(connection);
  connection.listen();
  // The library ends the process on `exit`; this promise only keeps `main` from returning before that.
  return new Promise<number>(() => {});
}
