/**
 * V8 settings for a run of the command-line tool (`main`) and of the GitHub Action, not for a program that imports
 * deputy's modules.
 *
 * deputy's runs are short: a pre-commit hook or a repository scan lasts from a tenth of a second to a few seconds. With
 * V8's default, functions are handed to the optimizing compiler (TurboFan) after little use, and on a 2-core machine
 * the compiler's background thread competes with the run itself (and with the helper thread): on the real-world
 * corpus about a second of CPU time went to optimizing code that had little time left to pay back. A larger interrupt
 * budget lets functions run longer in the interpreter and baseline code first, so only the really hot ones are
 * optimized. Measured with interleaved A/B runs (`DEPUTY_V8_DEFAULTS=1` for V8's defaults): the real corpus 3.2 s ->
 * 2.5 s wall and 5.4 s -> 4.1 s CPU, a 300-resource YAML template 0.50 s -> 0.45 s; the 10k synthetic corpus unchanged
 * within noise.
 *
 * `--interrupt-budget` has been a V8 flag for many releases (Node 20's default is 67584, about 66 KB of bytecode).
 * V8 documents flags set after start-up as unsupported, but this one is read whenever a function's budget is reset,
 * which is why it takes effect here; it changes speed only, never results.
 */
import { createRequire } from "node:module";
import type { InputFile } from "../engine/engine.js";
import { holdsBytes } from "../engine/parallel.js";

/** The interrupt budget deputy runs with (V8 counts it in bytes of bytecode executed). */
export const INTERRUPT_BUDGET = 500_000;

/**
 * Runs on fewer files and less text than this keep V8's defaults: they end before the optimizing compiler matters,
 * and loading node:v8 (which loads node's stream modules) would cost a one-file run about 5 ms.
 */
export const TUNE_MIN_FILES = 20;
export const TUNE_MIN_BYTES = 100_000;

/** Whether a run on these inputs is long enough for `tuneV8` to pay (a few files are measured, not counted). */
export function worthTuning(inputs: readonly Pick<InputFile, "absPath" | "text">[]): boolean {
  return inputs.length >= TUNE_MIN_FILES || holdsBytes(inputs, TUNE_MIN_BYTES);
}

let tuned = false;

/** Applies deputy's V8 settings once per process; `DEPUTY_V8_DEFAULTS=1` keeps V8's own (for comparisons). */
export function tuneV8(env: NodeJS.ProcessEnv = process.env): boolean {
  if (tuned || env.DEPUTY_V8_DEFAULTS) return false;
  (createRequire(import.meta.url)("node:v8") as typeof import("node:v8")).setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  tuned = true;
  return true;
}
