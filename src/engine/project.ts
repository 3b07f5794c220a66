/**
 * The project-wide index one run builds from every file's entities, for cross-file rules (roles by ARN and name,
 * functions, function URLs, permissions, data actions). Rules query it after all files are parsed.
 */
import { pushAll } from "./arrays.js";
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

  private readonly models = new Map<object, FileModel>();

  /** The model of a file of the project. */
  modelOf(file: object): FileModel | undefined {
    return this.models.get(file);
  }

  private readonly memos = new Map<string, { size: number; value: unknown }>();

  /**
   * A value derived from the whole project (an index), built on first use and again when files were added since:
   * helpers called once per role or per data action must not scan every function or document each time.
   */
  memo<T>(key: string, build: () => T): T {
    const hit = this.memos.get(key);
    if (hit && hit.size === this.files.length) return hit.value as T;
    const value = build();
    this.memos.set(key, { size: this.files.length, value });
    return value;
  }

  private readonly objectCaches = new Map<string, WeakMap<object, unknown>>();

  /**
   * A cache of answers about entities (a role's grants, whether it is Genesys-facing) that depend on the whole
   * project: it lives as long as this project, so a later run that takes in the same file models (a language server's
   * session, src/api.ts) never sees an answer computed from another run's files.
   */
  entityCache<K extends object, V>(key: string): WeakMap<K, V> {
    let c = this.objectCaches.get(key);
    if (!c) this.objectCaches.set(key, (c = new WeakMap()));
    return c as WeakMap<K, V>;
  }

  add(m: FileModel): void {
    this.files.push(m);
    this.models.set(m.file, m);
    pushAll(this.roles, m.roles);
    pushAll(this.documents, m.documents);
    pushAll(this.functions, m.functions);
    pushAll(this.functionUrls, m.functionUrls);
    pushAll(this.permissions, m.permissions);
    pushAll(this.dataActions, m.dataActions);
    pushAll(this.roleReferences, m.roleReferences);
  }

  // Resolving references in a large project must not scan every role for every reference: lookups use indexes
  // (`memo`), rebuilt when files were added since.
  private readonly fileIds = new WeakMap<object, number>();
  private nextFileId = 0;

  private fileKey(file: object, logicalId: string): string {
    let id = this.fileIds.get(file);
    if (id === undefined) this.fileIds.set(file, (id = this.nextFileId++));
    return `${id}\u0000${logicalId}`;
  }

  /** Indexes entities by (file, logical ID), and the first one in project order by ARN and by name. */
  private index<T extends Role | LambdaFunction>(items: T[]): EntityIndex<T> {
    const byArn = new Map<string, number>();
    const byName = new Map<string, number>();
    items.forEach((x, i) => {
      if (x.arn && !byArn.has(x.arn.value)) byArn.set(x.arn.value, i);
      if (x.name && !byName.has(x.name.value)) byName.set(x.name.value, i);
    });
    const byRef = groupBy(items, (x) => (x.origin.logicalId === undefined ? undefined : this.fileKey(x.origin.scope ?? x.origin.file, x.origin.logicalId)));
    return { byRef, byArn, byName };
  }

  private roles_(): EntityIndex<Role> {
    return this.memo("roleIndex", () => this.index(this.roles));
  }

  private functions_(): EntityIndex<LambdaFunction> {
    return this.memo("functionIndex", () => this.index(this.functions));
  }

  /** The functions of one template (same file, same resolver) with this logical ID, in project order. */
  functionsByRef(from: Origin, logicalId: string): LambdaFunction[] {
    return (this.functions_().byRef.get(this.fileKey(from.scope ?? from.file, logicalId)) ?? []).filter((f) => f.origin.resolver === from.resolver || (from.scope !== undefined && f.origin.scope === from.scope));
  }

  /** The role a value refers to: a `Ref`/`GetAtt` in the same template, a literal role ARN, or a role name. */
  resolveRole(from: Origin, v: Str | undefined): Role | undefined {
    if (!v) return undefined;
    const idx = this.roles_();
    if (v.ref) return idx.byRef.get(this.fileKey(from.scope ?? from.file, v.ref.logicalId))?.find((r) => r.origin.resolver === from.resolver || (from.scope !== undefined && r.origin.scope === from.scope));
    const arnName = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(v.value)?.[1];
    // The first role in project order that matches by ARN or by name.
    const i = firstIndex(idx.byArn.get(v.value), arnName !== undefined ? idx.byName.get(arnName) : undefined, idx.byName.get(v.value));
    return i === undefined ? undefined : this.roles[i];
  }

  /** The function a value refers to: a `Ref`/`GetAtt` in the same template, a literal function ARN, or a name. */
  resolveFunction(from: Origin, v: Str | undefined): LambdaFunction | undefined {
    if (!v) return undefined;
    const idx = this.functions_();
    if (v.ref) return idx.byRef.get(this.fileKey(from.scope ?? from.file, v.ref.logicalId))?.[0];
    const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(v.value);
    const name = m ? m[1]! : v.value;
    const i = firstIndex(idx.byArn.get(v.value), idx.byName.get(name));
    return i === undefined ? undefined : this.functions[i];
  }
}

interface EntityIndex<T> {
  byRef: Map<string, T[]>;
  byArn: Map<string, number>;
  byName: Map<string, number>;
}

function firstIndex(...xs: (number | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const x of xs) if (x !== undefined && (best === undefined || x < best)) best = x;
  return best;
}

/** Items grouped by a key (items without one are left out), each group in input order. */
export function groupBy<T, K>(items: readonly T[], keyOf: (x: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const x of items) {
    const k = keyOf(x);
    if (k === undefined) continue;
    const g = groups.get(k);
    if (g) g.push(x);
    else groups.set(k, [x]);
  }
  return groups;
}
