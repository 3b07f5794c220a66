#!/usr/bin/env node
// The language server's speed as an editor sees it: `deputy lsp` spawned over stdio and driven by an LSP client
// (vscode-languageserver-protocol), with no debounce, so each number is the time from sending a `didChange` of one
// keystroke to receiving the diagnostics of that version: the re-lint of the whole folder (the edited file analysed
// again, the others taken from what the session remembers, the cross-file phase over all) plus the protocol.
//
//   node bench/lsp.mjs [--edits N] [--corpus N]
//
// Cases: the 300-resource YAML and JSON templates of .bench/single alone in a folder, and the YAML one opened in a
// folder that also holds the synthetic corpus of N files (default 1000; 0 skips it).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { ensureCorpus, ensureSingles, ROOT } from "./generate.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const EDITS = opt("--edits", 40);
const CORPUS = opt("--corpus", 1000);

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

async function measure(label, folder, file, languageId) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "deputy.js"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let waiting;
  let count = 0;
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri === uri && waiting && p.version === waiting.version) {
      count = p.diagnostics.length;
      waiting.resolve(performance.now());
    }
  });
  conn.listen();
  const uri = pathToFileURL(file).href;
  await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(folder).href, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: "bench" }], initializationOptions: { debounce: 0 }, capabilities: {} });
  await conn.sendNotification(InitializedNotification.type, {});
  const wait = (version) => new Promise((resolve) => (waiting = { version, resolve }));
  let text = fs.readFileSync(file, "utf8");
  const t0 = performance.now();
  const first = wait(1);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  const open = (await first) - t0;
  const firstCount = count;
  // Keystrokes: a character typed into a Description near the middle of the file, one at a time.
  const at = text.indexOf("Description", text.length >> 1);
  const times = [];
  for (let v = 2; v < EDITS + 2; v++) {
    const offset = at + 12 + (v - 2);
    const line = text.slice(0, offset).split("\n").length - 1;
    const character = offset - (text.lastIndexOf("\n", offset - 1) + 1);
    text = text.slice(0, offset) + "x" + text.slice(offset);
    const done = wait(v);
    const s = performance.now();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: "x" }] });
    times.push((await done) - s);
  }
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  await new Promise((r) => child.on("exit", r));
  conn.dispose();
  // For scale, on the same machine at the same moment: the whole CLI run (node start-up included) over the same folder.
  const cli = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    spawnSync(process.execPath, [path.join(ROOT, "bin", "deputy.js"), "--format", "json", "--output", os.devNull, "."], { cwd: folder });
    cli.push(performance.now() - s);
  }
  const size = fs.statSync(file).size;
  console.log(`| ${label} | ${(size / 1024).toFixed(0)} KB, ${text.split("\n").length} lines | ${firstCount} | ${open.toFixed(0)} | ${median(times).toFixed(1)} | ${p90(times).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${median(cli).toFixed(0)} |`);
}

const singles = ensureSingles();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-lsp-bench-"));
const alone = (src) => {
  const dir = fs.mkdtempSync(path.join(tmp, "ws-"));
  const to = path.join(dir, path.basename(src));
  fs.copyFileSync(src, to);
  return { dir, file: to };
};
console.log(`deputy lsp, ${EDITS} keystrokes each, debounce 0, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}\n`);
console.log("| Case | Document | Diagnostics | Open → diagnostics (ms) | Keystroke → diagnostics, median (ms) | p90 (ms) | max (ms) | `deputy` CLI on the folder, median of 5 (ms) |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
{
  const { dir, file } = alone(singles.template300Yaml);
  await measure("300-resource YAML template, alone", dir, file, "yaml");
}
{
  const { dir, file } = alone(singles.template300Json);
  await measure("300-resource JSON template, alone", dir, file, "json");
}
if (CORPUS > 0) {
  const corpus = ensureCorpus(CORPUS).dir;
  const dir = fs.mkdtempSync(path.join(tmp, "ws-"));
  fs.cpSync(corpus, path.join(dir, "corpus"), { recursive: true });
  const file = path.join(dir, path.basename(singles.template300Yaml));
  fs.copyFileSync(singles.template300Yaml, file);
  await measure(`300-resource YAML template in a folder of ${CORPUS} more files`, dir, file, "yaml");
}
fs.rmSync(tmp, { recursive: true, force: true });
