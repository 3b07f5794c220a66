/**
 * A helper thread of a parallel run (see `parallel.ts`): it goes through the files it was given (from the last one
 * backwards), claims each one in the shared claim table unless another thread already has, analyses it and posts the
 * result. A file that takes part in the cross-file phase comes back with its compacted model.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { DeputyConfig } from "../config/config.js";
import { allRules } from "../rules/index.js";
import { Linter, type InputFile } from "./engine.js";

interface Setup {
  config: DeputyConfig;
  now: string;
  inputs: InputFile[];
  /** Indexes into `inputs` of the files this thread may take, in order. */
  candidates: number[];
  /** Shared claim table: 0 = free, 1 = taken. */
  claims: Int32Array;
}

const setup = workerData as Setup;
const linter = new Linter(setup.config, allRules, { now: new Date(setup.now) });

for (const index of setup.candidates) {
  if (Atomics.compareExchange(setup.claims, index, 0, 1) !== 0) continue;
  const result = linter.analyzeIsolated(setup.inputs[index]!);
  // The findings travel with the result; the thread keeps nothing between files.
  linter.findings.splice(0);
  parentPort!.postMessage({ index, result });
}
