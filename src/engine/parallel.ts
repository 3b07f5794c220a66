/**
 * Parallel runs. The main thread analyses files itself, going forward through them, and helper threads (worker
 * threads) help, taking files from the last one backwards, so both finish together. (Until the YAML line scanner,
 * helpers took the YAML files first, whose parsing then dominated; measured since, interleaved, YAML-first against
 * every file from the end: 1.54 against 1.44 s on the real corpus, 4.51 against 4.68 s on the 10k synthetic corpus.) A shared
 * claim table decides who analyses a file, so none is analysed twice. Results, from either side, are added to the
 * project in input order, and files that take part in the cross-file phase come back from helpers as their compacted
 * models (see `transfer.ts`), so the report is identical to a single-threaded run. The cross-file phase runs on the
 * main thread afterwards.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { DeputyConfig } from "../config/config.js";
import { allRules } from "../rules/index.js";
import { isTerraformHcl, prepareInputs } from "../parsers/index.js";
import { Linter, type FinishedFile, type InputFile, type SharedFile } from "./engine.js";

type Result = FinishedFile | SharedFile | "missing";

// Loaded only when a run starts a helper: a one-file pre-commit run does not pay for it.
type WorkerClass = typeof import("node:worker_threads").Worker;
const loadWorker = (): WorkerClass => (createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads")).Worker;

function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  // In the bundles (dist/bundle/main.cjs, api.mjs) the worker is dist/bundle/worker.cjs; in dist/engine it is worker.js.
  const file = join(dirname(here), /\.[cm]js$/.test(here) ? "worker.cjs" : "worker.js");
  return existsSync(file) ? file : undefined;
}

/** A YAML file on disk: a template, most likely (standard input is not one). */
export function isYamlFile(f: InputFile): boolean {
  return f.text === undefined && /\.ya?ml$/i.test(f.path);
}

/**
 * The order in which helpers take files (indexes into `inputs`): from the last one backwards. Terraform `.tf` files
 * are left to the main thread: a configuration (a folder and the modules it calls) is evaluated once, by the thread
 * that reads its files.
 */
export function helperOrder(inputs: InputFile[]): number[] {
  const out: number[] = [];
  for (let i = inputs.length - 1; i >= 0; i--) if (!isTerraformHcl(inputs[i]!.path)) out.push(i);
  return out;
}

/** A run gets a helper thread (without `--workers`) when it has at least this many files that are not YAML. */
const AUTO_MIN_FILES = 500;

/**
 * The helper thread's stack size, chosen so that a parser recursing deep enough to overflow (the yaml package on
 * thousands of `key: ` on one line) overflows at about the same input on both threads: with a worker's default 4 MB
 * (the main thread has V8's ~1 MB), a file the main thread reports as too deeply nested got other findings on the
 * helper thread (found by the fuzzer). 1 MB overflowed earlier than the main thread; 2 MB matched on every input the
 * fuzzer produced. A mitigation, not a guarantee for inputs right at the edge.
 */
const HELPER_STACK_MB = 2;

/**
 * How many helper threads a run gets (0: single-threaded). `requested` is `--workers` (threads analysing files, the
 * main thread included: 1 = single-threaded). Without it, a run gets one helper when the machine has a second core and
 * the run has at least 500 files other than YAML. Measured on the 2-core reference machine (docs/PERFORMANCE.md):
 * what a helper saves is rule work on files that stand alone (policies: the real corpus's 1,605 policy files,
 * 1.09 -> 1.02 s; the whole real corpus 1.68 -> 1.52 s; 10k synthetic files 5.07 -> 4.34 s). Templates, which the
 * line scanner reads fast, come back from a helper as compacted models whose copying costs about what the helper
 * saves (800 YAML templates: 770 ms alone, 790-840 ms with a helper; 1,600: equal), so YAML files do not count, and
 * neither do Terraform `.tf` files, which a helper never takes (a repository of only `.tf` files started a helper
 * that had nothing to do). A pre-commit run on a few files never starts one.
 */
export function helperCount(inputs: InputFile[], requested?: number): number {
  const files = inputs.filter((f) => f.text === undefined).length;
  if (files === 0) return 0;
  if (requested !== undefined) return Math.max(0, Math.min(requested - 1, files, availableParallelism() * 2));
  if (availableParallelism() < 2) return 0;
  // Terraform `.tf` files stay on the main thread (helperOrder): they do not count either.
  return inputs.filter((f) => f.text === undefined && !isYamlFile(f) && !isTerraformHcl(f.path)).length >= AUTO_MIN_FILES ? 1 : 0;
}

/** Whether the inputs hold at least `atLeast` bytes (standard input by its length), stopping as soon as they do. */
export function holdsBytes(inputs: readonly Pick<InputFile, "absPath" | "text">[], atLeast: number): boolean {
  let bytes = 0;
  for (const f of inputs) {
    try {
      bytes += f.text !== undefined ? f.text.length : statSync(f.absPath).size;
    } catch {
      // vanished: the run reports nothing for it either way
    }
    if (bytes >= atLeast) return true;
  }
  return false;
}

/** Lints `inputs` into `linter` (the caller runs `finish()`). */
export async function lintInputs(linter: Linter, inputs: InputFile[], config: DeputyConfig, opts: { workers?: number; now?: Date } = {}): Promise<void> {
  await prepareInputs(inputs);
  const n = helperCount(inputs, opts.workers);
  const script = n > 0 ? workerScript() : undefined;
  if (!script || inputs.some((i) => i.text !== undefined)) {
    for (const f of inputs) linter.addFile(f);
    return;
  }
  // claims[i]: 0 = nobody has taken input i yet, 1 = taken (by a helper or by the main thread).
  const claims = new Int32Array(new SharedArrayBuffer(4 * inputs.length));
  const now = (opts.now ?? new Date()).toISOString();
  let workers: InstanceType<WorkerClass>[];
  try {
    const Worker = loadWorker();
    workers = Array.from({ length: n }, () => new Worker(script, { workerData: { config, now, inputs, candidates: helperOrder(inputs), claims }, resourceLimits: { stackSizeMb: HELPER_STACK_MB } }));
  } catch {
    for (const f of inputs) linter.addFile(f);
    return;
  }
  const results: (Result | undefined)[] = new Array(inputs.length);
  const local = new Linter(config, allRules, { now: opts.now });
  let committed = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  for (const w of workers) {
    w.on("message", (msg: { index: number; result: Result }) => {
      results[msg.index] = msg.result;
      wake?.();
    });
    w.on("error", (e) => {
      failure ??= e;
      wake?.();
    });
    w.on("exit", (code) => {
      if (code !== 0) failure ??= new Error(`a helper thread stopped with exit code ${code}`);
      wake?.();
    });
  }
  /** Adds finished files to the linter while the next one in input order is there. */
  const commit = (): void => {
    while (committed < inputs.length && results[committed] !== undefined) {
      const r = results[committed]!;
      const input = inputs[committed]!;
      results[committed] = undefined;
      if (r === "missing") linter.addFile(input);
      else if ("model" in r) linter.addShared(input, r);
      else linter.addFinished(input, r);
      committed++;
    }
  };
  const analyzeHere = (i: number): void => {
    results[i] = local.analyzeIsolated(inputs[i]!);
    local.findings.splice(0);
  };
  /** Lets queued helper results in (they arrive as events). */
  const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
  try {
    // The files, forward (helpers come from the end), with a pause now and then to take in what the helpers have
    // finished.
    let sinceBreath = 0;
    for (let i = 0; i < inputs.length; i++) {
      if (failure) throw failure;
      if (Atomics.compareExchange(claims, i, 0, 1) !== 0) continue;
      analyzeHere(i);
      if (++sinceBreath >= 64) {
        sinceBreath = 0;
        await breathe();
        commit();
      }
    }
    await breathe();
    commit();
    while (committed < inputs.length) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      commit();
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
