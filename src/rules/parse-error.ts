import { defineRule } from "../engine/rule.js";

/** DPY001: reported by the engine for parse problems of files deputy would analyse. */
export default defineRule({
  code: "DPY001",
  name: "parse-error",
  severity: "error",
  category: "Input",
  securitySeverity: 0,
  description: "A file deputy would analyse cannot be parsed, has a duplicate key, or breaks a safety limit",
  fullDescription:
    "A file that deputy would analyse cannot be parsed (JSON/YAML syntax, bad encoding, a duplicate key in one mapping — the later value would silently win, which can hide a grant) or breaks a safety limit (YAML alias expansion, nesting depth, size). Located at the error position; the run goes on with the other files.",
  messages: {
    parse: "{{detail}}. Fix the syntax: nothing in this file can be checked until it parses.",
    duplicate: "{{detail}}. Keep one of the two entries (merge their values if both are needed).",
    encoding: "{{detail}}. Save the file as UTF-8; nothing in it can be checked until then.",
    limit: "{{detail}}. The file was not analysed; split it or remove the construct that breaks the limit.",
  },
  create() {
    return {};
  },
});
