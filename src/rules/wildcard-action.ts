/**
 * DPY201: an Allow statement grants every action (`"*"`), every action of a service (`"lambda:*"`), or a pattern that
 * takes in permissions-management actions (`"iam:*Policy*"`, `"iam:Put*"`): the actions that change who can do what.
 *
 * The default statement of a KMS key policy (`kms:*` on `"*"` to the key's own account root) delegates to IAM and is
 * not reported (see `isDefaultKeyStatement`).
 *
 * Exact actions (`iam:PassRole`) are never this rule's business, nor are unknown values (`!Sub "${Service}:*"`), nor
 * `NotAction` (DPY204 reports an Allow with NotAction). A whole-service wildcard on a prefix the catalog does not know
 * is left to DPY205 (it grants nothing if it is a typo).
 */
import { defineRule } from "../engine/rule.js";
import { actionShape, distinct, isPermissionsManagement, isStarOnly, listSome, wildcardActionsOf } from "../model/grants.js";
import { notAGrant } from "../model/restricting.js";
import type { DeputyConfig } from "../config/config.js";
import { accountRelation, ownAccounts } from "../model/accounts.js";
import type { Statement } from "../model/entities.js";
import type { CatalogAction } from "../model/iam-catalog.js";
import { isAllow } from "../model/policy.js";

/** Permissions-management actions of a list, the most telling first (names about policies, permissions, grants, ACLs). */
function pmActions(actions: CatalogAction[]): string[] {
  // The lists come from the catalog caches (one per action pattern): sort each once.
  let v = pmCache.get(actions);
  if (!v) {
    v = sortedPm(actions);
    pmCache.set(actions, v);
  }
  return v;
}

const pmCache = new WeakMap<CatalogAction[], string[]>();

function sortedPm(actions: CatalogAction[]): string[] {
  const pm = actions.filter(isPermissionsManagement);
  const telling = (a: CatalogAction): number => (/Policy|Permission|Grant|Acl/.test(a.name) ? 0 : 1);
  return pm.sort((a, b) => telling(a) - telling(b) || a.full.localeCompare(b.full)).map((a) => a.full);
}

const KEY_TYPES = new Set(["AWS::KMS::Key", "AWS::KMS::ReplicaKey"]);

/**
 * The default statement of a KMS key policy: `kms:*` on `"*"` to the root of the key's own account. It delegates the
 * key's access to IAM policies of that account (AWS's default key policy), so it is not a wildcard grant. The own
 * account is `${AWS::AccountId}`, the document's known account or `accounts.own`; in a standalone key policy (or CLI
 * output) with no known account, a single account's root is taken as the key's own (the documented default).
 */
function isDefaultKeyStatement(stmt: Statement, config: DeputyConfig): boolean {
  const doc = stmt.doc;
  if (doc.kind !== "resource" || stmt.notPrincipalNode || stmt.conditions.length > 0) return false;
  const actions = stmt.action?.values ?? [];
  if (actions.length !== 1 || actions[0]!.value.trim().toLowerCase() !== "kms:*") return false;
  if (!stmt.resource || stmt.resource.values.length !== 1 || !isStarOnly(stmt.resource.values[0]!.value)) return false;
  const type = doc.origin.resourceType;
  const keyPolicy = type ? KEY_TYPES.has(type) : doc.statements.every((s) => (s.action?.values ?? []).every((v) => /^kms:/i.test(v.value.trim())));
  if (!keyPolicy) return false;
  const principals = stmt.principals ?? [];
  if (principals.length !== 1) return false;
  const p = principals[0]!;
  const v = p.value.trim();
  if (p.type !== "AWS" || !(/^\d{12}$/.test(v) || /^\$\{AWS::AccountId\}$/.test(v) || /:root$/.test(v))) return false;
  const relation = accountRelation(p, doc.origin, config);
  if (relation === "same") return true;
  // A template's own account is `${AWS::AccountId}`: a literal account there is another one.
  return relation === "other" && !type && ownAccounts(doc.origin, config).size === 0;
}

export default defineRule({
  code: "DPY201",
  name: "wildcard-action",
  severity: "warning",
  category: "Permissions",
  securitySeverity: 5.0,
  description: "Grant specific actions instead of wildcards",
  fullDescription:
    'An Allow statement has Action "*", a whole-service wildcard such as "lambda:*", or an action pattern that matches a permissions-management action (such as "iam:*Policy*"). Action "*" on Resource "*" is one finding, this rule\'s (DPY202 leaves it). Permissions management is the catalog\'s access level calibrated on what actions do: an action whose verb only reads (List, Get, Describe, Search…) is not counted, so backup:List* is not reported. The default statement of a KMS key policy (kms:* on "*" to the key\'s own account root) delegates to IAM and is not reported. Policies that restrict rather than grant (permissions boundaries, VPC endpoint policies, SCPs/RCPs, session policies, recognised from context) are not judged as grants, and an AWS managed policy in an account dump is reported once per attachment instead of inside its document, and a standalone copy of one (a file named exactly like it, such as AdministratorAccess.json) is not judged.',
  messages: {
    all: '"{{action}}" grants every action of every AWS service, IAM permissions management included (a path to full administrator); list only the actions this statement needs.',
    allResources:
      '"{{action}}" on Resource "{{resource}}" grants every action of every AWS service on every resource: full administrator access; list only the actions this statement needs and scope them to specific ARNs.',
    service: '"{{action}}" grants all {{count}} {{service}} actions{{pm}}; list only the actions this statement needs.',
    managed:
      'Role {{role}} gets the AWS managed policy {{policy}}, which grants {{actions}}; attach a customer managed policy with the actions the role needs.',
    permissionsManagement:
      '"{{action}}" matches {{count}} permissions-management action{{s}} ({{actions}}), which {{verb}} the holder change who can do what; list the exact actions needed.',
  },
  create(ctx) {
    return {
      file(model) {
        for (const a of model.managedAttachments ?? []) {
          const values = wildcardActionsOf(a.policy);
          if (values.length === 0) continue;
          const quoted = values.map((x) => (x.startsWith("every action except") ? x : `"${x}"`));
          ctx.report({ origin: a.origin, node: a.node, messageId: "managed", data: { role: a.role.name?.value ?? "?", policy: a.policy.awsManaged!.name, actions: listSome(quoted, 4) } });
        }
      },
      statement(stmt) {
        // Restricting policies cap, they grant nothing; AWS managed policies are judged at their attachments.
        if (!isAllow(stmt) || !stmt.action || notAGrant(stmt.doc)) return;
        if (isDefaultKeyStatement(stmt, ctx.project.config)) return;
        const origin = stmt.doc.origin;
        for (const v of distinct(stmt.action.values)) {
          const shape = actionShape(v.value);
          const action = v.value.trim();
          if (shape.kind === "all") {
            // Action "*" is the statement's one finding (DPY202 leaves it here), and with Resource "*" it says so.
            const everywhere = stmt.resource?.values.find((r) => isStarOnly(r.value));
            if (everywhere && stmt.doc.kind !== "resource") ctx.report({ origin, node: v.node, messageId: "allResources", data: { action, resource: everywhere.value.trim() } });
            else ctx.report({ origin, node: v.node, messageId: "all", data: { action } });
          } else if (shape.kind === "service") {
            if (!shape.known) continue;
            const pm = pmActions(shape.actions);
            const pmText = pm.length > 0 ? `, permissions management included (${listSome(pm, 3)})` : "";
            ctx.report({ origin, node: v.node, messageId: "service", data: { action, count: shape.actions.length, service: shape.service, pm: pmText } });
          } else if (shape.kind === "pattern") {
            const pm = pmActions(shape.actions);
            if (pm.length === 0) continue;
            ctx.report({ origin, node: v.node, messageId: "permissionsManagement", data: { action, count: pm.length, s: pm.length === 1 ? "" : "s", verb: pm.length === 1 ? "lets" : "let", actions: listSome(pm, 3) } });
          }
        }
      },
    };
  },
});
