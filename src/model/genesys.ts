/**
 * Genesys Cloud facts: the AWS accounts Genesys assumes roles from, the region ↔ domain table, and name tests.
 * The data lives in `data/genesys-accounts.json` (with the source of each fact) and is loaded once.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { levenshtein } from "./edit-distance.js";

export interface GenesysAccountEntry {
  account: string;
  environment: "commercial" | "fedramp" | string;
  regions: string[];
  status: "confirmed" | "supported" | "unconfirmed" | string;
  source: string;
  alsoSeenIn?: string[];
  note?: string;
}

export interface GenesysAccountData {
  accounts: GenesysAccountEntry[];
  unknownRegions: { region?: string; partition?: string; status: string; note?: string }[];
  regionDomainsSource: string;
  /** AWS region → Genesys Cloud domain (`eu-west-1` → `mypurecloud.ie`). */
  regionDomains: Record<string, string>;
  knownWrong: { account: string; expected?: string; note: string; source?: string }[];
}

let cache: GenesysAccountData | undefined;

/** The Genesys account table (`data/genesys-accounts.json`, two levels above this module in `src/` and `dist/`). */
export function genesysData(): GenesysAccountData {
  if (!cache) {
    const file = fileURLToPath(new URL("../../data/genesys-accounts.json", import.meta.url));
    cache = JSON.parse(readFileSync(file, "utf8")) as GenesysAccountData;
  }
  return cache;
}

/** All Genesys AWS account IDs (commercial first). */
export function genesysAccounts(): string[] {
  return genesysData().accounts.map((a) => a.account);
}

/** The table entry for a Genesys account, if `account` is one. */
export function genesysAccountEntry(account: string): GenesysAccountEntry | undefined {
  return genesysData().accounts.find((a) => a.account === account);
}

/** Whether `account` (a bare 12-digit ID, surrounding whitespace ignored) is a Genesys account. */
export function isGenesysAccount(account: string): boolean {
  return typeof account === "string" && genesysAccounts().includes(account.trim());
}

/**
 * The Genesys account that `account` is a near miss of: a digit string of 9–15 digits, not itself a Genesys
 * account, within edit distance 1–3 (digits changed, added or dropped) of one. `765628981432` → `765628985471`,
 * `76562898547` → `765628985471`. Otherwise undefined. The closest account wins.
 */
export function nearMissGenesysAccount(account: string): string | undefined {
  if (typeof account !== "string") return undefined;
  const a = account.trim();
  if (!/^\d{9,15}$/.test(a) || isGenesysAccount(a)) return undefined;
  let best: { account: string; d: number } | undefined;
  for (const g of genesysAccounts()) {
    const d = levenshtein(a, g, 3);
    if (d >= 1 && d <= 3 && (!best || d < best.d)) best = { account: g, d };
  }
  return best?.account;
}

/** AWS region → Genesys domain. */
export function genesysRegionDomains(): Record<string, string> {
  return { ...genesysData().regionDomains };
}

/** Normalize a region (`eu_west_1`, `EU-WEST-1`) or a Genesys domain/URL (`https://api.mypurecloud.ie/x`) to a region. */
export function genesysRegion(regionOrDomain: string): string | undefined {
  if (typeof regionOrDomain !== "string") return undefined;
  const v = regionOrDomain.trim().toLowerCase();
  if (v === "") return undefined;
  const domains = genesysData().regionDomains;
  const asRegion = v.replace(/_/g, "-");
  if (Object.prototype.hasOwnProperty.call(domains, asRegion)) return asRegion;
  const host = v
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#:].*$/, "")
    .replace(/\.$/, "");
  for (const [region, domain] of Object.entries(domains)) {
    if (host === domain || host.endsWith(`.${domain}`)) return region;
  }
  return undefined;
}

/**
 * The Genesys account expected for a Genesys region, given as an AWS region (`eu-west-1`, also `eu_west_1`) or a
 * Genesys domain (`mypurecloud.ie`, `api.mypurecloud.ie`, `use2.us-gov-pure.cloud`). FedRAMP us-east-2 →
 * `325654371633`; commercial regions → `765628985471`; regions whose account is unconfirmed (mx-central-1,
 * ap-southeast-1) or unknown input → undefined.
 */
export function expectedGenesysAccountForRegion(regionOrDomain: string): string | undefined {
  const region = genesysRegion(regionOrDomain);
  if (!region) return undefined;
  return genesysData().accounts.find((a) => a.regions.includes(region))?.account;
}

/**
 * Whether a name or text is Genesys-facing: it mentions Genesys, PureCloud (also `Pure Cloud`, `pure-cloud`) or a data
 * action (`data action`, `DataAction`, `data-action`, `data_actions`...), case-insensitive. "data action" must start a
 * word or a camel-case part, so `metadataAction` does not count.
 */
export function mentionsGenesys(text: string): boolean {
  if (typeof text !== "string" || text === "") return false;
  if (/genesys|pure[-_ ]?cloud/i.test(text)) return true;
  const re = /data[-_ ]?actions?/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const i = m.index;
    const prev = text[i - 1];
    if (i === 0 || !/[A-Za-z]/.test(prev as string) || (text[i] === "D" && /[a-z0-9]/.test(prev as string))) {
      return true;
    }
  }
  return false;
}

/** Whether `s` is a UUID (8-4-4-4-12 hex digits, any case), the form of a Genesys organization ID. */
export function isUuid(s: string): boolean {
  return typeof s === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
