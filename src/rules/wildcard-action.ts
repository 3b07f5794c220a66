/**
 * DPY201: an Allow statement grants every action (`"*"`), every action of a service (`"lambda:*"`), or a pattern that
 * takes in permissions-management actions (`"iam:*Policy*"`, `"iam:Put*"`): the actions that change who can do what.
 *
 * Exact actions (`iam:PassRole`) are never this rule's business, nor are unknown values (`!Sub "${Service}:*"`), nor
 * `NotAction` (DPY204 reports an Allow with NotAction). A whole-service wildcard on a prefix the catalog does not know
 * is left to DPY205 (it grants nothing if it is a typo).
 */
import { defineRule } from "../engine/rule.js";
import { actionShape, distinct, isPermissionsManagement, listSome } from "../model/grants.js";
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

export default defineRule({
  code: "DPY201",
  name: "wildcard-action",
  severity: "warning",
  category: "Permissions",
  securitySeverity: 5.0,
  description: "Grant specific actions instead of wildcards",
  fullDescription:
    'An Allow statement has Action "*", a whole-service wildcard such as "lambda:*", or an action pattern that matches a permissions-management action (such as "iam:*Policy*").',
  messages: {
    all: '"{{action}}" grants every action of every AWS service, IAM permissions management included (a path to full administrator); list only the actions this statement needs.',
    service: '"{{action}}" grants all {{count}} {{service}} actions{{pm}}; list only the actions this statement needs.',
    permissionsManagement:
      '"{{action}}" matches {{count}} permissions-management action{{s}} ({{actions}}), which {{verb}} the holder change who can do what; list the exact actions needed.',
  },
  create(ctx) {
    return {
      statement(stmt) {
        if (!isAllow(stmt) || !stmt.action) return;
        const origin = stmt.doc.origin;
        for (const v of distinct(stmt.action.values)) {
          const shape = actionShape(v.value);
          const action = v.value.trim();
          if (shape.kind === "all") {
            ctx.report({ origin, node: v.node, messageId: "all", data: { action } });
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
