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
import type { SourceFile } from "../engine/source.js";
import type { DataAction, FileModel, GenesysRoleReference, Origin } from "../model/entities.js";
import { emptyModel } from "../model/entities.js";
import type { Node, ObjectNode } from "../model/node.js";
import { isArray, isObject, isString, prop, stringValue } from "../model/node.js";
import { PLAIN, type Str } from "../model/resolve.js";

const ACTION = "genesyscloud_integration_action";
const INTEGRATION = "genesyscloud_integration";
const CREDENTIAL = "genesyscloud_integration_credential";
const TYPES = new Set([ACTION, INTEGRATION, CREDENTIAL]);

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
  if (!resources.some((r) => r.type === ACTION || r.type === CREDENTIAL)) return undefined;

  const model = emptyModel(file, escaped ? "terraform" : "terraform-show", root);
  const integrations = resources.filter((r) => r.type === INTEGRATION);
  for (const r of resources) {
    const origin: Origin = { file, resolver: PLAIN, resourceNode: r.body, logicalId: r.address, resourceType: r.type };
    const got = terraformGenesysEntities(r, origin, integrations, escaped);
    model.dataActions.push(...got.dataActions);
    model.roleReferences.push(...got.roleReferences);
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
  if (!type || !TYPES.has(type) || !isObject(values)) return;
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
