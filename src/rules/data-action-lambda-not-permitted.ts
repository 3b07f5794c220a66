/**
 * DPY404: an AWS Lambda data action invokes a function ARN that no Genesys-facing role in the scanned files allows
 * with `lambda:InvokeFunction` — including qualifier mismatches (an alias ARN against an unqualified-only grant, or the
 * reverse). Genesys gets AccessDenied on every call.
 *
 * Cross-file (a project rule): the data action may be an export in one folder and the roles CloudFormation, CDK or
 * CLI output in another. Only reported when at least one Genesys-facing role Genesys can assume is in the scanned
 * files (a Lambda execution role whose name mentions Genesys does not count: see `assumableByAccount`), and only for
 * literal function ARNs. Conservative: a grant whose resource has unknown parts that could be the function, a role
 * with policies deputy has not seen (managed policies elsewhere, `iam get-role` output), or a `$LATEST` qualifier
 * covered by either form, produce no finding (`links.ts` explains coverage).
 *
 * The finding sits on the action's `requestUrlTemplate`; related locations point at each role checked (and at the
 * grant that misses only by its qualifier) and at the function when it is in the scanned files.
 */
import { defineRule, type RelatedLocation } from "../engine/rule.js";
import {
  dataActionTarget,
  functionsForTarget,
  genesysRoles,
  INVOKE,
  roleAllowStatements,
  roleInvokeCoverage,
  roleLabel,
  resourceCovers,
  statementCovers,
  type LambdaTarget,
} from "../model/links.js";
import type { Role, Statement } from "../model/entities.js";
import type { Project } from "../engine/project.js";

const MAX_NAMES = 3;

function names(roles: Role[]): string {
  const l = [...new Set(roles.map(roleLabel))];
  return l.length <= MAX_NAMES ? l.join(", ") : `${l.slice(0, MAX_NAMES).join(", ")} and ${l.length - MAX_NAMES} more`;
}

/** A grant that would cover the target if only the qualifier were different. */
function qualifierNearMiss(project: Project, roles: Role[], t: LambdaTarget): { stmt: Statement; role: Role } | undefined {
  for (const role of roles)
    for (const stmt of roleAllowStatements(project, role, INVOKE)) {
      if (t.qualifier !== undefined) {
        if (statementCovers(project, stmt, t.unqualified) !== "no") return { stmt, role };
        continue;
      }
      // An unqualified target: does a resource name this function with a qualifier (`f:live`, `f:*`)?
      for (const r of stmt.resource?.values ?? []) {
        const q = /:function:[^:]+:([A-Za-z0-9_$-]+)$/.exec(r.value)?.[1] ?? "live";
        if (resourceCovers(project, stmt.doc.origin, r.value, `${t.unqualified}:${q}`) !== "no") return { stmt, role };
      }
    }
  return undefined;
}

export default defineRule({
  code: "DPY404",
  name: "data-action-lambda-not-permitted",
  severity: "error",
  category: "Genesys Cloud data actions",
  securitySeverity: 4.0,
  description: "The role Genesys assumes must allow lambda:InvokeFunction on the ARN each Lambda data action invokes",
  fullDescription:
    "An AWS Lambda data action (aws-lambda-data-actions) invokes a function ARN that no Genesys-facing role in the scanned files allows with lambda:InvokeFunction, including qualifier mismatches (an alias ARN against an unqualified-only grant, or the reverse). Only reported when at least one Genesys-facing role is in the scanned files.",
  messages: {
    missing:
      'No Genesys-facing role in the scanned files allows lambda:InvokeFunction on {{arn}} (checked: {{roles}}), so every call of this data action fails with AccessDenied. Add a statement {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "{{arn}}"} to the policy of the role the Lambda integration uses.',
    "alias-needs-qualified":
      'No Genesys-facing role allows lambda:InvokeFunction on {{arn}} (checked: {{roles}}): {{role}} grants the unqualified function ARN, which does not cover an alias or version. Add "{{arn}}" (or "{{unqualified}}:*" for every alias and version) to its lambda:InvokeFunction grant.',
    "unqualified-needs-base":
      'No Genesys-facing role allows lambda:InvokeFunction on {{arn}} (checked: {{roles}}): {{role}} grants only qualified ARNs (versions or aliases), which do not cover the unqualified function ARN. Add "{{arn}}" to its lambda:InvokeFunction grant, or point the data action at the alias it grants.',
    denied:
      "{{role}} denies lambda:InvokeFunction on {{arn}} and no other Genesys-facing role allows it (checked: {{roles}}), so every call of this data action fails with AccessDenied. Remove the Deny or narrow it.",
  },
  create(ctx) {
    return {
      project(project) {
        const candidates = genesysRoles(project);
        if (candidates.length === 0) return;
        const roles = candidates.map((c) => c.role);
        for (const a of project.dataActions) {
          const t = dataActionTarget(a);
          if (!t) continue;
          // Most actions are allowed by some role: stop at the first one; the full list is for the message.
          if (roles.some((role) => roleInvokeCoverage(project, role, t).coverage !== "no")) continue;
          const checks = roles.map((role) => ({ role, check: roleInvokeCoverage(project, role, t) }));
          const related: RelatedLocation[] = [];
          const near = qualifierNearMiss(project, roles, t);
          if (near) {
            const res = near.stmt.resource?.node ?? near.stmt.node;
            related.push({ origin: near.stmt.doc.origin, node: res, message: `grant of ${roleLabel(near.role)} that misses only by the qualifier` });
          }
          for (const { role } of checks) {
            if (near && near.role === role) continue;
            related.push({ origin: role.origin, node: role.node, message: `Genesys-facing role ${roleLabel(role)} (no lambda:InvokeFunction on this ARN)` });
          }
          for (const fn of functionsForTarget(project, t)) related.push({ origin: fn.origin, node: fn.node, message: "the function this data action invokes" });
          const denied = checks.find((c) => c.check.deniedBy);
          const data = { arn: t.arn, roles: names(roles), unqualified: t.unqualified, role: "" };
          if (near) {
            data.role = roleLabel(near.role);
            ctx.report({ origin: a.origin, node: a.urlNode ?? a.node, messageId: t.qualifier === undefined ? "unqualified-needs-base" : "alias-needs-qualified", data, related });
          } else if (denied) {
            data.role = roleLabel(denied.role);
            ctx.report({ origin: a.origin, node: a.urlNode ?? a.node, messageId: "denied", data, related });
          } else {
            ctx.report({ origin: a.origin, node: a.urlNode ?? a.node, messageId: "missing", data, related });
          }
        }
      },
    };
  },
});
