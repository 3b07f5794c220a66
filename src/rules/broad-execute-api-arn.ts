/**
 * DPY203: an Allow statement grants `execute-api:Invoke` (directly, through `execute-api:*`, `execute-api:Inv*` or
 * `"*"`) on an execute-api ARN — `arn:aws:execute-api:REGION:ACCOUNT:API-ID/STAGE/METHOD/PATH` — that wildcards the
 * region, the account or the API ID, or both the method and the path.
 *
 * "Both the method and the path": `api-id/*` and `api-id/stage/*` (a trailing `*` spans every later part),
 * `api-id/*` + `/*` + `/*`, `api-id/prod/*` + `/*`. A wildcard on one of the two is fine (`api-id/prod/GET/*`,
 * `api-id/prod/*` + `/lookup`), and so is a stage wildcard (`api-id/*` + `/GET/lookup`). Unknown parts (`${Api}`) are not
 * wildcards. `"*"` as the whole resource is DPY202's; the API Gateway resource-policy shorthand `execute-api:/*` is not
 * an ARN and means "this API".
 */
import { defineRule } from "../engine/rule.js";
import { hasWildcard, parseArnLoose } from "../model/arn.js";
import { actionShape, distinct } from "../model/grants.js";
import { actionGlobMatches, isAllow } from "../model/policy.js";
import { hasUnknown } from "../model/resolve.js";

const STARS = /^\*+$/;

/** Which parts of an execute-api ARN are wildcards; undefined when the value is not an execute-api ARN. */
function executeApiWildcards(value: string): string[] | undefined {
  const arn = parseArnLoose(value);
  if (!arn || arn.service.toLowerCase() !== "execute-api") return undefined;
  const parts: string[] = [];
  if (hasWildcard(arn.region)) parts.push("region");
  if (hasWildcard(arn.accountId)) parts.push("account");
  const tokens = arn.resource.split("/");
  const apiId = tokens[0] ?? "";
  if (hasWildcard(apiId)) parts.push("API ID");
  else {
    const rest = tokens.slice(1);
    // A trailing `*` in the stage or method position spans everything after it.
    const spanning = (rest.length === 1 && STARS.test(rest[0]!)) || (rest.length === 2 && STARS.test(rest[1]!));
    const methodAndPath = rest.length >= 3 && STARS.test(rest[1]!) && rest.slice(2).every((s) => STARS.test(s));
    if (spanning || methodAndPath) parts.push("method and path");
  }
  return parts;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

const literal = (v: string | undefined, fallback: string): string => (v && !hasWildcard(v) && !hasUnknown(v) ? v : fallback);

export default defineRule({
  code: "DPY203",
  name: "broad-execute-api-arn",
  severity: "warning",
  category: "Permissions",
  securitySeverity: 4.0,
  description: "Scope execute-api:Invoke to one API, method and path",
  fullDescription:
    "An execute-api:Invoke (or execute-api:*) resource wildcards the region, the account or the API ID, or both the method and the path (api-id/*, api-id/*/*/*). A stage wildcard with a concrete method and path (abcdef123/*/GET/lookup) is fine.",
  messages: {
    broad: '"{{resource}}" wildcards the {{parts}} of the execute-api ARN, so execute-api:Invoke reaches {{reach}}; name the API, method and path the caller needs (a stage wildcard is fine), e.g. {{example}}.',
  },
  create(ctx) {
    return {
      statement(stmt) {
        if (!isAllow(stmt) || !stmt.action || !stmt.resource) return;
        const invokes = stmt.action.values.some((v) => {
          const shape = actionShape(v.value);
          return shape.kind === "all" || (shape.kind !== "unknown" && shape.kind !== "malformed" && actionGlobMatches(v.value.trim(), "execute-api:Invoke"));
        });
        if (!invokes) return;
        for (const r of distinct(stmt.resource.values)) {
          const value = r.value.trim();
          const parts = executeApiWildcards(value);
          if (!parts || parts.length === 0) continue;
          const arn = parseArnLoose(value)!;
          const tokens = arn.resource.split("/");
          const apiWild = parts.includes("API ID");
          const reach =
            apiWild || parts.includes("account") ? "APIs other than the one intended" : parts.includes("method and path") ? "every method and path of the API" : "the API in any region";
          const concrete = (v: string | undefined): v is string => v !== undefined && v !== "" && !hasWildcard(v);
          const stage = concrete(tokens[1]) ? tokens[1] : "*";
          const method = concrete(tokens[2]) ? tokens[2] : "GET";
          const path = tokens.length > 3 && tokens.slice(3).every(concrete) ? tokens.slice(3).join("/") : "PATH";
          const example = `arn:${literal(arn.partition, "aws")}:execute-api:${literal(arn.region, "REGION")}:${literal(arn.accountId, "ACCOUNT")}:${apiWild ? "API-ID" : tokens[0]}/${stage}/${method}/${path}`;
          ctx.report({ origin: stmt.doc.origin, node: r.node, messageId: "broad", data: { resource: value, parts: joinWords(parts), reach, example } });
        }
      },
    };
  },
});
