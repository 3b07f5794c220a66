/**
 * "Another account": how a principal's account relates to the account that owns the document. An account is
 * *another* when it differs from the document's own account (when known: from a role ARN, a CLI output, the
 * configuration's `accounts.own`, the environment of a CDK stack); when the own account is unknown, any explicit
 * account counts as another, except the `${AWS::AccountId}` pseudo parameter. Unknown values (`${Param}`) are unknown,
 * never another account; so is an account field that is not 12 digits (a placeholder such as `<ACCOUNT_ID>` or
 * `xxxxxxxxxxxx`, or a mistyped ID, which DPY105 and DPY207 judge): nothing can be said about whom it trusts.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { DeputyConfig } from "../config/config.js";
import type { SourceFile } from "../engine/source.js";
import type { Origin, Principal } from "./entities.js";
import type { Node } from "./node.js";
import { hasUnknown } from "./resolve.js";

export type AccountRelation = "same" | "other" | "unknown" | "public" | "not-an-account";

/** The account written in an AWS principal: a 12-digit ID or the account field of an IAM/STS ARN (maybe `${...}`). */
export function principalAccountField(value: string): string | undefined {
  if (/^\d+$/.test(value)) return value;
  if (/^\$\{AWS::AccountId\}$/.test(value)) return value;
  // The account field's alternatives are exclusive (a `${` only starts a placeholder): `(?:\$\{[^}]*\}|[^:])*` let
  // every `${x}` match two ways, exponential backtracking on an account field of 30 of them.
  const m = /^arn:(?:\$\{[^}]*\}|[^:]*):(?:iam|sts)::((?:\$\{[^}]*\}|[^:$]|\$(?!\{))*):/.exec(value);
  return m ? m[1] : undefined;
}

/** The literal 12-digit account of an AWS principal (bare ID or IAM/STS ARN), or undefined. */
export function principalAccountId(p: Principal | string): string | undefined {
  const v = typeof p === "string" ? p : p.value;
  const a = principalAccountField(v.trim());
  return a !== undefined && /^\d{12}$/.test(a) ? a : undefined;
}

/** Accounts that the configuration lists as trusted third parties (`accounts.trusted[].id`). */
export function isTrustedAccount(account: string, config?: DeputyConfig): boolean {
  return (config?.accounts?.trusted ?? []).some((t) => t && String(t.id).trim() === account);
}

/** The accounts that own a document: the origin's account, the configuration's `accounts.own`, a CDK stack's account. */
export function ownAccounts(origin: Origin, config?: DeputyConfig): Set<string> {
  const own = new Set<string>((config?.accounts?.own ?? []).map((a) => String(a).trim()));
  if (origin.ownAccount) own.add(origin.ownAccount);
  else {
    const inferred = inferredAccount(origin);
    if (inferred) own.add(inferred);
  }
  return own;
}

/**
 * The account a template or CDK stack says it deploys to (see `templateAccount`, `cdkStackAccount`), computed once
 * and kept on the origin: a file kept for the cross-file phase is pruned and may cross threads, and the answer must
 * not change with that.
 */
export function inferredAccount(origin: Origin): string | undefined {
  if (origin.inferredAccount === undefined) origin.inferredAccount = (origin.file && (templateAccount(origin) ?? cdkStackAccount(origin))) || null;
  return origin.inferredAccount ?? undefined;
}

export function accountRelation(p: Principal | string, origin: Origin, config?: DeputyConfig): AccountRelation {
  const type = typeof p === "string" ? "AWS" : p.type;
  const value = (typeof p === "string" ? p : p.value).trim();
  if (type === "*" || value === "*") return "public";
  if (type !== "AWS") return "not-an-account";
  const account = principalAccountField(value);
  if (account === undefined) return hasUnknown(value) ? "unknown" : "not-an-account";
  if (account === "${AWS::AccountId}") return "same";
  // `${Param}`, `*`, `<ACCOUNT_ID>`, `xxxxxxxxxxxx`, 11 digits: unknown (see the module comment).
  if (!/^\d{12}$/.test(account)) return "unknown";
  if (ownAccounts(origin, config).has(account)) return "same";
  return "other";
}

// ---------------------------------------------------------------------------
// The account of a template

const templateCache = new WeakMap<Node, string | null>();

/**
 * The account a CloudFormation template deploys to, when the template itself says so: an ARN built from one of the
 * template's own resources (`arn:aws:logs:REGION:123456789012:log-group:/aws/codebuild/${Project}`) names the account
 * that resource lives in, which is the stack's (CDK writes such ARNs for stacks with an explicit `env`). Only when all
 * such ARNs agree on one account.
 */
/**
 * The name in the last `${Name}` or `${Name.attr}` of `value` after `from`, before any line break: what
 * `.*\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}` captures, in linear time (the expression was quadratic on `${a.${a.${a.…`).
 */
function lastResourcePlaceholder(value: string, from: number): string | undefined {
  let p = value.lastIndexOf("${");
  if (p < from) return undefined;
  const lineEnd = value.slice(from).search(/[\n\r\u2028\u2029]/);
  const closes: number[] = [];
  for (let i = value.indexOf("}", from); i >= 0; i = value.indexOf("}", i + 1)) closes.push(i);
  let k = closes.length;
  for (; p >= from; p = p > 0 ? value.lastIndexOf("${", p - 1) : -1) {
    if (lineEnd >= 0 && p > from + lineEnd) continue;
    while (k > 0 && closes[k - 1]! >= p + 2) k--;
    const close = closes[k];
    if (close === undefined) continue;
    const m = /^([A-Za-z0-9]+)(?:\.|$)/.exec(value.slice(p + 2, close));
    if (m) return m[1];
  }
  return undefined;
}

export function templateAccount(origin: Origin): string | undefined {
  const resolver = origin.resolver;
  const resources = origin.resourceNode?.parent;
  const root = resources?.parent;
  if (!resolver?.template || !root || root.type !== "object") return undefined;
  const hit = templateCache.get(root);
  if (hit !== undefined) return hit ?? undefined;
  const ids = resolver.template.resources;
  const accounts = new Set<string>();
  const re = /^arn:(?:\$\{[^}]*\}|[^:]*):[a-z0-9-]+:[^:]*:(\d{12}):/;
  const stack: Node[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited++ < 200_000) {
    const n = stack.pop()!;
    if (n.type === "scalar") continue;
    if (n.type === "object" && n.entries.length === 1 && (n.entries[0]!.key === "Fn::Join" || n.entries[0]!.key === "Fn::Sub")) {
      for (const s of resolver.strings(n)) {
        const m = re.exec(s.value);
        const name = m ? lastResourcePlaceholder(s.value, m[0].length) : undefined;
        if (name !== undefined && ids.has(name)) accounts.add(m![1]!);
      }
      continue;
    }
    if (n.type === "object") for (const e of n.entries) stack.push(e.value);
    else for (const i of n.items) stack.push(i);
  }
  const found = accounts.size === 1 ? [...accounts][0]! : undefined;
  templateCache.set(root, found ?? null);
  return found;
}

// ---------------------------------------------------------------------------
// The account of a CDK stack

const cdkCache = new WeakMap<SourceFile, string | null>();

/**
 * The account a CDK stack deploys to, for templates of a cloud assembly: a stack with an explicit `env` writes its
 * account literally wherever the code said `Stack.of(this).account` (`new AccountRootPrincipal()` becomes
 * `arn:${AWS::Partition}:iam::123456789012:root`), so a trust in that account is a same-account trust. Taken from
 * `manifest.json` beside the template (`environment: aws://ACCOUNT/REGION`); failing that, from the CDK bootstrap
 * role names the template uses (`cdk-hnb659fds-deploy-role-ACCOUNT-REGION`) when they all name one account.
 */
export function cdkStackAccount(origin: Origin): string | undefined {
  const file = origin.file;
  if (!file || (!origin.cdkPath && !/(^|\/)cdk\.out\//.test(file.path))) return undefined;
  const hit = cdkCache.get(file);
  if (hit !== undefined) return hit ?? undefined;
  const found = fromManifest(file) ?? fromBootstrapRoles(file.text);
  cdkCache.set(file, found ?? null);
  return found;
}

/**
 * The account of each stack template a cloud assembly's `manifest.json` names (template file name -> account; the
 * first stack artifact naming a template decides), read once per assembly folder: a cdk.out folder holds one manifest
 * for all of its templates. Null when the manifest is missing or not JSON.
 */
const manifestCache = new Map<string, Map<string, string | undefined> | null>();

function manifestAccounts(dir: string): Map<string, string | undefined> | null {
  const hit = manifestCache.get(dir);
  if (hit !== undefined) return hit;
  let out: Map<string, string | undefined> | null;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as unknown;
    out = new Map();
    const artifacts = (manifest as { artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string } }> })?.artifacts;
    if (artifacts && typeof artifacts === "object") {
      for (const a of Object.values(artifacts)) {
        const template = a?.properties?.templateFile;
        if (a?.type !== "aws:cloudformation:stack" || typeof template !== "string" || out.has(template)) continue;
        out.set(template, /^aws:\/\/(\d{12})\//.exec(a.environment ?? "")?.[1]);
      }
    }
  } catch {
    out = null;
  }
  if (manifestCache.size >= 1000) manifestCache.clear();
  manifestCache.set(dir, out);
  return out;
}

function fromManifest(file: SourceFile): string | undefined {
  if (!file.absPath || file.absPath.startsWith("<")) return undefined;
  return manifestAccounts(dirname(file.absPath))?.get(basename(file.absPath));
}

function fromBootstrapRoles(text: string): string | undefined {
  const accounts = new Set<string>();
  const re = /cdk-[a-z0-9]+-(?:deploy|cfn-exec|file-publishing|image-publishing|lookup)-role-(\d{12})-[a-z0-9-]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) accounts.add(m[1]!);
  return accounts.size === 1 ? [...accounts][0] : undefined;
}
