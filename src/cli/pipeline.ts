/**
 * The steps a lint run shares between the CLI (`deputy`) and the GitHub Action entry (`dist/cli/action.js`): which
 * files to read (discovery, then the configuration's `ignores`, relative to the config file), and the exit code.
 */
import type { DeputyConfig } from "../config/config.js";
import { isIgnoredByConfig } from "../config/config.js";
import type { InputFile, LintResult } from "../engine/engine.js";
import { SEVERITY_RANK } from "../engine/finding.js";
import type { Severity } from "../engine/rule.js";
import { discover } from "./discover.js";
import { PROJECT_PATH } from "../engine/engine.js";

/** Files to lint under `paths` (default: the working directory), minus `ignorePatterns` and the config's `ignores`. */
export function collectInputs(paths: string[], cwd: string, ignorePatterns: string[], config: DeputyConfig): InputFile[] {
  return discover(paths, cwd, ignorePatterns).filter((d) => !isIgnoredByConfig(config, d));
}

/**
 * 2 when deputy itself failed outside any one file (an internal error of the cross-file phase), 1 when a reported finding or a suppression problem is at or above
 * `failOn`, or there are more than `maxWarnings` warnings; 0 otherwise. Suppressed and baselined findings never count.
 */
export function exitCode(result: LintResult, failOn: Severity, maxWarnings?: number): number {
  const active = result.findings.filter((f) => !f.suppressions?.length);
  // An internal error on one file is an error finding of that file (exit 1): one hostile file must not turn the whole
  // run into a tool failure. Only one that belongs to no file (the cross-file phase) is deputy failing.
  if (active.some((f) => f.ruleId === "DPY000" && f.file === PROJECT_PATH)) return 2;
  const threshold = SEVERITY_RANK[failOn];
  const levels: Severity[] = [...active.map((f) => f.severity), ...(result.notifications ?? []).map((n) => n.level)];
  if (levels.some((l) => SEVERITY_RANK[l] >= threshold)) return 1;
  if (maxWarnings !== undefined && levels.filter((l) => l === "warning").length > maxWarnings) return 1;
  return 0;
}
