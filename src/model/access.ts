/**
 * What an action lets its holder do, ranked for the permissions rules (DPY201, DPY202): the catalog's access levels
 * (`Permissions management`, `Write`, `Tagging`, `Read`, `List`), calibrated on what the actions do.
 *
 * - **Permissions management** only for actions that change something. The catalog labels a few reading actions so
 *   (`backup:ListIndexedRecoveryPointsForSearch`, `fsx:GetResourcePolicy`, `quicksight:DescribeTopicPermissions`): an
 *   action whose verb only reads (`Get`, `List`, `Describe`, `Search`, `View`, `BatchGet`…) is ranked as a read, so a
 *   pattern such as `backup:List*` is not called permissions management.
 * - **Read** is split in two. *Data reads* return the content a resource holds (`s3:GetObject`,
 *   `secretsmanager:GetSecretValue`, `ssm:GetParameter`, `dynamodb:Query`, `logs:GetLogEvents`); *metadata reads*
 *   only describe resources: every `List` action, `Read` actions whose verb describes (`Describe`, `List`, `Search`,
 *   `Check`, `Validate`, `Lookup`…), and `Get`/`BatchGet` actions whose name has no word for content
 *   (`GetBucketPolicy`, `GetRole`, `GetQueueUrl`, `GetDataSource`; the name's noun, before `By`/`For`/…, is
 *   Object, Secret, Value, Parameters, Item, Records, Events, Results, Credentials, Token, Password, Data, Image,
 *   Output… for content, or the name says Download). Any other `Read` verb
 *   (`Query`, `Scan`, `Select`, `Download`, `Export`, `Receive`, `Retrieve`) is a data read.
 *
 * - `Select…Config` (`config:SelectResourceConfig`, `config:SelectAggregateResourceConfig`) queries AWS Config's record
 *   of resource configurations, which describes resources: a metadata read (other `Select` actions read data).
 * - `data/access-calibration.json` names the few actions whose name says content but which return monitoring
 *   telemetry or a resource's description (`cloudwatch:GetServiceData`, `ssm-incidents:GetIncidentRecord`), each with
 *   the AWS page that says what it returns.
 *
 * The rank is a property of the catalog entry, computed once per action (`a.derived.rank`).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CatalogAction } from "./iam-catalog.js";

/** Most dangerous first: the order messages list actions in. */
export const Rank = { PermissionsManagement: 0, Write: 1, DataRead: 2, Tagging: 3, MetadataRead: 4 } as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

/** Verbs that only read, whatever the catalog's label. */
const READ_VERBS = new Set(["get", "list", "describe", "search", "view", "batchget", "batchdescribe", "lookup", "check", "validate", "count", "is", "preview", "evaluate", "test", "simulate"]);

/** Read verbs that only describe (the rest, `Query`, `Scan`, `Select`, `Download`, `Export`, `Receive`…, return content). */
const METADATA_VERBS = new Set(["describe", "list", "search", "check", "validate", "count", "is", "batchdescribe", "view", "preview", "evaluate", "simulate", "test", "detect", "lookup", "discover", "verify"]);

/**
 * The noun a `Get…`/`BatchGet…` name ends in (before `By…`, `For…`, `From…`: `GetParametersByPath`) that says it returns
 * what a resource holds rather than what it is: `GetObject`, `GetSecretValue`, `GetParameters`, `BatchGetItem`,
 * `GetLogEvents`, `GetQueryResults`, `GetPasswordData`, `BatchGetImage`, `GetClusterCredentials`, `GetConsoleOutput`,
 * `GetRecords`. `Download` anywhere in the name counts too (`GetDownloadUrlForLayer`).
 */
const CONTENT_NOUNS = new Set([
  "blob", "blobs", "block", "blocks", "ciphertext", "content", "contents", "credential", "credentials", "data", "events",
  "file", "files", "image", "item", "items", "message", "messages", "object", "objects", "output", "parameter",
  "parameters", "password", "plaintext", "record", "records", "results", "secret", "secrets", "token", "tokens", "value",
  "values",
]);

const PREPOSITIONS = new Set(["by", "for", "from", "of", "with", "in", "to"]);

/** Whether a `Get…` name (its words) returns content (see `CONTENT_NOUNS`). */
function getsContent(words: string[]): boolean {
  if (words.includes("download")) return true;
  let end = words.length;
  for (let i = 1; i < words.length; i++) {
    if (PREPOSITIONS.has(words[i]!)) {
      end = i;
      break;
    }
  }
  // `GetBucketPublicAccessBlock` is a setting; `ebs:GetSnapshotBlock` reads a disk.
  return end > 1 && CONTENT_NOUNS.has(words[end - 1]!) && !(words[end - 1] === "block" && words[end - 2] === "access");
}

/** `GetBucketPolicyStatus` → `["get", "bucket", "policy", "status"]`. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The verb of an action name (`BatchGetItem` → `batchget`, `GetObject` → `get`). */
function verbOf(words: string[]): string {
  const first = words[0] ?? "";
  if (first === "batch" && words[1]) return `batch${words[1]}`;
  return first;
}

/** The rank of an action (cached on the entry). */
export function rankOf(a: CatalogAction): Rank {
  return (a.derived.rank ??= computeRank(a));
}

let calibrated: { metadataReads: Set<string>; authorizedOnResources: Set<string> } | undefined;

/**
 * `data/access-calibration.json`, read once: the actions it ranks as metadata reads, and those AWS authorizes against
 * resource ARNs although the catalog lists no resource type for them (DPY206, `inert.ts`); lower-cased.
 */
export function calibration(): { metadataReads: Set<string>; authorizedOnResources: Set<string> } {
  if (!calibrated) {
    const file = fileURLToPath(new URL("../../data/access-calibration.json", import.meta.url));
    const data = JSON.parse(readFileSync(file, "utf8")) as Record<"metadataReads" | "authorizedOnResources", { action: string }[]>;
    const set = (xs: { action: string }[]) => new Set(xs.map((x) => x.action.toLowerCase()));
    calibrated = { metadataReads: set(data.metadataReads), authorizedOnResources: set(data.authorizedOnResources) };
  }
  return calibrated;
}

function computeRank(a: CatalogAction): Rank {
  if (calibration().metadataReads.has(a.full.toLowerCase())) return Rank.MetadataRead;
  const level = a.accessLevel.toLowerCase();
  // The name is split into words only where the level leaves the answer open (most actions are Write or List).
  if (level.includes("permissions management")) {
    const words = nameWords(a.name);
    const verb = verbOf(words);
    return READ_VERBS.has(verb) ? readRank(verb, words) : Rank.PermissionsManagement;
  }
  // "Tagging, Write": the catalog's tagging actions (kinesis:CreateChannel is labelled so, and creates a channel).
  if (level.includes("tagging")) return /tag/i.test(a.name) ? Rank.Tagging : Rank.Write;
  if (level.includes("write")) return Rank.Write;
  if (level.includes("list")) return Rank.MetadataRead;
  const words = nameWords(a.name);
  const verb = verbOf(words);
  if (level.includes("read")) return readRank(verb, words);
  // No access level in the entry: judge by the name alone.
  if (/^(Put|Attach|Detach|Create|Update|Set|Add|Remove|Revoke|Replace)\w*(Policy|Permission|Grant)/.test(a.name)) return Rank.PermissionsManagement;
  return READ_VERBS.has(verb) ? readRank(verb, words) : Rank.Write;
}

function readRank(verb: string, words: string[]): Rank {
  if (METADATA_VERBS.has(verb)) return Rank.MetadataRead;
  if (verb === "get" || verb === "batchget") return getsContent(words) ? Rank.DataRead : Rank.MetadataRead;
  if (verb === "select" && /^config(uration)?s?$/.test(words[words.length - 1] ?? "")) return Rank.MetadataRead;
  return Rank.DataRead;
}

/** Whether an action changes who can do what (calibrated: see the module comment). */
export function isPermissionsManagementRanked(a: CatalogAction): boolean {
  return rankOf(a) === Rank.PermissionsManagement;
}

/** The actions ordered most dangerous first (rank, then name); cached per (shared, never mutated) list. */
export function byDanger(actions: readonly CatalogAction[]): readonly CatalogAction[] {
  let v = sortedCache.get(actions);
  if (!v) {
    v = [...actions].sort((x, y) => rankOf(x) - rankOf(y) || (x.full < y.full ? -1 : x.full > y.full ? 1 : 0));
    sortedCache.set(actions, v);
  }
  return v;
}
const sortedCache = new WeakMap<readonly CatalogAction[], CatalogAction[]>();

/** The most dangerous action of a list (first by rank, then name), without sorting it. */
export function mostDangerous(actions: readonly CatalogAction[]): CatalogAction | undefined {
  let best: CatalogAction | undefined;
  for (const a of actions) {
    if (!best) best = a;
    else {
      const d = rankOf(a) - rankOf(best);
      if (d < 0 || (d === 0 && a.full < best.full)) best = a;
    }
  }
  return best;
}

/** The most dangerous rank among actions (`MetadataRead` for none). */
export function topRank(actions: readonly CatalogAction[]): Rank {
  let top: Rank = Rank.MetadataRead;
  for (const a of actions) {
    const r = rankOf(a);
    if (r < top) top = r;
    if (top === Rank.PermissionsManagement) break;
  }
  return top;
}

/** `3 permissions-management, 40 write and 200 read-only` — how many actions of each rank (ranks with none left out). */
export function rankCounts(actions: readonly CatalogAction[]): string {
  const counts = [0, 0, 0, 0, 0];
  for (const a of actions) counts[rankOf(a)]! += 1;
  const parts: string[] = [];
  const short: Record<Rank, string> = {
    [Rank.PermissionsManagement]: "permissions-management",
    [Rank.Write]: "write",
    [Rank.DataRead]: "data-read",
    [Rank.Tagging]: "tagging",
    [Rank.MetadataRead]: "read-only",
  };
  for (let r = 0; r < 5; r++) if (counts[r]! > 0) parts.push(`${counts[r]} ${short[r as Rank]}`);
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}
