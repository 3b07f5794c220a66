/**
 * DPY302: a function URL is public — `AuthType: NONE` together with a permission that grants
 * `lambda:InvokeFunctionUrl` to `"*"`. Anyone on the internet can call the function, with no signature.
 *
 * Where the pieces come from (cross-file: a project rule):
 *  - CloudFormation: an `AWS::Lambda::Url` with `AuthType: NONE` and an `AWS::Lambda::Permission` with
 *    `Action: lambda:InvokeFunctionUrl`, `Principal: "*"` (and `FunctionUrlAuthType` `NONE` or absent) for the same
 *    function (same `Ref`/`GetAtt` target, same literal ARN or name, or the same parameter);
 *  - SAM: `FunctionUrlConfig: {AuthType: NONE}` is public by itself — SAM adds the public `lambda:InvokeFunctionUrl`
 *    permission (`<Function>UrlPublicPermissions`, Principal `*`, FunctionUrlAuthType NONE) automatically, as the
 *    SAM translator's output shows;
 *  - Terraform (HCL, JSON, plans and state): an `aws_lambda_function_url` with `authorization_type = "NONE"` is public
 *    by itself too — the AWS provider adds the same permission (`FunctionURLAllowPublicAccess`) when it creates the
 *    URL; a public `aws_lambda_permission` written for it is named in the finding instead
 *    (`data/function-url-public-by-default.json` has both facts and their sources);
 *  - `lambda get-policy`: an Allow statement for `"*"` / `{"AWS": "*"}` granting `lambda:InvokeFunctionUrl` with
 *    `lambda:FunctionUrlAuthType` = `NONE`, alone or with a `lambda get-function-url-config` output of the same
 *    function saying `AuthType: NONE`.
 * The finding sits on the URL's `AuthType` value (related: the public permissions); a public permission whose URL
 * is not in the scanned files is reported on its principal when it is written for a `NONE` URL
 * (`FunctionUrlAuthType`/`lambda:FunctionUrlAuthType` = `NONE`). Not reported: a URL with `AWS_IAM` (or an unknown
 * auth type), a permission with a condition other than the auth type (it may restrict callers; DPY103 judges those),
 * unknown principals or actions, Deny statements.
 */
import { defineRule, type RelatedLocation } from "../engine/rule.js";
import type { Origin, Statement } from "../model/entities.js";
import type { Node } from "../model/node.js";
import { actionGlobMatches, isAllow, statementAllowsAction } from "../model/policy.js";
import { hasUnknown } from "../model/resolve.js";
import { functionKey, functionLabel, functionUrlAuthTypeCondition, genesysRoles, INVOKE_URL, literalLambdaTarget } from "../model/links.js";
import { publicByDefault } from "../model/url-defaults.js";

interface PublicGrant {
  origin: Origin;
  /** Where a standalone finding goes: the `*` principal. */
  principalNode: Node;
  /** The permission resource or policy statement (related location). */
  node: Node;
  /** Function keys it applies to. */
  keys: string[];
  /** Whether it is written for a NONE URL (auth-type property/condition `NONE`), as opposed to having none. */
  forNone: boolean;
  label: string;
  /** The function, for messages. */
  fnLabel: string;
  used?: boolean;
}

const isNone = (v: string | undefined) => v !== undefined && v.trim().toUpperCase() === "NONE";

const GENESYS_NAME = /genesys|purecloud/i;

export default defineRule({
  code: "DPY302",
  name: "function-url-public",
  severity: "error",
  category: "Lambda",
  securitySeverity: 9.0,
  description: "Do not make a Lambda function URL public (AuthType NONE with a permission for \"*\")",
  fullDescription:
    'A function URL is public: AuthType NONE together with a permission that grants lambda:InvokeFunctionUrl to "*", in a template or in a lambda get-policy document (lambda:FunctionUrlAuthType = NONE). SAM and the Terraform AWS provider add that permission themselves when they create a NONE URL, so such a URL is public with no permission written. Anyone on the internet can invoke the function.',
  // The Genesys advice only where Genesys is in sight (see `create`); elsewhere, CloudFront for public web apps.
  messages: {
    url: 'This function URL has AuthType NONE and {{permission}} grants lambda:InvokeFunctionUrl to "*", so anyone on the internet can invoke {{function}} without signing the request. Set AuthType to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it; for a web app that is public on purpose, serve it through CloudFront with origin access control (the URL keeps AuthType AWS_IAM and only CloudFront may invoke it).',
    urlGenesys:
      'This function URL has AuthType NONE and {{permission}} grants lambda:InvokeFunctionUrl to "*", so anyone on the internet can invoke {{function}} without signing the request. Set AuthType to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it (if Genesys Cloud is the caller, use an AWS Lambda data action instead: Genesys cannot sign requests to a function URL).',
    sam: 'This function URL has AuthType NONE, so SAM adds a permission granting lambda:InvokeFunctionUrl to "*": anyone on the internet can invoke {{function}} without signing the request. Set AuthType to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it; for a web app that is public on purpose, serve it through CloudFront with origin access control (the URL keeps AuthType AWS_IAM and only CloudFront may invoke it).',
    samGenesys:
      'This function URL has AuthType NONE, so SAM adds a permission granting lambda:InvokeFunctionUrl to "*": anyone on the internet can invoke {{function}} without signing the request. Set AuthType to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it (if Genesys Cloud is the caller, use an AWS Lambda data action instead: Genesys cannot sign requests to a function URL).',
    terraform:
      'This function URL has authorization_type NONE, so the Terraform AWS provider adds a permission granting lambda:InvokeFunctionUrl to "*" when it creates the URL (statement FunctionURLAllowPublicAccess): anyone on the internet can invoke {{function}} without signing the request. Set authorization_type to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it; for a web app that is public on purpose, serve it through CloudFront with origin access control (the URL keeps AWS_IAM and only CloudFront may invoke it).',
    terraformGenesys:
      'This function URL has authorization_type NONE, so the Terraform AWS provider adds a permission granting lambda:InvokeFunctionUrl to "*" when it creates the URL (statement FunctionURLAllowPublicAccess): anyone on the internet can invoke {{function}} without signing the request. Set authorization_type to AWS_IAM and grant lambda:InvokeFunctionUrl only to the roles that call it (if Genesys Cloud is the caller, use an AWS Lambda data action instead: Genesys cannot sign requests to a function URL).',
    permission:
      '{{permission}} grants lambda:InvokeFunctionUrl to "*" for a function URL with AuthType NONE, so anyone on the internet can invoke {{function}} without signing the request. Remove this permission and set the URL\'s AuthType to AWS_IAM, granting lambda:InvokeFunctionUrl only to the roles that call it.',
  },
  create(ctx) {
    return {
      project(project) {
        const grants: PublicGrant[] = [];
        // AWS::Lambda::Permission resources.
        for (const p of project.permissions) {
          if (!p.action || hasUnknown(p.action.value) || !actionGlobMatches(p.action.value, INVOKE_URL)) continue;
          if (!p.principal || p.principal.value.trim() !== "*") continue;
          const auth = p.functionUrlAuthType?.value;
          if (auth !== undefined && !isNone(auth)) continue;
          if (p.sourceArn || p.sourceAccount || p.principalOrgId) continue;
          const key = functionKey(project, p.origin, p.functionName);
          const fn = project.resolveFunction(p.origin, p.functionName);
          const fnLabel = fn ? `the function ${functionLabel(fn)}` : functionLabelOf(p.origin, p.functionName?.value);
          grants.push({ origin: p.origin, principalNode: p.principal.node, node: p.origin.resourceNode ?? p.node, keys: key ? [key] : [], forNone: isNone(auth), label: `the permission ${p.origin.logicalId ?? ""}`.trim(), fnLabel });
        }
        // Resource-based policy statements (lambda get-policy).
        for (const d of project.documents) {
          if (d.kind !== "resource") continue;
          for (const s of d.statements) {
            const g = statementGrant(project, s);
            if (g) grants.push(g);
          }
        }

        // Genesys advice only where Genesys is in sight: a Genesys-facing role, a data action or a Genesys integration in
        // the scanned files, or a function whose name says Genesys or PureCloud.
        const genesys = project.dataActions.length > 0 || project.roleReferences.length > 0 || genesysRoles(project).length > 0;
        for (const url of project.functionUrls) {
          const auth = url.authType;
          if (!auth || hasUnknown(auth.value) || !isNone(auth.value)) continue;
          const key = functionKey(project, url.origin, url.target);
          const fnLabel = functionLabelOf(url.origin, url.target?.value);
          const fn = project.resolveFunction(url.origin, url.target);
          const inSight = genesys || GENESYS_NAME.test(`${fnLabel} ${url.origin.logicalId ?? ""} ${fn?.name?.value ?? ""} ${fn?.origin.logicalId ?? ""}`);
          const matching = grants.filter((g) => key !== undefined && g.keys.includes(key));
          for (const g of matching) g.used = true;
          const related: RelatedLocation[] = matching.map((g) => ({ origin: g.origin, node: g.node, message: `${g.label} grants lambda:InvokeFunctionUrl to "*"` }));
          const byDefault = publicByDefault(url.origin.resourceType);
          if (byDefault?.message === "sam") {
            ctx.report({ origin: url.origin, node: auth.node, messageId: inSight ? "samGenesys" : "sam", data: { function: fnLabel }, related });
          } else if (matching.length > 0) {
            ctx.report({ origin: url.origin, node: auth.node, messageId: inSight ? "urlGenesys" : "url", data: { permission: matching[0]!.label, function: fnLabel }, related });
          } else if (byDefault?.message === "terraform") {
            ctx.report({ origin: url.origin, node: auth.node, messageId: inSight ? "terraformGenesys" : "terraform", data: { function: fnLabel } });
          }
        }

        // Public grants written for a NONE URL whose URL is not in the scanned files.
        const urlKeys = new Set(project.functionUrls.map((u) => functionKey(project, u.origin, u.target)).filter((k): k is string => k !== undefined));
        for (const g of grants) {
          if (g.used || !g.forNone) continue;
          if (g.keys.some((k) => urlKeys.has(k))) continue;
          ctx.report({ origin: g.origin, node: g.principalNode, messageId: "permission", data: { permission: capitalise(g.label), function: g.fnLabel } });
        }
      },
    };
  },
});

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function functionLabelOf(origin: Origin, target: string | undefined): string {
  if (origin.resourceType === "AWS::Serverless::Function" && origin.logicalId) return `the function ${origin.logicalId}`;
  if (target && !hasUnknown(target)) return target;
  const m = target ? /^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}$/.exec(target) : null;
  return m ? `the function ${m[1]}` : "the function";
}


/** A resource-policy statement that grants lambda:InvokeFunctionUrl to everyone. */
function statementGrant(project: Parameters<typeof functionKey>[0], s: Statement): PublicGrant | undefined {
  if (!isAllow(s) || !statementAllowsAction(s, INVOKE_URL)) return undefined;
  const pub = (s.principals ?? []).find((p) => p.type === "*" || (p.type === "AWS" && p.value.trim() === "*"));
  if (!pub) return undefined;
  const auth = functionUrlAuthTypeCondition(s);
  if (auth !== undefined && !auth.some(isNone)) return undefined;
  // Any other condition may restrict callers: not judged here.
  if (s.conditions.some((c) => c.key !== "lambda:functionurlauthtype" && c.key !== "lambda:invokedviafunctionurl")) return undefined;
  if (auth !== undefined && s.conditions.some((c) => c.key === "lambda:functionurlauthtype" && (c.op !== "stringequals" || c.ifExists || c.set === "forallvalues"))) return undefined;
  const keys: string[] = [];
  let fnLabel = "the function";
  for (const r of s.resource?.values ?? []) {
    const t = literalLambdaTarget(r.value);
    if (t) {
      const k = functionKey(project, s.doc.origin, { value: t.unqualified, node: r.node });
      if (k) keys.push(k);
      if (keys.length === 1) fnLabel = t.unqualified;
    }
  }
  const sid = s.sid ? ` ${s.sid}` : "";
  return { origin: s.doc.origin, principalNode: pub.node, node: s.node, keys, forNone: auth !== undefined, label: `the ${s.doc.label} statement${sid}`, fnLabel };
}
