/**
 * A worker thread of a parallel run: the per-file phase for chunks of files. A file that takes part in the cross-file
 * phase comes back with its pruned model (the main thread adds it to the project in input order, so the project index
 * is the same as in a single-threaded run); any other file comes back finished.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { DeputyConfig } from "../config/config.js";
import { allRules } from "../rules/index.js";
import { Linter, type InputFile } from "./engine.js";

interface Setup {
  config: DeputyConfig;
  now: string;
}

const setup = workerData as Setup;
const linter = new Linter(setup.config, allRules, { now: new Date(setup.now) });

parentPort!.on("message", (msg: { id: number; inputs: InputFile[] }) => {
  const results = msg.inputs.map((input) => linter.analyzeIsolated(input));
  // Findings were handed over with the results; the worker keeps nothing between chunks.
  linter.findings.splice(0);
  parentPort!.postMessage({ id: msg.id, results });
});
