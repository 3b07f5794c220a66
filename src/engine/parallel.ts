/**
 * Parallel runs. The main thread analyses files itself, and helper threads (worker threads) take the YAML files:
 * parsing YAML is most of a large run's cost and needs no shared state, while JSON policies are cheap to parse and
 * their rules lean on caches (IAM catalog expansions, ARN matches) that a thread of its own would have to fill again.
 * The helpers start on the YAML files while the main thread works through the others; then the main thread takes the
 * YAML files no helper has reached yet. A shared claim table decides who analyses a file, so none is analysed twice. Results, from either side, are added to the project in input order, and files that take
 * part in the cross-file phase come back from helpers as their compacted models (see `transfer.ts`), so the report
 * is identical to a single-threaded run. The cross-file phase runs on the main thread afterwards.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { DeputyConfig } from "../config/config.js";
import { allRules } from "../rules/index.js";
import { Linter, type FinishedFile, type InputFile, type SharedFile } from "./engine.js";

type Result = FinishedFile | SharedFile | "missing";

// Loaded only when a run starts a helper: a one-file pre-commit run does not pay for it.
type WorkerClass = typeof import("node:worker_threads").Worker;
const loadWorker = (): WorkerClass => (createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads")).Worker;

function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  // In the bundle (dist/bundle/main.cjs) the worker is dist/bundle/worker.cjs; in dist/engine it is worker.js.
  const file = join(dirname(here), here.endsWith(".cjs") ? "worker.cjs" : "worker.js");
  return existsSync(file) ? file : undefined;
}

/** Files a helper thread takes: YAML, whose parsing dominates large runs. */
export function isHelperFile(f: InputFile): boolean {
  return f.text === undefined && /\.ya?ml$/i.test(f.path);
}

/** Below this much YAML a helper thread costs more (its start-up, compiling the code again) than it saves. */
const AUTO_MIN_YAML_BYTES = 1_000_000;

/**
 * How many helper threads a run gets (0: single-threaded). `requested` is `--workers` (threads analysing files, the
 * main thread included: 1 = single-threaded). Without it, a run gets one helper when the machine has a second core and
 * the run has at least 1 MB of YAML: measured on the 2-core reference machine (docs/PERFORMANCE.md), that is where a
 * helper pays; a pre-commit run on a few files never starts one.
 */
export function helperCount(inputs: InputFile[], requested?: number): number {
  const candidates = inputs.filter(isHelperFile);
  if (candidates.length === 0) return 0;
  if (requested !== undefined) return Math.max(0, Math.min(requested - 1, candidates.length, availableParallelism() * 2));
  if (availableParallelism() < 2) return 0;
  let bytes = 0;
  for (const f of candidates) {
    try {
      bytes += statSync(f.absPath).size;
    } catch {
      // vanished: the run reports nothing for it either way
    }
    if (bytes >= AUTO_MIN_YAML_BYTES) return 1;
  }
  return 0;
}

/** Lints `inputs` into `linter` (the caller runs `finish()`). */
export async function lintInputs(linter: Linter, inputs: InputFile[], config: DeputyConfig, opts: { workers?: number; now?: Date } = {}): Promise<void> {
  const n = helperCount(inputs, opts.workers);
  const script = n > 0 ? workerScript() : undefined;
  if (!script || inputs.some((i) => i.text !== undefined)) {
    for (const f of inputs) linter.addFile(f);
    return;
  }
  // claims[i]: 0 = nobody has taken input i yet, 1 = taken (by a helper or by the main thread).
  const claims = new Int32Array(new SharedArrayBuffer(4 * inputs.length));
  // Helpers take only YAML: measured, a helper that went on to JSON policies (from the last one backwards) made runs
  // slower, filling its own caches for what the main thread had cached already.
  const yaml = inputs.flatMap((f, i) => (isHelperFile(f) ? [i] : []));
  const others = inputs.flatMap((f, i) => (isHelperFile(f) ? [] : [i]));
  const now = (opts.now ?? new Date()).toISOString();
  let workers: InstanceType<WorkerClass>[];
  try {
    const Worker = loadWorker();
    workers = Array.from({ length: n }, () => new Worker(script, { workerData: { config, now, inputs, candidates: yaml, claims } }));
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
    // The main thread's own files, with a pause now and then to take in what the helpers have finished.
    let sinceBreath = 0;
    for (const i of others) {
      if (failure) throw failure;
      analyzeHere(i);
      if (++sinceBreath >= 64) {
        sinceBreath = 0;
        await breathe();
        commit();
      }
    }
    // Then whatever YAML no helper has taken yet; the rest is theirs to finish.
    for (const i of yaml) {
      if (failure) throw failure;
      if (Atomics.compareExchange(claims, i, 0, 1) === 0) analyzeHere(i);
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
