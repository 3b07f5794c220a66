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
import { defineRule } from "../engine/rule.js";
import { accountRelation, principalAccountId } from "../model/accounts.js";
import { isGenesysAccount } from "../model/genesys.js";
import { conditionsOn, isAllow, statementAllowsAction } from "../model/policy.js";

/** How a principal is named in messages: `account 123456789012`, or the role/user ARN and its account. */
export function principalLabel(value: string, account: string): string {
  const v = value.trim();
  if (/^\d{12}$/.test(v) || /:root$/.test(v)) return `account ${account}`;
  return `principal ${v} (account ${account})`;
}

export default defineRule({
  code: "DPY101",
  name: "trust-missing-external-id",
  severity: "error",
  category: "Trust and confused deputy",
  securitySeverity: 7.5,
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
            ctx.report({ origin: s.doc.origin, node: p.node, messageId: "genesys", data: { account } });
          } else {
            ctx.report({ origin: s.doc.origin, node: p.node, messageId: "other", severity: "warning", data: { principal: principalLabel(p.value, account) } });
          }
        }
      },
    };
  },
});
