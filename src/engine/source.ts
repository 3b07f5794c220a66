/** A scanned file: its text, and offset → line/column conversion with a line table built only when needed. */

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
  private lineStarts?: number[];

  constructor(
    /** Path relative to the working directory, with forward slashes (what reports show). */
    readonly path: string,
    /** Absolute path on disk (or the stdin filename). */
    readonly absPath: string,
    /** File text with any BOM removed (offsets are into this text). */
    readonly text: string,
  ) {}

  private table(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const t = this.text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (t.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
    return starts;
  }

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): Position {
    const starts = this.table();
    const o = Math.max(0, Math.min(offset, this.text.length));
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
