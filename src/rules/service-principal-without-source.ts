/**
 * DPY104: a resource-based policy (bucket/queue/topic/key/... policy, a `lambda get-policy` document, an
 * `AWS::Lambda::Permission`) allows an AWS service principal with nothing binding the request to your own resources:
 * no `aws:SourceArn` / `aws:SourceAccount` condition (or `SourceArn` / `SourceAccount` property). For
 * `s3.amazonaws.com` both are required: bucket ARNs carry no account, so a bucket of the same name in another account
 * would match an `aws:SourceArn` alone.
 *
 * What binds: a positive operator (`StringEquals`, `StringLike`, `ArnLike`, `ArnEquals`), not `...IfExists` (true when
 * the key is absent), with no value that matches anything (`*`, `arn:aws:s3:::*`). Keys are compared
 * case-insensitively (`AWS:SourceArn` as Lambda writes it). An unknown value (`${Bucket.Arn}`, `${AWS::AccountId}`)
 * binds. `aws:SourceOrgID` / `aws:SourceOrgPaths` bind the source to your organization and count as `aws:SourceAccount`;
 * in a key policy, `kms:EncryptionContext:aws:<service>:arn` (how the CloudWatch Logs and CloudTrail guides bind their
 * service principals) counts as `aws:SourceArn`.
 *
 * Trust policies are out of scope: a Lambda execution role trusted by `lambda.amazonaws.com` is ordinary.
 */
import { defineRule } from "../engine/rule.js";
import type { Statement } from "../model/entities.js";
import { conditionBinds, matchesAnything } from "../model/conditions.js";
import { isAllow } from "../model/policy.js";
import type { Str } from "../model/resolve.js";

const SERVICE_RE = /^[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?$/i;

const ARN_KEYS = ["aws:sourcearn"];
const ACCOUNT_KEYS = ["aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"];

function binds(s: Statement, keys: string[], kmsContext = false): boolean {
  return s.conditions.some((c) => (keys.includes(c.key) || (kmsContext && /^kms:encryptioncontext:aws:[a-z0-9-]+:arn$/.test(c.key))) && conditionBinds(c));
}


function present(v: Str | undefined): boolean {
  return v !== undefined && v.value.trim() !== "" && !matchesAnything(v.value.trim());
}

/** The service name of a principal value, with CloudFormation's `${AWS::URLSuffix}` read as `amazonaws.com`. */
function serviceName(v: string): string {
  return v.trim().replace(/\$\{AWS::URLSuffix\}$/, "amazonaws.com");
}

function isS3(service: string): boolean {
  return /^s3\.amazonaws\.com(?:\.cn)?$/i.test(service);
}

export default defineRule({
  code: "DPY104",
  name: "service-principal-without-source",
  severity: "warning",
  category: "Trust and confused deputy",
  securitySeverity: 5.5,
  description: "A resource-based policy that allows an AWS service must bind it to your source resource or account",
  fullDescription:
    "A resource-based policy (AWS::Lambda::Permission, a lambda get-policy document, a bucket, queue or topic policy) allows a service principal (*.amazonaws.com) without an aws:SourceArn or aws:SourceAccount condition (or the SourceArn/SourceAccount properties). For s3.amazonaws.com both are required, since bucket ARNs carry no account. Trust policies of ordinary service roles are out of scope.",
  messages: {
    missing:
      'The service principal {{service}} is allowed with no aws:SourceArn or aws:SourceAccount condition, so a resource of that service in any AWS account could make it act on this resource (confused deputy). Add a condition such as "ArnLike": {"aws:SourceArn": "<ARN of your calling resource>"} or "StringEquals": {"aws:SourceAccount": "<your account ID>"}.',
    s3Both:
      "s3.amazonaws.com is allowed with {{has}} but no {{missing}}: {{why}}. Bind both aws:SourceArn (the bucket ARN) and aws:SourceAccount (the bucket owner's account).",
    weak:
      "The service principal {{service}} is allowed, but its {{operator}} condition on {{key}} does not bind ({{detail}}), so a resource of that service in any AWS account could make it act on this resource (confused deputy). Use StringEquals/ArnLike with your resource ARN or account ID.",
    permissionMissing:
      "This permission lets {{service}} invoke the function with no SourceArn or SourceAccount, so a resource of that service in any AWS account could invoke it (confused deputy). Set SourceArn to the ARN of the calling resource, or SourceAccount to your account ID.",
    permissionS3:
      "This permission lets s3.amazonaws.com invoke the function with {{has}} but no {{missing}}: {{why}}. Set both SourceArn (the bucket ARN) and SourceAccount (the bucket owner's account).",
  },
  create(ctx) {
    const s3Why = (hasArn: boolean) =>
      hasArn
        ? "bucket ARNs carry no account, so a bucket of the same name in another account (once yours is deleted) would match"
        : "any bucket of that account can trigger it, not only the one you meant";
    return {
      statement(s) {
        if (s.doc.kind !== "resource" || !isAllow(s)) return;
        for (const p of s.principals ?? []) {
          const service = serviceName(p.value);
          if (p.type !== "Service" || !SERVICE_RE.test(service)) continue;
          const hasArn = binds(s, ARN_KEYS, true);
          const hasAccount = binds(s, ACCOUNT_KEYS);
          if (isS3(service)) {
            if (hasArn && hasAccount) continue;
            if (!hasArn && !hasAccount) ctx.report({ origin: s.doc.origin, node: p.node, messageId: "missing", data: { service } });
            else
              ctx.report({
                origin: s.doc.origin,
                node: p.node,
                messageId: "s3Both",
                data: { has: hasArn ? "aws:SourceArn" : "aws:SourceAccount", missing: hasArn ? "aws:SourceAccount" : "aws:SourceArn", why: s3Why(hasArn) },
              });
          } else if (!hasArn && !hasAccount) {
            const weak = s.conditions.find((c) => [...ARN_KEYS, ...ACCOUNT_KEYS].includes(c.key));
            if (weak) {
              const detail = weak.ifExists
                ? "...IfExists is true when the key is absent"
                : weak.set === "forallvalues"
                  ? "ForAllValues: is true when the key is absent"
                  : /not/.test(weak.op)
                    ? "a negated operator lets every other source through"
                    : /^(string|arn)(equals|like)/.test(weak.op)
                      ? "its value matches any source"
                      : "the operator does not compare the source with your resource or account";
              ctx.report({ origin: s.doc.origin, node: p.node, messageId: "weak", data: { service, operator: weak.operator, key: weak.keyAsWritten, detail } });
            } else ctx.report({ origin: s.doc.origin, node: p.node, messageId: "missing", data: { service } });
          }
        }
      },
      permission(perm) {
        const service = perm.principal ? serviceName(perm.principal.value) : undefined;
        if (!perm.principal || !service || !SERVICE_RE.test(service)) return;
        const hasArn = present(perm.sourceArn);
        const hasAccount = present(perm.sourceAccount);
        if (isS3(service)) {
          if (hasArn && hasAccount) return;
          if (!hasArn && !hasAccount) ctx.report({ origin: perm.origin, node: perm.principal.node, messageId: "permissionMissing", data: { service } });
          else
            ctx.report({
              origin: perm.origin,
              node: perm.principal.node,
              messageId: "permissionS3",
              data: { has: hasArn ? "SourceArn" : "SourceAccount", missing: hasArn ? "SourceAccount" : "SourceArn", why: s3Why(hasArn) },
            });
        } else if (!hasArn && !hasAccount) {
          ctx.report({ origin: perm.origin, node: perm.principal.node, messageId: "permissionMissing", data: { service } });
        }
      },
    };
  },
});
