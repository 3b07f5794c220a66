/**
 * DPY403: a data action URL uses plain `http://`: the request, its headers (credentials included) and the response
 * cross the internet unencrypted. AWS Lambda actions are left to DPY405 (their `requestUrlTemplate` must be an ARN,
 * not a URL of any scheme). The finding sits on the scheme when the value is written verbatim.
 */
import { defineRule } from "../engine/rule.js";
import { isInsecureHttp } from "../model/data-action-checks.js";
import { dataActionKind } from "../model/links.js";
import { valueSubRange } from "../model/sub-range.js";

export default defineRule({
  code: "DPY403",
  name: "data-action-insecure-transport",
  severity: "error",
  category: "Genesys Cloud data actions",
  securitySeverity: 7.5,
  description: "Use https:// in data action URLs",
  fullDescription: "A data action URL uses http://, so the request, its headers (credentials included) and the response travel unencrypted.",
  messages: {
    http: 'This data action sends its request over plain http://{{host}}: the request, its headers (credentials included) and the response travel unencrypted. Use "https://" and make sure the endpoint serves TLS.',
  },
  create(ctx) {
    return {
      dataAction(a) {
        if (a.url === undefined || !isInsecureHttp(a.url) || dataActionKind(a) === "lambda") return;
        const at = a.url.search(/http:\/\//i);
        const host = /^\s*http:\/\/(?:[^/?#@\s]*@)?([^/?#\s]*)/i.exec(a.url)?.[1] ?? "";
        ctx.report({
          origin: a.origin,
          node: a.urlNode,
          range: valueSubRange(a.origin.file, a.urlNode, a.url, at, at + "http://".length),
          messageId: "http",
          data: { host },
        });
      },
    };
  },
});
