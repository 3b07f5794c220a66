/**
 * DPY105: a Genesys-facing role trusts an AWS account that is not a Genesys Cloud account, or any trust principal is a
 * near miss of a Genesys account (a typo: up to 3 digits changed, added or dropped). With `genesys.region` in the
 * configuration, a Genesys account other than the one for that region (FedRAMP vs commercial) is reported too.
 *
 * Runs once over the project: whether a role is Genesys-facing can depend on another file (a Genesys integration that
 * names the role's ARN). A standalone trust policy (no role around it) is Genesys-facing when it trusts a Genesys
 * account. Not "unknown": same-account principals (`${AWS::AccountId}`, the role's own account, `accounts.own`),
 * accounts listed in `accounts.trusted`, unknown values (`${Param}`, placeholders) and service principals. A role that
 * trusts Genesys and another account gets the other account reported.
 */
import { defineRule, type FixProposal } from "../engine/rule.js";
import { accountRelation, isTrustedAccount, ownAccounts, principalAccountField } from "../model/accounts.js";
import type { Origin, Principal, PolicyDocument } from "../model/entities.js";
import { expectedGenesysAccountForRegion, genesysAccountEntry, genesysAccounts, isGenesysAccount, nearMissGenesysAccount } from "../model/genesys.js";
import { genesysFacing, trustedGenesysAccountIn } from "../model/genesys-facing.js";
import { isAllow } from "../model/policy.js";

/** The digits of the account a principal names (9–15 digits: a real ID or a mistyped one). */
function writtenAccount(p: Principal): string | undefined {
  const a = principalAccountField(p.value.trim());
  return a !== undefined && /^\d{9,15}$/.test(a) ? a : undefined;
}

/**
 * The principal with `written` (its account digits) replaced by `account`, touching only those digits. Digits are
 * written as they are in every syntax and string encoding, so they are found in the principal's text: a string, a
 * `Fn::Sub`, the one part of a `Fn::Join` that holds them (once, as a whole number, or no fix).
 */
function accountFix(origin: Origin, p: Principal, written: string, account: string): FixProposal | undefined {
  const { start, end } = p.node.range;
  const raw = origin.file.text.slice(start, end);
  const hits = [...raw.matchAll(/\d+/g)].filter((m) => m[0] === written);
  if (hits.length !== 1) return undefined;
  const at = start + hits[0]!.index;
  return { description: `Trust the Genesys Cloud account ${account} instead of ${written}`, edits: [{ file: origin.file.path, start: at, end: at + written.length, text: account }] };
}

export default defineRule({
  code: "DPY105",
  name: "unknown-genesys-account",
  severity: "error",
  category: "Trust and confused deputy",
  securitySeverity: 8.0,
  fixable: "safe",
  description: "A Genesys-facing role must trust the Genesys Cloud AWS account, and only known accounts",
  fullDescription:
    "A Genesys-facing role trusts an AWS account that is not a Genesys Cloud account, or any trust principal is a near miss of a Genesys account (up to 3 digits changed, added or dropped, e.g. 765628981432, 76562898547). The message names the expected account. When the configuration gives the Genesys region, the account must be the one for that region (FedRAMP vs commercial).",
  messages: {
    nearMiss:
      "{{account}} is not a Genesys Cloud AWS account but a near miss of one: Genesys Cloud cannot assume this role, and the number may belong to someone else. Did you mean {{expected}}?",
    unknown:
      "This role is Genesys-facing ({{reason}}) but trusts account {{account}}, which is not a Genesys Cloud account: whoever controls {{account}} can assume it. Genesys Cloud assumes roles from {{expected}}; remove this principal, or list {{account}} under accounts.trusted in the configuration if it is meant to be trusted.",
    wrongRegion:
      "{{account}} is the Genesys Cloud account for {{environment}} regions, but the configuration sets the Genesys region {{region}}, whose account is {{expected}}: Genesys Cloud in {{region}} cannot assume this role. Did you mean {{expected}}?",
  },
  create(ctx) {
    return {
      project(project) {
        const config = project.config;
        const region = config.genesys?.region?.trim();
        const regionAccount = region ? expectedGenesysAccountForRegion(region) : undefined;
        const commercial = genesysAccounts()[0]!;
        const expectedText = regionAccount
          ? `${regionAccount} (the account for ${region})`
          : `${commercial} (commercial regions; ${genesysAccounts().filter((a) => a !== commercial).join(", ")} for FedRAMP us-east-2)`;

        const facingReason = (doc: PolicyDocument): string | undefined => {
          if (doc.role) return genesysFacing(doc.role, project)?.reason;
          const g = trustedGenesysAccountIn(doc);
          return g ? `it trusts the Genesys account ${g}` : undefined;
        };

        for (const doc of project.documents) {
          if (doc.kind !== "trust") continue;
          const origin = doc.origin;
          const own = ownAccounts(origin, config);
          let reason: string | undefined | null = null;
          for (const s of doc.statements) {
            for (const p of s.principals ?? []) {
              if (p.type !== "AWS") continue;
              const written = writtenAccount(p);
              if (written !== undefined && !own.has(written) && !isTrustedAccount(written, config)) {
                const target = nearMissGenesysAccount(written);
                if (target) {
                  const expected = regionAccount && regionAccount !== target ? `${regionAccount} (the Genesys account for ${region})` : target;
                  ctx.report({ origin, node: p.node, messageId: "nearMiss", data: { account: written, expected }, fix: accountFix(origin, p, written, regionAccount ?? target) });
                  continue;
                }
              }
              if (!isAllow(s) || accountRelation(p, origin, config) !== "other") continue;
              const account = written!;
              if (isGenesysAccount(account)) {
                if (regionAccount && account !== regionAccount) {
                  const environment = genesysAccountEntry(account)?.environment === "fedramp" ? "FedRAMP" : "commercial";
                  ctx.report({ origin, node: p.node, messageId: "wrongRegion", data: { account, environment, region: region!, expected: regionAccount }, fix: accountFix(origin, p, account, regionAccount) });
                }
                continue;
              }
              if (isTrustedAccount(account, config)) continue;
              if (reason === null) reason = facingReason(doc);
              if (!reason) continue;
              ctx.report({ origin, node: p.node, messageId: "unknown", data: { reason, account, expected: expectedText } });
            }
          }
        }
      },
    };
  },
});
