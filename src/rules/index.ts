/** The rule registry: every rule module, in code order. A meta-test keeps it in sync with the files and docs. */
import type { Rule } from "../engine/rule.js";
import internalError from "./internal-error.js";
import invalidPolicyDocument from "./invalid-policy-document.js";
import parseError from "./parse-error.js";

export const allRules: Rule[] = [internalError, parseError, invalidPolicyDocument].sort((a, b) => (a.code < b.code ? -1 : 1));

export function findRule(codeOrName: string): Rule | undefined {
  const k = codeOrName.toLowerCase();
  return allRules.find((r) => r.code.toLowerCase() === k || r.name === k);
}
