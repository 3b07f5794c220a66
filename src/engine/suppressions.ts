/**
 * Suppressions that cannot fail silently. Three ways to write one:
 *
 * - CloudFormation / CDK: `Metadata: { deputy: { suppress: [{ rule, reason, expires? }] } }` on a resource (applies to
 *   findings whose origin is that resource) or at the template's top level (applies to the whole file). CDK's
 *   `addMetadata("deputy", {...})` produces the same shape in the synthesized template.
 * - YAML comments: `# deputy-ignore DPY202 -- reason` at the end of the finding's line, or on the line(s) just above.
 * - Configuration: `suppress: [{ file, rule, path?, sid?, reason, expires? }]` for raw JSON files that have no room
 *   for either (policies, data action exports).
 *
 * A rule may be named by code or name. A suppression is honoured only with a reason, a known rule and an unexpired
 * date; every one that is not honoured, and every honoured one that matched nothing, becomes a notification: a
 * located warning that every report shows and that counts towards `--fail-on warning` / `--max-warnings`.
 */
import { pushAll, replaceAll } from "./arrays.js";
import { MAX_MESSAGE, safeText } from "./safe-text.js";
import { levenshtein } from "../model/edit-distance.js";
import type { ConfigSuppression, DeputyConfig } from "../config/config.js";
import { configuredSetting, matchesGlobs } from "../config/config.js";
import type { Origin } from "../model/entities.js";
import type { Node } from "../model/node.js";
import { isArray, isObject, isScalar, prop, stringValue } from "../model/node.js";
import type { Finding } from "./finding.js";
import type { Rule } from "./rule.js";
import type { Region, SourceFile } from "./source.js";

export type NotificationKind = "suppression-no-reason" | "suppression-unknown-rule" | "suppression-unused" | "suppression-expired" | "suppression-invalid";

/** A problem with deputy's own inputs (suppressions), shown in every output format; never a rule finding. */
export interface Notification {
  kind: NotificationKind;
  level: "warning";
  message: string;
  /** File the problem is written in (as reported), and where. */
  file?: string;
  region?: Region;
}

type Source = "metadata" | "comment" | "config";

/** A suppression entry as sent between threads. */
export type SentSuppression = Omit<Entry, "rule" | "scopeFile"> & { ruleCode?: string };

interface Entry {
  source: Source;
  ruleText: string;
  rule?: Rule;
  reason?: string;
  expires?: string;
  /** Honoured: known rule, a reason, not expired. */
  honoured: boolean;
  used: boolean;
  /** Where the suppression is written. */
  file: string;
  region: Region;
  /** Scope. */
  scopeFile?: SourceFile;
  resource?: string;
  lines?: Set<number>;
  config?: ConfigSuppression;
  /** Config entries with a `file` glob: whether any file of this run matched it. */
  fileSeen?: boolean;
}

const SOURCE_LABEL: Record<Source, string> = {
  metadata: "Metadata suppression",
  comment: "deputy-ignore comment",
  config: "Configuration suppression",
};

/** The rule a suppression or configuration names (code or name, case-insensitive). */
export function lookupRule(rules: readonly Rule[], text: string): Rule | undefined {
  const k = text.trim().toLowerCase();
  return rules.find((r) => r.code.toLowerCase() === k || r.name.toLowerCase() === k);
}

/** The nearest rule code or name to a misspelling, as "DPY202 (wildcard-resource)". */
export function suggestRule(rules: readonly Rule[], text: string): string | undefined {
  const k = text.trim().toLowerCase();
  let best: { d: number; r: Rule } | undefined;
  for (const r of rules) {
    for (const cand of [r.code.toLowerCase(), r.name]) {
      const d = levenshtein(k, cand);
      if (!best || d < best.d) best = { d, r };
    }
  }
  if (!best) return undefined;
  const limit = Math.max(2, Math.floor(k.length / 3));
  return best.d <= limit ? `${best.r.code} (${best.r.name})` : undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function ruleLabel(e: Entry): string {
  return e.rule ? `${e.rule.code} (${e.rule.name})` : `"${e.ruleText}"`;
}

/** The CloudFormation logical ID a finding belongs to, when its origin (or node) is a template resource. */
function resourceOf(origin: Origin, node: Node | undefined): string | undefined {
  const rn = origin.resourceNode;
  if (rn && rn.path.length === 2 && rn.path[0] === "Resources") return String(rn.path[1]);
  if (node && node.path.length >= 2 && node.path[0] === "Resources") return String(node.path[1]);
  return undefined;
}

const COMMENT = /(?:^|\s)#\s*deputy-ignore(?=[\s:]|$):?(.*)$/;
/** HCL (Terraform) also has `//` and `/* ... *\/` comments. */
const HCL_COMMENT = /(?:^|\s)(?:#|\/\/|\/\*)\s*deputy-ignore(?=[\s:*]|$):?(.*?)(?:\*\/\s*)?$/;

export class Suppressions {
  private readonly entries: Entry[] = [];
  private readonly byFile = new Map<SourceFile, Entry[]>();
  readonly notifications: Notification[] = [];

  constructor(
    private readonly config: DeputyConfig,
    private readonly rules: readonly Rule[],
    private readonly now: Date = new Date(),
  ) {
    for (const s of config.suppress ?? []) {
      const loc = s.loc;
      const region: Region = loc ? { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn } : { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
      this.add({ source: "config", ruleText: s.rule ?? "", reason: s.reason, expires: s.expires, file: loc?.file ?? config.source ?? "deputy.config.yaml", region, config: s, honoured: false, used: false });
    }
  }

  private notify(kind: NotificationKind, e: Pick<Entry, "file" | "region">, message: string): void {
    // Messages quote suppression comments, which are input text.
    this.notifications.push({ kind, level: "warning", message: safeText(message, MAX_MESSAGE), file: e.file, region: e.region });
  }

  /** Validates an entry (rule, reason, expiry), reports what is wrong with it, and keeps it. */
  private add(e: Entry): void {
    const label = SOURCE_LABEL[e.source];
    e.honoured = true;
    if (e.ruleText.trim() === "") {
      this.notify("suppression-invalid", e, `${label} names no rule, so it suppresses nothing; give the rule code or name (e.g. DPY202 or wildcard-resource).`);
      e.honoured = false;
    } else {
      e.rule = lookupRule(this.rules, e.ruleText);
      if (!e.rule) {
        const hint = suggestRule(this.rules, e.ruleText);
        this.notify("suppression-unknown-rule", e, `${label} names unknown rule "${e.ruleText}", so it suppresses nothing; ${hint ? `did you mean ${hint}?` : "use a code or name from `deputy --list-rules`."}`);
        e.honoured = false;
      }
    }
    if (e.rule && !(e.reason && e.reason.trim())) {
      this.notify("suppression-no-reason", e, `${label} of ${ruleLabel(e)} has no reason, so it is not honoured; say why the finding is acceptable (reason: "...").`);
      e.honoured = false;
    }
    if (e.rule && e.expires !== undefined) {
      if (!validDate(e.expires)) {
        this.notify("suppression-invalid", e, `${label} of ${ruleLabel(e)} has expiry "${e.expires}", which is not a date, so it is not honoured; write it as YYYY-MM-DD.`);
        e.honoured = false;
      } else if (today(this.now) > e.expires) {
        this.notify("suppression-expired", e, `${label} of ${ruleLabel(e)} expired on ${e.expires}, so the finding is reported again; fix it, or renew the suppression with a new date and reason.`);
        e.honoured = false;
      }
    }
    this.entries.push(e);
    if (e.scopeFile) {
      const l = this.byFile.get(e.scopeFile) ?? [];
      l.push(e);
      this.byFile.set(e.scopeFile, l);
    }
  }

  /**
   * Notes a file of this run. A configuration suppression whose `file` matches no file of the run is not reported as
   * unused: a partial run (the pre-commit hook on staged files) cannot tell.
   */
  noteInput(file: { path: string; absPath: string }): void {
    for (const e of this.entries) {
      if (e.source === "config" && e.config!.file && !e.fileSeen && matchesGlobs(this.config, file, [e.config!.file])) e.fileSeen = true;
    }
  }

  /** Collects the suppressions written in a file: template Metadata and YAML comments. */
  scanFile(file: SourceFile, root: Node | undefined): void {
    if (root && isObject(root)) this.scanMetadata(file, root);
    if (file.text.includes("deputy-ignore") && !/\.json$/i.test(file.path)) this.scanComments(file);
  }

  private scanMetadata(file: SourceFile, root: Node): void {
    const fromMetadata = (meta: Node | undefined, resource: string | undefined) => {
      const dep = prop(meta, "deputy");
      if (!dep) return;
      const at = (n: Node) => ({ file: file.path, region: file.region(n.range.start, n.range.end) });
      if (!isObject(dep)) {
        this.notify("suppression-invalid", at(dep), `Metadata "deputy" must be a mapping with a "suppress" list, so nothing here is suppressed; write deputy: { suppress: [{ rule: DPY202, reason: "..." }] }.`);
        return;
      }
      for (const ent of dep.entries) {
        if (ent.key !== "suppress") {
          this.notify("suppression-invalid", { file: file.path, region: file.region(ent.keyRange.start, ent.keyRange.end) }, `Unknown key "${ent.key}" in Metadata "deputy" is ignored; the only key is "suppress".`);
        }
      }
      const list = prop(dep, "suppress");
      if (list === undefined) return;
      const items = isArray(list) ? list.items : [list];
      for (const item of items) {
        const where = at(item);
        if (isScalar(item)) {
          this.add({ source: "metadata", ruleText: String(item.value ?? ""), file: file.path, region: where.region, scopeFile: file, resource, honoured: false, used: false });
          continue;
        }
        if (!isObject(item)) {
          this.notify("suppression-invalid", where, `A Metadata suppression must be a mapping { rule, reason }, so this entry suppresses nothing.`);
          continue;
        }
        for (const ent of item.entries) {
          if (!["rule", "id", "reason", "expires"].includes(ent.key)) {
            this.notify("suppression-invalid", { file: file.path, region: file.region(ent.keyRange.start, ent.keyRange.end) }, `Unknown key "${ent.key}" in a Metadata suppression is ignored; the keys are rule, reason and expires.`);
          }
        }
        const ruleNode = prop(item, "rule") ?? prop(item, "id");
        const expiresNode = prop(item, "expires");
        this.add({
          source: "metadata",
          ruleText: isScalar(ruleNode) && ruleNode.value !== null ? String(ruleNode.value) : "",
          reason: stringValue(prop(item, "reason")),
          expires: isScalar(expiresNode) && expiresNode.value !== null ? String(expiresNode.value) : undefined,
          file: file.path,
          region: where.region,
          scopeFile: file,
          resource,
          honoured: false,
          used: false,
        });
      }
    };
    fromMetadata(prop(root, "Metadata"), undefined);
    const resources = prop(root, "Resources");
    if (isObject(resources)) for (const r of resources.entries) fromMetadata(prop(r.value, "Metadata"), r.key);
  }

  private scanComments(file: SourceFile): void {
    const lines = file.text.split(/\r\n|\r|\n/);
    const hcl = /\.tf$/i.test(file.path);
    const re = hcl ? HCL_COMMENT : COMMENT;
    const isCommentOnly = (i: number) => (hcl ? /^\s*(?:#|\/\/|\/\*)/ : /^\s*#/).test(lines[i] ?? "");
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i]!;
      if (!text.includes("deputy-ignore")) continue;
      const m = re.exec(text);
      if (!m) continue;
      const col = (hcl ? m.index + (m[0].length - m[0].trimStart().length) : text.indexOf("#", m.index)) + 1;
      const region: Region = { startLine: i + 1, startColumn: col, endLine: i + 1, endColumn: text.length + 1 };
      const body = m[1]!;
      const sep = body.indexOf("--");
      const head = sep >= 0 ? body.slice(0, sep) : body;
      const reason = sep >= 0 ? body.slice(sep + 2).trim() : undefined;
      let expires: string | undefined;
      const ruleTexts: string[] = [];
      for (const tok of head.split(/[\s,]+/).filter(Boolean)) {
        const em = /^(?:expires|until)=(.*)$/i.exec(tok);
        if (em) expires = em[1];
        else ruleTexts.push(tok);
      }
      // The comment covers its own line (end-of-line comment) or, when it stands alone, the next line that is not
      // itself a comment (so several deputy-ignore comments can be stacked above one line).
      const covered = new Set<number>([i + 1]);
      if (isCommentOnly(i)) {
        let j = i + 1;
        while (j < lines.length && isCommentOnly(j)) j++;
        covered.add(j + 1);
      }
      if (ruleTexts.length === 0) ruleTexts.push("");
      for (const rt of ruleTexts) {
        this.add({ source: "comment", ruleText: rt, reason: reason || undefined, expires, file: file.path, region, scopeFile: file, lines: covered, honoured: false, used: false });
      }
    }
  }

  /** Marks a finding suppressed by every honoured suppression that covers it. */
  apply(f: Finding, origin: Origin, node: Node | undefined): void {
    const file = origin.file;
    const matched: Entry[] = [];
    for (const e of this.byFile.get(file) ?? []) {
      if (!e.honoured || e.rule!.code !== f.ruleId) continue;
      if (e.source === "comment") {
        if (e.lines!.has(f.region.startLine)) matched.push(e);
      } else if (e.source === "metadata") {
        if (e.resource === undefined || e.resource === resourceOf(origin, node)) matched.push(e);
      }
    }
    for (const e of this.entries) {
      if (e.source !== "config" || !e.honoured || e.rule!.code !== f.ruleId) continue;
      const c = e.config!;
      if (c.file && !matchesGlobs(this.config, file, [c.file])) continue;
      if (c.path && !pathHasPrefix(f.logical.path, c.path)) continue;
      if (c.sid !== undefined && f.logical.statement?.sid !== c.sid) continue;
      matched.push(e);
    }
    if (matched.length === 0) return;
    f.suppressions = matched.map((e) => {
      e.used = true;
      return {
        kind: e.source === "config" ? ("external" as const) : ("inSource" as const),
        justification: e.reason!.trim() + (e.expires ? ` (until ${e.expires})` : ""),
        source: `${e.file}:${e.region.startLine}`,
      };
    });
  }

  /**
   * The suppressions written in a file, for the main thread (a file analysed by a worker thread that takes part in the
   * cross-file phase); the worker forgets them. Rules are named by code, the file is left out.
   */
  takeFile(file: SourceFile): SentSuppression[] {
    const list = this.byFile.get(file) ?? [];
    this.byFile.delete(file);
    const gone = new Set(list);
    if (gone.size > 0) replaceAll(this.entries, this.entries.filter((e) => !gone.has(e)));
    return list.map(({ rule, scopeFile: _scope, ...rest }) => ({ ...rest, ruleCode: rule?.code }));
  }

  /** Takes in the suppressions of a file analysed by a worker thread (`takeFile`); their notifications came with it. */
  adoptFile(file: SourceFile, sent: SentSuppression[]): void {
    for (const { ruleCode, ...rest } of sent) {
      const e: Entry = { ...rest, scopeFile: file, rule: ruleCode !== undefined ? this.rules.find((r) => r.code === ruleCode) : undefined };
      this.entries.push(e);
      const l = this.byFile.get(file) ?? [];
      l.push(e);
      this.byFile.set(file, l);
    }
  }

  /** Which configuration suppressions have matched so far (for the cache: what one file's findings used). */
  configUsage(): boolean[] {
    return this.entries.filter((e) => e.source === "config").map((e) => e.used);
  }

  /** Replays a cached file: the configuration suppressions its findings used, and its notifications. */
  replay(configUsed: number[], notifications: Notification[]): void {
    const config = this.entries.filter((e) => e.source === "config");
    for (const i of configUsed) if (config[i]) config[i].used = true;
    pushAll(this.notifications, notifications);
  }

  /** Whether a file has a suppression with an expiry date (its outcome depends on the day: never cached). */
  hasExpiring(file: SourceFile): boolean {
    return (this.byFile.get(file) ?? []).some((e) => e.expires !== undefined);
  }

  /**
   * Settles the suppressions written in a file that takes no part in the cross-file phase (no later finding can land
   * in it): the unused ones are reported now instead of at the end.
   */
  settleFile(file: SourceFile): void {
    for (const e of this.byFile.get(file) ?? []) {
      if (!e.honoured || e.used) continue;
      this.reportUnused(e);
      e.used = true;
    }
  }

  private reportUnused(e: Entry): void {
    const rule = e.rule!;
    if (e.scopeFile) {
      if ((configuredSetting(this.config, rule, e.scopeFile) ?? rule.severity) === "off") return;
    } else if ((configuredSetting(this.config, rule) ?? rule.severity) === "off" && !(this.config.overrides ?? []).some((o) => (o.rules[rule.code] ?? o.rules[rule.name] ?? "off") !== "off")) {
      return;
    }
    const label = SOURCE_LABEL[e.source];
    this.notify("suppression-unused", e, `${label} of ${ruleLabel(e)} matched no finding; remove it (a suppression that hides nothing goes stale and can later hide a real problem).`);
  }

  /** After the run: every honoured suppression that matched nothing is reported (unless its rule is off there). */
  finish(): Notification[] {
    for (const e of this.entries) {
      if (!e.honoured || e.used) continue;
      if (e.source === "config" && e.config!.file && !e.fileSeen) continue;
      this.reportUnused(e);
    }
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    this.notifications.sort((a, b) => cmp(a.file ?? "", b.file ?? "") || (a.region?.startLine ?? 0) - (b.region?.startLine ?? 0) || (a.region?.startColumn ?? 0) - (b.region?.startColumn ?? 0) || cmp(a.message, b.message));
    return this.notifications;
  }
}

/** `Statement[0]` is a prefix of `Statement[0]/Action[1]` and of `Statement[0][2]`, not of `Statement[01]`. */
export function pathHasPrefix(path: string, prefix: string): boolean {
  const p = prefix.replace(/\/+$/, "");
  if (p === "") return true;
  return path === p || path.startsWith(p + "/") || path.startsWith(p + "[");
}
