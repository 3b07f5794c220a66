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
}

export type Reporter = (ctx: ReportContext) => string;
