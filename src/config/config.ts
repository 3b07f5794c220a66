/**
 * Effective configuration. Loading from `deputy.config.yaml` / `.deputy.yaml` is done by `load.ts`; this module holds
 * the shape and the defaults that a zero-config run uses.
 */
import type { SeveritySetting } from "../engine/rule.js";

export interface ConfigSuppression {
  file?: string;
  rule: string;
  path?: string;
  sid?: string;
  reason?: string;
  expires?: string;
}

export interface DeputyConfig {
  /** Severity by rule code or name. */
  rules: Record<string, SeveritySetting>;
  /** Globs of files not to scan. */
  ignores: string[];
  genesys?: { region?: string; orgId?: string };
  accounts?: { own?: string[]; trusted?: { id: string; reason?: string }[] };
  /** Roles the configuration declares Genesys-facing (names or ARNs). */
  genesysRoles?: string[];
  suppress?: ConfigSuppression[];
  /** Where the config was loaded from, if anywhere. */
  source?: string;
}

export function defaultConfig(): DeputyConfig {
  return { rules: {}, ignores: [] };
}
