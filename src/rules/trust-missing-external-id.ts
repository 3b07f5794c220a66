/**
 * DPY101: another account may assume the role with no `sts:ExternalId` condition. Error when the account is Genesys
 * Cloud's (any Genesys organization could otherwise get Genesys to assume the role), warning for other accounts.
 *
 * Out of scope: same-account principals (`${AWS::AccountId}`, the account of the role's own ARN, `accounts.own`),
 * unknown ones (`${Param}`, placeholders), service and federated principals, Deny statements. Any condition on
 * `sts:ExternalId` satisfies this rule, whatever its operator or value: DPY102 judges whether it binds.
 *
 * Accounts listed in `accounts.trusted` are still reported: that list says an account is a known party (DPY105 stops
 * calling it unknown), not that the confused-deputy risk is gone; a third party trusted on purpose is exactly the one
 * that should be given an external ID. Suppress the finding with a reason when the party cannot use one.
 */
import { defineRule, type FixProposal } from "../engine/rule.js";
import { FileEditor } from "../engine/text-edits.js";
import type { Statement } from "../model/entities.js";
import { accountRelation, principalAccountId } from "../model/accounts.js";
import { externalIdValue } from "../model/fixes.js";
import { isObject } from "../model/node.js";
import { isGenesysAccount } from "../model/genesys.js";
import { conditionsOn, isAllow, statementAllowsAction } from "../model/policy.js";

/** How a principal is named in messages: `account 123456789012`, or the role/user ARN and its account. */
export function principalLabel(value: string, account: string): string {
  const v = value.trim();
  if (/^\d{12}$/.test(v) || /:root$/.test(v)) return `account ${account}`;
  return `principal ${v} (account ${account})`;
}

/**
 * The repair with a configured organization ID: `"Condition": {"StringEquals": {"sts:ExternalId": ...}}` on the
 * statement (merged into its Condition or StringEquals block when it has one), the value a `Ref` to the template's
 * organization ID parameter when there is one. Only when every principal of the statement is a Genesys account: the
 * condition would lock any other principal out.
 */
function externalIdFix(s: Statement, orgId: string | undefined): FixProposal | undefined {
  if (!orgId?.trim()) return undefined;
  const principals = s.principals ?? [];
  if (s.notPrincipalNode || principals.length === 0 || !principals.every((p) => p.type === "AWS" && isGenesysAccount(principalAccountId(p) ?? ""))) return undefined;
  const origin = s.doc.origin;
  const to = externalIdValue(origin, orgId);
  if (!to) return undefined;
  const editor = new FileEditor(origin.file);
  const cond = s.conditionNode;
  let edits;
  if (!cond) edits = editor.addEntry(s.node, "Condition", { StringEquals: { "sts:ExternalId": to.value } });
  else if (isObject(cond) && !origin.resolver.isIntrinsic(cond)) {
    const eq = cond.entries.find((e) => e.key === "StringEquals")?.value;
    if (!eq) edits = editor.addEntry(cond, "StringEquals", { "sts:ExternalId": to.value });
    else if (isObject(eq) && !origin.resolver.isIntrinsic(eq)) edits = editor.addEntry(eq, "sts:ExternalId", to.value);
  }
  return edits ? { description: `Require sts:ExternalId to be ${to.label}`, edits } : undefined;
}

export default defineRule({
  code: "DPY101",
  name: "trust-missing-external-id",
  severity: "error",
  category: "Trust and confused deputy",
  securitySeverity: 7.5,
  fixable: "safe",
  description: "Require an sts:ExternalId condition when another account may assume a role",
  fullDescription:
    "An Allow statement of a trust policy lets an AWS principal from another account (an account ID, arn:aws:iam::ACCOUNT:root, or a role or user ARN in another account) perform sts:AssumeRole, directly or through a wildcard, with no sts:ExternalId condition. Reported as an error when the account is a Genesys Cloud account, as a warning for other accounts. Same-account and service principals are out of scope.",
  messages: {
    genesys:
      'The Genesys Cloud account {{account}} can assume this role with no sts:ExternalId condition, so any Genesys Cloud organization, not only yours, could have Genesys use it (confused deputy). Add "Condition": {"StringEquals": {"sts:ExternalId": "<your Genesys Cloud organization ID>"}}.',
    other:
      "The {{principal}} can assume this role with no sts:ExternalId condition: if it is a third-party service, any of its other customers could have it act on this role (confused deputy). Add a StringEquals condition on sts:ExternalId with the ID the third party issues you, or list the account under accounts.own in the configuration if it is yours.",
  },
  create(ctx) {
    const config = ctx.project.config;
    return {
      statement(s) {
        if (s.doc.kind !== "trust" || !isAllow(s)) return;
        if (!statementAllowsAction(s, "sts:AssumeRole")) return;
        if (conditionsOn(s, "sts:ExternalId").length > 0) return;
        for (const p of s.principals ?? []) {
          if (p.type !== "AWS" || accountRelation(p, s.doc.origin, config) !== "other") continue;
          const account = principalAccountId(p)!;
          if (isGenesysAccount(account)) {
            ctx.report({ origin: s.doc.origin, node: p.node, messageId: "genesys", data: { account }, fix: externalIdFix(s, config.genesys?.orgId) });
          } else {
            ctx.report({ origin: s.doc.origin, node: p.node, messageId: "other", severity: "warning", data: { principal: principalLabel(p.value, account) } });
          }
        }
      },
    };
  },
});
