/**
 * `--fix`, `--unsafe-fixes`, `--fix-dry-run` / `--diff`: the files are read once, up front (bytes kept), linted from
 * those texts, fixed in memory (`engine/fixer.ts`), then either written back — in their own encoding, and only when
 * the file on disk is still the one that was read — or shown as a unified diff without writing anything.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { DeputyConfig } from "../config/config.js";
import { lintFiles, type InputFile, type LintResult } from "../engine/engine.js";
import { runFixes, wantsFix, type FailedFix, type FixRun } from "../engine/fixer.js";
import { decode } from "../engine/source.js";
import { unifiedDiff } from "../engine/unified-diff.js";

export interface FixMode {
  /** Write the fixed files (`--fix`); false: print a diff (`--fix-dry-run`, `--diff`). */
  write: boolean;
  unsafe: boolean;
}

/** The fix mode the options ask for, if any. `--unsafe-fixes` alone means `--fix --unsafe-fixes`. */
export function fixModeOf(opts: { fix?: boolean; "unsafe-fixes"?: boolean; "fix-dry-run"?: boolean; diff?: boolean }): FixMode | undefined {
  const dry = Boolean(opts["fix-dry-run"] || opts.diff);
  if (!opts.fix && !opts["unsafe-fixes"] && !dry) return undefined;
  return { write: !dry, unsafe: Boolean(opts["unsafe-fixes"]) };
}

interface Original {
  bytes?: Buffer;
  text: string;
}

/** One fix run of the CLI: the inputs as read, and what became of them. */
export class FixSession {
  private readonly originals = new Map<string, Original>();
  /** The inputs with their texts, to lint. */
  readonly inputs: InputFile[];

  constructor(
    inputs: readonly InputFile[],
    readonly mode: FixMode,
  ) {
    this.inputs = [];
    for (const input of inputs) {
      if (input.text !== undefined) {
        let text = input.text;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        this.originals.set(input.path, { text });
        this.inputs.push({ ...input, text });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(input.absPath);
      } catch {
        // Vanished or unreadable: linted as usual (the engine reports what it can).
        this.inputs.push(input);
        continue;
      }
      const d = decode(bytes);
      if ("error" in d) {
        this.inputs.push(input);
        continue;
      }
      this.originals.set(input.path, { bytes, text: d.text });
      this.inputs.push({ ...input, text: d.text });
    }
  }

  /** Whether any input is standard input (which `--fix` cannot write). */
  get hasStdin(): boolean {
    return [...this.originals.values()].some((o) => o.bytes === undefined);
  }

  run(first: LintResult, config: DeputyConfig): FixRun {
    const texts = new Map([...this.originals].map(([p, o]) => [p, o.text]));
    const relint = (now: ReadonlyMap<string, string>) => lintFiles(this.inputs.map((i) => (now.has(i.path) ? { ...i, text: now.get(i.path)! } : i)), config);
    return runFixes(this.inputs, texts, first, relint, { unsafe: this.mode.unsafe });
  }

  /** The unified diff of every changed file, in path order. */
  diff(run: FixRun): string {
    return [...run.texts.keys()]
      .sort()
      .map((p) => unifiedDiff(this.originals.get(p)!.text, run.texts.get(p)!, p))
      .join("");
  }

  /** Writes the changed files; a file changed on disk since it was read is left alone and listed. */
  write(run: FixRun): { written: string[]; skipped: { file: string; reason: string }[] } {
    const written: string[] = [];
    const skipped: { file: string; reason: string }[] = [];
    const abs = new Map(this.inputs.map((i) => [i.path, i.absPath]));
    for (const p of [...run.texts.keys()].sort()) {
      const o = this.originals.get(p)!;
      if (!o.bytes) {
        skipped.push({ file: p, reason: "standard input cannot be written; use --fix-dry-run" });
        continue;
      }
      let now: Buffer;
      try {
        now = readFileSync(abs.get(p)!);
      } catch (e) {
        skipped.push({ file: p, reason: `it cannot be read any more (${(e as Error).message})` });
        continue;
      }
      if (!now.equals(o.bytes)) {
        skipped.push({ file: p, reason: "it changed on disk since deputy read it; run deputy --fix again" });
        continue;
      }
      try {
        writeFileSync(abs.get(p)!, encodeLike(o.bytes, run.texts.get(p)!));
        written.push(p);
      } catch (e) {
        skipped.push({ file: p, reason: `it could not be written (${(e as Error).message})` });
      }
    }
    return { written, skipped };
  }
}

/** Text to bytes in the encoding of the original bytes: UTF-8 (with its BOM if it had one), or UTF-16 with a BOM. */
export function encodeLike(original: Buffer, text: string): Buffer {
  if (original.length >= 2 && original[0] === 0xff && original[1] === 0xfe) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  if (original.length >= 2 && original[0] === 0xfe && original[1] === 0xff) {
    const le = Buffer.from(text, "utf16le");
    for (let i = 0; i + 1 < le.length; i += 2) {
      const b = le[i]!;
      le[i] = le[i + 1]!;
      le[i + 1] = b;
    }
    return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
  }
  const bom = original.length >= 3 && original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf;
  return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, "utf8")]);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Lines for stderr: what was fixed (or would be), what was not and why. */
export function fixSummary(run: FixRun, mode: FixMode, skipped: { file: string; reason: string }[] = []): string {
  const lines: string[] = [];
  for (const f of run.failed) lines.push(failedLine(f));
  for (const s of skipped) lines.push(`deputy: ${s.file} was not written: ${s.reason}.`);
  const files = run.texts.size - skipped.length;
  const n = run.applied.filter((f) => !skipped.some((s) => f.fix!.edits.some((e) => e.file === s.file))).length;
  if (mode.write) lines.push(n > 0 ? `deputy: fixed ${plural(n, "problem")} in ${plural(files, "file")}.` : "deputy: nothing to fix.");
  else lines.push(n > 0 ? `deputy: --fix${mode.unsafe ? " --unsafe-fixes" : ""} would fix ${plural(n, "problem")} in ${plural(files, "file")} (nothing written).` : "deputy: nothing to fix.");
  if (!mode.unsafe) {
    const unsafe = run.result.findings.filter((f) => wantsFix(f, true) && !f.fix!.safe).length;
    if (unsafe > 0) lines.push(`deputy: ${plural(unsafe, "more problem")} can be fixed with --unsafe-fixes (review the diff: --fix-dry-run --unsafe-fixes).`);
  }
  return lines.join("\n") + "\n";
}

function failedLine(f: FailedFix): string {
  const x = f.finding;
  return `deputy: the fix for ${x.ruleId} at ${x.file}:${x.region.startLine}:${x.region.startColumn} (${x.fix!.description}) was not applied: ${f.reason}.`;
}
