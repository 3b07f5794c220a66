/**
 * DPY301: `lambda:InvokeFunctionUrl` is granted to a principal that never calls the function URL:
 *  - the execution role of that same function (a function does not call its own URL). Only a grant whose
 *    `Resource` names that very function (`${Fn.Arn}`, `${Fn.Arn}:*`, `!Ref Fn`, or a literal ARN with its name)
 *    counts: a grant on `*` or on other functions lets the function call other functions' URLs with SigV4, which is
 *    legitimate;
 *  - a Genesys-facing role Genesys can assume (Genesys Lambda data actions invoke through `lambda:InvokeFunction`, and
 *    web services data actions cannot sign SigV4), whatever the resource;
 *  - a service principal (`*.amazonaws.com`) in an `AWS::Lambda::Permission` or a resource-based policy statement
 *    (services invoke functions with `lambda:InvokeFunction`, never through the URL).
 * Identity grants count when an Allow action names `lambda:InvokeFunctionUrl` specifically — exactly, or through a
 * pattern that does not also grant `lambda:InvokeFunction` (`lambda:*Url`). `*`, `lambda:*` or `lambda:Invoke*` also
 * grant the URL action, but that is the wildcard's problem (DPY201), not a wrong principal: not reported here.
 * Principals of a resource policy or permission also count when they resolve to the same function's execution role or
 * to a Genesys-facing role. One finding per offending action value, on that value; related: the function, or the
 * role's trust policy.
 */
import { defineRule, type RelatedLocation } from "../engine/rule.js";
import type { Project } from "../engine/project.js";
import type { LambdaFunction, Origin, PolicyDocument, Role } from "../model/entities.js";
import type { Node } from "../model/node.js";
import { isAllow } from "../model/policy.js";
import { hasUnknown, type Str } from "../model/resolve.js";
import {
  assumableByAccount,
  executionRole,
  functionLabel,
  functionOfPermission,
  functionsForTarget,
  literalLambdaTarget,
  isServicePrincipal,
  namesInvokeFunctionUrl,
  resourceNamesFunction,
  documentRoleNames,
  roleGrantInfo,
  roleLabel,
} from "../model/links.js";
import { genesysFacing } from "../model/genesys-facing.js";
import { replaceActionEdits } from "../model/fixes.js";
import type { FixProposal } from "../engine/rule.js";
import type { Statement } from "../model/entities.js";

/** Genesys invokes with lambda:InvokeFunction: the URL action replaced by it (or dropped when the list has it). */
function invokeFix(s: Statement, a: Str): FixProposal | undefined {
  // A condition on the URL's auth type never holds for lambda:InvokeFunction: the grant would allow nothing.
  if (!s.action || s.conditions.some((c) => c.key === "lambda:functionurlauthtype")) return undefined;
  const edits = replaceActionEdits(s.doc.origin, s.action, a, "lambda:InvokeFunction");
  return edits ? { description: `Grant lambda:InvokeFunction instead of ${a.value.trim()}`, edits } : undefined;
}

function facingReason(project: Project, role: Role): string | undefined {
  if (!assumableByAccount(role)) return undefined;
  return genesysFacing(role, project)?.reason;
}

/** Whether a policy has an Allow statement naming lambda:InvokeFunctionUrl. */
function hasUrlGrant(d: PolicyDocument): boolean {
  return d.statements.some((s) => isAllow(s) && (s.action?.values ?? []).some((a) => namesInvokeFunctionUrl(a.value)));
}

function trustRelated(role: Role): RelatedLocation {
  return { origin: role.origin, node: role.trust?.node ?? role.node, message: `trust policy of the Genesys-facing role ${roleLabel(role)}` };
}

function fnRelated(fn: LambdaFunction): RelatedLocation {
  return { origin: fn.origin, node: fn.node, message: `the function ${functionLabel(fn)}` };
}

export default defineRule({
  code: "DPY301",
  name: "function-url-wrong-principal",
  severity: "error",
  category: "Lambda",
  securitySeverity: 4.0,
  fixable: "unsafe",
  description: "Grant lambda:InvokeFunctionUrl only to principals that call the function URL",
  fullDescription:
    "lambda:InvokeFunctionUrl is granted to a principal that never calls the function URL: the execution role of that same function (a function does not call its own URL; another function's role calling this URL with SigV4 is legitimate), a Genesys-facing role (Genesys Lambda data actions invoke through lambda:InvokeFunction, and web services data actions cannot sign SigV4), or a service principal.",
  messages: {
    genesys:
      "The Genesys-facing role {{role}} ({{reason}}) is granted lambda:InvokeFunctionUrl, which Genesys Cloud never uses: AWS Lambda data actions call lambda:InvokeFunction, and web services data actions cannot sign SigV4 requests to a function URL. Grant lambda:InvokeFunction on the function ARN instead and remove lambda:InvokeFunctionUrl.",
    "own-url":
      "The execution role {{role}} of {{function}} is granted lambda:InvokeFunctionUrl on that same function, but a function never calls its own URL: the grant only widens what code running as this role can do. Remove lambda:InvokeFunctionUrl for this function from the role.",
    service:
      "lambda:InvokeFunctionUrl is granted to the service principal {{principal}}, but AWS services invoke functions with lambda:InvokeFunction, never through the function URL. Grant lambda:InvokeFunction (with aws:SourceArn / aws:SourceAccount) instead.",
    "genesys-principal":
      "lambda:InvokeFunctionUrl is granted to the Genesys-facing role {{role}} ({{reason}}), which Genesys Cloud never uses: AWS Lambda data actions call lambda:InvokeFunction, and web services data actions cannot sign SigV4. Grant lambda:InvokeFunction instead.",
    "own-url-principal":
      "lambda:InvokeFunctionUrl on {{function}} is granted to its own execution role {{role}}, but a function never calls its own URL. Remove this grant.",
  },
  create(ctx) {
    /** Reports one resource-policy principal granted InvokeFunctionUrl on `fns`. */
    const principalFinding = (project: Project, origin: Origin, actionNode: Node, principal: Str, fns: LambdaFunction[], related: RelatedLocation[], fix?: () => FixProposal | undefined): boolean => {
      const v = principal.value.trim();
      if (isServicePrincipal(v)) {
        ctx.report({ origin, node: actionNode, messageId: "service", data: { principal: v }, related: [...related, ...fns.map(fnRelated)] });
        return true;
      }
      if (hasUnknown(v) && !principal.ref) return false;
      const role = project.resolveRole(origin, principal);
      if (!role) return false;
      const reason = facingReason(project, role);
      if (reason) {
        ctx.report({ origin, node: actionNode, messageId: "genesys-principal", data: { role: roleLabel(role), reason }, related: [...related, trustRelated(role)], fix: fix?.() });
        return true;
      }
      const own = fns.find((fn) => executionRole(project, fn) === role);
      if (own) {
        ctx.report({ origin, node: actionNode, messageId: "own-url-principal", data: { role: roleLabel(role), function: functionLabel(own) }, related: [...related, fnRelated(own)] });
        return true;
      }
      return false;
    };

    return {
      project(project) {
        // Identity grants on roles.
        const runsAs = new Map<Role, LambdaFunction[]>();
        for (const fn of project.functions) {
          const r = executionRole(project, fn);
          if (r) runsAs.set(r, [...(runsAs.get(r) ?? []), fn]);
        }
        // Only roles that may hold such a grant: policies naming lambda:InvokeFunctionUrl, attached to them in their
        // template/output or (CloudFormation) by role name from another template.
        const urlDocs = new Set(project.documents.filter((d) => d.kind === "identity" && hasUrlGrant(d)));
        const attachedNames = new Set<string>();
        for (const d of urlDocs) for (const n of documentRoleNames(d).roles) attachedNames.add(n);
        for (const role of urlDocs.size > 0 ? project.roles : []) {
          if (!role.policies.some((d) => urlDocs.has(d)) && !(role.name && attachedNames.has(role.name.value))) continue;
          const runs = runsAs.get(role) ?? [];
          const reason = facingReason(project, role);
          if (!reason && runs.length === 0) continue;
          for (const doc of roleGrantInfo(project, role).policies) {
            if (doc.kind !== "identity" || !urlDocs.has(doc)) continue;
            for (const s of doc.statements) {
              if (!isAllow(s) || !s.action) continue;
              for (const a of s.action.values) {
                if (!namesInvokeFunctionUrl(a.value)) continue;
                if (reason) {
                  ctx.report({ origin: doc.origin, node: a.node, messageId: "genesys", data: { role: roleLabel(role), reason }, related: [trustRelated(role)], fix: invokeFix(s, a) });
                  continue;
                }
                const own = runs.find((fn) => (s.resource?.values ?? []).some((r) => resourceNamesFunction(project, doc.origin, r.value, fn)));
                if (own) ctx.report({ origin: doc.origin, node: a.node, messageId: "own-url", data: { role: roleLabel(role), function: functionLabel(own) }, related: [fnRelated(own)] });
              }
            }
          }
        }

        // AWS::Lambda::Permission resources.
        for (const p of project.permissions) {
          if (!p.action || !p.principal || !namesInvokeFunctionUrl(p.action.value)) continue;
          const fn = functionOfPermission(project, p);
          principalFinding(project, p.origin, p.action.node, p.principal, fn ? [fn] : [], []);
        }

        // Resource-based policy statements (lambda get-policy).
        for (const d of project.documents) {
          if (d.kind !== "resource") continue;
          for (const s of d.statements) {
            if (!isAllow(s) || !s.action) continue;
            const actions = s.action.values.filter((a) => namesInvokeFunctionUrl(a.value));
            if (actions.length === 0) continue;
            const fns = (s.resource?.values ?? []).flatMap((r) => {
              const t = literalLambdaTarget(r.value);
              return t ? functionsForTarget(project, t) : [];
            });
            for (const a of actions) {
              for (const p of s.principals ?? []) {
                if (p.type !== "Service" && p.type !== "AWS") continue;
                if (principalFinding(project, d.origin, a.node, { value: p.value, node: p.node, ref: p.ref }, fns, [], () => invokeFix(s, a))) break;
              }
            }
          }
        }
      },
    };
  },
});
