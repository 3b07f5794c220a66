/**
 * A scanned file: its text, and offset → line/column conversion with a line table built only when needed. Once its
 * per-file rules have run, a file kept for the cross-file phase can `release()` its text (keeping only the line
 * table); the rare later reader gets it back from disk.
 */
import { readFileSync } from "node:fs";

/** Bytes to text: UTF-8 (BOM stripped) or UTF-16 with a BOM; anything else is a bad encoding. */
export function decode(buf: Uint8Array): { text: string } | { error: string } {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    const body = buf.subarray(2);
    if (le) return { text: new TextDecoder("utf-16le").decode(body) };
    return { text: new TextDecoder("utf-16be").decode(body) };
  }
  try {
    let text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buf);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch {
    return { error: "The file is not valid UTF-8 (bad encoding)" };
  }
}


export interface Position {
  line: number;
  column: number;
}

export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export class SourceFile {
  private lineStarts?: Uint32Array;
  private content: string | undefined;
  /** Length of the text, kept when the text is released (offsets are clamped to it). */
  private length: number;

  constructor(
    /** Path relative to the working directory, with forward slashes (what reports show). */
    readonly path: string,
    /** Absolute path on disk (or the stdin filename). */
    readonly absPath: string,
    /** File text with any BOM removed (offsets are into this text). */
    text: string,
    /** Whether the text can be read again from `absPath` (false for stdin). */
    private readonly onDisk = false,
  ) {
    this.content = text;
    this.length = text.length;
  }

  get text(): string {
    if (this.content === undefined) {
      let t: string;
      try {
        const d = decode(readFileSync(this.absPath));
        t = "text" in d ? d.text : "";
      } catch {
        t = "";
      }
      this.content = t;
    }
    return this.content;
  }

  /** Keeps the line table and lets the text go (memory for large runs). Only for files that can be re-read. */
  release(): void {
    if (!this.onDisk) return;
    this.table();
    this.content = undefined;
  }

  private table(): Uint32Array {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const t = this.text;
    if (!t.includes("\r")) {
      // The common case, found by the engine's native search rather than one character at a time.
      for (let i = t.indexOf("\n"); i >= 0; i = t.indexOf("\n", i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (t.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    // Kept for the whole run by files of the cross-file phase: 4 bytes a line.
    this.lineStarts = Uint32Array.from(starts);
    return this.lineStarts;
  }

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): Position {
    const starts = this.table();
    // Not `this.text.length`: that would read a released file back from disk for every location.
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1 };
  }

  region(start: number, end: number): Region {
    const s = this.position(start);
    // The end is exclusive; a span that ends right after a line break ends on the previous line.
    let e = this.position(Math.max(start, end));
    if (end > start && e.column === 1 && e.line > s.line) {
      const prev = this.position(end - 1);
      e = { line: prev.line, column: prev.column + 1 };
    }
    return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
  }

  /** The text of one 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.table();
    const s = starts[line - 1];
    if (s === undefined) return "";
    const next = starts[line];
    let e = next === undefined ? this.text.length : next;
    while (e > s && (this.text.charCodeAt(e - 1) === 10 || this.text.charCodeAt(e - 1) === 13)) e--;
    return this.text.slice(s, e);
  }
}
