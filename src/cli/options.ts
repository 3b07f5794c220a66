/**
 * Command-line conventions shared by the commands: option parsing that answers a misspelt option or command with the
 * nearest known one ("did you mean --format?"), as git, npm and ruff do.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { levenshtein } from "../model/edit-distance.js";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/** What parseOptions returns (named, so that the package's type declarations can be written: tsconfig.build.json). */
type ParsedOptions<O extends OptionSpecs> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>>;

/** The nearest of `candidates` to `word`, when it is near enough to be a typo of it (a third of its length, at least 2). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { d: number; c: string } | undefined;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase(), limit);
    if (d <= limit && (!best || d < best.d)) best = { d, c };
  }
  return best?.c;
}

/**
 * node:util parseArgs, strict, with its message for an unknown option replaced by one that names the nearest known
 * option. Throws an Error with a one-line message (the caller turns it into a usage error, exit 2).
 */
export function parseOptions<O extends OptionSpecs>(argv: string[], options: O): ParsedOptions<O> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new Error(optionMessage(e as Error & { code?: string }, options), { cause: e });
  }
}

function optionMessage(e: Error & { code?: string }, options: OptionSpecs): string {
  if (e.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") return e.message;
  const m = /'(-[^']*)'/.exec(e.message);
  if (!m) return e.message;
  const given = m[1]!;
  const bare = given.replace(/^-+/, "").replace(/=.*$/, "");
  const names = Object.keys(options);
  // `-format` for `--format` is a long option given with one dash: name it; otherwise the nearest long option.
  const hint = !given.startsWith("--") && names.includes(bare) ? bare : nearest(bare, names.filter((n) => n.length > 1));
  const shown = given.replace(/=.*$/, "");
  return hint ? `unknown option ${shown}; did you mean --${hint}?` : `unknown option ${shown}.`;
}
