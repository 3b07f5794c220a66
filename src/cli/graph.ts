/**
 * `deputy graph [paths]`: the access paths between Genesys Cloud and AWS Lambda as a Mermaid flowchart.
 *
 *   Genesys account ──sts:AssumeRole (with / without external ID)──▶ Genesys-facing role
 *   role ──lambda:InvokeFunction──▶ function ──URL──▶ function URL ◀──lambda:InvokeFunctionUrl── principal
 *   data action ──invokes──▶ function (or the ARN it names, when the function is not in the scanned files)
 *   web services data action ──HTTPS──▶ AWS endpoint (function URL / API Gateway host)
 *   function ╌╌execution role╌╌▶ role
 *
 * The lint runs first (same files, same configuration); an edge whose source elements (the trust principal and its
 * conditions, the grant statement, the data action's URL and headers, the URL's AuthType, the permission) carry
 * findings is labelled with their codes (`⚠ DPY404`) and drawn red with `linkStyle`. Output is deterministic: files
 * are read in sorted order, nodes and edges are emitted in discovery order, node IDs are derived from the kind and
 * label (sanitised to `[A-Za-z0-9_]`, de-duplicated with a counter) and labels are escaped for Mermaid.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load.js";
import { Linter } from "../engine/engine.js";
import { prepareInputs } from "../parsers/index.js";
import type { Finding } from "../engine/finding.js";
import type { Project } from "../engine/project.js";
import type { SourceFile } from "../engine/source.js";
import { principalAccountField } from "../model/accounts.js";
import { awsEndpointKind, safeForMessage } from "../model/data-action-checks.js";
import type { DataAction, LambdaFunction, Origin, Role, Statement } from "../model/entities.js";
import { isGenesysAccount } from "../model/genesys.js";
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
  roleLabel,
  statementCovers,
  type LambdaTarget,
} from "../model/links.js";
import type { Node, Range } from "../model/node.js";
import { conditionsOn, isAllow, statementAllowsAction } from "../model/policy.js";
import { hasUnknown } from "../model/resolve.js";
import type { CliIO } from "./main.js";
import { collectInputs } from "./pipeline.js";

const HELP = `Usage: deputy graph [options] [paths...]

Prints the access paths between Genesys Cloud and AWS Lambda found in the scanned files as a
Mermaid flowchart: Genesys account -> (trust) -> role -> (lambda:InvokeFunction) -> function ->
function URL / permissions, and data action -> function. Edges whose elements carry findings are
labelled with the rule codes and drawn red.

Options:
  -c, --config <file>        configuration file (default: the nearest deputy.config.yaml)
  -o, --output <file>        write the flowchart to a file instead of stdout
      --ignore-pattern <g>   skip files matching a glob (repeatable)
  -h, --help                 show this help and exit
`;

type Shape = "account" | "role" | "function" | "arn" | "url" | "action" | "principal" | "endpoint";

interface GNode {
  id: string;
  label: string;
  shape: Shape;
}

interface Evidence {
  file: SourceFile;
  range: Range;
}

interface GEdge {
  from: string;
  to: string;
  label: string;
  dashed?: boolean;
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
      return `[["${text}"]]`;
    case "arn":
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

export class Graph {
  readonly nodes: GNode[] = [];
  readonly edges: GEdge[] = [];
  private readonly byKey = new Map<string, GNode>();
  private readonly usedIds = new Set<string>();
  private readonly edgeKeys = new Map<string, GEdge>();

  /** A node (created once per key); its ID is `<shape>_<idHint>` sanitised, made unique with a counter. */
  node(key: string, shape: Shape, lines: string[], idHint = lines[0]!): string {
    const hit = this.byKey.get(key);
    if (hit) return hit.id;
    const base = `${shape}_${idHint.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 48) || "x"}`;
    let id = base;
    for (let i = 2; this.usedIds.has(id); i++) id = `${base}_${i}`;
    this.usedIds.add(id);
    const n: GNode = { id, label: lines.map(escapeMermaid).join("<br/>"), shape };
    this.byKey.set(key, n);
    this.nodes.push(n);
    return id;
  }

  edge(from: string, to: string, label: string, evidence: (Evidence | undefined)[], dashed = false): void {
    const key = `${from}|${to}|${label}`;
    const ev = evidence.filter((e): e is Evidence => e !== undefined);
    const hit = this.edgeKeys.get(key);
    if (hit) {
      hit.evidence.push(...ev);
      return;
    }
    const e: GEdge = { from, to, label, dashed, evidence: ev };
    this.edgeKeys.set(key, e);
    this.edges.push(e);
  }
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

/** Builds the access-path graph of a project. */
export function buildGraph(project: Project): Graph {
  const g = new Graph();
  /** Function nodes by function key (`functionEntityKey`, or `arn|<unqualified ARN>` for functions not in the files). */
  const fnNodes = new Map<string, string>();
  const graphFunctions: { key: string; id: string; fn?: LambdaFunction; t?: LambdaTarget }[] = [];

  const fileOf = (o: Origin) => o.file.path;
  /** Where an entity is written: its file, and for Terraform its address (`module.lambda.aws_iam_role.trusted`). */
  const whereOf = (o: Origin): string[] => (o.scope !== undefined && o.logicalId ? [o.logicalId, o.file.path] : [o.file.path]);
  const roleNode = (role: Role, facing: boolean) => g.node(`role|${fileOf(role.origin)}|${role.origin.logicalId ?? ""}|${roleLabel(role)}`, "role", [`${facing ? "Genesys-facing role" : "role"} ${roleLabel(role)}`, ...whereOf(role.origin)], roleLabel(role));
  const functionNode = (fn: LambdaFunction): string => {
    const key = functionEntityKey(fn);
    let id = fnNodes.get(key);
    if (!id) {
      id = g.node(`fn|${key}`, "function", [`λ ${functionLabel(fn)}`, ...whereOf(fn.origin)], functionLabel(fn));
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

  // Data actions: what they call.
  const targets: { action: DataAction; t: LambdaTarget; fns: LambdaFunction[] }[] = [];
  for (const a of project.dataActions) {
    const kind = dataActionKind(a);
    const evidence = [ev(a.origin, a.urlNode), ...a.headers.map((h) => ev(a.origin, h.node))];
    const actionNode = () => g.node(`action|${fileOf(a.origin)}|${a.origin.logicalId ?? a.name ?? ""}`, "action", [`data action ${a.name ?? a.origin.logicalId ?? "?"}`, ...whereOf(a.origin)], a.name ?? a.origin.logicalId ?? "action");
    if (kind === "lambda") {
      const t = literalLambdaTarget(a.url);
      if (t) {
        const fns = functionsForTarget(project, t);
        targets.push({ action: a, t, fns });
        const to = fns.length > 0 ? functionNode(fns[0]!) : arnNode(t);
        g.edge(actionNode(), to, `invokes${t.qualifier ? ` :${t.qualifier}` : ""}`, evidence);
      } else if (a.url !== undefined) {
        const target = g.node(`target|${a.url}`, "endpoint", [safeForMessage(a.url, 80)]);
        g.edge(actionNode(), target, "invokes", evidence);
      }
    } else if (kind === "rest" && a.url !== undefined) {
      const ep = awsEndpointKind(a.url);
      if (ep) {
        const target = g.node(`endpoint|${ep.host}`, "endpoint", [ep.kind === "api-gateway" ? "API Gateway" : "function URL", ep.host], ep.host.split(".")[0]);
        g.edge(actionNode(), target, /^\s*http:/i.test(a.url) ? "HTTP, unsigned" : "HTTPS, unsigned", evidence);
      }
    }
  }

  // Genesys-facing roles: who may assume them, what they may invoke.
  const facing = genesysRoles(project);
  const probesFor = (fn: LambdaFunction): string[] => {
    const out: string[] = [];
    if (fn.arn && !hasUnknown(fn.arn.value)) out.push(fn.arn.value);
    for (const x of targets) if (x.fns.includes(fn)) out.push(x.t.arn);
    return out;
  };
  const grantTargets = (role: Role, s: Statement, fns: LambdaFunction[]): { fn?: LambdaFunction; t?: LambdaTarget }[] => {
    const out: { fn?: LambdaFunction; t?: LambdaTarget }[] = [];
    for (const fn of fns) {
      const named = (s.resource?.values ?? []).some((r) => resourceNamesFunction(project, s.doc.origin, r.value, fn));
      if (named || probesFor(fn).some((p) => statementCovers(project, s, p) !== "no")) out.push({ fn });
    }
    for (const x of targets) if (x.fns.length === 0 && statementCovers(project, s, x.t.arn) !== "no") out.push({ t: x.t });
    return out;
  };

  for (const { role } of facing) {
    const rid = roleNode(role, true);
    for (const s of role.trust?.statements ?? []) {
      if (!isAllow(s) || !statementAllowsAction(s, "sts:AssumeRole")) continue;
      const ext = conditionsOn(s, "sts:ExternalId");
      for (const p of s.principals ?? []) {
        if (p.type !== "AWS" && p.type !== "*") continue;
        const acct = p.type === "*" || p.value === "*" ? undefined : principalAccountField(p.value);
        const isAccount = acct !== undefined && (p.value === acct || /:root$/.test(p.value));
        const label =
          p.type === "*" || p.value === "*"
            ? ["anyone (*)"]
            : isAccount && isGenesysAccount(acct!)
              ? ["Genesys Cloud", `account ${acct}`]
              : isAccount
                ? [`AWS account ${acct}`]
                : [p.value];
        const aid = g.node(isAccount ? `account|${acct}` : `principal|${p.value}`, "account", label, acct ?? p.value);
        g.edge(aid, rid, ext.length > 0 ? "sts:AssumeRole, external ID" : "sts:AssumeRole, no external ID", [ev(s.doc.origin, p.node), ...ext.map((c) => ev(s.doc.origin, c.node))]);
      }
    }
  }
  // Genesys integration credentials (CX as Code) that name a role.
  for (const ref of project.roleReferences) {
    const role = project.resolveRole(ref.origin, ref.roleArn);
    if (!role || !facing.some((f) => f.role === role)) continue;
    const cid = g.node(`credential|${fileOf(ref.origin)}|${ref.origin.logicalId ?? ""}`, "account", ["Genesys integration credential", ref.origin.logicalId ?? "?", fileOf(ref.origin)], ref.origin.logicalId ?? "credential");
    g.edge(cid, roleNode(role, true), "role ARN", [ev(ref.origin, ref.node)]);
  }
  // Grants: all functions known so far plus every project function (a role may invoke functions no action names).
  const allFns = project.functions;
  for (const { role } of facing) {
    const rid = roleNode(role, true);
    for (const [action, label] of [
      [INVOKE, "lambda:InvokeFunction"],
      [INVOKE_URL, "lambda:InvokeFunctionUrl"],
    ] as const) {
      for (const s of roleAllowStatements(project, role, action)) {
        if (action === INVOKE_URL && !(s.action?.values ?? []).some((v) => namesInvokeFunctionUrl(v.value))) continue;
        for (const x of grantTargets(role, s, allFns)) {
          const to = x.fn ? functionNode(x.fn) : arnNode(x.t!);
          g.edge(rid, to, label, [ev(s.doc.origin, s.node)]);
        }
      }
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
        if (!role || !facing.some((f) => f.role === role)) continue;
        for (const r of s.resource?.values ?? []) {
          const t = literalLambdaTarget(r.value);
          if (!t) continue;
          const fns = functionsForTarget(project, t);
          g.edge(roleNode(role, true), fns.length > 0 ? functionNode(fns[0]!) : arnNode(t), `${acts.join(", ")} (function policy)`, [ev(d.origin, s.node)]);
        }
      }
    }
  }

  // Functions: URLs, permissions, execution roles.
  /** Whether a resource-policy `Resource` value names the function of a graph node. */
  const namesNode = (origin: Origin, resource: string, x: (typeof graphFunctions)[number]): boolean =>
    x.fn ? resourceNamesFunction(project, origin, resource, x.fn) : literalLambdaTarget(resource)?.unqualified === x.t!.unqualified;
  for (let i = 0; i < graphFunctions.length; i++) {
    const x = graphFunctions[i]!;
    const { key, id: fid, fn } = x;
    const label = fn ? functionLabel(fn) : x.t!.name;
    const urlIds: string[] = [];
    for (const url of project.functionUrls) {
      if (functionKey(project, url.origin, url.target) !== key) continue;
      const auth = url.authType && !hasUnknown(url.authType.value) ? url.authType.value : "unknown";
      const uid = g.node(`url|${fileOf(url.origin)}|${url.origin.logicalId ?? ""}|${key}`, "url", [`function URL`, `AuthType ${auth}`], `${label}_url`);
      urlIds.push(uid);
      g.edge(fid, uid, "URL", [ev(url.origin, url.authType?.node ?? url.node)]);
    }
    /** Permissions for the URL action point at the URL nodes, others at the function. */
    const targetsOf = (actions: string[]) => (urlIds.length > 0 && actions.every((a) => namesInvokeFunctionUrl(a)) ? urlIds : [fid]);
    for (const p of project.permissions) {
      if (functionKey(project, p.origin, p.functionName) !== key || !p.action || !p.principal) continue;
      const principal = p.principal.value.trim();
      const pid = g.node(`principal|${principal}`, "principal", [principal === "*" ? "anyone (*)" : isServicePrincipal(principal) ? `service ${principal}` : principal], principal === "*" ? "public" : principal);
      for (const to of targetsOf([p.action.value])) g.edge(pid, to, p.action.value, [ev(p.origin, p.origin.resourceNode ?? p.node)]);
    }
    for (const d of project.documents) {
      if (d.kind !== "resource") continue;
      for (const s of d.statements) {
        if (!isAllow(s) || !(s.resource?.values ?? []).some((r) => namesNode(d.origin, r.value, x))) continue;
        const acts = (s.action?.values ?? []).filter((v) => !hasUnknown(v.value)).map((v) => v.value);
        if (acts.length === 0) continue;
        for (const p of s.principals ?? []) {
          const asRole = p.type === "AWS" ? project.resolveRole(d.origin, { value: p.value, node: p.node, ref: p.ref }) : undefined;
          if (asRole && facing.some((f) => f.role === asRole)) continue; // drawn from the role above
          const pid = g.node(`principal|${p.value}`, "principal", [p.value === "*" ? "anyone (*)" : p.value], p.value === "*" ? "public" : p.value);
          for (const to of targetsOf(acts)) g.edge(pid, to, acts.join(", "), [ev(d.origin, s.node)]);
        }
      }
    }
    if (!fn) continue;
    const exec = executionRole(project, fn);
    if (exec && !facing.some((f) => f.role === exec)) {
      const rid = roleNode(exec, false);
      g.edge(fid, rid, "execution role", [], true);
      for (const s of roleAllowStatements(project, exec, INVOKE_URL)) {
        if (!(s.action?.values ?? []).some((v) => namesInvokeFunctionUrl(v.value))) continue;
        if ((s.resource?.values ?? []).some((r) => resourceNamesFunction(project, s.doc.origin, r.value, fn))) g.edge(rid, fid, "lambda:InvokeFunctionUrl", [ev(s.doc.origin, s.node)]);
      }
    }
  }
  return g;
}

/** Renders the graph as Mermaid, marking edges that carry findings. */
export function renderMermaid(g: Graph, findings: Finding[]): string {
  const lines = ["flowchart LR"];
  const marked: number[] = [];
  const edgeLines: string[] = [];
  g.edges.forEach((e, i) => {
    const codes = codesFor(e, findings);
    const label = escapeMermaid(codes.length ? `⚠ ${codes.join(" ")} ${e.label}` : e.label);
    if (codes.length) marked.push(i);
    edgeLines.push(`  ${e.from} ${e.dashed ? "-.->" : "-->"}|"${label}"| ${e.to}`);
  });
  if (g.nodes.length === 0) {
    lines.push("  %% No access paths between Genesys Cloud and AWS Lambda in the scanned files.");
    return lines.join("\n") + "\n";
  }
  lines.push(`  %% deputy graph: ${g.nodes.length} nodes, ${g.edges.length} edges, ${marked.length} with findings`);
  for (const n of g.nodes) lines.push(`  ${n.id}${shapeOf(n.shape, n.label)}`);
  lines.push(...edgeLines);
  if (marked.length) lines.push(`  linkStyle ${marked.join(",")} stroke:#d62728,stroke-width:3px,color:#d62728`);
  return lines.join("\n") + "\n";
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
  try {
    const config = loadConfig(io.cwd, opts.config);
    const inputs = collectInputs(positionals, io.cwd, opts["ignore-pattern"] ?? [], config);
    const linter = new Linter(config);
    await prepareInputs(inputs);
    for (const f of inputs) linter.addFile(f);
    const result = linter.finish();
    const text = renderMermaid(buildGraph(result.project), result.findings.filter((f) => !f.suppressions?.length));
    if (opts.output) writeFileSync(resolve(io.cwd, opts.output), text);
    else io.stdout(text);
    return 0;
  } catch (e) {
    io.stderr(`deputy graph: ${(e as Error).message}\n`);
    return 2;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: "string", short: "c" },
      output: { type: "string", short: "o" },
      "ignore-pattern": { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
