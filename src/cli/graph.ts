/**
 * `deputy graph [paths]`: the access paths between Genesys Cloud, IAM roles and AWS Lambda as a Mermaid flowchart.
 *
 *   account / principal ──sts:AssumeRole (with / without external ID)──▶ role
 *   role ──lambda:InvokeFunction, lambda:InvokeFunctionUrl──▶ function (or the ARN it grants, when the function is not
 *        in the scanned files; or one "any function" node for wildcard and unresolved resources)
 *   function ──URL──▶ function URL of <function> ◀──lambda:InvokeFunctionUrl── principal (anyone: the public edge)
 *   data action ──invokes──▶ function (or the ARN it names)
 *   web services data action ──HTTPS──▶ AWS endpoint (function URL / API Gateway host)
 *   function ╌╌execution role╌╌▶ role
 *
 * Roles drawn: Genesys-facing ones, those that trust a near miss of a Genesys account (DPY105), and every role that
 * may invoke a function; a trust policy or an invoking identity policy in a file of its own stands for its role;
 * functions: every one in the files. The graph is aggregated, so its size follows the number of
 * entities, not their product: one edge per pair of nodes (a role → function edge lists every action the role has on
 * it), one node for all wildcard grants.
 *
 * The lint runs first (same files, same configuration); an edge whose source elements carry findings is labelled with
 * their codes (`⚠ DPY404`) and drawn red; edges from anyone (`*`) are drawn orange. Options group nodes by file or by
 * stack, keep only the paths that carry findings, and cap the edges (mermaid refuses more than 500 edges or 50,000
 * characters): what is left out is counted in a note on the picture and on stderr. Output is deterministic: files are
 * read in sorted order, nodes and edges are emitted in discovery order, node IDs are derived from the kind and label
 * (sanitised to `[A-Za-z0-9_]`, de-duplicated with a counter) and labels are escaped for Mermaid.
 */
import { pushAll } from "../engine/arrays.js";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadConfig } from "../config/load.js";
import { Linter } from "../engine/engine.js";
import { prepareInputs } from "../parsers/index.js";
import type { Finding } from "../engine/finding.js";
import type { Project } from "../engine/project.js";
import type { SourceFile } from "../engine/source.js";
import { principalAccountField } from "../model/accounts.js";
import { awsEndpointKind, safeForMessage } from "../model/data-action-checks.js";
import type { DataAction, LambdaFunction, Origin, PolicyDocument, Role, Statement } from "../model/entities.js";
import { isGenesysAccount, nearMissGenesysAccount } from "../model/genesys.js";
import { trustedGenesysAccountIn } from "../model/genesys-facing.js";
import {
  dataActionKind,
  executionRole,
  functionEntityKey,
  functionKey,
  functionLabel,
  functionsForTarget,
  genesysRoles,
  INVOKE,
  INVOKE_URL,
  isServicePrincipal,
  literalLambdaTarget,
  namesInvokeFunctionUrl,
  resourceNamesFunction,
  roleAllowStatements,
  roleGrantInfo,
  roleLabel,
  type LambdaTarget,
} from "../model/links.js";
import type { Node, Range } from "../model/node.js";
import { actionGlobMatches, conditionsOn, isAllow, statementAllowsAction } from "../model/policy.js";
import { hasUnknown } from "../model/resolve.js";
import type { CliIO } from "./main.js";
import { collectInputs } from "./pipeline.js";
import { parseOptions } from "./options.js";

/** Mermaid refuses a flowchart of more than 500 edges (`maxEdges`) or 50,000 characters (`maxTextSize`). */
export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_TEXT = 50000;
export const DEFAULT_MAX_EDGES = 250;
/** What the flowchart text may take, leaving room under mermaid's limit for the note and styles. */
const TEXT_BUDGET = 48500;

const HELP = `Usage: deputy graph [options] [paths...]

Prints the access paths between Genesys Cloud, IAM roles and AWS Lambda found in the scanned files
as a Mermaid flowchart: account -> (trust) -> role -> (lambda:InvokeFunction) -> function ->
function URL / permissions, data action -> function, function -> execution role. One edge per pair
(listing the actions), one "any function" node for wildcard grants. Edges whose elements carry
findings are labelled with the rule codes and drawn red; edges from anyone (*) are orange.

Options:
  -c, --config <file>        configuration file (default: the nearest deputy.config.yaml)
  -o, --output <file>        write the flowchart to a file instead of stdout
  -f, --format <name>        mermaid (default) or markdown (a \`\`\`mermaid block GitHub renders, with notes)
      --group <by>           none (default), file or stack: draw each file's or stack's nodes in a box
      --only-findings        only the paths through an edge that carries a finding
      --max-edges <n>        draw at most n edges, those with findings first (default ${DEFAULT_MAX_EDGES}; mermaid
                             refuses more than ${MERMAID_MAX_EDGES}); what is left out is counted on the picture
      --ignore-pattern <g>   skip files matching a glob (repeatable)
  -h, --help                 show this help and exit
`;

type Shape = "account" | "role" | "function" | "arn" | "any" | "url" | "action" | "principal" | "endpoint";

interface GNode {
  id: string;
  label: string;
  shape: Shape;
  /** The file and stack the entity is written in (accounts, principals and ARNs have none). */
  file?: string;
  stack?: string;
  public?: boolean;
}

interface Evidence {
  file: SourceFile;
  range: Range;
}

type EdgeKind = "trust" | "credential" | "grant" | "invoke" | "endpoint" | "url" | "permission" | "execution";

interface GEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Label parts, in order of discovery (joined with ", "). */
  parts: string[];
  dashed?: boolean;
  /** From anyone (`*`). */
  public?: boolean;
  evidence: Evidence[];
}

/** Mermaid-safe label text: entity codes for the characters that end or confuse a quoted label. */
export function escapeMermaid(s: string): string {
  return s.replace(/[#"<>&|`\\[\]{}]/g, (c) => (c === '"' ? "#quot;" : `#${c.charCodeAt(0)};`)).replace(/\r?\n/g, " ");
}

function shapeOf(shape: Shape, text: string): string {
  switch (shape) {
    case "account":
      return `{{"${text}"}}`;
    case "role":
      return `["${text}"]`;
    case "function":
    case "arn":
      return `[["${text}"]]`;
    case "any":
      return `[["${text}"]]`;
    case "url":
      return `(["${text}"])`;
    case "action":
      return `[/"${text}"/]`;
    case "principal":
      return `(("${text}"))`;
    case "endpoint":
      return `>"${text}"]`;
  }
}

/** The stack an entity belongs to: its CDK stack, its Terraform module (folder), or its template (file). */
function stackOf(origin: Origin): string {
  const path = origin.file.path;
  if (origin.cdkPath) return `stack ${origin.cdkPath.split("/")[0]}`;
  if (/\.tf(\.json)?$/i.test(path)) return `module ${dirname(path)}`;
  return path;
}

export class Graph {
  readonly nodes: GNode[] = [];
  readonly edges: GEdge[] = [];
  private readonly byKey = new Map<string, GNode>();
  private readonly usedIds = new Set<string>();
  private readonly edgeKeys = new Map<string, GEdge>();

  /** A node (created once per key); its ID is `<shape>_<idHint>` sanitised, made unique with a counter. */
  node(key: string, shape: Shape, lines: string[], idHint = lines[0]!, origin?: Origin): string {
    const hit = this.byKey.get(key);
    if (hit) return hit.id;
    const base = `${shape}_${idHint.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 48) || "x"}`;
    let id = base;
    for (let i = 2; this.usedIds.has(id); i++) id = `${base}_${i}`;
    this.usedIds.add(id);
    const n: GNode = { id, label: lines.map(escapeMermaid).join("<br/>"), shape, ...(origin ? { file: origin.file.path, stack: stackOf(origin) } : {}) };
    this.byKey.set(key, n);
    this.nodes.push(n);
    return id;
  }

  nodeById(id: string): GNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  /** An edge: one per (from, to, kind); a second call adds its label part (once) and its evidence. */
  edge(from: string, to: string, kind: EdgeKind, part: string, evidence: (Evidence | undefined)[], extra: { dashed?: boolean; public?: boolean } = {}): void {
    const key = `${from}|${to}|${kind}`;
    const ev = evidence.filter((e): e is Evidence => e !== undefined);
    const hit = this.edgeKeys.get(key);
    if (hit) {
      if (!hit.parts.includes(part)) hit.parts.push(part);
      pushAll(hit.evidence, ev);
      return;
    }
    const e: GEdge = { from, to, kind, parts: [part], evidence: ev, ...extra };
    this.edgeKeys.set(key, e);
    this.edges.push(e);
  }
}

/** A principal or ARN as a node label: an unresolved expression (`${try(each.value...)}`) can be long. */
function short(s: string): string {
  const t = s.trim();
  return t.length > 64 ? `${t.slice(0, 63)}…` : t;
}

function ev(origin: Origin, node: Node | undefined): Evidence | undefined {
  return node ? { file: origin.file, range: node.range } : undefined;
}

/** Rule codes of the findings located inside any evidence range. */
function codesFor(edge: GEdge, findings: Finding[]): string[] {
  const codes = new Set<string>();
  for (const e of edge.evidence) {
    const r = e.file.region(e.range.start, e.range.end);
    for (const f of findings) {
      if (f.file !== e.file.path || f.ruleId === "DPY000" || f.ruleId === "DPY001") continue;
      const g = f.region;
      const after = g.startLine > r.startLine || (g.startLine === r.startLine && g.startColumn >= r.startColumn);
      const before = g.endLine < r.endLine || (g.endLine === r.endLine && g.endColumn <= r.endColumn);
      if (after && before) codes.add(f.ruleId);
    }
  }
  return [...codes].sort();
}

/** The action values of a statement that grant invoking a function (or its URL), as written. */
function invokeActions(s: Statement): string[] {
  if (!s.action) return s.notAction ? ["NotAction …"] : [];
  const out = s.action.values.map((v) => v.value).filter((v) => !hasUnknown(v) && (actionGlobMatches(v, INVOKE) || actionGlobMatches(v, INVOKE_URL)));
  return out.length ? out : [INVOKE];
}

/** Builds the access-path graph of a project. */
export function buildGraph(project: Project): Graph {
  const g = new Graph();
  /** Function nodes by function key (`functionEntityKey`, or `arn|<unqualified ARN>` for functions not in the files). */
  const fnNodes = new Map<string, string>();
  const graphFunctions: { key: string; id: string; fn?: LambdaFunction; t?: LambdaTarget }[] = [];

  const fileOf = (o: Origin) => o.file.path;
  /** Where an entity is written: its file, and for Terraform its address (`module.lambda.aws_iam_role.trusted`). */
  const whereOf = (o: Origin): string[] => (o.scope !== undefined && o.logicalId ? [o.logicalId, o.file.path] : [o.file.path]);
  const facing = genesysRoles(project);
  const facingSet = new Set(facing.map((f) => f.role));
  const roleNode = (role: Role) =>
    g.node(`role|${fileOf(role.origin)}|${role.origin.logicalId ?? ""}|${roleLabel(role)}`, "role", [`${facingSet.has(role) ? "Genesys-facing role" : "role"} ${roleLabel(role)}`, ...whereOf(role.origin)], roleLabel(role), role.origin);
  const functionNode = (fn: LambdaFunction): string => {
    const key = functionEntityKey(fn);
    let id = fnNodes.get(key);
    if (!id) {
      id = g.node(`fn|${key}`, "function", [`λ ${functionLabel(fn)}`, ...whereOf(fn.origin)], functionLabel(fn), fn.origin);
      fnNodes.set(key, id);
      graphFunctions.push({ key, id, fn });
    }
    return id;
  };
  const arnNode = (t: LambdaTarget): string => {
    const key = `arn|${t.unqualified}`;
    let id = fnNodes.get(key);
    if (!id) {
      id = g.node(`fn|${key}`, "arn", [`λ ${t.name}`, t.unqualified, "(not in the scanned files)"], t.name);
      fnNodes.set(key, id);
      graphFunctions.push({ key, id, t });
    }
    return id;
  };
  const anyFunctionNode = () => g.node("any-function", "any", ["any function", "(wildcard or unresolved Resource)"], "function");

  // Every function in the files, so a template of functions and roles is drawn even without Genesys.
  for (const fn of project.functions) functionNode(fn);

  // Data actions: what they call.
  const targets: { action: DataAction; t: LambdaTarget; fns: LambdaFunction[] }[] = [];
  for (const a of project.dataActions) {
    const kind = dataActionKind(a);
    const evidence = [ev(a.origin, a.urlNode), ...a.headers.map((h) => ev(a.origin, h.node))];
    const actionNode = () => g.node(`action|${fileOf(a.origin)}|${a.origin.logicalId ?? a.name ?? ""}`, "action", [`data action ${a.name ?? a.origin.logicalId ?? "?"}`, ...whereOf(a.origin)], a.name ?? a.origin.logicalId ?? "action", a.origin);
    if (kind === "lambda") {
      const t = literalLambdaTarget(a.url);
      if (t) {
        const fns = functionsForTarget(project, t);
        targets.push({ action: a, t, fns });
        const to = fns.length > 0 ? functionNode(fns[0]!) : arnNode(t);
        g.edge(actionNode(), to, "invoke", `invokes${t.qualifier ? ` :${t.qualifier}` : ""}`, evidence);
      } else if (a.url !== undefined) {
        const target = g.node(`target|${a.url}`, "endpoint", [safeForMessage(a.url, 80)]);
        g.edge(actionNode(), target, "invoke", "invokes", evidence);
      }
    } else if (kind === "rest" && a.url !== undefined) {
      const ep = awsEndpointKind(a.url);
      if (ep) {
        const target = g.node(`endpoint|${ep.host}`, "endpoint", [ep.kind === "api-gateway" ? "API Gateway" : "function URL", ep.host], ep.host.split(".")[0]);
        g.edge(actionNode(), target, "endpoint", /^\s*http:/i.test(a.url) ? "HTTP, unsigned" : "HTTPS, unsigned", evidence);
      }
    }
  }

  // The roles drawn: Genesys-facing, trusting a near miss of a Genesys account, or allowed to invoke a function.
  const trustsNearMiss = (role: Role) =>
    (role.trust?.statements ?? []).some((s) => (s.principals ?? []).some((p) => p.type === "AWS" && nearMissGenesysAccount(principalAccountField(p.value.trim()) ?? "") !== undefined));
  const invokeStatements = (role: Role) => [...roleAllowStatements(project, role, INVOKE), ...roleAllowStatements(project, role, INVOKE_URL).filter((s) => (s.action?.values ?? []).some((v) => namesInvokeFunctionUrl(v.value)))];
  const drawn = project.roles.filter((r) => facingSet.has(r) || trustsNearMiss(r) || invokeStatements(r).length > 0);

  // Trust: who may assume a role (or a trust policy of its own file).
  const trustEdges = (rid: string, doc: PolicyDocument | undefined, facingTrust: boolean) => {
    for (const s of doc?.statements ?? []) {
      if (!isAllow(s) || !statementAllowsAction(s, "sts:AssumeRole")) continue;
      const ext = conditionsOn(s, "sts:ExternalId");
      for (const p of s.principals ?? []) {
        const anyone = p.type === "*" || p.value === "*";
        if ((p.type === "Service" || p.type === "Federated") && !facingTrust) {
          const pid = g.node(`principal|${p.value}`, "principal", [`${p.type === "Service" ? "service" : "federated"} ${p.value}`], p.value);
          g.edge(pid, rid, "trust", "sts:AssumeRole", [ev(s.doc.origin, p.node)]);
          continue;
        }
        if (p.type !== "AWS" && !anyone) continue;
        const acct = anyone ? undefined : principalAccountField(p.value.trim());
        const isAccount = acct !== undefined && (p.value.trim() === acct || /:root$/.test(p.value.trim()));
        const near = acct !== undefined && !isGenesysAccount(acct) ? nearMissGenesysAccount(acct) : undefined;
        const label = anyone
          ? ["anyone (*)"]
          : isAccount && isGenesysAccount(acct!)
            ? ["Genesys Cloud", `account ${acct}`]
            : near
              ? [`account ${acct}`, `not Genesys: a near miss of ${near}`]
              : isAccount
                ? [`AWS account ${acct}`]
                : [short(p.value)];
        const aid = g.node(anyone ? "principal|*" : isAccount ? `account|${acct}` : `principal|${p.value}`, anyone ? "principal" : "account", label, anyone ? "public" : (acct ?? p.value));
        if (anyone) g.nodeById(aid)!.public = true;
        g.edge(aid, rid, "trust", ext.length > 0 ? "sts:AssumeRole, external ID" : "sts:AssumeRole, no external ID", [ev(s.doc.origin, p.node), ...ext.map((c) => ev(s.doc.origin, c.node))], { public: anyone });
      }
    }
  };
  for (const role of drawn) trustEdges(roleNode(role), role.trust, facingSet.has(role));
  // Genesys integration credentials (CX as Code) that name a role.
  for (const ref of project.roleReferences) {
    const role = project.resolveRole(ref.origin, ref.roleArn);
    if (!role || !facingSet.has(role)) continue;
    const cid = g.node(`credential|${fileOf(ref.origin)}|${ref.origin.logicalId ?? ""}`, "account", ["Genesys integration credential", ref.origin.logicalId ?? "?", fileOf(ref.origin)], ref.origin.logicalId ?? "credential", ref.origin);
    g.edge(cid, roleNode(role), "credential", "role ARN", [ev(ref.origin, ref.node)]);
  }

  // Grants: each Resource value of each invoke statement goes to the functions it names, the ARN it names when the
  // function is not in the files, or the one "any function" node (wildcards, NotResource, unresolved values).
  const grantEdges = (rid: string, statements: Statement[]) => {
    for (const s of statements) {
      const evidence = [ev(s.doc.origin, s.node)];
      const actions = invokeActions(s);
      const to = (id: string, suffix = "") => {
        for (const a of actions) g.edge(rid, id, "grant", `${a}${suffix}`, evidence);
      };
      if (!s.resource) {
        to(anyFunctionNode(), " (NotResource)");
        continue;
      }
      for (const r of s.resource.values) {
        const named = project.functions.filter((fn) => resourceNamesFunction(project, s.doc.origin, r.value, fn));
        if (named.length) {
          for (const fn of named) to(functionNode(fn));
          continue;
        }
        const t = literalLambdaTarget(r.value);
        if (t) {
          const fns = functionsForTarget(project, t);
          if (fns.length) for (const fn of fns) to(functionNode(fn));
          else to(arnNode(t));
          continue;
        }
        const v = r.value.trim();
        to(anyFunctionNode(), v === "*" ? "" : ` on ${safeForMessage(v, 60)}`);
      }
    }
  };
  for (const role of drawn) grantEdges(roleNode(role), invokeStatements(role));

  // Policy files of their own: a trust policy (the role it belongs to is not in the files) and an identity policy
  // that may invoke a function and no drawn role has, each as the role it stands for.
  const usedDocs = new Set(drawn.flatMap((r) => [r.trust, ...roleGrantInfo(project, r).policies]));
  for (const d of project.documents) {
    if (d.role || usedDocs.has(d)) continue;
    if (d.kind === "trust") {
      const genesys = trustedGenesysAccountIn(d) !== undefined;
      trustEdges(g.node(`doc|${fileOf(d.origin)}|${d.label}`, "role", [`${genesys ? "Genesys-facing " : ""}${d.label}`, fileOf(d.origin)], d.label, d.origin), d, genesys);
    } else if (d.kind === "identity") {
      const statements = d.statements.filter((s) => isAllow(s) && (statementAllowsAction(s, INVOKE) || (statementAllowsAction(s, INVOKE_URL) && (s.action?.values ?? []).some((v) => namesInvokeFunctionUrl(v.value)))));
      if (statements.length) grantEdges(g.node(`doc|${fileOf(d.origin)}|${d.label}`, "role", [d.label, fileOf(d.origin)], d.label, d.origin), statements);
    }
  }

  // Resource-based policies (lambda get-policy) that let a Genesys-facing role call a function.
  for (const d of project.documents) {
    if (d.kind !== "resource") continue;
    for (const s of d.statements) {
      if (!isAllow(s)) continue;
      const acts = (s.action?.values ?? []).filter((v) => !hasUnknown(v.value) && /^lambda:/i.test(v.value)).map((v) => v.value);
      if (acts.length === 0) continue;
      for (const p of s.principals ?? []) {
        if (p.type !== "AWS") continue;
        const role = project.resolveRole(d.origin, { value: p.value, node: p.node, ref: p.ref });
        if (!role || !facingSet.has(role)) continue;
        for (const r of s.resource?.values ?? []) {
          const t = literalLambdaTarget(r.value);
          if (!t) continue;
          const fns = functionsForTarget(project, t);
          g.edge(roleNode(role), fns.length > 0 ? functionNode(fns[0]!) : arnNode(t), "permission", `${acts.join(", ")} (function policy)`, [ev(d.origin, s.node)]);
        }
      }
    }
  }

  // Functions: URLs, permissions, execution roles.
  const namesNode = (origin: Origin, resource: string, x: (typeof graphFunctions)[number]): boolean =>
    x.fn ? resourceNamesFunction(project, origin, resource, x.fn) : literalLambdaTarget(resource)?.unqualified === x.t!.unqualified;
  const principalNode = (value: string) => {
    const v = value.trim();
    const id = g.node(v === "*" ? "principal|*" : `principal|${v}`, "principal", [v === "*" ? "anyone (*)" : isServicePrincipal(v) ? `service ${v}` : short(v)], v === "*" ? "public" : v);
    if (v === "*") g.nodeById(id)!.public = true;
    return id;
  };
  for (let i = 0; i < graphFunctions.length; i++) {
    const x = graphFunctions[i]!;
    const { key, id: fid, fn } = x;
    const label = fn ? functionLabel(fn) : x.t!.name;
    const urlIds: string[] = [];
    for (const url of project.functionUrls) {
      if (functionKey(project, url.origin, url.target) !== key) continue;
      const auth = url.authType && !hasUnknown(url.authType.value) ? url.authType.value : "unknown";
      const uid = g.node(`url|${fileOf(url.origin)}|${url.origin.logicalId ?? ""}|${key}`, "url", [`function URL of ${label}`, `AuthType ${auth}`], `${label}_url`, url.origin);
      urlIds.push(uid);
      g.edge(fid, uid, "url", "URL", [ev(url.origin, url.authType?.node ?? url.node)]);
    }
    /** Permissions for the URL action point at the URL nodes, others at the function. */
    const targetsOf = (actions: string[]) => (urlIds.length > 0 && actions.every((a) => namesInvokeFunctionUrl(a)) ? urlIds : [fid]);
    for (const p of project.permissions) {
      if (functionKey(project, p.origin, p.functionName) !== key || !p.action || !p.principal) continue;
      const pid = principalNode(p.principal.value);
      const pub = p.principal.value.trim() === "*";
      for (const to of targetsOf([p.action.value])) g.edge(pid, to, "permission", p.action.value, [ev(p.origin, p.origin.resourceNode ?? p.node)], { public: pub });
    }
    for (const d of project.documents) {
      if (d.kind !== "resource") continue;
      for (const s of d.statements) {
        if (!isAllow(s) || !(s.resource?.values ?? []).some((r) => namesNode(d.origin, r.value, x))) continue;
        const acts = (s.action?.values ?? []).filter((v) => !hasUnknown(v.value)).map((v) => v.value);
        if (acts.length === 0) continue;
        for (const p of s.principals ?? []) {
          const asRole = p.type === "AWS" ? project.resolveRole(d.origin, { value: p.value, node: p.node, ref: p.ref }) : undefined;
          if (asRole && facingSet.has(asRole)) continue; // drawn from the role above
          const pid = principalNode(p.value);
          const pub = p.value.trim() === "*";
          for (const to of targetsOf(acts)) for (const a of acts) g.edge(pid, to, "permission", a, [ev(d.origin, s.node)], { public: pub });
        }
      }
    }
    if (!fn) continue;
    const exec = executionRole(project, fn);
    if (exec && !facingSet.has(exec)) g.edge(fid, roleNode(exec), "execution", "execution role", [], { dashed: true });
  }
  return g;
}

export interface RenderOptions {
  /** Draw each file's or stack's nodes in a box. */
  group?: "none" | "file" | "stack";
  /** Only the paths through an edge with a finding. */
  onlyFindings?: boolean;
  /** The most edges to draw (default 250; 0: no cap, up to mermaid's own limits). */
  maxEdges?: number;
}

export interface Rendered {
  text: string;
  nodes: number;
  edges: number;
  marked: number;
  /** What was not drawn, and why; empty when everything was. */
  leftOut: { edges: number; nodes: number; byKind: Record<string, number>; reason: string } | undefined;
}

const KIND_TEXT: Record<EdgeKind, string> = {
  trust: "trust",
  credential: "credential",
  grant: "grant",
  invoke: "data action call",
  endpoint: "data action call",
  url: "function URL",
  permission: "permission",
  execution: "execution role",
};

/**
 * Edges on a path through a marked edge: everything that leads to either of its ends (so the principal that may call
 * a public URL stays beside the URL's edge), and everything downstream of its target.
 */
function pathsThrough(edges: GEdge[], marked: Set<GEdge>): Set<GEdge> {
  const into = new Map<string, GEdge[]>();
  const outOf = new Map<string, GEdge[]>();
  for (const e of edges) {
    (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e);
    (outOf.get(e.from) ?? outOf.set(e.from, []).get(e.from)!).push(e);
  }
  const keep = new Set<GEdge>(marked);
  const walk = (start: string, next: Map<string, GEdge[]>, end: (e: GEdge) => string) => {
    const seen = new Set<string>([start]);
    const stack = [start];
    while (stack.length) {
      for (const e of next.get(stack.pop()!) ?? []) {
        keep.add(e);
        const n = end(e);
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
  };
  for (const m of marked) {
    walk(m.from, into, (e) => e.from);
    walk(m.to, into, (e) => e.from);
    walk(m.to, outOf, (e) => e.to);
  }
  return keep;
}

/** Renders the graph as Mermaid, marking edges that carry findings, within the size given. */
export function renderGraph(g: Graph, findings: Finding[], opts: RenderOptions = {}): Rendered {
  const lines = ["flowchart LR"];
  if (g.nodes.length === 0) {
    lines.push("  %% No access paths between Genesys Cloud, IAM roles and AWS Lambda in the scanned files.");
    return { text: lines.join("\n") + "\n", nodes: 0, edges: 0, marked: 0, leftOut: undefined };
  }
  const codes = new Map(g.edges.map((e) => [e, codesFor(e, findings)]));
  const markedAll = new Set(g.edges.filter((e) => codes.get(e)!.length > 0));
  let candidates = g.edges;
  const reasons: string[] = [];
  if (opts.onlyFindings) {
    const keep = pathsThrough(g.edges, markedAll);
    candidates = g.edges.filter((e) => keep.has(e));
  }
  // Priority when capping: findings, public edges, trust, grants, data action calls, the rest; then discovery order.
  const PRIORITY: Record<EdgeKind, number> = { trust: 2, credential: 2, grant: 3, invoke: 4, endpoint: 4, url: 5, permission: 5, execution: 6 };
  const rank = (e: GEdge) => (markedAll.has(e) ? 0 : e.public ? 1 : PRIORITY[e.kind]);
  const order = new Map(g.edges.map((e, i) => [e, i]));
  const byPriority = [...candidates].sort((a, b) => rank(a) - rank(b) || order.get(a)! - order.get(b)!);
  const maxEdges = opts.maxEdges === undefined ? DEFAULT_MAX_EDGES : opts.maxEdges === 0 ? MERMAID_MAX_EDGES - 1 : Math.min(opts.maxEdges, MERMAID_MAX_EDGES - 1);
  const nodeById = new Map(g.nodes.map((n) => [n.id, n]));
  const nodeLine = (n: GNode) => `${n.id}${shapeOf(n.shape, n.label)}`;
  const edgeLabel = (e: GEdge) => {
    const c = codes.get(e)!;
    const text = e.parts.join(", ");
    return escapeMermaid(`${c.length ? `⚠ ${c.join(" ")} ` : ""}${text.length > 120 ? `${text.slice(0, 117)}…` : text}`);
  };
  const edgeLine = (e: GEdge) => `${e.from} ${e.dashed ? "-.->" : "-->"}|"${edgeLabel(e)}"| ${e.to}`;
  // Take edges in priority order while they fit the edge cap and the text budget.
  const kept = new Set<GEdge>();
  const keptNodes = new Set<string>();
  const group = opts.group ?? "none";
  const boxOf = (n: GNode) => (group === "file" ? n.file : group === "stack" ? n.stack : undefined);
  const boxesSeen = new Set<string>();
  /** Text a node adds: its line, and its box's two lines when it is the first of its box. */
  const nodeCost = (n: GNode) => {
    const box = boxOf(n);
    return nodeLine(n).length + 5 + (box !== undefined && !boxesSeen.has(box) ? box.length * 2 + 40 : 0);
  };
  const takeNode = (n: GNode) => {
    keptNodes.add(n.id);
    const box = boxOf(n);
    if (box !== undefined) boxesSeen.add(box);
  };
  // Styles and the note: a few lines, plus up to 8 characters per edge index in linkStyle.
  let size = 1000;
  for (const e of byPriority) {
    if (kept.size >= maxEdges) {
      reasons.push(`--max-edges ${maxEdges}`);
      break;
    }
    let add = edgeLine(e).length + 11;
    for (const id of new Set([e.from, e.to])) if (!keptNodes.has(id)) add += nodeCost(nodeById.get(id)!);
    if (size + add > TEXT_BUDGET) {
      reasons.push(`mermaid's ${MERMAID_MAX_TEXT}-character limit`);
      break;
    }
    size += add;
    kept.add(e);
    takeNode(nodeById.get(e.from)!);
    takeNode(nodeById.get(e.to)!);
  }
  // Nodes without an edge: drawn when the whole graph is (a lone function), not in a cut or filtered picture.
  const cut = kept.size < candidates.length;
  if (!cut && !opts.onlyFindings) {
    for (const n of g.nodes) {
      if (keptNodes.has(n.id) || size + nodeCost(n) > TEXT_BUDGET) continue;
      size += nodeCost(n);
      takeNode(n);
    }
  }
  const edges = g.edges.filter((e) => kept.has(e));
  const nodes = g.nodes.filter((n) => keptNodes.has(n.id));
  const marked = edges.filter((e) => markedAll.has(e));
  let leftOut: Rendered["leftOut"];
  const droppedEdges = g.edges.length - edges.length;
  if (droppedEdges > 0 || nodes.length < g.nodes.length) {
    const byKind: Record<string, number> = {};
    for (const e of g.edges) if (!kept.has(e)) byKind[KIND_TEXT[e.kind]] = (byKind[KIND_TEXT[e.kind]] ?? 0) + 1;
    const why = [opts.onlyFindings ? "--only-findings" : "", ...new Set(reasons)].filter(Boolean).join(", ");
    const unmarked = [...markedAll].filter((e) => !kept.has(e)).length;
    leftOut = { edges: droppedEdges, nodes: g.nodes.length - nodes.length, byKind, reason: `${why || "no edge"}${unmarked ? `; ${unmarked} of them with findings` : ""}` };
  }

  lines.push(`  %% deputy graph: ${nodes.length} nodes, ${edges.length} edges, ${marked.length} with findings${leftOut ? `; left out: ${leftOut.edges} edges, ${leftOut.nodes} nodes (${leftOut.reason})` : ""}`);
  if (group === "none") for (const n of nodes) lines.push(`  ${nodeLine(n)}`);
  else {
    const boxes = new Map<string, GNode[]>();
    const loose: GNode[] = [];
    for (const n of nodes) {
      const k = boxOf(n);
      if (k === undefined) loose.push(n);
      else (boxes.get(k) ?? boxes.set(k, []).get(k)!).push(n);
    }
    let i = 0;
    for (const [k, list] of boxes) {
      lines.push(`  subgraph ${group}_${++i}["${escapeMermaid(k)}"]`);
      for (const n of list) lines.push(`    ${nodeLine(n)}`);
      lines.push("  end");
    }
    for (const n of loose) lines.push(`  ${nodeLine(n)}`);
  }
  if (leftOut) {
    const kinds = Object.entries(leftOut.byKind).map(([k, n]) => `${n} ${k}${n === 1 ? "" : "s"}`).join(", ");
    lines.push(`  left_out[/"… not drawn: ${leftOut.edges} edge${leftOut.edges === 1 ? "" : "s"}${kinds ? ` (${escapeMermaid(kinds)})` : ""} and ${leftOut.nodes} node${leftOut.nodes === 1 ? "" : "s"}, ${escapeMermaid(leftOut.reason)}. Narrow it with --only-findings, --group or fewer paths."/]`);
  }
  for (const e of edges) lines.push(`  ${edgeLine(e)}`);
  const red = edges.map((e, i) => (markedAll.has(e) ? i : -1)).filter((i) => i >= 0);
  const orange = edges.map((e, i) => (!markedAll.has(e) && e.public ? i : -1)).filter((i) => i >= 0);
  if (red.length) lines.push(`  linkStyle ${red.join(",")} stroke:#d62728,stroke-width:3px,color:#d62728`);
  if (orange.length) lines.push(`  linkStyle ${orange.join(",")} stroke:#ff7f0e,stroke-width:3px,color:#b35900`);
  const publicNodes = nodes.filter((n) => n.public).map((n) => n.id);
  if (publicNodes.length) lines.push("  classDef public fill:#ffe8d1,stroke:#ff7f0e,stroke-width:2px", `  class ${publicNodes.join(",")} public`);
  const anyNodes = nodes.filter((n) => n.shape === "any").map((n) => n.id);
  if (anyNodes.length) lines.push("  classDef wildcard fill:#fff4c2,stroke:#b38f00,stroke-dasharray:4 3", `  class ${anyNodes.join(",")} wildcard`);
  if (leftOut) lines.push("  classDef note fill:#f4f4f4,stroke:#999,stroke-dasharray:3 3,color:#333", "  class left_out note");
  return { text: lines.join("\n") + "\n", nodes: nodes.length, edges: edges.length, marked: marked.length, leftOut };
}

/** Renders the graph as Mermaid (the whole graph, default size cap). */
export function renderMermaid(g: Graph, findings: Finding[], opts: RenderOptions = {}): string {
  return renderGraph(g, findings, opts).text;
}

/** The Markdown form: a heading, the ```mermaid block GitHub renders, and what the picture leaves out. */
export function renderMarkdownGraph(r: Rendered): string {
  let out = "## deputy graph\n\n";
  if (r.nodes === 0) return out + "No access paths between Genesys Cloud, IAM roles and AWS Lambda in the scanned files.\n";
  out += `${r.nodes} nodes, ${r.edges} edges, ${r.marked} with findings (⚠, red); edges from anyone (*) are orange.\n\n`;
  out += "```mermaid\n" + r.text + "```\n";
  if (r.leftOut) out += `\nNot drawn: ${r.leftOut.edges} edges and ${r.leftOut.nodes} nodes (${r.leftOut.reason}). Narrow the picture with \`--only-findings\`, \`--group\` or fewer paths; every finding is in \`deputy --format markdown\`.\n`;
  return out;
}

export async function graphCommand(args: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.stderr(`deputy graph: ${(e as Error).message}\nRun "deputy graph --help" for usage.\n`);
    return 2;
  }
  const { values: opts, positionals } = parsed;
  if (opts.help) {
    io.stdout(HELP);
    return 0;
  }
  const usage = (m: string) => {
    io.stderr(`deputy graph: ${m}\nRun "deputy graph --help" for usage.\n`);
    return 2;
  };
  const format = opts.format ?? "mermaid";
  if (format !== "mermaid" && format !== "markdown") return usage(`Unknown --format "${format}". Use mermaid or markdown.`);
  const group = opts.group ?? "none";
  if (group !== "none" && group !== "file" && group !== "stack") return usage(`Unknown --group "${group}". Use none, file or stack.`);
  let maxEdges: number | undefined;
  if (opts["max-edges"] !== undefined) {
    maxEdges = Number(opts["max-edges"]);
    if (!Number.isInteger(maxEdges) || maxEdges < 0) return usage(`--max-edges takes a whole number (0: as many as mermaid takes), not "${opts["max-edges"]}".`);
  }
  try {
    const config = loadConfig(io.cwd, opts.config);
    const inputs = collectInputs(positionals, io.cwd, opts["ignore-pattern"] ?? [], config);
    const linter = new Linter(config);
    await prepareInputs(inputs);
    for (const f of inputs) linter.addFile(f);
    const result = linter.finish();
    const rendered = renderGraph(buildGraph(result.project), result.findings.filter((f) => !f.suppressions?.length), { group, onlyFindings: opts["only-findings"], maxEdges });
    const text = format === "markdown" ? renderMarkdownGraph(rendered) : rendered.text;
    if (opts.output) writeFileSync(resolve(io.cwd, opts.output), text);
    else io.stdout(text);
    if (rendered.leftOut && rendered.leftOut.edges > 0) io.stderr(`deputy graph: ${rendered.leftOut.edges} edges and ${rendered.leftOut.nodes} nodes not drawn (${rendered.leftOut.reason}); narrow it with --only-findings, --group or fewer paths.\n`);
    return 0;
  } catch (e) {
    io.stderr(`deputy graph: ${(e as Error).message}\n`);
    return 2;
  }
}

function parse(args: string[]) {
  return parseOptions(args, {
    config: { type: "string", short: "c" },
    output: { type: "string", short: "o" },
    format: { type: "string", short: "f" },
    group: { type: "string" },
    "only-findings": { type: "boolean", default: false },
    "max-edges": { type: "string" },
    "ignore-pattern": { type: "string", multiple: true, default: [] },
    help: { type: "boolean", short: "h", default: false },
  });
}
