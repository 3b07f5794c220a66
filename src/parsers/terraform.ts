/**
 * Genesys CX-as-Code Terraform JSON into data actions and Genesys role references, recognised by content:
 *
 *  - Terraform JSON configuration (`*.tf.json`): `{"resource": {"genesyscloud_integration_action": {"x": {...}}}}`
 *    (`resource` may also be an array of such objects, and a block body an array of bodies). Strings are Terraform
 *    templates: `${var.x}` / `${genesyscloud_integration.lambda.id}` are unknown, `$${` is an escaped `${` (so
 *    `$${credentials.token}` is a Genesys template reference). Values are kept as written, so ranges stay exact;
 *    the data action checks understand both forms.
 *  - `terraform show -json` output (plan or state): resources under `planned_values` / `values` (`root_module` and
 *    nested `child_modules`), or `resource_changes[].change.after`, each with `type`, `name`, `address`, `values`.
 *    Values there are already evaluated: no Terraform escapes remain.
 *
 * `genesyscloud_integration_action` → `DataAction` (`config_request`: `request_url_template`, `request_type`,
 * `headers`, `request_template`; the integration type comes from the `genesyscloud_integration` that
 * `integration_id` refers to, when that integration is in the same file). `genesyscloud_integration_credential` of
 * type `amazonWebServicesARN` → `GenesysRoleReference` for the role ARN in its `fields` (the role Genesys assumes,
 * which makes that role Genesys-facing).
 */
import { pushAll } from "../engine/arrays.js";
import type { SourceFile } from "../engine/source.js";
import type { DataAction, FileModel, GenesysRoleReference, LambdaFunction, Origin, PolicyDocument, PolicyKind, Role } from "../model/entities.js";
import { buildDocument } from "../model/policy.js";
import { harmlessManagedPolicy } from "../model/links.js";
import { embeddedDocument } from "./aws-cli.js";
import type { ParseProblem } from "./json.js";
import { emptyModel } from "../model/entities.js";
import type { Node, ObjectNode } from "../model/node.js";
import { isArray, isObject, isString, prop, stringValue } from "../model/node.js";
import { PLAIN, type Str } from "../model/resolve.js";

const ACTION = "genesyscloud_integration_action";
const INTEGRATION = "genesyscloud_integration";
const CREDENTIAL = "genesyscloud_integration_credential";
const TYPES = new Set([ACTION, INTEGRATION, CREDENTIAL]);
/** AWS resource types read from `terraform show -json` (their policies are JSON strings there). */
const AWS_TYPES = new Set([
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_lambda_function",
  "aws_lambda_function_url",
  "aws_lambda_permission",
  "aws_s3_bucket_policy",
  "aws_sqs_queue_policy",
  "aws_sns_topic_policy",
  "aws_kms_key",
  "aws_secretsmanager_secret_policy",
  "aws_ecr_repository_policy",
]);
const RESOURCE_POLICY_TYPES = new Set(["aws_s3_bucket_policy", "aws_sqs_queue_policy", "aws_sns_topic_policy", "aws_kms_key", "aws_secretsmanager_secret_policy", "aws_ecr_repository_policy"]);

/** One Terraform resource instance as found in the file. */
export interface TfResource {
  type: string;
  /** Resource name (`lambda` in `genesyscloud_integration.lambda`). */
  name: string;
  /** Full address (`module.m.genesyscloud_integration.lambda`). */
  address: string;
  /** Module prefix of the address (`module.m.` or ""). */
  modulePrefix: string;
  /** The attribute mapping (`values` in plan/state, the block body in `.tf.json`). */
  body: ObjectNode;
  /** References of `integration_id` from a plan's `configuration` section (already module-prefixed). */
  integrationRefs?: string[];
}

export function extractTerraformDataActions(file: SourceFile, root: Node): FileModel | undefined {
  if (!isObject(root)) return undefined;
  let resources: TfResource[];
  let escaped: boolean;
  if (prop(root, "resource") !== undefined) {
    resources = fromConfiguration(prop(root, "resource"));
    escaped = true;
  } else if (prop(root, "planned_values") !== undefined || prop(root, "values") !== undefined || prop(root, "resource_changes") !== undefined) {
    resources = fromShowJson(root);
    escaped = false;
  } else return undefined;
  const aws = escaped ? [] : resources.filter((r) => AWS_TYPES.has(r.type));
  if (!resources.some((r) => r.type === ACTION || r.type === CREDENTIAL) && aws.length === 0) return undefined;

  const model = emptyModel(file, escaped ? "terraform" : "terraform-show", root);
  const problems: ParseProblem[] = [];
  if (aws.length > 0) awsFromShowJson(file, aws, model, problems);
  if (problems.length > 0) (model as FileModel & { problems?: ParseProblem[] }).problems = problems;
  const integrations = resources.filter((r) => r.type === INTEGRATION);
  for (const r of resources) {
    const origin: Origin = { file, resolver: PLAIN, resourceNode: r.body, logicalId: r.address, resourceType: r.type };
    const got = terraformGenesysEntities(r, origin, integrations, escaped);
    pushAll(model.dataActions, got.dataActions);
    pushAll(model.roleReferences, got.roleReferences);
  }
  return model;
}

/** The data action or role references of one CX-as-Code resource (HCL and Terraform JSON share this). */
export function terraformGenesysEntities(r: TfResource, origin: Origin, integrations: TfResource[], escaped: boolean): { dataActions: DataAction[]; roleReferences: GenesysRoleReference[] } {
  if (r.type === ACTION) return { dataActions: [dataAction(r, origin, integrations, escaped)], roleReferences: [] };
  if (r.type === CREDENTIAL) return { dataActions: [], roleReferences: roleReferences(r, origin) };
  return { dataActions: [], roleReferences: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Terraform JSON configuration

/** Block bodies: `{...}` or `[{...}, ...]` (Terraform JSON allows both for blocks). */
function bodies(n: Node | undefined): ObjectNode[] {
  if (isObject(n)) return [n];
  if (isArray(n)) return n.items.filter(isObject);
  return [];
}

function fromConfiguration(resourceNode: Node | undefined): TfResource[] {
  const out: TfResource[] = [];
  for (const byType of bodies(resourceNode)) {
    for (const { key: type, value: byName } of byType.entries) {
      if (!TYPES.has(type)) continue;
      for (const named of bodies(byName)) {
        for (const { key: name, value } of named.entries) {
          for (const body of bodies(value)) out.push({ type, name, address: `${type}.${name}`, modulePrefix: "", body });
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// `terraform show -json`

function fromShowJson(root: ObjectNode): TfResource[] {
  const out: TfResource[] = [];
  const fromModule = (mod: Node | undefined, depth: number): void => {
    if (!isObject(mod) || depth > 32) return;
    const res = prop(mod, "resources");
    if (isArray(res)) for (const r of res.items) addResource(r, prop(r, "values"), out);
    const children = prop(mod, "child_modules");
    if (isArray(children)) for (const c of children.items) fromModule(c, depth + 1);
  };
  // One source only, so a plan does not list each resource twice (planned values and changes).
  const planned = prop(prop(root, "planned_values"), "root_module");
  const state = prop(prop(root, "values"), "root_module");
  if (isObject(planned)) fromModule(planned, 0);
  else if (isObject(state)) fromModule(state, 0);
  else {
    const changes = prop(root, "resource_changes");
    if (isArray(changes)) for (const c of changes.items) addResource(c, prop(prop(c, "change"), "after"), out);
  }
  // Plans carry the configuration: `integration_id` references tell which integration an action belongs to.
  const refs = configurationRefs(prop(prop(root, "configuration"), "root_module"), "", 0);
  for (const r of out) {
    const addrWithoutIndex = r.address.replace(/\[[^\]]*\]$/, "");
    const found = refs.get(addrWithoutIndex);
    if (found) r.integrationRefs = found;
  }
  return out;
}

function addResource(r: Node, values: Node | undefined, out: TfResource[]): void {
  const type = stringValue(prop(r, "type"));
  if (!type || !(TYPES.has(type) || AWS_TYPES.has(type)) || !isObject(values)) return;
  if (stringValue(prop(r, "mode")) === "data") return;
  const name = stringValue(prop(r, "name")) ?? "?";
  const address = stringValue(prop(r, "address")) ?? `${type}.${name}`;
  const modulePrefix = /^((?:module\.[^.]+(?:\[[^\]]*\])?\.)*)/.exec(address)?.[1] ?? "";
  out.push({ type, name, address, modulePrefix, body: values });
}

/** address → module-prefixed references of `integration_id`, from a plan's `configuration`. */
function configurationRefs(mod: Node | undefined, prefix: string, depth: number, out = new Map<string, string[]>()): Map<string, string[]> {
  if (!isObject(mod) || depth > 32) return out;
  const res = prop(mod, "resources");
  if (isArray(res))
    for (const r of res.items) {
      if (stringValue(prop(r, "type")) !== ACTION) continue;
      const address = stringValue(prop(r, "address"));
      const refs = prop(prop(prop(r, "expressions"), "integration_id"), "references");
      if (address && isArray(refs)) out.set(prefix + address, refs.items.map(stringValue).filter((s): s is string => s !== undefined).map((s) => prefix + s));
    }
  const calls = prop(mod, "module_calls");
  if (isObject(calls)) for (const e of calls.entries) configurationRefs(prop(e.value, "module"), `${prefix}module.${e.key}.`, depth + 1, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Entities

/** A nested block: an object, or (plan/state and some `.tf.json`) a one-element array. */
function block(n: Node | undefined): ObjectNode | undefined {
  if (isObject(n)) return n;
  if (isArray(n)) return n.items.find(isObject);
  return undefined;
}

function dataAction(r: TfResource, origin: Origin, integrations: TfResource[], escaped: boolean): DataAction {
  const body = r.body;
  const request = block(prop(body, "config_request"));
  const urlNode = prop(request, "request_url_template");
  const headersNode = prop(request, "headers");
  const bodyNode = prop(request, "request_template");
  return {
    origin,
    node: body,
    name: stringValue(prop(body, "name")) ?? r.address,
    integrationType: integrationType(r, integrations),
    url: stringValue(urlNode),
    urlNode,
    headers: isObject(headersNode) ? headersNode.entries.map((e) => ({ name: e.key, value: stringValue(e.value) ?? "", node: e.value })) : [],
    body: stringValue(bodyNode),
    bodyNode,
    terraform: escaped,
  };
}

/** The `integration_type` of the integration an action's `integration_id` names, when it is in the same file. */
function integrationType(action: TfResource, integrations: TfResource[]): string | undefined {
  const typeOf = (i: TfResource | undefined) => (i ? stringValue(prop(i.body, "integration_type")) : undefined);
  const id = stringValue(prop(action.body, "integration_id"));
  if (id !== undefined) {
    // `.tf.json`: "${genesyscloud_integration.lambda.id}" (within the same module).
    const m = /^\$\{\s*genesyscloud_integration\.([A-Za-z0-9_-]+)\.id\s*\}$/.exec(id);
    if (m) return typeOf(integrations.find((i) => i.name === m[1] && i.modulePrefix === action.modulePrefix));
    // State: the literal ID of an integration in the same state.
    const byId = integrations.find((i) => stringValue(prop(i.body, "id")) === id);
    if (byId) return typeOf(byId);
  }
  // Plan: the configuration's references (`genesyscloud_integration.lambda.id`, `genesyscloud_integration.lambda`).
  for (const ref of action.integrationRefs ?? []) {
    const addr = ref.replace(/\.id$/, "");
    const hit = integrations.find((i) => i.address.replace(/\[[^\]]*\]$/, "") === addr);
    if (hit) return typeOf(hit);
  }
  return undefined;
}

/** Role ARNs named by an `amazonWebServicesARN` credential (field `ARN`, or any field holding a role ARN). */
function roleReferences(r: TfResource, origin: Origin): GenesysRoleReference[] {
  const type = stringValue(prop(r.body, "credential_type_name"));
  if (type !== undefined && !/^amazonwebservicesarn$/i.test(type)) return [];
  const fields = prop(r.body, "fields");
  if (!isObject(fields)) return [];
  const out: GenesysRoleReference[] = [];
  for (const e of fields.entries) {
    if (!isString(e.value)) continue;
    const v = e.value.value;
    if (/^arn$|role/i.test(e.key) || /^arn:[^:]*:iam::[^:]*:role\//.test(v)) {
      const roleArn: Str = { value: v, node: e.value };
      out.push({ origin, node: e.value, roleArn });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// AWS resources of `terraform show -json`

/**
 * Roles, policies, functions, function URLs and permissions from a plan or state. Values there are evaluated:
 * `assume_role_policy` and `policy` are JSON strings, read in place (a finding points inside the string, as for
 * `lambda get-policy`). Roles and policies are linked by name (`aws_iam_role_policy.role`) or ARN
 * (`aws_iam_role_policy_attachment.policy_arn`) within the file. A value the plan does not know yet is absent.
 */
function awsFromShowJson(file: SourceFile, resources: TfResource[], model: FileModel, problems: ParseProblem[]): void {
  const S = (r: TfResource, k: string): Str | undefined => {
    const n = prop(r.body, k);
    const v = stringValue(n);
    return v !== undefined && n ? { value: v, node: n } : undefined;
  };
  const originOf = (r: TfResource): Origin => ({ file, resolver: PLAIN, resourceNode: r.body, logicalId: r.address, resourceType: r.type, inferredAccount: null });
  const doc = (r: TfResource, origin: Origin, n: Node | undefined, kind: PolicyKind, label: string): PolicyDocument | undefined => {
    const o = embeddedDocument(file, n, problems);
    if (!o) return undefined;
    const d = buildDocument(o, kind, origin, label);
    d.roleNames = { roles: [], roleName: [] };
    model.documents.push(d);
    return d;
  };
  const rolesByName = new Map<string, Role>();
  const policiesByArn = new Map<string, PolicyDocument>();
  const attach: { role: string; doc?: PolicyDocument; arn?: string }[] = [];
  for (const r of resources) {
    const origin = originOf(r);
    switch (r.type) {
      case "aws_iam_role": {
        const name = S(r, "name");
        const path = S(r, "path");
        const arn = S(r, "arn");
        const tags: Str[] = [];
        const tagsNode = prop(r.body, "tags");
        if (isObject(tagsNode))
          for (const e of tagsNode.entries) {
            tags.push({ value: e.key, node: e.value });
            const v = stringValue(e.value);
            if (v !== undefined) tags.push({ value: v, node: e.value });
          }
        const role: Role = { origin, node: r.body, name, path, description: S(r, "description"), tags, policies: [], arn: arn ?? (name ? { value: `arn:\${aws_partition}:iam::\${aws_account_id}:role${path?.value ?? "/"}${name.value}`, node: r.body } : undefined) };
        const trust = doc(r, origin, prop(r.body, "assume_role_policy"), "trust", `trust policy of role ${r.address}`);
        if (trust) {
          trust.role = role;
          role.trust = trust;
        }
        const inline = prop(r.body, "inline_policy");
        for (const ip of isArray(inline) ? inline.items : []) {
          const d = doc(r, origin, prop(ip, "policy"), "identity", `policy ${stringValue(prop(ip, "name")) ?? "inline"} of role ${r.address}`);
          if (d) {
            d.role = role;
            role.policies.push(d);
          }
        }
        const managed = prop(r.body, "managed_policy_arns");
        for (const m of isArray(managed) ? managed.items : []) {
          const v = stringValue(m);
          if (v !== undefined && name) attach.push({ role: name.value, arn: v });
        }
        if (name) rolesByName.set(name.value, role);
        model.roles.push(role);
        break;
      }
      case "aws_iam_role_policy": {
        const d = doc(r, origin, prop(r.body, "policy"), "identity", `policy ${r.address}`);
        const role = stringValue(prop(r.body, "role"));
        if (d && role !== undefined) attach.push({ role: role.replace(/^arn:[^:]*:iam::[^:]*:role\/(?:.*\/)?/, ""), doc: d });
        break;
      }
      case "aws_iam_policy": {
        const d = doc(r, origin, prop(r.body, "policy"), "identity", `policy ${r.address}`);
        const arn = stringValue(prop(r.body, "arn"));
        if (d && arn !== undefined) policiesByArn.set(arn, d);
        break;
      }
      case "aws_iam_role_policy_attachment": {
        const role = stringValue(prop(r.body, "role"));
        const arn = stringValue(prop(r.body, "policy_arn"));
        if (role !== undefined && arn !== undefined) attach.push({ role, arn });
        break;
      }
      case "aws_iam_policy_attachment": {
        const roles = prop(r.body, "roles");
        const arn = stringValue(prop(r.body, "policy_arn"));
        for (const n of isArray(roles) ? roles.items : []) {
          const role = stringValue(n);
          if (role !== undefined && arn !== undefined) attach.push({ role, arn });
        }
        break;
      }
      case "aws_lambda_function": {
        const name = S(r, "function_name");
        const fn: LambdaFunction = { origin, node: r.body, name, role: S(r, "role"), arn: S(r, "arn") };
        model.functions.push(fn);
        break;
      }
      case "aws_lambda_function_url":
        model.functionUrls.push({ origin, node: r.body, authType: S(r, "authorization_type"), target: S(r, "function_name"), qualifier: S(r, "qualifier") });
        break;
      case "aws_lambda_permission": {
        const fnS = S(r, "function_name");
        const q = S(r, "qualifier");
        const functionName = fnS && q && q.value !== "" && !/:[^:]+:function:[^:]+:/.test(fnS.value) ? { ...fnS, value: `${fnS.value}:${q.value}` } : fnS;
        model.permissions.push({
          origin,
          node: r.body,
          action: S(r, "action"),
          principal: S(r, "principal"),
          functionName,
          sourceArn: S(r, "source_arn"),
          sourceAccount: S(r, "source_account"),
          principalOrgId: S(r, "principal_org_id"),
          functionUrlAuthType: S(r, "function_url_auth_type"),
        });
        break;
      }
      default:
        if (RESOURCE_POLICY_TYPES.has(r.type)) doc(r, origin, prop(r.body, "policy"), "resource", `policy of ${r.address}`);
    }
  }
  for (const a of attach) {
    const role = rolesByName.get(a.role);
    const d = a.doc ?? (a.arn !== undefined ? policiesByArn.get(a.arn) : undefined);
    if (!role) continue;
    if (!d) {
      if (a.arn !== undefined && !harmlessManagedPolicy(a.arn)) role.localIncompleteReason = `its attached policy ${a.arn} is not in the plan`;
      continue;
    }
    if (role.policies.includes(d)) continue;
    d.role ??= role;
    role.policies.push(d);
  }
  for (const role of model.roles) role.localIncompleteReason ??= null;
}
