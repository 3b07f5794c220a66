/**
 * Semantic entities that parsers emit, whatever the input format (raw policy JSON, CloudFormation JSON/YAML, CDK
 * cloud assemblies, AWS CLI outputs, Genesys data action exports). Rules are written against these.
 */
import type { SourceFile } from "../engine/source.js";
import type { Node, ObjectNode } from "./node.js";
import type { Resolver, Str } from "./resolve.js";

export type PolicyKind = "identity" | "trust" | "resource";

/** Where an entity sits: the file, and its logical location for reports and fingerprints. */
export interface Origin {
  file: SourceFile;
  /** CloudFormation logical ID of the resource. */
  logicalId?: string;
  resourceType?: string;
  /** CDK construct path (`aws:cdk:path`). */
  cdkPath?: string;
  /** The resource node (a CloudFormation resource, a CLI `Role` object): the fallback location. */
  resourceNode?: Node;
  resolver: Resolver;
  /** The AWS account that owns the document, when known (12 digits). */
  ownAccount?: string;
  /** The account the template or CDK stack deploys to, once inferred (`null`: none); see `inferredAccount`. */
  inferredAccount?: string | null;
  /**
   * What `ref`s are resolved within, when wider than the file: a Terraform configuration (a module's resources are
   * spread over its files). Logical IDs are then Terraform addresses, unique within it.
   */
  scope?: object;
}

export interface PolicyDocument {
  kind: PolicyKind;
  node: ObjectNode;
  origin: Origin;
  statements: Statement[];
  /** Human label: "trust policy of role GenesysRole", "policy LambdaInvoke". */
  label: string;
  /** The role whose trust or permission policy this is, when known. */
  role?: Role;
  /** Role names a policy resource attaches itself to, once read (`documentRoleNames`). */
  roleNames?: { roles: string[]; roleName: string[] };
  /**
   * A policy that restricts rather than grants, when its context says so (see `restricting.ts`): a permissions
   * boundary, a VPC endpoint policy, an SCP or RCP, a session policy. An Allow there caps what other policies grant.
   */
  purpose?: RestrictingPurpose;
  /** An AWS managed policy (`arn:aws:iam::aws:policy/…`) in an account dump: its breadth is reported at its attachments. */
  awsManaged?: { name: string };
}

export type RestrictingPurpose = "permissions boundary" | "VPC endpoint policy" | "service control policy" | "resource control policy" | "session policy";

export interface ValueList {
  /** The node of the property value (string or array). */
  node: Node;
  /** The key as written (`Action`, or `action` when mis-cased). */
  key: string;
  values: Str[];
}

export type PrincipalType = "AWS" | "Service" | "Federated" | "CanonicalUser" | "*";

export interface Principal {
  type: PrincipalType;
  /** `*`, an account ID, an ARN, a service name, or an unknown `${...}`. */
  value: string;
  node: Node;
  ref?: Str["ref"];
}

export interface Condition {
  /** Operator as written, e.g. `StringEqualsIfExists`, `ForAnyValue:StringLike`. */
  operator: string;
  /** Base operator, lowercase, without set prefix and IfExists: `stringequals`, `arnlike`, `null`, `bool`. */
  op: string;
  ifExists: boolean;
  set?: "forallvalues" | "foranyvalue";
  /** Condition key, lowercase (IAM compares keys case-insensitively). */
  key: string;
  keyAsWritten: string;
  values: Str[];
  /** The value node of the key (`"sts:ExternalId": <node>`). */
  node: Node;
  /**
   * Set when a CloudFormation `Fn::If` around the condition has a branch without this key (`AWS::NoValue`, or a
   * block that lacks it): the statement can be deployed without it. `ifNode` is that `Fn::If`, `when` its condition
   * name (the key is there only when it is true, or only when false).
   */
  optional?: { ifNode: Node; when: string; present: boolean };
}

export interface Statement {
  doc: PolicyDocument;
  node: ObjectNode;
  index: number;
  sid?: string;
  effect?: string;
  effectNode?: Node;
  action?: ValueList;
  notAction?: ValueList;
  resource?: ValueList;
  notResource?: ValueList;
  principalNode?: Node;
  principals?: Principal[];
  notPrincipalNode?: Node;
  notPrincipals?: Principal[];
  conditionNode?: Node;
  conditions: Condition[];
}

export interface Role {
  origin: Origin;
  node: Node;
  /** Role name, ARN, path, description as statically known. */
  name?: Str;
  arn?: Str;
  path?: Str;
  description?: Str;
  tags: Str[];
  trust?: PolicyDocument;
  policies: PolicyDocument[];
  /** Why its own file shows its policies are incomplete (`null`: they are not), once read (`roleLocalIncompleteReason`). */
  localIncompleteReason?: string | null;
}

export interface LambdaFunction {
  origin: Origin;
  node: Node;
  name?: Str;
  arn?: Str;
  /** The execution role (an ARN, or `${Role.Arn}` with `ref`). */
  role?: Str;
}

export interface FunctionUrl {
  origin: Origin;
  node: Node;
  authType?: Str;
  /** The function (name, ARN or `${Fn.Arn}` with `ref`). */
  target?: Str;
  qualifier?: Str;
}

export interface LambdaPermission {
  origin: Origin;
  node: Node;
  action?: Str;
  principal?: Str;
  functionName?: Str;
  sourceArn?: Str;
  sourceAccount?: Str;
  principalOrgId?: Str;
  functionUrlAuthType?: Str;
}

export interface DataActionHeader {
  name: string;
  value: string;
  node: Node;
}

export interface DataAction {
  origin: Origin;
  node: Node;
  name?: string;
  integrationType?: string;
  url?: string;
  urlNode?: Node;
  headers: DataActionHeader[];
  /** Body template (`config.request.requestTemplate`). */
  body?: string;
  bodyNode?: Node;
  /** Terraform (CX as Code) source: `$${` in strings is an escaped `${`. */
  terraform?: boolean;
}

/** A Genesys integration or credential that names a role ARN (it makes the role Genesys-facing). */
export interface GenesysRoleReference {
  origin: Origin;
  node: Node;
  roleArn: Str;
}

/** Everything one file contributed. */
export interface FileModel {
  file: SourceFile;
  root?: Node;
  /** What the file was recognised as (`policy`, `cloudformation`, `cdk-manifest`, `cli:get-role`, `data-action`…). */
  kind: string;
  documents: PolicyDocument[];
  roles: Role[];
  functions: LambdaFunction[];
  functionUrls: FunctionUrl[];
  permissions: LambdaPermission[];
  dataActions: DataAction[];
  roleReferences: GenesysRoleReference[];
  /** AWS managed policies attached to roles in an account dump, at the attachment (`AttachedManagedPolicies[].PolicyArn`). */
  managedAttachments?: ManagedAttachment[];
}

export interface ManagedAttachment {
  role: Role;
  policy: PolicyDocument;
  /** The `PolicyArn` value of the attachment. */
  node: Node;
  origin: Origin;
}

export function emptyModel(file: SourceFile, kind: string, root?: Node): FileModel {
  return { file, root, kind, documents: [], roles: [], functions: [], functionUrls: [], permissions: [], dataActions: [], roleReferences: [] };
}
