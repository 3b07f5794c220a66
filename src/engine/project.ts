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

  // Lookup indexes, built on first use and rebuilt when files were added since: resolving references in a large
  // project must not scan every role for every reference.
  private roleIndex?: { size: number; byRef: Map<string, Role[]>; byArn: Map<string, number>; byName: Map<string, number> };
  private functionIndex?: { size: number; byRef: Map<string, LambdaFunction[]>; byArn: Map<string, number>; byName: Map<string, number> };
  private readonly fileIds = new WeakMap<object, number>();
  private nextFileId = 0;

  private fileKey(file: object, logicalId: string): string {
    let id = this.fileIds.get(file);
    if (id === undefined) this.fileIds.set(file, (id = this.nextFileId++));
    return `${id}\u0000${logicalId}`;
  }

  private roles_(): NonNullable<Project["roleIndex"]> {
    if (this.roleIndex && this.roleIndex.size === this.roles.length) return this.roleIndex;
    const idx = { size: this.roles.length, byRef: new Map<string, Role[]>(), byArn: new Map<string, number>(), byName: new Map<string, number>() };
    this.roles.forEach((r, i) => {
      if (r.origin.logicalId !== undefined) {
        const k = this.fileKey(r.origin.file, r.origin.logicalId);
        const l = idx.byRef.get(k);
        if (l) l.push(r);
        else idx.byRef.set(k, [r]);
      }
      if (r.arn && !idx.byArn.has(r.arn.value)) idx.byArn.set(r.arn.value, i);
      if (r.name && !idx.byName.has(r.name.value)) idx.byName.set(r.name.value, i);
    });
    return (this.roleIndex = idx);
  }

  private functions_(): NonNullable<Project["functionIndex"]> {
    if (this.functionIndex && this.functionIndex.size === this.functions.length) return this.functionIndex;
    const idx = { size: this.functions.length, byRef: new Map<string, LambdaFunction[]>(), byArn: new Map<string, number>(), byName: new Map<string, number>() };
    this.functions.forEach((f, i) => {
      if (f.origin.logicalId !== undefined) {
        const k = this.fileKey(f.origin.file, f.origin.logicalId);
        const l = idx.byRef.get(k);
        if (l) l.push(f);
        else idx.byRef.set(k, [f]);
      }
      if (f.arn && !idx.byArn.has(f.arn.value)) idx.byArn.set(f.arn.value, i);
      if (f.name && !idx.byName.has(f.name.value)) idx.byName.set(f.name.value, i);
    });
    return (this.functionIndex = idx);
  }

  /** The role a value refers to: a `Ref`/`GetAtt` in the same template, a literal role ARN, or a role name. */
  resolveRole(from: Origin, v: Str | undefined): Role | undefined {
    if (!v) return undefined;
    const idx = this.roles_();
    if (v.ref) return idx.byRef.get(this.fileKey(from.file, v.ref.logicalId))?.find((r) => r.origin.resolver === from.resolver);
    const arnName = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(v.value)?.[1];
    // The first role in project order that matches by ARN or by name.
    const i = firstIndex(idx.byArn.get(v.value), arnName !== undefined ? idx.byName.get(arnName) : undefined, idx.byName.get(v.value));
    return i === undefined ? undefined : this.roles[i];
  }

  /** The function a value refers to: a `Ref`/`GetAtt` in the same template, a literal function ARN, or a name. */
  resolveFunction(from: Origin, v: Str | undefined): LambdaFunction | undefined {
    if (!v) return undefined;
    const idx = this.functions_();
    if (v.ref) return idx.byRef.get(this.fileKey(from.file, v.ref.logicalId))?.[0];
    const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(v.value);
    const name = m ? m[1]! : v.value;
    const i = firstIndex(idx.byArn.get(v.value), idx.byName.get(name));
    return i === undefined ? undefined : this.functions[i];
  }
}

function firstIndex(...xs: (number | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const x of xs) if (x !== undefined && (best === undefined || x < best)) best = x;
  return best;
}
