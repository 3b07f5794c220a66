/**
 * A unified diff (`diff -u`, three lines of context) of two texts, for `--fix-dry-run`: lines compared by Myers'
 * O((N+M)D) algorithm after the common head and tail are set aside, so a few fixes in a large file cost little.
 */

/** Lines with their line breaks (the last one may have none). */
function lines(text: string): string[] {
  const out = text.match(/[^\n]*\n|[^\n]+$/g);
  return out ?? [];
}

type Op = { kind: " " | "-" | "+"; line: string };

/** The edit script between two line lists (Myers, linear in the number of differences times the length). */
function script(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = n === 0 && m === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the trace.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", line: A[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "+", line: B[--y]! });
      else ops.push({ kind: "-", line: A[--x]! });
    }
  }
  ops.reverse();
  return [...a.slice(0, head).map((line) => ({ kind: " " as const, line })), ...ops, ...a.slice(a.length - tail).map((line) => ({ kind: " " as const, line }))];
}

function show(op: Op): string {
  if (op.line.endsWith("\n")) return op.kind + op.line;
  return `${op.kind}${op.line}\n\\ No newline at end of file\n`;
}

/** `--- a/file` / `+++ b/file` and hunks; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, path: string, context = 3): string {
  if (before === after) return "";
  const ops = script(lines(before), lines(after));
  let out = `--- a/${path}\n+++ b/${path}\n`;
  let i = 0;
  const changed = (j: number) => ops[j] !== undefined && ops[j]!.kind !== " ";
  while (i < ops.length) {
    while (i < ops.length && !changed(i)) i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 * context lines.
    for (;;) {
      while (end < ops.length && changed(end)) end++;
      let gap = end;
      while (gap < ops.length && !changed(gap) && gap - end <= 2 * context) gap++;
      if (gap < ops.length && changed(gap)) end = gap;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    let aLine = 1;
    let bLine = 1;
    for (let j = 0; j < start; j++) {
      if (ops[j]!.kind !== "+") aLine++;
      if (ops[j]!.kind !== "-") bLine++;
    }
    const hunk = ops.slice(start, stop);
    const aLen = hunk.filter((o) => o.kind !== "+").length;
    const bLen = hunk.filter((o) => o.kind !== "-").length;
    out += `@@ -${aLen === 0 ? aLine - 1 : aLine}${aLen === 1 ? "" : `,${aLen}`} +${bLen === 0 ? bLine - 1 : bLine}${bLen === 1 ? "" : `,${bLen}`} @@\n`;
    out += hunk.map(show).join("");
    i = stop;
  }
  return out;
}
