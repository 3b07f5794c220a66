#!/usr/bin/env node
/**
 * Rebuilds data/known-aws-accounts.json from fwd:cloudsec's list of known AWS accounts
 * (https://github.com/fwdcloudsec/known_aws_accounts, Apache-2.0): the vendors and AWS services whose AWS accounts
 * are publicly documented, each with the URLs that show the account is theirs. deputy never fetches anything, so the
 * list is read from a local copy of the repository's accounts.yaml:
 *
 *   node scripts/update-known-accounts.mjs path/to/accounts.yaml COMMIT
 *
 * The licence text is kept beside the data (data/known-aws-accounts.LICENSE.txt).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const [input, commit] = process.argv.slice(2);
if (!input || !/^[0-9a-f]{40}$/.test(commit ?? "")) {
  console.error("usage: node scripts/update-known-accounts.mjs accounts.yaml COMMIT");
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const entries = parse(readFileSync(input, "utf8"));
const vendors = [];
for (const e of entries) {
  const accounts = [...new Set((e.accounts ?? []).map(String))].filter((a) => /^\d{12}$/.test(a));
  if (!e.name || accounts.length === 0) continue;
  const v = { name: String(e.name).trim(), accounts };
  if (e.type === "aws") v.aws = true;
  if (e.enabled === false) v.enabled = false;
  if (e.deprecated_date) v.deprecated = String(e.deprecated_date);
  v.source = (e.source ?? []).map(String);
  vendors.push(v);
}
const out = {
  $comment:
    "Known AWS accounts of vendors and AWS services, from fwd:cloudsec's known_aws_accounts (accounts.yaml), for DPY101 to name the party a trust lets in. Each entry keeps the list's own sources (URLs that publicly associate the account with the vendor; some older entries have none). aws = an AWS-owned account of the named service; enabled = false: the list marks it deprecated. Regenerate with scripts/update-known-accounts.mjs.",
  source: `https://github.com/fwdcloudsec/known_aws_accounts/blob/${commit}/accounts.yaml`,
  licence: "Apache-2.0 (data/known-aws-accounts.LICENSE.txt)",
  vendors,
};
writeFileSync(join(root, "data", "known-aws-accounts.json"), JSON.stringify(out, null, 1) + "\n");
console.log(`${vendors.length} vendors, ${vendors.reduce((n, v) => n + v.accounts.length, 0)} accounts`);
