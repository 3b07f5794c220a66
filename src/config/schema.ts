/**
 * The JSON Schema of `deputy.config.yaml`, generated from the rule metadata (every rule by code and by name) and the
 * Genesys region table. `schemas/config.schema.json` is this object, written by `npm run schema`; a test fails when
 * the committed file differs, so editors (yaml-language-server) and the loader always agree.
 */
import type { Rule } from "../engine/rule.js";
import { genesysRegionDomains } from "../model/genesys.js";

export const CONFIG_SCHEMA_ID = "https://deputy-lint.dev/schemas/config.schema.json";

export const SEVERITY_SETTINGS = ["off", "note", "warning", "error"] as const;

/**
 * The schema, as editors read the YAML file. `forLoader` gives the variant the loader validates with, after it has
 * turned unquoted account IDs back into their digits (see parseConfig) and so that a suppression without a reason
 * loads and is reported as a suppression problem (not honoured) like any other: the same documents pass both, the
 * same are flagged by both (test/unit/config-schema-agreement.test.ts).
 */
export function configSchema(rules: readonly Rule[], opts: { forLoader?: boolean } = {}): Record<string, unknown> {
  const sorted = [...rules].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const ruleProps: Record<string, unknown> = {};
  for (const r of sorted) ruleProps[r.code] = { $ref: "#/definitions/severity", description: `${r.name} (default ${r.severity}): ${r.description}` };
  for (const r of sorted) ruleProps[r.name] = { $ref: "#/definitions/severity", description: `${r.code} (default ${r.severity}): ${r.description}` };
  const domains = genesysRegionDomains();
  const regions = Object.keys(domains).sort();
  const hosts = [...new Set(Object.values(domains))].sort();
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: CONFIG_SCHEMA_ID,
    title: "deputy configuration (deputy.config.yaml)",
    description: "Rule severities, ignored files, per-glob overrides, Genesys facts and accountable suppressions. Generated from the rule metadata: do not edit, run `npm run schema`.",
    type: "object",
    additionalProperties: false,
    properties: {
      $schema: { type: "string" },
      rules: { $ref: "#/definitions/rules" },
      ignores: {
        description: "Files not to scan: gitignore-style patterns, relative to this file's folder.",
        type: "array",
        items: { type: "string", minLength: 1 },
      },
      overrides: {
        description: "Rule severities for some files; applied in order after `rules` (the last match wins).",
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["files", "rules"],
          properties: {
            files: { type: "array", minItems: 1, items: { type: "string", minLength: 1 }, description: "gitignore-style patterns, relative to this file's folder." },
            rules: { $ref: "#/definitions/rules" },
          },
        },
      },
      genesys: {
        description: "Your Genesys Cloud organization.",
        type: "object",
        additionalProperties: false,
        properties: {
          region: {
            description: "The Genesys Cloud region, as an AWS region (eu-west-1) or a Genesys domain (mypurecloud.ie).",
            type: "string",
            enum: [...regions, ...hosts],
          },
          orgId: { description: "The Genesys Cloud organization ID (a UUID): the external ID Genesys sends.", $ref: "#/definitions/uuid" },
        },
      },
      accounts: {
        type: "object",
        additionalProperties: false,
        properties: {
          own: { description: "Your own AWS account IDs (same-account principals are out of scope for trust rules).", type: "array", items: { $ref: "#/definitions/account" } },
          trusted: {
            description: "Other AWS accounts you trust on purpose, each with the reason.",
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["id", "reason"],
              properties: { id: { $ref: "#/definitions/account" }, reason: { type: "string", minLength: 1 } },
            },
          },
        },
      },
      genesysRoles: {
        description: "Roles to treat as Genesys-facing, by name, logical ID or ARN.",
        type: "array",
        items: { type: "string", minLength: 1 },
      },
      permissions: {
        description: "Options of the permissions rules.",
        type: "object",
        additionalProperties: false,
        properties: {
          readOnlyWildcards: {
            $ref: "#/definitions/severity",
            description:
              'Severity of DPY202 (wildcard-resource) findings whose actions only list, describe or read metadata (List*, Describe*, GetBucketPolicy) on "*" or a bare-wildcard ARN: off (the default), note, warning or error.',
          },
        },
      },
      suppress: {
        description: "Suppressions for files that cannot carry one (raw JSON policies, data action exports). Each needs a reason.",
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: opts.forLoader ? ["rule"] : ["rule", "reason"],
          properties: {
            file: { type: "string", minLength: 1, description: "gitignore-style pattern of the files it applies to (default: all)." },
            rule: { type: "string", description: "Rule code or name.", examples: sorted.flatMap((r) => [r.code, r.name]) },
            path: { type: "string", description: "Logical path prefix inside the file, e.g. Statement[0] or Resources/GenesysRole." },
            sid: { type: "string", description: "Only the statement with this Sid." },
            reason: {
              type: "string",
              ...(opts.forLoader ? {} : { pattern: "\\S" }),
              description: "Why the finding is acceptable (required: a suppression without one is not honoured, and deputy reports it).",
            },
            expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD: after this day the suppression is no longer honoured." },
          },
        },
      },
    },
    definitions: {
      severity: { enum: [...SEVERITY_SETTINGS] },
      rules: {
        description: "Severity by rule code or name: off, note, warning or error.",
        type: "object",
        additionalProperties: false,
        properties: ruleProps,
      },
      // Quoted, or a plain 12-digit number (YAML reads 123456789012 unquoted as a number; one with a leading 0 must be
      // quoted, as YAML reads 012345678901 as 12345678901, and YAML 1.1 tools as octal).
      account: opts.forLoader
        ? { type: "string", pattern: "^\\d{12}$" }
        : {
            description: "A 12-digit AWS account ID; quote it when it starts with 0.",
            anyOf: [
              { type: "string", pattern: "^\\d{12}$" },
              { type: "integer", minimum: 100000000000, maximum: 999999999999 },
            ],
          },
      uuid: { type: "string", pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" },
    },
  };
}

/** The schema as committed: stable key order, two-space indent, final newline. */
export function configSchemaText(rules: readonly Rule[]): string {
  return JSON.stringify(configSchema(rules), null, 2) + "\n";
}
