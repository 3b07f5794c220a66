/**
 * V8 settings for a run of the command-line tool (not for a program that imports deputy).
 *
 * deputy's runs are short: a pre-commit hook or a repository scan lasts from a tenth of a second to a few seconds. With
 * V8's default, functions are handed to the optimizing compiler (TurboFan) after little use, and on a 2-core machine
 * the compiler's background thread competes with the run itself (and with the helper thread): on the real-world
 * corpus about a second of CPU time went to optimizing code that had little time left to pay back. A larger interrupt
 * budget lets functions run longer in the interpreter and baseline code first, so only the really hot ones are
 * optimized. Measured (docs/PERFORMANCE.md, bench "flags"): the real corpus 2.9 s -> 2.2 s wall and 5.3 s -> 3.7 s
 * CPU; the 10k synthetic corpus unchanged within noise.
 *
 * `--interrupt-budget` has been a V8 flag for many releases (Node 20's default is 67584, about 66 KB of bytecode).
 * V8 documents flags set after start-up as unsupported, but this one is read whenever a function's budget is reset,
 * which is why it takes effect here; it changes speed only, never results.
 */
import { setFlagsFromString } from "node:v8";

/** The interrupt budget deputy runs with (V8 counts it in bytes of bytecode executed). */
export const INTERRUPT_BUDGET = 500_000;

let tuned = false;

/** Applies deputy's V8 settings once per process; `DEPUTY_V8_DEFAULTS=1` keeps V8's own (for comparisons). */
export function tuneV8(env: NodeJS.ProcessEnv = process.env): boolean {
  if (tuned || env.DEPUTY_V8_DEFAULTS) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  tuned = true;
  return true;
}
