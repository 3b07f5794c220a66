/**
 * The rule contract. A rule module default-exports `defineRule({...meta, create})`; its metadata is data, from which
 * the docs index, the SARIF rule list and the config schema are derived.
 */
import type {
  DataAction,
  FileModel,
  FunctionUrl,
  LambdaFunction,
  LambdaPermission,
  Origin,
  PolicyDocument,
  Role,
  Statement,
} from "../model/entities.js";
import type { Node, Range } from "../model/node.js";
import type { TextEdit } from "./finding.js";
import type { Project } from "./project.js";
import { MAX_MESSAGE, MAX_QUOTED_VALUE, safeText } from "./safe-text.js";

export type Severity = "error" | "warning" | "note";
export type SeveritySetting = Severity | "off";

export interface RuleMeta {
  /** Stable public code, e.g. `DPY101` (the SARIF ruleId). */
  code: string;
  /** Kebab-case name, e.g. `trust-missing-external-id`. */
  name: string;
  severity: Severity;
  /** One line: what the rule requires. */
  description: string;
  /** Longer text for SARIF `fullDescription` and docs. */
  fullDescription?: string;
  /**
   * GitHub code scanning `security-severity` (0.1–10.0). 0: not a security finding (deputy's own and input problems,
   * DPY000/DPY001): SARIF gives such a rule no security severity and no `security` tag, so code scanning does not
   * count it among security alerts.
   */
  securitySeverity: number;
  /** Message templates with `{{placeholders}}`, by message ID. */
  messages: Record<string, string>;
  /** Category for the docs index. */
  category: "Input" | "Trust and confused deputy" | "Permissions" | "Lambda" | "Genesys Cloud data actions";
  /**
   * Whether the rule can repair (some of) its findings, and whether the repair is safe: `safe` fixes are applied by
   * `--fix`, `unsafe` ones (they may change what the policy allows beyond the finding) only with `--unsafe-fixes`.
   */
  fixable?: "safe" | "unsafe";
}

/** A repair a rule proposes with its report: text edits by range (see `engine/text-edits.ts`). */
export interface FixProposal {
  /** One line for humans: "Use the Genesys account 765628985471". */
  description: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  origin: Origin;
  node?: Node;
  message: string;
}

export interface ReportDescriptor {
  origin: Origin;
  /** The element to point at; without it, the origin's resource (or the file start). */
  node?: Node;
  /** A sub-range inside the node's text (offsets into the file), e.g. the secret part of a header value. */
  range?: Range;
  messageId: string;
  data?: Record<string, string | number>;
  /** Overrides the rule's default severity for this finding (e.g. DPY101: error for a Genesys account). */
  severity?: Severity;
  related?: RelatedLocation[];
  /** The repair (rules with `fixable` metadata only); without edits, none is offered. */
  fix?: FixProposal;
}

/** Where an earlier report of the same rule points (for `attachFix`). */
export type ReportTarget = Pick<ReportDescriptor, "origin" | "node" | "range">;

export interface RuleContext {
  readonly project: Project;
  report(d: ReportDescriptor): void;
  /**
   * In the `project` visitor: gives a repair to a finding this rule reported earlier, in the per-file phase, at the
   * same place. For repairs that need the whole project (which functions the data actions call), while the judgement
   * itself is per file.
   */
  attachFix(at: ReportTarget, fix: FixProposal): void;
}

export interface RuleVisitors {
  /** Per file, after parsing. */
  file?(model: FileModel): void;
  document?(doc: PolicyDocument): void;
  statement?(stmt: Statement): void;
  role?(role: Role): void;
  lambdaFunction?(fn: LambdaFunction): void;
  functionUrl?(url: FunctionUrl): void;
  permission?(perm: LambdaPermission): void;
  dataAction?(action: DataAction): void;
  /** Once, after every file is parsed: for cross-file rules. */
  project?(project: Project): void;
}

export interface Rule extends RuleMeta {
  create(ctx: RuleContext): RuleVisitors;
}

export function defineRule<const M extends Record<string, string>>(
  rule: RuleMeta & { messages: M; create(ctx: RuleContext & { report(d: ReportDescriptor & { messageId: keyof M & string }): void }): RuleVisitors },
): Rule {
  return rule as Rule;
}

/**
 * A message from its template and data. Data values come from inputs: each is made safe to print and bounded to an
 * excerpt (safe-text.ts), and so is the whole message, so that no reporter can print raw control characters or
 * terminal escapes, or a line of unbounded length.
 */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  const text = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (k in data ? safeText(String(data[k]), MAX_QUOTED_VALUE) : m));
  return safeText(text, MAX_MESSAGE);
}

export const HELP_BASE = "https://github.com/deputy-lint/deputy/blob/main/docs/rules/";

export function helpUri(rule: Pick<RuleMeta, "code" | "name">): string {
  return `${HELP_BASE}${rule.code}-${rule.name}.md`;
}
