/**
 * DPY401: a Genesys Cloud data action carries a literal credential — in a secret-named header (`Authorization`,
 * `X-API-Key`, `*secret*`, `*token*`, `*password*`, `*api-key*`) or in a credential-named URL query parameter
 * (`key=`, `token=`, `apikey=`, `access_token=`...) — instead of a `${credentials.*}` reference. A literal ends up in
 * every export and every copy of the flow, and Genesys shows it unredacted.
 *
 * The secret never appears in any output: messages name the header or parameter and give `redact(...)` (its length
 * only). The finding is narrowed to the secret part of the value when the value is written verbatim in the file
 * (see `valueSubRange`), else it covers the whole value. Detection (schemes such as `Bearer ` are skipped,
 * placeholders, `${input.*}` and Terraform `${var.*}` references are not secrets, `$encodeBase64("user:pass")` is) is
 * `literalSecretInHeader` / `literalSecretsInUrl`.
 */
import { defineRule } from "../engine/rule.js";
import { literalSecretInHeader, literalSecretsInUrl, redact } from "../model/data-action-checks.js";
import { valueSubRange } from "../model/sub-range.js";

export default defineRule({
  code: "DPY401",
  name: "data-action-literal-secret",
  severity: "error",
  category: "Genesys Cloud data actions",
  securitySeverity: 8.5,
  description: "Keep credentials out of data actions: use ${credentials.*}",
  fullDescription:
    "A data action carries a literal credential: an Authorization, X-API-Key, *secret*, *token*, *password* or *api-key* header, or a key=, token= or apikey= URL query value, that is not built from ${credentials.*}. The secret value itself never appears in any output.",
  messages: {
    header:
      'The {{header}} header of this data action holds a literal credential ({{redacted}}): it is stored in every export of the action and visible to anyone who can read it. {{fix}}, then rotate the exposed secret.',
    query:
      'The URL query parameter "{{param}}" of this data action holds a literal credential ({{redacted}}): it is stored in every export and in request logs. Move it to the integration\'s credentials and write {{param}}={{esc}}{credentials.{{field}}}, then rotate the exposed secret.',
  },
  create(ctx) {
    return {
      dataAction(a) {
        const file = a.origin.file;
        const esc = a.terraform ? "$$" : "$";
        for (const h of a.headers) {
          const hit = literalSecretInHeader(h.name, h.value);
          if (!hit) continue;
          const scheme = /^\s*([A-Za-z][\w-]*)\s+/.exec(h.value.slice(0, hit.start))?.[1];
          const field = /authorization/i.test(h.name) ? "token" : fieldName(h.name);
          const fix =
            scheme?.toLowerCase() === "basic"
              ? `Use a Basic Auth credential on the integration (Genesys builds the header), or write "Basic $encodeBase64("${esc}{credentials.username}:${esc}{credentials.password}")"`
              : `Move it to the integration's credentials (User Defined) and write the header as "${scheme ? `${scheme} ` : ""}${esc}{credentials.${field}}"`;
          ctx.report({
            origin: a.origin,
            node: h.node,
            range: valueSubRange(file, h.node, h.value, hit.start, hit.end),
            messageId: "header",
            data: { header: h.name, redacted: redact(h.value.slice(hit.start, hit.end)), fix },
          });
        }
        if (a.url !== undefined) {
          for (const hit of literalSecretsInUrl(a.url)) {
            ctx.report({
              origin: a.origin,
              node: a.urlNode,
              range: valueSubRange(file, a.urlNode, a.url, hit.start, hit.end),
              messageId: "query",
              data: { param: hit.name, redacted: redact(a.url.slice(hit.start, hit.end)), field: fieldName(hit.name), esc },
            });
          }
        }
      },
    };
  },
});

/** A credential field name for the suggestion: the header or parameter name in camel case (`X-API-Key` → `apiKey`). */
function fieldName(name: string): string {
  const words = name
    .replace(/^x[-_]/i, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  if (words.length === 0) return "secret";
  return words[0] + words.slice(1).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}
