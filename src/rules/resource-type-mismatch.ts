/**
 * DPY206: a grant (or a Deny) that does nothing for an action on the statement's resources (`inertActions` in
 * src/model/inert.ts, where the judgement and its limits are described): no resource can be any resource type the
 * action applies to (per the catalog's ARN formats), e.g. `lambda:InvokeFunction` on an `execute-api` ARN or
 * `s3:GetObject` on a bucket ARN (also `!Sub arn:aws:s3:::${Bucket}`); or the action has no resource-level
 * permissions and every resource is an ARN (IAM matches such an action only against `"*"`).
 *
 * The rest of this comment, kept for the rule's history, is the judgement's summary:
 *
 * Permissive by design — it must never claim "cannot match" wrongly:
 * - skipped: statements with NotResource, or with a resource that is `"*"`, not an ARN (`${Fn.Arn}`,
 *   `execute-api:/*`), an ARN whose service is unknown (`arn:aws:${Service}:…`), a malformed ARN (DPY207's), or an AWS-owned resource (account `aws`, e.g. the
 *   `arn:aws:cloudformation:REGION:aws:transform/Serverless-2016-10-31` that CreateChangeSet is granted on, which the
 *   catalog does not list);
 * - skipped: actions that are wildcard-only (their resource is `"*"`), unknown values, `"*"`, and actions the catalog
 *   does not know (DPY205's);
 * - an unknown in the resource part (`…:${TablePath}`) may be anything there, resource type included;
 * - a pattern (`lambda:*`, `s3:Get*`) is reported only when none of its resource-level actions fits any resource;
 * - a resource of another service is judged only when the catalog never lets the action's service authorize against
 *   other services' resources (lambda, sqs, sns, kms…: their actions only ever take their own ARNs). Services that do
 *   (ssm on EC2 instances and ECS tasks, wafv2 on load balancers, ec2 on license configurations) have undocumented
 *   targets (ssm on EKS connector clusters), and sibling or renamed services authorize each other's ARNs
 *   (`redshift:*ResourcePolicy` on `redshift-serverless` namespaces, `codestar-connections` on `codeconnections`);
 *   none of those is judged. An action whose resource types all belong to other services (`wafv2:DisassociateWebACL`)
 *   is not judged either.
 */
import { defineRule } from "../engine/rule.js";
import { inertActions } from "../model/inert.js";

export default defineRule({
  code: "DPY206",
  name: "resource-type-mismatch",
  severity: "error",
  category: "Permissions",
  securitySeverity: 3.0,
  description: "An action's resources must be of a type the action applies to",
  fullDescription:
    "None of a statement's resources can match any resource type that an action applies to (for example lambda:InvokeFunction on an execute-api ARN, or s3:GetObject on a bucket ARN, also one built with !Sub arn:aws:s3:::${Bucket}), or the action has no resource-level permissions and is scoped to ARNs (IAM matches it only against \"*\"), so the grant does nothing for that action.",
  messages: {
    mismatch: "{{action}} does not apply to {{resources}}: it takes {{types}} ARNs such as {{example}}, so {{effect}}.",
    wildcardOnly:
      '{{action}} has no resource-level permissions: IAM matches it only against "Resource": "*", so on {{resources}} {{effect}}. Move it to a statement with "Resource": "*" (narrowed by a condition where the action supports one).',
  },
  create(ctx) {
    return {
      statement(stmt) {
        const effect = stmt.effect === "Deny" ? "this Deny never applies to it" : "the grant does nothing";
        for (const x of inertActions(stmt)) {
          const data: Record<string, string> = { action: x.action, resources: x.resources, effect };
          if (x.kind === "mismatch") Object.assign(data, { types: x.types!, example: x.example! });
          ctx.report({ origin: stmt.doc.origin, node: x.value.node, messageId: x.kind, data });
        }
      },
    };
  },
});
