/**
 * The Genesys-facing test (RULES.md): a role is Genesys-facing when it trusts a Genesys account; its name, logical ID,
 * path, description or tags mention Genesys, PureCloud or "data action"; its ARN is referenced by a Genesys
 * integration or data action in the scanned files; or the configuration names it.
 */
import type { Project } from "../engine/project.js";
import type { PolicyDocument, Role } from "./entities.js";
import { mentionsGenesys, isGenesysAccount } from "./genesys.js";
import { isAllow } from "./policy.js";
import { principalAccountField } from "./accounts.js";

export interface GenesysFacing {
  /** Why the role counts as Genesys-facing, for messages ("it trusts the Genesys account 765628985471"). */
  reason: string;
}

export function genesysFacing(role: Role, project?: Project): GenesysFacing | undefined {
  // The answer depends on the project (a data action in another file can make a role Genesys-facing): cached on it.
  const cache = project?.entityCache<Role, GenesysFacing | null>("genesysFacing");
  const hit = cache?.get(role);
  if (hit !== undefined) return hit ?? undefined;
  const result = compute(role, project);
  cache?.set(role, result ?? null);
  return result;
}

/** Whether the role trusts a Genesys account in an Allow statement (returns that account). */
export function trustedGenesysAccount(role: Role): string | undefined {
  return role.trust ? trustedGenesysAccountIn(role.trust) : undefined;
}

/** The Genesys account an Allow statement of a trust (or any) policy document names as an AWS principal, if any. */
export function trustedGenesysAccountIn(doc: PolicyDocument): string | undefined {
  for (const s of doc.statements) {
    if (!isAllow(s)) continue;
    for (const p of s.principals ?? []) {
      if (p.type !== "AWS") continue;
      const acct = principalAccountField(p.value.trim());
      if (acct && isGenesysAccount(acct)) return acct;
    }
  }
  return undefined;
}

/** The role name in a role ARN (`arn:aws:iam::123456789012:role/path/Name` → `Name`). */
function roleNameOfArn(arn: string): string | undefined {
  return /^arn:[^:]*:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}

/** Whether a configured name or ARN (`genesysRoles`) designates the role. */
function configNames(role: Role, entry: string): boolean {
  const n = entry.trim();
  if (n === "") return false;
  if (n === role.name?.value || n === role.arn?.value || n === role.origin.logicalId) return true;
  const fromArn = roleNameOfArn(n);
  return fromArn !== undefined && (fromArn === role.name?.value || (role.arn !== undefined && roleNameOfArn(role.arn.value) === fromArn));
}

/** What a Genesys-facing text mentions, for messages. */
function mentioned(t: string): string {
  if (/genesys/i.test(t)) return "Genesys";
  if (/pure[-_ ]?cloud/i.test(t)) return "PureCloud";
  return "data actions";
}

function compute(role: Role, project?: Project): GenesysFacing | undefined {
  const acct = trustedGenesysAccount(role);
  if (acct) return { reason: `it trusts the Genesys account ${acct}` };
  const texts: [string, string | undefined][] = [
    ["name", role.name?.value],
    ["logical ID", role.origin.logicalId],
    ["path", role.path?.value],
    ["description", role.description?.value],
    // The construct path below the stack: a stack named "GenesysStack" does not make each of its roles Genesys-facing.
    ["CDK path", role.origin.cdkPath?.split("/").slice(1).join("/")],
  ];
  for (const [what, t] of texts) if (t && mentionsGenesys(t)) return { reason: `its ${what} "${t}" mentions ${mentioned(t)}` };
  for (const t of role.tags) if (mentionsGenesys(t.value)) return { reason: `its tag "${t.value}" mentions ${mentioned(t.value)}` };
  if (project) {
    // The first Genesys integration (in project order) that names each role.
    const referenced = project.memo("genesysReferencedRoles", () => {
      const idx = new Map<Role, string>();
      for (const ref of project.roleReferences) {
        const r = project.resolveRole(ref.origin, ref.roleArn);
        if (r && !idx.has(r)) idx.set(r, ref.origin.file.path);
      }
      return idx;
    });
    const refFile = referenced.get(role);
    if (refFile !== undefined) return { reason: `a Genesys integration in ${refFile} uses it` };
    const names = project.config.genesysRoles ?? [];
    if (names.some((n) => typeof n === "string" && configNames(role, n))) return { reason: "the configuration names it" };
  }
  return undefined;
}
