/**
 * DPY103: a trust or resource-based policy (or an `AWS::Lambda::Permission`) allows `"*"` / `{"AWS": "*"}` with no
 * condition that restricts who the caller is.
 *
 * Which conditions restrict: the catalog's five (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
 * `aws:SourceAccount`, `aws:SourceArn`), the organization keys that narrow a principal or a source to an AWS
 * Organization or one of its OUs (`aws:PrincipalOrgPaths`, `aws:SourceOrgID`, `aws:SourceOrgPaths`), and the keys AWS
 * itself treats as making a policy non-public (S3 "The meaning of public", IAM Access Analyzer): `aws:SourceOwner` (the
 * older SNS/SQS name of `aws:SourceAccount`), `aws:userid`, `kms:CallerAccount` (KMS's caller-account key),
 * `aws:SourceVpc`, `aws:SourceVpce` and `aws:SourceIp` (a CIDR set narrower than /8; `0.0.0.0/0` restricts nothing).
 * The network keys restrict where a caller is rather than who it is, but a caller outside that VPC endpoint or address
 * range is refused, and reporting them as public would contradict AWS's own verdict. `sts:ExternalId` never restricts:
 * it is not a secret. A condition restricts only with a positive operator (`StringEquals`, `StringLike`, `ArnLike`,
 * `IpAddress`), not `...IfExists` or `ForAllValues:` (true when the key is absent), and with no value that matches
 * anything (`*`, `arn:aws:s3:::*`). A Deny statement of the same document that refuses every caller outside the
 * organization/account (`StringNotEquals` on one of these keys, covering the Allow's actions and resources) restricts
 * the Allow too.
 *
 * `aws:PrincipalIsAWSService` = `true` and `aws:PrincipalServiceName` restrict the caller to AWS services.
 *
 * VPC endpoint policies are not resource-based policies: they limit what passes through an endpoint and grant nothing,
 * and `Principal: "*"` is their normal form (the default endpoint policy is `Allow * * *`). A standalone policy file
 * named as one (`s3_endpoint_policy.json`, `vpc-endpoint-policy.json`) is not checked.
 *
 * A statement whose every action grants nothing on its resources (DPY206's judgement: `lambda:InvokeFunction` on a
 * bucket, `s3:GetObject` on a bucket ARN) is not reported: nothing is public; the message of a statement with some
 * such actions names only the others.
 *
 * The public function URL (`lambda:InvokeFunctionUrl` with `FunctionUrlAuthType` `NONE`, and its companion
 * `lambda:InvokeFunction` with `lambda:InvokedViaFunctionUrl`) is DPY302's, not reported here.
 */
import { purposeFromPath } from "../model/restricting.js";
import { defineRule } from "../engine/rule.js";
import type { Condition, LambdaPermission, Statement } from "../model/entities.js";
import { conditionBinds, isNegatedOperator, matchesAnything } from "../model/conditions.js";
import { prop } from "../model/node.js";
import { actionGlobMatches, conditionsOn, isAllow } from "../model/policy.js";
import { inertActions } from "../model/inert.js";
import { hasUnknown } from "../model/resolve.js";

const RESTRICTING_KEYS = new Set(
  [
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:userid",
    "kms:CallerAccount",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
  ].map((k) => k.toLowerCase()),
);

/** Whether an `aws:SourceIp` CIDR covers (nearly) every address: `0.0.0.0/0`, `::/0`, an IPv4 prefix shorter than /8. */
function cidrIsOpen(v: string): boolean {
  const m = /^\s*([0-9a-f.:]+)\/(\d+)\s*$/i.exec(v);
  if (!m) return false;
  const len = Number(m[2]);
  return m[1]!.includes(":") ? len === 0 : len < 8;
}

function restricts(c: Condition): boolean {
  // Only AWS service principals (a service calling with its own identity): not the public.
  if (c.key === "aws:principalisawsservice") return c.op === "bool" && !c.ifExists && c.values.length > 0 && c.values.every((v) => v.value.toLowerCase() === "true");
  if (c.key === "aws:principalservicename") return conditionBinds(c);
  if (!RESTRICTING_KEYS.has(c.key)) return false;
  if (c.key === "aws:sourceip") return c.op === "ipaddress" && !c.ifExists && c.set !== "forallvalues" && c.values.length > 0 && c.values.every((v) => !cidrIsOpen(v.value));
  return conditionBinds(c);
}

function isPublic(p: { type: string; value: string }): boolean {
  return p.type === "*" || (p.type === "AWS" && p.value.trim() === "*");
}

/** A Deny statement that refuses every caller outside an organization/account/network for `allow`'s actions. */
function denyGuards(deny: Statement, allow: Statement): boolean {
  if (deny.effect !== "Deny" || !(deny.principals ?? []).some(isPublic)) return false;
  const guards = deny.conditions.filter((c) => RESTRICTING_KEYS.has(c.key) && (isNegatedOperator(c) || c.op === "notipaddress") && c.set !== "forallvalues" && c.values.length > 0 && c.values.every((v) => !matchesAnything(v.value)));
  if (guards.length === 0) return false;
  // Other conditions would narrow when the Deny applies; only the "not an AWS service" exemption is harmless.
  const others = deny.conditions.filter((c) => !guards.includes(c) && c.key !== "aws:principalisawsservice" && c.key !== "aws:viaawsservice");
  if (others.length > 0) return false;
  if (!deny.action || deny.notAction) return false;
  const denied = deny.action.values.map((v) => v.value);
  const allowed = allow.action?.values.map((v) => v.value) ?? (allow.notAction ? ["*"] : []);
  if (!allowed.every((a) => denied.some((d) => !hasUnknown(d) && actionGlobMatches(d, a)))) return false;
  if (deny.notResource) return false;
  const deniedRes = deny.resource?.values.map((v) => v.value) ?? ["*"];
  const allowedRes = allow.resource?.values.map((v) => v.value) ?? (allow.notResource ? ["*"] : []);
  return allowedRes.every((a) => deniedRes.some((d) => d === "*" || d === a || (!hasUnknown(d) && actionGlobMatches(d, a))));
}

/** The statement is the public function URL grant (DPY302's). */
function isFunctionUrlGrant(s: Statement): boolean {
  const authNone = conditionsOn(s, "lambda:FunctionUrlAuthType").some((c) => c.values.some((v) => v.value.toUpperCase() === "NONE"));
  const viaUrl = conditionsOn(s, "lambda:InvokedViaFunctionUrl").some((c) => c.values.some((v) => v.value.toLowerCase() === "true"));
  const actions = s.action?.values ?? [];
  if (actions.length === 0) return false;
  return actions.every((a) => {
    const v = a.value.toLowerCase();
    return (v === "lambda:invokefunctionurl" && authNone) || (v === "lambda:invokefunction" && viaUrl);
  });
}

function permissionIsFunctionUrlGrant(p: LambdaPermission): boolean {
  const action = p.action?.value.toLowerCase();
  if (action === "lambda:invokefunctionurl") return p.functionUrlAuthType?.value.toUpperCase() === "NONE";
  const via = prop(prop(p.node, "Properties"), "InvokedViaFunctionUrl");
  return action === "lambda:invokefunction" && via !== undefined && via.type === "scalar" && String(via.value).toLowerCase() === "true";
}

/** A standalone VPC endpoint policy, recognised by its file name (nothing in its content tells it apart). */
function isEndpointPolicy(doc: Statement["doc"]): boolean {
  // An endpoint policy or RCP caps what goes through; its Principal "*" grants no one anything.
  if (doc.purpose === "VPC endpoint policy" || doc.purpose === "resource control policy") return true;
  if (doc.origin.resourceType || doc.role) return false;
  const purpose = purposeFromPath(doc.origin.file.path);
  return purpose === "VPC endpoint policy" || purpose === "resource control policy";
}

export default defineRule({
  code: "DPY103",
  name: "public-principal",
  severity: "error",
  category: "Trust and confused deputy",
  securitySeverity: 9.0,
  description: "A trust or resource-based policy must not allow any principal without a condition on who the caller is",
  fullDescription:
    'An Allow statement in a trust or resource-based policy has principal "*" or {"AWS": "*"} with no condition that restricts who the caller is (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, aws:SourceArn). sts:ExternalId alone does not restrict: it is not a secret.',
  messages: {
    trust:
      'Principal "*" lets any AWS principal in any account assume this role, and no condition restricts who the caller is. Name the trusted accounts or roles, or add a condition on aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn.',
    trustExternalId:
      'Principal "*" lets any AWS principal in any account assume this role; the sts:ExternalId condition does not restrict who the caller is, since an external ID is not a secret. Name the trusted account (arn:aws:iam::ACCOUNT:root) or add a condition on aws:PrincipalAccount or aws:PrincipalOrgID.',
    resource:
      'Principal "*" grants {{actions}} to anyone (any AWS account, and anonymous callers where the service allows them), and no condition restricts who the caller is. Name the principals, or add a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, or aws:SourceArn/aws:SourceAccount for an AWS service.',
    permission:
      'Principal "*" grants {{action}} on this function to any AWS account, with no SourceAccount, SourceArn or PrincipalOrgID to restrict the caller. Name the calling account or service, or set SourceAccount/SourceArn (for a service) or PrincipalOrgID.',
  },
  create(ctx) {
    return {
      statement(s) {
        if (s.doc.kind === "identity" || !isAllow(s) || isEndpointPolicy(s.doc)) return;
        const pubs = (s.principals ?? []).filter(isPublic);
        if (pubs.length === 0) return;
        if (s.conditions.some(restricts)) return;
        if (isFunctionUrlGrant(s)) return;
        if (s.doc.statements.some((d) => d !== s && denyGuards(d, s))) return;
        const trust = s.doc.kind === "trust";
        const externalId = conditionsOn(s, "sts:ExternalId").length > 0;
        // A grant that does nothing (DPY206's) is not public: name only the actions that grant something.
        const inert = new Set(inertActions(s).map((x) => x.value.value));
        const granted = s.action?.values.filter((v) => !inert.has(v.value));
        if (granted && granted.length === 0) return;
        const actions = granted ? granted.map((v) => (v.value === "*" ? "every action (*)" : v.value)).slice(0, 3).join(", ") + (granted.length > 3 ? ", ..." : "") : "every action but those in NotAction";
        for (const p of pubs) {
          ctx.report({ origin: s.doc.origin, node: p.node, messageId: trust ? (externalId ? "trustExternalId" : "trust") : "resource", data: { actions } });
        }
      },
      permission(p) {
        if (!p.principal || p.principal.value.trim() !== "*") return;
        if (permissionIsFunctionUrlGrant(p)) return;
        const bound = [p.sourceArn, p.sourceAccount, p.principalOrgId].some((v) => v !== undefined && v.value.trim() !== "" && !matchesAnything(v.value.trim()));
        if (bound) return;
        ctx.report({ origin: p.origin, node: p.principal.node, messageId: "permission", data: { action: p.action?.value ?? "invoke" } });
      },
    };
  },
});
