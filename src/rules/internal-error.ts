import { defineRule } from "../engine/rule.js";

/** DPY000: reported by the engine when a rule or parser throws; the run goes on. */
export default defineRule({
  code: "DPY000",
  name: "internal-error",
  severity: "error",
  category: "Input",
  securitySeverity: 0,
  description: "A rule or parser threw on this file (a bug in deputy: please report it)",
  fullDescription:
    "A rule or parser threw an exception on this file. The finding names the rule and the file; every other rule and file still runs. Never expected: each one is a bug to fix in deputy.",
  messages: {
    crash: "Internal error in {{rule}}: {{detail}}. Other rules and files were still checked; please report this bug.",
  },
  create() {
    return {};
  },
});
