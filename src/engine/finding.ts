import type { Region } from "./source.js";
import type { Severity } from "./rule.js";

export interface LogicalLocation {
  /** CloudFormation logical ID, CDK construct path, role name or data action name. */
  name?: string;
  /** `resource` (CloudFormation), `construct` (CDK), `policy`, `dataAction`. */
  kind?: string;
  /** Logical property path inside the file, e.g. `Resources/Role/Properties/AssumeRolePolicyDocument/Statement[0]`. */
  path: string;
  /** Statement index and Sid when the finding is inside a policy statement. */
  statement?: { index: number; sid?: string };
}

export interface FindingLocation {
  /** Path relative to the working directory, forward slashes. */
  file: string;
  region: Region;
  message?: string;
}

export interface Suppression {
  kind: "inSource" | "external";
  justification: string;
  /** Where the suppression is written (config file or the source file). */
  source?: string;
}

/** One replacement in a file's decoded text, by offsets (UTF-16 code units, as node ranges are). */
export interface TextEdit {
  /** Path as in `Finding.file`. */
  file: string;
  start: number;
  end: number;
  text: string;
}

/** A repair offered by the rule that reports a finding; the engine applies it (`--fix`, the language server). */
export interface Fix {
  /** One line for humans: "Use the Genesys account 765628985471 (us-east-1)". */
  description: string;
  /** Safe fixes are applied by `--fix`; unsafe ones only with `--unsafe-fixes`. */
  safe: boolean;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  message: string;
  file: string;
  region: Region;
  logical: LogicalLocation;
  /** Stable across reformatting: rule + file + logical path (+ occurrence). */
  fingerprint: string;
  related: FindingLocation[];
  suppressions?: Suppression[];
  /** Set when the rule can repair this finding. */
  fix?: Fix;
}

export const SEVERITY_RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.region.startLine !== b.region.startLine) return a.region.startLine - b.region.startLine;
  if (a.region.startColumn !== b.region.startColumn) return a.region.startColumn - b.region.startColumn;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
