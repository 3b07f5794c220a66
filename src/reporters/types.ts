import type { LintResult } from "../engine/engine.js";

export interface ReportContext {
  result: LintResult;
  /** The working directory: report paths are relative to it. */
  cwd: string;
  color: boolean;
  toolVersion: string;
  catalogVersion: string;
  /** Include suppressed findings (SARIF always shows them, marked). */
  quiet?: boolean;
  /** SARIF: the most results to write, most severe first (default 5,000; 0: no cap). */
  maxSarifResults?: number;
  /** Where this run's SARIF file is, when one is written beside this report (the Action): named where output is cut. */
  sarifFile?: string;
  /** Markdown: the URL of the repository's files at this commit (`https://github.com/o/r/blob/<sha>/`), for row links. */
  blobBase?: string;
}

export type Reporter = (ctx: ReportContext) => string;
