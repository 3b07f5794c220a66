/**
 * The project-wide index one run builds from every file's entities, for cross-file rules (roles by ARN and name,
 * functions, function URLs, permissions, data actions). Rules query it after all files are parsed.
 */
import type { DataAction, FileModel, FunctionUrl, GenesysRoleReference, LambdaFunction, LambdaPermission, Origin, PolicyDocument, Role } from "../model/entities.js";
import type { Str } from "../model/resolve.js";
import type { DeputyConfig } from "../config/config.js";

export class Project {
  readonly files: FileModel[] = [];
  readonly roles: Role[] = [];
  readonly documents: PolicyDocument[] = [];
  readonly functions: LambdaFunction[] = [];
  readonly functionUrls: FunctionUrl[] = [];
  readonly permissions: LambdaPermission[] = [];
  readonly dataActions: DataAction[] = [];
  readonly roleReferences: GenesysRoleReference[] = [];

  constructor(readonly config: DeputyConfig) {}

  add(m: FileModel): void {
    this.files.push(m);
    this.roles.push(...m.roles);
    this.documents.push(...m.documents);
    this.functions.push(...m.functions);
    this.functionUrls.push(...m.functionUrls);
    this.permissions.push(...m.permissions);
    this.dataActions.push(...m.dataActions);
    this.roleReferences.push(...m.roleReferences);
  }

  /** The role a value refers to: a `Ref`/`GetAtt` in the same template, a literal role ARN, or a role name. */
  resolveRole(from: Origin, v: Str | undefined): Role | undefined {
    if (!v) return undefined;
    if (v.ref) return this.roles.find((r) => r.origin.file === from.file && r.origin.logicalId === v.ref!.logicalId && r.origin.resolver === from.resolver);
    const arnName = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(v.value)?.[1];
    return this.roles.find((r) => (r.arn && r.arn.value === v.value) || (arnName !== undefined && r.name?.value === arnName) || r.name?.value === v.value);
  }

  /** The function a value refers to: a `Ref`/`GetAtt` in the same template, a literal function ARN, or a name. */
  resolveFunction(from: Origin, v: Str | undefined): LambdaFunction | undefined {
    if (!v) return undefined;
    if (v.ref) return this.functions.find((f) => f.origin.file === from.file && f.origin.logicalId === v.ref!.logicalId);
    const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(v.value);
    const name = m ? m[1] : v.value;
    return this.functions.find((f) => (f.arn && f.arn.value === v.value) || f.name?.value === name);
  }
}
