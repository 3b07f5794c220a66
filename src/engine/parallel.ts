/**
 * Runs the per-file phase of a large run on worker threads, then the cross-file phase on the main thread. Results are
 * taken in input order, and files that take part in the cross-file phase come back as their pruned models (see
 * `transfer.ts`), which the main thread adds to the project in that order, so the report is identical to a
 * single-threaded run.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { DeputyConfig } from "../config/config.js";
import type { FinishedFile, InputFile, Linter, SharedFile } from "./engine.js";

const CHUNK = 32;

type Result = FinishedFile | SharedFile | "missing";

function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  // In the bundle (dist/bundle/main.mjs) the worker is dist/bundle/worker.mjs; in dist/engine it is worker.js.
  const file = join(dirname(here), here.endsWith(".mjs") ? "worker.mjs" : "worker.js");
  return existsSync(file) ? file : undefined;
}

/**
 * How many worker threads a run gets (0: single-threaded). `requested` is `--workers`. Without it a run stays on one
 * thread: measured on the 2-core reference machine, two workers were slower than one thread (a single-threaded run
 * already keeps the second core busy with V8's concurrent garbage collection and compilation; each worker compiles
 * the code and loads the IAM catalog again; and copying the models of cross-file files to the main thread costs about
 * as much as parsing them), so parallelism is opt-in until it pays for itself (see docs/PERFORMANCE.md).
 */
export function workerCount(files: number, requested?: number): number {
  if (requested !== undefined) return requested <= 1 || files === 0 ? 0 : Math.min(requested, availableParallelism() * 2);
  return 0;
}

/** Lints `inputs` into `linter` (the caller runs `finish()`). */
export async function lintInputs(linter: Linter, inputs: InputFile[], config: DeputyConfig, opts: { workers?: number; now?: Date } = {}): Promise<void> {
  const n = workerCount(inputs.length, opts.workers);
  const script = n > 0 ? workerScript() : undefined;
  if (!script || inputs.some((i) => i.text !== undefined)) {
    for (const f of inputs) linter.addFile(f);
    return;
  }
  let workers: Worker[];
  try {
    workers = Array.from({ length: n }, () => new Worker(script, { workerData: { config, now: (opts.now ?? new Date()).toISOString() } }));
  } catch {
    for (const f of inputs) linter.addFile(f);
    return;
  }
  const results: (Result | undefined)[] = new Array(inputs.length);
  let next = 0; // next chunk start to hand out
  let cursor = 0; // next input to take in, in order
  await new Promise<void>((resolvePromise, reject) => {
    let active = 0;
    const drain = () => {
      while (cursor < inputs.length && results[cursor] !== undefined) {
        const r = results[cursor]!;
        const input = inputs[cursor]!;
        results[cursor] = undefined;
        if (r === "missing") linter.addFile(input);
        else if ("model" in r) linter.addShared(input, r);
        else linter.addFinished(input, r);
        cursor++;
      }
      if (cursor >= inputs.length) resolvePromise();
    };
    const give = (w: Worker) => {
      if (next >= inputs.length) return false;
      const start = next;
      next = Math.min(inputs.length, next + CHUNK);
      active++;
      w.postMessage({ id: start, inputs: inputs.slice(start, next) });
      return true;
    };
    for (const w of workers) {
      w.on("message", (msg: { id: number; results: Result[] }) => {
        active--;
        msg.results.forEach((r, i) => (results[msg.id + i] = r));
        give(w);
        drain();
      });
      w.on("error", reject);
      give(w);
    }
    if (active === 0) drain();
  }).finally(() => Promise.all(workers.map((w) => w.terminate())));
}
