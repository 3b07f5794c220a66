/**
 * DPY204: an Allow statement with `NotAction`, `NotResource` or `NotPrincipal` grants everything except a list, so it
 * silently grows with every action, resource or principal AWS (or anyone) adds later. One finding per element, on its
 * key. Deny statements with these elements are a normal guard-rail pattern and are not reported.
 *
 * An element that DPY002 already rejects is left to it (one mistake, one finding): `NotAction` beside `Action`,
 * `NotResource` beside `Resource`, `NotPrincipal` beside `Principal` or in an identity-based policy, and a key in the
 * wrong case (`notAction`, which IAM rejects as an unknown element).
 */
import { defineRule } from "../engine/rule.js";
import type { Statement } from "../model/entities.js";
import type { Node } from "../model/node.js";
import { isAllow } from "../model/policy.js";
import { notAGrant } from "../model/restricting.js";

/** `"a"`, `"a" or "b"`, `"a", "b", "c" or 2 others`. */
function quoteSome(values: string[]): string {
  const q = values.slice(0, 3).map((v) => `"${v}"`);
  if (values.length === 0) return "what is listed";
  if (values.length > 3) return `${q.join(", ")} or ${values.length - 3} other${values.length === 4 ? "" : "s"}`;
  return q.length === 1 ? q[0]! : `${q.slice(0, -1).join(", ")} or ${q[q.length - 1]}`;
}

export default defineRule({
  code: "DPY204",
  name: "allow-with-not",
  severity: "warning",
  category: "Permissions",
  securitySeverity: 5.0,
  description: "Do not combine Allow with NotAction, NotResource or NotPrincipal",
  fullDescription:
    "An Allow statement uses NotAction, NotResource or NotPrincipal, so it grants everything except what is listed. Statements DPY002 rejects (NotAction beside Action, a mis-cased key, NotPrincipal in an identity policy) are left to it; policies that restrict rather than grant (permissions boundaries, VPC endpoint policies, SCPs/RCPs) and AWS managed policies (in an account dump, reported at the attachment by DPY201, or a standalone copy named exactly like one) are not judged.",
  messages: {
    notAction:
      'Allow with "{{key}}" grants every action except {{listed}}, including actions AWS adds later; list the granted actions in "Action" instead (keep the exclusions in a Deny statement if needed).',
    notResource:
      'Allow with "{{key}}" grants the actions on every resource except {{listed}}, including resources created later; list the resources in "Resource" instead.',
    notPrincipal:
      'Allow with "{{key}}" grants access to every principal except {{listed}}, anonymous callers included; name the principals in "Principal" instead.',
  },
  create(ctx) {
    const report = (stmt: Statement, node: Node, key: string, values: string[], messageId: "notAction" | "notResource" | "notPrincipal") =>
      ctx.report({
        origin: stmt.doc.origin,
        node,
        range: node.keyRange,
        messageId,
        data: { key, listed: quoteSome(values) },
      });
    return {
      statement(stmt) {
        // An Allow with NotAction in a permissions boundary, SCP or endpoint policy caps; it grants nothing.
        if (!isAllow(stmt) || notAGrant(stmt.doc)) return;
        if (stmt.notAction && stmt.notAction.key === "NotAction" && !stmt.action) {
          report(stmt, stmt.notAction.node, stmt.notAction.key, stmt.notAction.values.map((v) => v.value), "notAction");
        }
        if (stmt.notResource && stmt.notResource.key === "NotResource" && !stmt.resource) {
          report(stmt, stmt.notResource.node, stmt.notResource.key, stmt.notResource.values.map((v) => v.value), "notResource");
        }
        if (stmt.notPrincipalNode && !stmt.principalNode && stmt.doc.kind !== "identity") {
          const key = stmt.node.entries.find((e) => e.value === stmt.notPrincipalNode)?.key ?? "NotPrincipal";
          if (key === "NotPrincipal") report(stmt, stmt.notPrincipalNode, key, (stmt.notPrincipals ?? []).map((p) => p.value), "notPrincipal");
        }
      },
    };
  },
});
