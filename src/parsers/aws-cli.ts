/**
 * AWS CLI JSON outputs: `iam get-role`, `iam list-roles`, `iam get-policy-version`,
 * `iam get-account-authorization-details`, `lambda get-policy` (a policy carried as a JSON string: findings inside it
 * point into the string), `lambda get-function-url-config`, `lambda get-function[-configuration]`.
 */
import type { SourceFile } from "../engine/source.js";
import type { FileModel, Origin, PolicyDocument, PolicyKind, Role } from "../model/entities.js";
import { emptyModel } from "../model/entities.js";
import type { Node, ObjectNode } from "../model/node.js";
import { isArray, isObject, isString, prop, stringValue } from "../model/node.js";
import { buildDocument, hasPrincipal, looksLikeTrust } from "../model/policy.js";
import { PLAIN, type Str } from "../model/resolve.js";
import { replaceNode } from "../model/tree.js";
import { parseJson, type ParseProblem } from "./json.js";
import { scalarTextWithMap } from "../model/sub-range.js";

export interface CliResult {
  model: FileModel;
  problems: ParseProblem[];
}

function str(n: Node | undefined): Str | undefined {
  return isString(n) ? { value: n.value, node: n } : undefined;
}

function accountOf(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn) : null;
  return m ? m[1] : undefined;
}

/** A policy document that may be an object or a (URL-encoded) JSON string (in JSON, or any YAML scalar whose text maps exactly). */
export function embeddedDocument(file: SourceFile, n: Node | undefined, problems: ParseProblem[]): ObjectNode | undefined {
  if (isObject(n)) return n;
  if (!isString(n)) return undefined;
  const decoded = scalarTextWithMap(file, n);
  if (!decoded) return undefined;
  let text = decoded.text;
  let map: Int32Array | undefined = decoded.map;
  if (/^%7B/i.test(text.trimStart())) {
    // The IAM API returns URL-encoded documents; locations inside map back through the percent escapes.
    const url = urlDecodeWithMap(text, map);
    if (!url) return undefined;
    text = url.text;
    map = url.map;
  }
  const r = parseJson(text, { offsetMap: map });
  for (const p of r.problems) problems.push({ ...p, message: `In the policy string: ${p.message}` });
  if (!isObject(r.root)) return undefined;
  replaceNode(r.root, n);
  return r.root;
}

/**
 * `decodeURIComponent` that also maps every decoded character to the file offset of its escape (`%7B` → the `%`),
 * plus one last entry for the end. Undefined when the text is not valid percent-encoding.
 */
function urlDecodeWithMap(raw: string, rawMap: Int32Array): { text: string; map: Int32Array } | undefined {
  let text = "";
  const offsets: number[] = [];
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== "%") {
      text += raw[i];
      offsets.push(rawMap[i]!);
      i++;
      continue;
    }
    const lead = parseInt(raw.slice(i + 1, i + 3), 16);
    if (!/^[0-9a-f]{2}$/i.test(raw.slice(i + 1, i + 3))) return undefined;
    const len = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (len === 0) return undefined;
    const bytes = new Uint8Array(len);
    for (let k = 0; k < len; k++) {
      const hex = raw.slice(i + 3 * k + 1, i + 3 * k + 3);
      if (raw[i + 3 * k] !== "%" || !/^[0-9a-f]{2}$/i.test(hex)) return undefined;
      bytes[k] = parseInt(hex, 16);
    }
    let ch: string;
    try {
      ch = utf8.decode(bytes);
    } catch {
      return undefined;
    }
    for (let k = 0; k < ch.length; k++) offsets.push(rawMap[i]!);
    text += ch;
    i += 3 * len;
  }
  offsets.push(rawMap[raw.length] ?? rawMap[rawMap.length - 1]!);
  return { text, map: Int32Array.from(offsets) };
}

function addDoc(model: FileModel, node: ObjectNode | undefined, kind: PolicyKind | "auto", origin: Origin, label: string): PolicyDocument | undefined {
  if (!node) return undefined;
  const k: PolicyKind = kind !== "auto" ? kind : looksLikeTrust(node) ? "trust" : hasPrincipal(node) ? "resource" : "identity";
  const d = buildDocument(node, k, origin, label);
  model.documents.push(d);
  return d;
}

function roleFrom(model: FileModel, file: SourceFile, r: ObjectNode, problems: ParseProblem[]): Role {
  const arn = str(prop(r, "Arn"));
  const name = str(prop(r, "RoleName"));
  const origin: Origin = { file, resolver: PLAIN, resourceNode: r, ownAccount: accountOf(arn?.value), logicalId: name?.value };
  const role: Role = {
    origin,
    node: r,
    name,
    arn,
    path: str(prop(r, "Path")),
    description: str(prop(r, "Description")),
    tags: (isArray(prop(r, "Tags")) ? (prop(r, "Tags") as { items: Node[] }).items : []).flatMap((t) => [str(prop(t, "Key")), str(prop(t, "Value"))].filter((x): x is Str => !!x)),
    policies: [],
  };
  const trust = addDoc(model, embeddedDocument(file, prop(r, "AssumeRolePolicyDocument"), problems), "trust", origin, `trust policy of role ${name?.value ?? "?"}`);
  if (trust) {
    trust.role = role;
    role.trust = trust;
  }
  const inline = prop(r, "RolePolicyList");
  if (isArray(inline))
    for (const p of inline.items) {
      const d = addDoc(model, embeddedDocument(file, prop(p, "PolicyDocument"), problems), "identity", origin, `policy ${stringValue(prop(p, "PolicyName")) ?? "?"} of role ${name?.value ?? "?"}`);
      if (d) {
        d.role = role;
        role.policies.push(d);
      }
    }
  model.roles.push(role);
  return role;
}

/** Recognises a CLI output by its top-level keys; undefined when the document is not one. */
export function extractCliOutput(file: SourceFile, root: Node): CliResult | undefined {
  if (!isObject(root)) return undefined;
  const problems: ParseProblem[] = [];
  const role = prop(root, "Role");
  if (isObject(role) && prop(role, "AssumeRolePolicyDocument") !== undefined) {
    const model = emptyModel(file, "cli:iam-get-role", root);
    roleFrom(model, file, role, problems);
    return { model, problems };
  }
  const roles = prop(root, "Roles");
  if (isArray(roles) && roles.items.some((r) => isObject(r) && prop(r, "AssumeRolePolicyDocument") !== undefined)) {
    const model = emptyModel(file, "cli:iam-list-roles", root);
    for (const r of roles.items) if (isObject(r)) roleFrom(model, file, r, problems);
    return { model, problems };
  }
  const pv = prop(root, "PolicyVersion");
  if (isObject(pv) && prop(pv, "Document") !== undefined) {
    const model = emptyModel(file, "cli:iam-get-policy-version", root);
    addDoc(model, embeddedDocument(file, prop(pv, "Document"), problems), "auto", { file, resolver: PLAIN, resourceNode: pv }, `policy version ${stringValue(prop(pv, "VersionId")) ?? ""}`.trim());
    return { model, problems };
  }
  if (prop(root, "RoleDetailList") !== undefined || prop(root, "UserDetailList") !== undefined) {
    const model = emptyModel(file, "cli:iam-get-account-authorization-details", root);
    const rdl = prop(root, "RoleDetailList");
    const detailRoles: Role[] = [];
    if (isArray(rdl)) for (const r of rdl.items) if (isObject(r)) detailRoles.push(roleFrom(model, file, r, problems));
    const managedByArn = new Map<string, PolicyDocument>();
    for (const listKey of ["UserDetailList", "GroupDetailList"]) {
      const l = prop(root, listKey);
      if (!isArray(l)) continue;
      for (const u of l.items) {
        const pl = prop(u, listKey === "UserDetailList" ? "UserPolicyList" : "GroupPolicyList");
        const uname = stringValue(prop(u, "UserName")) ?? stringValue(prop(u, "GroupName")) ?? "?";
        const origin: Origin = { file, resolver: PLAIN, resourceNode: u, ownAccount: accountOf(stringValue(prop(u, "Arn"))), logicalId: uname };
        if (isArray(pl)) for (const p of pl.items) addDoc(model, embeddedDocument(file, prop(p, "PolicyDocument"), problems), "identity", origin, `policy ${stringValue(prop(p, "PolicyName")) ?? "?"} of ${uname}`);
      }
    }
    const pols = prop(root, "Policies");
    if (isArray(pols))
      for (const p of pols.items) {
        const pname = stringValue(prop(p, "PolicyName")) ?? "?";
        const pvl = prop(p, "PolicyVersionList");
        // Only the default version is in force.
        if (isArray(pvl))
          for (const v of pvl.items) {
            if (prop(v, "IsDefaultVersion") && (prop(v, "IsDefaultVersion") as { value?: unknown }).value !== true) continue;
            const origin: Origin = { file, resolver: PLAIN, resourceNode: p, ownAccount: accountOf(stringValue(prop(p, "Arn"))), logicalId: pname };
            const d = addDoc(model, embeddedDocument(file, prop(v, "Document"), problems), "identity", origin, `managed policy ${pname}`);
            const parn = stringValue(prop(p, "Arn"));
            if (d && parn) managedByArn.set(parn, d);
            // AWS managed: nobody can edit it; its breadth is reported where it is attached (DPY201/DPY202).
            if (d && parn && /^arn:[^:]+:iam::aws:policy\//.test(parn)) d.awsManaged = { name: pname };
          }
      }
    // Managed policies attached to roles (`AttachedManagedPolicies`), when the output lists their documents.
    const attachedArns = new Set<string>();
    for (const role of detailRoles) {
      const attached = prop(role.node, "AttachedManagedPolicies");
      if (!isArray(attached)) continue;
      for (const a of attached.items) {
        const arnNode = prop(a, "PolicyArn");
        const arn = stringValue(arnNode) ?? "";
        attachedArns.add(arn);
        const d = managedByArn.get(arn);
        if (d && !role.policies.includes(d)) {
          d.role ??= role;
          role.policies.push(d);
        }
        if (d?.awsManaged && isString(arnNode)) (model.managedAttachments ??= []).push({ role, policy: d, node: arnNode, origin: role.origin });
      }
    }
    // A managed policy that only serves as a permissions boundary caps, it grants nothing.
    for (const role of detailRoles) {
      const b = stringValue(prop(prop(role.node, "PermissionsBoundary"), "PermissionsBoundaryArn"));
      const d = b ? managedByArn.get(b) : undefined;
      if (d && b && !attachedArns.has(b)) {
        d.purpose = "permissions boundary";
        d.label = `permissions boundary ${d.awsManaged?.name ?? b}`;
      }
    }
    return { model, problems };
  }
  const policy = prop(root, "Policy");
  if (isString(policy) && /^\s*\{/.test(policy.value) && policy.value.includes("Statement")) {
    const model = emptyModel(file, "cli:lambda-get-policy", root);
    const node = embeddedDocument(file, policy, problems);
    if (node) {
      // The function's own ARN (in Resource) gives the account that owns the policy.
      const ownAccount = accountOf(/arn:aws[\w-]*:lambda:[^"]*/.exec(policy.value)?.[0]);
      addDoc(model, node, "resource", { file, resolver: PLAIN, resourceNode: policy, ownAccount }, "function policy");
    }
    return { model, problems };
  }
  if (isString(prop(root, "FunctionUrl")) && prop(root, "AuthType") !== undefined) {
    const model = emptyModel(file, "cli:lambda-get-function-url-config", root);
    const fnArn = str(prop(root, "FunctionArn"));
    model.functionUrls.push({ origin: { file, resolver: PLAIN, resourceNode: root, ownAccount: accountOf(fnArn?.value) }, node: root, authType: str(prop(root, "AuthType")), target: fnArn });
    return { model, problems };
  }
  const cfg = isObject(prop(root, "Configuration")) ? (prop(root, "Configuration") as ObjectNode) : root;
  if (isString(prop(cfg, "FunctionArn")) && isString(prop(cfg, "Role")) && prop(cfg, "Runtime") !== undefined) {
    const model = emptyModel(file, "cli:lambda-get-function", root);
    const arn = str(prop(cfg, "FunctionArn"));
    model.functions.push({ origin: { file, resolver: PLAIN, resourceNode: cfg, ownAccount: accountOf(arn?.value) }, node: cfg, name: str(prop(cfg, "FunctionName")), arn, role: str(prop(cfg, "Role")) });
    return { model, problems };
  }
  return undefined;
}
