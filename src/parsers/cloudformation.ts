/**
 * CloudFormation / SAM templates (JSON or YAML, including CDK cloud-assembly templates) into entities: roles with
 * their trust and permission policies, standalone and resource-based policies, Lambda functions, function URLs and
 * permissions. Intrinsics are resolved through `Resolver`; unknown values stay unknown.
 */
import type { SourceFile } from "../engine/source.js";
import type { FileModel, LambdaFunction, Origin, PolicyDocument, PolicyKind, Role } from "../model/entities.js";
import { emptyModel } from "../model/entities.js";
import type { Node, ObjectNode } from "../model/node.js";
import { isObject, isString, prop, stringValue } from "../model/node.js";
import { buildDocument } from "../model/policy.js";
import { Resolver, type Str, type TemplateInfo } from "../model/resolve.js";
import { constructPathsFor } from "./cdk.js";
import { embeddedDocument } from "./aws-cli.js";
import type { ParseProblem } from "./json.js";

/** A mapping is a template when it has a `Resources` mapping whose entries carry a `Type`, or a template version. */
export function isTemplate(root: Node): root is ObjectNode {
  if (!isObject(root)) return false;
  const res = prop(root, "Resources");
  if (prop(root, "AWSTemplateFormatVersion") !== undefined && (res === undefined || isObject(res))) return true;
  if (!isObject(res)) return false;
  return res.entries.some((e) => isObject(e.value) && typeof stringValue(prop(e.value, "Type")) === "string");
}

/** Resource types whose policy property is a resource-based policy, and the property that holds it. */
const RESOURCE_POLICIES: Record<string, string> = {
  "AWS::S3::BucketPolicy": "PolicyDocument",
  "AWS::SQS::QueuePolicy": "PolicyDocument",
  "AWS::SNS::TopicPolicy": "PolicyDocument",
  "AWS::KMS::Key": "KeyPolicy",
  "AWS::SecretsManager::ResourcePolicy": "ResourcePolicy",
  "AWS::ECR::Repository": "RepositoryPolicyText",
  "AWS::Events::EventBusPolicy": "Statement",
  "AWS::OpenSearchService::Domain": "AccessPolicies",
  "AWS::Elasticsearch::Domain": "AccessPolicies",
  "AWS::S3Express::BucketPolicy": "PolicyDocument",
};

export function extractTemplate(file: SourceFile, root: ObjectNode, kind = "cloudformation"): FileModel & { problems?: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const model = emptyModel(file, kind, root);
  const resources = prop(root, "Resources");
  const info: TemplateInfo = {
    resources: new Set(isObject(resources) ? resources.entries.map((e) => e.key) : []),
    parameters: new Set(isObject(prop(root, "Parameters")) ? (prop(root, "Parameters") as ObjectNode).entries.map((e) => e.key) : []),
    conditions: new Set(isObject(prop(root, "Conditions")) ? (prop(root, "Conditions") as ObjectNode).entries.map((e) => e.key) : []),
    mappings: prop(root, "Mappings"),
  };
  const resolver = new Resolver(info);
  if (!isObject(resources)) return model;

  // Construct paths from the cloud assembly manifest, for CDK templates without `aws:cdk:path` metadata.
  let paths: Map<string, string> | undefined | null = kind === "cdk" ? undefined : null;
  const constructPaths = () => (paths === undefined ? (paths = constructPathsFor(file.absPath) ?? null) : paths) ?? undefined;
  const rolesById = new Map<string, Role>();
  const attach: { doc: PolicyDocument; roles: Str[] }[] = [];
  const managedById = new Map<string, PolicyDocument[]>();

  for (const { key: logicalId, value: res } of resources.entries) {
    if (!isObject(res)) continue;
    const type = stringValue(prop(res, "Type")) ?? "";
    const props = prop(res, "Properties");
    const cdkPath = stringValue(prop(prop(res, "Metadata"), "aws:cdk:path")) ?? constructPaths()?.get(logicalId);
    const origin: Origin = { file, logicalId, resourceType: type, cdkPath, resourceNode: res, resolver };
    const doc = (n: Node | undefined, k: PolicyKind, label: string): PolicyDocument[] =>
      resolver.objects(n).map((o) => {
        const d = buildDocument(o, k, origin, label);
        model.documents.push(d);
        return d;
      });
    const P = (k: string) => prop(props, k);

    switch (type) {
      case "AWS::IAM::Role": {
        const role: Role = {
          origin,
          node: res,
          name: resolver.string(P("RoleName")),
          path: resolver.string(P("Path")),
          description: resolver.string(P("Description")),
          tags: tags(P("Tags"), resolver),
          policies: [],
          arn: { value: "${" + logicalId + ".Arn}", node: res, ref: { logicalId, attr: "Arn" } },
        };
        const [trust] = doc(P("AssumeRolePolicyDocument"), "trust", `trust policy of role ${logicalId}`);
        if (trust) {
          trust.role = role;
          role.trust = trust;
        }
        for (const pol of resolver.items(P("Policies"))) {
          const name = resolver.string(prop(pol, "PolicyName"))?.value ?? "inline";
          for (const d of doc(prop(pol, "PolicyDocument"), "identity", `policy ${name} of role ${logicalId}`)) {
            d.role = role;
            role.policies.push(d);
          }
        }
        rolesById.set(logicalId, role);
        model.roles.push(role);
        break;
      }
      case "AWS::IAM::Policy":
      case "AWS::IAM::ManagedPolicy":
      case "AWS::IAM::RolePolicy":
      case "AWS::IAM::UserPolicy":
      case "AWS::IAM::GroupPolicy": {
        for (const d of doc(P("PolicyDocument"), "identity", `policy ${logicalId}`)) {
          const roles = type === "AWS::IAM::RolePolicy" ? resolver.strings(P("RoleName")) : resolver.list(P("Roles"));
          attach.push({ doc: d, roles });
          if (type === "AWS::IAM::ManagedPolicy") managedById.set(logicalId, [...(managedById.get(logicalId) ?? []), d]);
        }
        break;
      }
      case "AWS::IAM::User":
      case "AWS::IAM::Group":
        for (const pol of resolver.items(P("Policies"))) doc(prop(pol, "PolicyDocument"), "identity", `policy of ${logicalId}`);
        break;
      case "AWS::Lambda::Function":
      case "AWS::Serverless::Function": {
        const fn: LambdaFunction = {
          origin,
          node: res,
          name: resolver.string(P("FunctionName")),
          role: resolver.string(P("Role")),
          arn: { value: "${" + logicalId + ".Arn}", node: res, ref: { logicalId, attr: "Arn" } },
        };
        if (type === "AWS::Serverless::Function") {
          // SAM creates the execution role `<LogicalId>Role` and attaches `Policies` to it when `Role` is absent.
          const samPolicies = resolver.items(P("Policies")).filter((p) => isObject(p) && prop(p, "Statement") !== undefined);
          if (!fn.role) {
            const roleId = `${logicalId}Role`;
            const role: Role = { origin: { ...origin, logicalId: roleId }, node: res, tags: [], policies: [], arn: { value: "${" + roleId + ".Arn}", node: res, ref: { logicalId: roleId, attr: "Arn" } } };
            for (const p of samPolicies) for (const d of doc(p, "identity", `policy of function ${logicalId}`)) {
              d.role = role;
              role.policies.push(d);
            }
            fn.role = role.arn;
            model.roles.push(role);
          } else for (const p of samPolicies) doc(p, "identity", `policy of function ${logicalId}`);
          const urlCfg = P("FunctionUrlConfig");
          if (isObject(urlCfg)) {
            model.functionUrls.push({ origin, node: urlCfg, authType: resolver.string(prop(urlCfg, "AuthType")), target: fn.arn });
          }
        }
        model.functions.push(fn);
        break;
      }
      case "AWS::Lambda::Url":
        model.functionUrls.push({
          origin,
          node: res,
          authType: resolver.string(P("AuthType")),
          target: resolver.string(P("TargetFunctionArn")),
          qualifier: resolver.string(P("Qualifier")),
        });
        break;
      case "AWS::Lambda::Permission":
        model.permissions.push({
          origin,
          node: res,
          action: resolver.string(P("Action")),
          principal: resolver.string(P("Principal")),
          functionName: resolver.string(P("FunctionName")),
          sourceArn: resolver.string(P("SourceArn")),
          sourceAccount: resolver.string(P("SourceAccount")),
          principalOrgId: resolver.string(P("PrincipalOrgID")),
          functionUrlAuthType: resolver.string(P("FunctionUrlAuthType")),
        });
        break;
      case "AWS::EC2::VPCEndpoint":
        // An endpoint policy caps what goes through the endpoint; its Allow grants nothing (see `restricting.ts`).
        for (const d of doc(P("PolicyDocument"), "resource", `VPC endpoint policy of ${logicalId}`)) d.purpose = "VPC endpoint policy";
        break;
      case "AWS::Organizations::Policy": {
        // SCPs and RCPs cap what accounts' principals or resources allow; other Organizations policy types are not IAM.
        const t = resolver.string(P("Type"))?.value;
        const purpose = t === "SERVICE_CONTROL_POLICY" ? "service control policy" : t === "RESOURCE_CONTROL_POLICY" ? "resource control policy" : undefined;
        // Content is a mapping or a JSON string (read with exact locations inside it; a literal block scalar too).
        const content = P("Content");
        const node = isString(content) ? embeddedDocument(file, content, problems) : content;
        if (purpose) for (const d of doc(node, purpose === "service control policy" ? "identity" : "resource", `${purpose} ${logicalId}`)) d.purpose = purpose;
        break;
      }
      default: {
        const policyProp = RESOURCE_POLICIES[type];
        if (policyProp && policyProp !== "Statement") doc(P(policyProp), "resource", `${policyProp} of ${logicalId}`);
      }
    }
  }

  // Standalone policies attached to roles in the same template.
  for (const { doc, roles } of attach) {
    for (const r of roles) {
      const id = r.ref?.logicalId;
      const role = id ? rolesById.get(id) : model.roles.find((x) => x.name && x.name.value === r.value);
      if (role && !role.policies.includes(doc)) {
        doc.role = role;
        role.policies.push(doc);
      }
    }
  }
  markBoundaries(resources, resolver, managedById);
  // Managed policies of the same template named from the role's side (`ManagedPolicyArns: [!Ref Policy]`).
  for (const role of rolesById.values()) {
    for (const arn of resolver.list(prop(prop(role.node, "Properties"), "ManagedPolicyArns"))) {
      for (const d of (arn.ref && managedById.get(arn.ref.logicalId)) || []) {
        if (role.policies.includes(d)) continue;
        d.role ??= role;
        role.policies.push(d);
      }
    }
  }
  if (problems.length > 0) return Object.assign(model, { problems });
  return model;
}

/**
 * Managed policies of the template that a role, user or function names as its `PermissionsBoundary` and that nothing
 * attaches as a permission (`Roles`/`Users`/`Groups`, `ManagedPolicyArns`, SAM `Policies`): they cap, they grant
 * nothing (see `restricting.ts`).
 */
function markBoundaries(resources: ObjectNode, resolver: Resolver, managedById: Map<string, PolicyDocument[]>): void {
  if (managedById.size === 0) return;
  const boundaries = new Set<string>();
  const attached = new Set<string>();
  for (const { key, value: res } of resources.entries) {
    const props = prop(res, "Properties");
    if (!isObject(props)) continue;
    const b = resolver.string(prop(props, "PermissionsBoundary"));
    if (b?.ref) boundaries.add(b.ref.logicalId);
    for (const k of ["ManagedPolicyArns", "Policies"]) for (const v of resolver.list(prop(props, k))) if (v.ref) attached.add(v.ref.logicalId);
    if (managedById.has(key) && ["Roles", "Users", "Groups"].some((k) => resolver.list(prop(props, k)).length > 0)) attached.add(key);
  }
  for (const id of boundaries) {
    if (attached.has(id)) continue;
    for (const d of managedById.get(id) ?? []) {
      d.purpose = "permissions boundary";
      d.label = `permissions boundary ${id}`;
    }
  }
}

function tags(n: Node | undefined, resolver: Resolver): Str[] {
  const out: Str[] = [];
  for (const t of resolver.items(n)) {
    for (const k of ["Key", "Value"]) {
      const s = resolver.string(prop(t, k));
      if (s) out.push(s);
    }
  }
  // SAM style tags: a plain mapping.
  if (isObject(n)) for (const e of n.entries) {
    out.push({ value: e.key, node: e.value });
    const s = resolver.string(e.value);
    if (s) out.push(s);
  }
  return out;
}
