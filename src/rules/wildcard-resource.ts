/**
 * DPY202: an Allow statement grants actions that support resource-level permissions on `"*"` or on an ARN whose
 * resource name is a bare wildcard (`function:*`, `table/*`, `arn:aws:s3:::*`), so it reaches every such resource.
 *
 * Not reported (the false positives users of other linters complain about):
 * - actions that only accept `"*"` (wildcard-only in the catalog: `logs:DescribeLogGroups`, `sts:GetCallerIdentity`);
 *   a statement mixing both kinds is reported with the resource-level actions only;
 * - a wildcard after a concrete name (`function:lookup:*` — every version and alias of one function, `bucket/*`);
 * - unknown values (`function:${FnName}`, `!GetAtt Fn.Arn`), which are never wildcards;
 * - `execute-api` ARNs (DPY203 judges them, part by part);
 * - Deny statements, and Allow statements with NotAction (DPY204 already reports those; what they grant cannot be
 *   listed), trust policies (no Resource);
 * - actions whose resource types are all optional and can be called without one (`cloudwatch:PutMetricData`,
 *   `rekognition:DetectModerationLabels`): only `"*"` allows those calls (see `needsScoping`);
 * - AWS-owned resources (account `aws`: `arn:aws:iam::aws:policy/*` is every AWS managed policy, not the account's);
 * - `"*"` in a resource-based policy (key, secret, queue policies): there it means the resource the policy is attached
 *   to — KMS key policies must say `"*"`. A bare-wildcard ARN in a resource-based policy is still reported.
 * - actions that create the resource when its name is an ID AWS generates (`ec2:CreateNetworkInterface` on
 *   `network-interface/*`): the wildcard is required;
 * - `Action: "*"`: DPY201 reports it once, with the resource (one mistake, one finding);
 * - actions a condition binds to named resources (`aws:ResourceTag/<k>`, `aws:ResourceAccount`, `kms:ViaService`…,
 *   decided per key from the catalog: see `scoping.ts`), and grants AWS documents on `"*"` (`data/permission-scoping.json`);
 * - read-only actions only (List, Describe, metadata Get: see `access.ts`), unless `permissions.readOnlyWildcards`
 *   gives them a severity. Tagging-only findings are notes; the message lists the most dangerous actions first.
 * An ARN is reported only with the actions whose resource types it can be (an ARN none of them fits is DPY206's).
 */
import { defineRule, type FixProposal } from "../engine/rule.js";
import type { Project } from "../engine/project.js";
import type { TextEdit } from "../engine/finding.js";
import { editorFor } from "../engine/text-edits.js";
import { genesysFacing } from "../model/genesys-facing.js";
import { dataActionTarget, roleGrantInfo } from "../model/links.js";
import type { CatalogAction } from "../model/iam-catalog.js";
import { parseArnLoose } from "../model/arn.js";
import type { Severity, SeveritySetting } from "../engine/rule.js";
import { byDanger, mostDangerous, Rank, rankCounts, topRank } from "../model/access.js";
import type { PolicyDocument, Statement } from "../model/entities.js";
import { notAGrant } from "../model/restricting.js";
import { actionShape, wildcardActionsOf, distinct, exampleArn, exampleFormat, isStarOnly, leavesNameToWildcard, matchingResourceType, scopedActions } from "../model/grants.js";
import type { Node } from "../model/node.js";
import { anyUnscopable, bindingCondition, conditionScope, isUnscopable, unboundKeys } from "../model/scoping.js";
import { memoize, memoizeOn } from "../model/memo.js";
import { isAllow } from "../model/policy.js";
import { hasUnknown, placeholders } from "../model/resolve.js";
import { ANY_ONE, ANY_RUN, compileGlob, FIELD_RUN, type GlobAtom } from "../model/glob.js";

/**
 * `iam:PassRole, s3:DeleteObject, s3:PutObject, s3:GetObject and 243 more (1 permissions-management, 40 write and 206
 * read-only)`: the most dangerous actions first, without mapping the whole (possibly 800-long) list more than once.
 */
function listActions(actions: CatalogAction[]): string {
  let v = listCache.get(actions);
  if (v === undefined) listCache.set(actions, (v = computeList(actions)));
  return v;
}

// Most findings list a cached array (the statement's actions, an ARN's hits): one text per array.
const listCache = new WeakMap<CatalogAction[], string>();

function computeList(actions: CatalogAction[]): string {
  const sorted = byDanger(actions);
  const shown = sorted.slice(0, 4).map((a) => a.full).join(", ");
  if (actions.length <= 4) return shown;
  return `${shown} and ${actions.length - 4} more (${rankCounts(actions)})`;
}

const CREATE_VERB = /^(Create|Run|Allocate|Copy|Import|Request|Launch)/;
const words = (n: string): string[] => n.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3);

/**
 * An action that creates resources of this type, whose names are IDs AWS generates (`ec2:CreateNetworkInterface` on
 * `network-interface/*`, `ec2:RunInstances` on `instance/*` and `volume/*`): the IDs do not exist before the call, so
 * the wildcard is required.
 */
function createsWithGeneratedId(a: CatalogAction, type: string, format: string): boolean {
  if (!CREATE_VERB.test(a.name)) return false;
  const name = /\$\{([^}]*)\}/.exec(parseArnLoose(format)?.resource ?? "")?.[1] ?? "";
  if (!/(Id|ID|Identifier)$/.test(name)) return false;
  return a.name.startsWith("Run") || words(type).some((w) => a.name.toLowerCase().includes(w.replace(/s$/, "")));
}

/**
 * The resource-level actions a list of action values grants (deduplicated), and whether it grants every action.
 * Usually one value: its cached list is reused. Several values are merged once per distinct list: large policies
 * repeat the same lists across statements and files.
 */
function grantedActions(values: readonly { value: string }[]): { everyAction: boolean; actions: CatalogAction[] } {
  if (values.length === 1) {
    const shape = actionShape(values[0]!.value);
    return { everyAction: shape.kind === "all", actions: scopedActions(shape) };
  }
  return mergedFor(values.map((v) => v.value).join("\u0000"));
}

const mergedFor = memoize((key: string): { everyAction: boolean; actions: CatalogAction[] } => {
  let everyAction = false;
  const merged = new Map<string, CatalogAction>();
  for (const value of key.split("\u0000")) {
    const shape = actionShape(value);
    if (shape.kind === "all") everyAction = true;
    for (const a of scopedActions(shape)) merged.set(a.full, a);
  }
  return { everyAction, actions: [...merged.values()] };
}, 5000);

/**
 * The actions (of a cached list) whose resource type an ARN leaves to a wildcard, with that type and format. Large
 * policies repeat the same list and ARN across statements and files: one answer per list and ARN.
 */
const wildcardHits = memoizeOn((actions: CatalogAction[], value: string): { action: CatalogAction; type: string; format: string }[] => {
  const resource = parseArnLoose(value)?.resource ?? "";
  const hits: { action: CatalogAction; type: string; format: string }[] = [];
  for (const a of actions) {
    const m = matchingResourceType(a, value, true);
    if (m && leavesNameToWildcard(resource, m.format) && !createsWithGeneratedId(a, m.name, m.format)) hits.push({ action: a, type: m.name, format: m.format });
  }
  return hits;
});

const hitActionsCache = new WeakMap<object, CatalogAction[]>();
/** The actions of a (cached) hit list, once per list. */
function hitActions(hits: { action: CatalogAction }[]): CatalogAction[] {
  let v = hitActionsCache.get(hits);
  if (!v) hitActionsCache.set(hits, (v = hits.map((h) => h.action)));
  return v;
}

/** The actions of a finding after conditions and documented patterns are taken out, and what is left to say. */
interface Kept {
  actions: CatalogAction[];
  /** Condition keys (as written) that narrow the statement but bind none of the kept actions. */
  narrowing: string[];
}

/**
 * The actions a wildcard resource really opens: without those a condition binds (per the catalog's condition keys)
 * and those AWS documents with this wildcard. Statements without conditions keep every action but the documented
 * ones, which are checked against a short table (no per-action work for most statements).
 */
function keptActions(stmt: Statement, actions: CatalogAction[], resource: string): Kept {
  const scope = stmt.conditions.length > 0 ? conditionScope(stmt) : undefined;
  if (!scope?.binding.length && (!anyUnscopable(actions) || !actions.some((a) => isUnscopable(a, resource)))) return { actions, narrowing: scope ? unboundKeys(scope, actions) : [] };
  const kept = actions.filter((a) => !isUnscopable(a, resource) && !(scope && scope.binding.length > 0 && bindingCondition(scope, a)));
  return { actions: kept, narrowing: scope ? unboundKeys(scope, kept) : [] };
}

/** The severity of a finding on these actions: by the most dangerous one; `off` for metadata reads unless configured. */
function severityFor(actions: CatalogAction[], readOnly: SeveritySetting): SeveritySetting {
  const top = topRank(actions);
  if (top === Rank.MetadataRead) return readOnly;
  if (top === Rank.Tagging) return "note";
  return "warning";
}

/** ` The condition on aws:SourceVpc narrows the requests but names no resource.` */
function narrowText(keys: string[]): string {
  if (keys.length === 0) return "";
  const list = keys.length === 1 ? keys[0]! : `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]}`;
  return ` The condition on ${list} narrows the requests but binds no resource.`;
}

/** Actions a Genesys-facing role's invoke statement may hold for its resources to be narrowed to function ARNs. */
const INVOKE_ACTIONS = new Set(["lambda:invokefunction", "lambda:invokefunctionurl"]);

/** Whether a glob (`*`, `?`) resource value matches an ARN. */
function globMatches(pattern: string, arn: string): boolean {
  // An unknown part (`${AWS::Region}`) of the pattern's header may be any one field. Matched without a regular
  // expression built from the input (glob.ts: no backtracking on `*a*a*a…b`).
  const atoms: GlobAtom[] = [];
  let last = 0;
  const literal = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      atoms.push(c === 42 ? ANY_RUN : c === 63 ? ANY_ONE : c);
    }
  };
  for (const p of placeholders(pattern)) {
    literal(pattern.slice(last, p.index));
    atoms.push(FIELD_RUN);
    last = p.end;
  }
  literal(pattern.slice(last));
  return compileGlob(atoms).test(arn);
}

/** The function ARNs the scanned data actions invoke (as written, qualifiers included), in order, once each. */
function invokedFunctionArns(project: Project): string[] {
  const seen = new Set<string>();
  for (const a of project.dataActions) {
    const t = dataActionTarget(a);
    if (t) seen.add(t.arn);
  }
  return [...seen].sort();
}

/**
 * The repairs of an invoke statement of a Genesys-facing role: its wildcard resources (`"*"`, `function:*`) become
 * the function ARNs the scanned data actions invoke that they cover. The first wildcard gets the ARNs (those not
 * listed already), any further one is dropped. By resource node.
 */
function narrowingFixes(stmt: Statement, arns: string[]): Map<Node, FixProposal> {
  const out = new Map<Node, FixProposal>();
  const list = stmt.resource;
  if (!list || !stmt.action || stmt.action.values.some((v) => !INVOKE_ACTIONS.has(v.value.trim().toLowerCase()))) return out;
  const wild = list.values.filter((r) => {
    const v = r.value.trim();
    if (isStarOnly(v)) return true;
    const arn = parseArnLoose(v);
    // `function:*`, with a header that may be partly unknown (`arn:${AWS::Partition}:lambda:${AWS::Region}:...`).
    return arn !== undefined && arn.service.toLowerCase() === "lambda" && /^function:\*$/.test(arn.resource);
  });
  if (wild.length === 0) return out;
  const covered = arns.filter((a) => wild.some((w) => isStarOnly(w.value) || globMatches(w.value.trim(), a)));
  if (covered.length === 0) return out;
  const listed = new Set(list.values.map((v) => v.value.trim()));
  const add = covered.filter((a) => !listed.has(a));
  const editor = editorFor(stmt.doc.origin.file);
  const node = list.node;
  const description = `Grant lambda:InvokeFunction only on what the data actions invoke: ${covered.join(", ")}`;
  wild.forEach((w, i) => {
    let edits: TextEdit[] | undefined;
    if (node.type === "array") {
      const index = node.items.indexOf(w.node);
      if (index < 0) return;
      edits = i === 0 && add.length > 0 ? editor.replaceItemWithMany(node, index, add) : editor.removeItem(node, index);
    } else if (node === w.node && add.length > 0) {
      edits = add.length === 1 ? editor.replaceString(node, add[0]!) : editor.replaceValue(node, add);
    }
    if (edits) out.set(w.node, { description, edits });
  });
  return out;
}

export default defineRule({
  code: "DPY202",
  name: "wildcard-resource",
  severity: "warning",
  category: "Permissions",
  securitySeverity: 4.0,
  fixable: "unsafe",
  description: "Scope resource-level actions to specific resources",
  fullDescription:
    'An Allow statement grants an action that supports resource-level permissions (per the IAM catalog) on "*" or on an ARN whose resource name is a bare wildcard (function:*, table/*, arn:aws:s3:::*). Wildcard-only actions (logs:DescribeLogGroups) and qualifier wildcards after a concrete name (function:lookup:*) do not count; an ARN is matched against the resource type\'s own service, which may differ from the action\'s (sts:AssumeRole on arn:aws:iam::*:role/*, ssm:SendCommand on ec2 instances); execute-api ARNs are left to DPY203; Action "*" is DPY201\'s. Not counted either: actions a condition binds to named resources (aws:ResourceTag/<key> or a service tag key, aws:ResourceAccount, kms:ViaService, iam:PassedToService… with a positive operator and a concrete value, where the IAM catalog says the action supports the key), and grants AWS documents on "*" (the Lambda VPC network-interface actions, ecr:GetAuthorizationToken, logs:CreateLogGroup on the account\'s log ARNs). The message lists the most dangerous actions first (permissions management, write, data read, tagging, read-only) and says when a condition narrows the requests but binds no resource. Severity follows the most dangerous action: warning for permissions management, writes and data reads, note for tagging only, and off for read-only actions only (List, Describe, metadata Get; permissions.readOnlyWildcards in the configuration sets their severity). Policies that restrict rather than grant (permissions boundaries, VPC endpoint policies, SCPs/RCPs, session policies, recognised from context) are not judged as grants, and an AWS managed policy in an account dump is reported once per attachment instead of inside its document, and a standalone copy of one (a file named exactly like it, such as AdministratorAccess.json) is not judged.',
  messages: {
    star: '"{{resource}}" grants {{actions}} on every resource; scope it to ARNs such as {{example}}.{{narrow}}',
    managed:
      'Role {{role}} gets the AWS managed policy {{policy}}, which grants {{actions}} on wildcard resources ({{count}} findings inside the policy, reported here once); attach a customer managed policy scoped to the resources the role uses.',
    arn: '"{{resource}}" leaves the resource name to a wildcard, so it grants {{actions}} on every {{type}} it matches{{where}}; name the resources, e.g. {{example}}.{{narrow}}',
  },
  create(ctx) {
    const readOnly: SeveritySetting = ctx.project.config.permissions?.readOnlyWildcards ?? "off";
    return {
      // The repair needs the whole project (is the role Genesys-facing, which functions the data actions call): the
      // findings are the per-file phase's, their fixes are given here.
      project(project) {
        const arns = invokedFunctionArns(project);
        if (arns.length === 0) return;
        const done = new Set<Statement>();
        for (const role of project.roles) {
          if (!genesysFacing(role, project)) continue;
          for (const doc of roleGrantInfo(project, role).policies) {
            if (doc.kind !== "identity") continue;
            for (const stmt of doc.statements) {
              if (done.has(stmt) || !isAllow(stmt)) continue;
              done.add(stmt);
              for (const [node, fix] of narrowingFixes(stmt, arns)) ctx.attachFix({ origin: doc.origin, node }, fix);
            }
          }
        }
      },
      statement(stmt) {
        // Restricting policies cap, they grant nothing; AWS managed policies are judged at their attachments.
        if (notAGrant(stmt.doc)) return;
        for (const h of statementHits(stmt, readOnly)) {
          ctx.report({ origin: stmt.doc.origin, node: h.node, messageId: h.messageId, severity: h.severity, data: h.data });
        }
      },
      file(model) {
        for (const a of model.managedAttachments ?? []) {
          // One finding per attachment: DPY201's when the policy grants wildcard actions.
          if (wildcardActionsOf(a.policy).length > 0) continue;
          const hits = managedHits(a.policy, readOnly);
          if (hits.actions.length === 0) continue;
          ctx.report({
            origin: a.origin,
            node: a.node,
            messageId: "managed",
            severity: severityFor(hits.actions, readOnly) as Severity,
            data: { role: a.role.name?.value ?? "?", policy: a.policy.awsManaged!.name, actions: listActions(hits.actions), count: hits.findings },
          });
        }
      },
    };
  },
});

interface Hit {
  node: Node;
  messageId: "star" | "arn";
  severity: Severity;
  data: Record<string, string>;
  actions: CatalogAction[];
}

/** The findings of one statement (see the module comment), each with its severity. */
function statementHits(stmt: Statement, readOnly: SeveritySetting): Hit[] {
  if (!isAllow(stmt) || !stmt.action || !stmt.resource || stmt.doc.kind === "trust") return [];
  const { everyAction, actions } = grantedActions(stmt.action.values);
  // Action "*" is DPY201's finding (one mistake, one finding): it says the resource too.
  if (everyAction || actions.length === 0) return [];
  const resourcePolicy = stmt.doc.kind === "resource";
  const out: Hit[] = [];
  const add = (node: Node, messageId: "star" | "arn", kept: Kept, data: Record<string, string>) => {
    const severity = severityFor(kept.actions, readOnly);
    if (severity === "off") return;
    out.push({ node, messageId, severity, actions: kept.actions, data: { ...data, actions: listActions(kept.actions), narrow: narrowText(kept.narrowing) } });
  };
  for (const r of distinct(stmt.resource.values)) {
    const value = r.value.trim();
    if (isStarOnly(value)) {
      if (resourcePolicy) continue;
      const kept = keptActions(stmt, actions, value);
      if (kept.actions.length === 0) continue;
      let fmt: string | undefined;
      for (const a of byDanger(kept.actions)) if ((fmt = exampleFormat(a))) break;
      add(r.node, "star", kept, { resource: value, example: fmt ? exampleArn(fmt) : "arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE" });
      continue;
    }
    const arn = parseArnLoose(value);
    if (!arn || hasUnknown(arn.service) || arn.service.toLowerCase() === "execute-api" || arn.accountId === "aws" || !arn.resource.includes("*")) continue;
    const hits = wildcardHits(actions, value);
    if (hits.length === 0) continue;
    const kept = keptActions(stmt, hitActions(hits), value);
    if (kept.actions.length === 0) continue;
    const first = mostDangerous(kept.actions)!;
    const hit = hits.find((h) => h.action === first)!;
    const known = { partition: arn.partition, region: arn.region, account: arn.accountId };
    const accountWide = /^\d{12}$/.test(arn.accountId) ? ` in account ${arn.accountId}` : /^\*+$/.test(arn.accountId) ? " in any account" : "";
    add(r.node, "arn", kept, { resource: value, type: hit.type, where: accountWide, example: exampleArn(hit.format, known) });
  }
  return out;
}

const managedCache = new WeakMap<PolicyDocument, { actions: CatalogAction[]; findings: number }>();

/** What an AWS managed policy opens on wildcard resources, summed over its statements (once per document). */
function managedHits(doc: PolicyDocument, readOnly: SeveritySetting): { actions: CatalogAction[]; findings: number } {
  let v = managedCache.get(doc);
  if (!v) {
    const all = new Map<string, CatalogAction>();
    let findings = 0;
    for (const s of doc.statements) {
      for (const h of statementHits(s, readOnly)) {
        findings++;
        for (const a of h.actions) all.set(a.full, a);
      }
    }
    v = { actions: [...all.values()], findings };
    managedCache.set(doc, v);
  }
  return v;
}
