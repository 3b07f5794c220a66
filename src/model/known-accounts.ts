/**
 * AWS accounts deputy can name: known vendors and AWS services (`data/known-aws-accounts.json`, from fwd:cloudsec's
 * known_aws_accounts list, with that list's sources), and the example account IDs of the AWS documentation, which in
 * a policy mean an example was copied and never filled in.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface KnownVendor {
  name: string;
  accounts: string[];
  /** An AWS-owned account of the named AWS service. */
  aws?: boolean;
  /** false: the list marks the entry deprecated. */
  enabled?: boolean;
  deprecated?: string;
  source: string[];
}

interface KnownAccountData {
  source: string;
  vendors: KnownVendor[];
}

let byAccount: Map<string, KnownVendor> | undefined;

function table(): Map<string, KnownVendor> {
  if (!byAccount) {
    const file = fileURLToPath(new URL("../../data/known-aws-accounts.json", import.meta.url));
    const data = JSON.parse(readFileSync(file, "utf8")) as KnownAccountData;
    byAccount = new Map();
    for (const v of data.vendors) for (const a of v.accounts) if (!byAccount.has(a)) byAccount.set(a, v);
  }
  return byAccount;
}

/** The known vendor or AWS service that owns `account` (12 digits), if the table lists it. */
export function knownVendor(account: string): KnownVendor | undefined {
  return table().get(account.trim());
}

/** How a message names a known account's owner: `Datadog`, `AWS (ELB logs)`. */
export function vendorLabel(v: KnownVendor): string {
  return v.aws ? `AWS (${v.name})` : v.name;
}

/**
 * The example account ID of the AWS documentation, 123456789012 (used by most pages, for instance the Principal
 * element reference, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html),
 * and its rotation 012345678901. No one issues a trust to these on purpose. (The 111122223333 / 444455556666 pair of
 * newer pages is not listed: it is also what people, and deputy's own examples, write for "some other account".)
 */
const DOCUMENTATION_ACCOUNTS = new Set(["123456789012", "012345678901"]);

/**
 * Whether `account` is a placeholder rather than an account someone meant: an example ID of the AWS documentation,
 * or one digit twelve times (`000000000000`, `111111111111`).
 */
export function isPlaceholderAccount(account: string): boolean {
  const a = account.trim();
  return DOCUMENTATION_ACCOUNTS.has(a) || /^(\d)\1{11}$/.test(a);
}
