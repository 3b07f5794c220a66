/** Report settings shared by the CLI and the Action: the SARIF cap and where the repository's files are on GitHub. */
import { relative, resolve, sep } from "node:path";

/**
 * `--max-sarif-results` (the Action's `max-sarif-results`): a whole number, 0 for no cap; undefined when not given.
 * Throws an Error whose message the caller shows as a usage error.
 */
export function parseMaxSarifResults(text: string | undefined, name = "--max-sarif-results"): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} takes a whole number of results (0: no cap), not "${text}".`);
  return n;
}

/**
 * Under GitHub Actions, where the repository's files are at this commit (`<server>/<repo>/blob/<sha>/`, plus the
 * folder deputy runs in below the workspace), so the Markdown report can link each row to its file and line.
 */
export function blobBase(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha, GITHUB_WORKSPACE: ws } = env;
  if (!server || !repo || !sha || !/^https?:\/\//.test(server)) return undefined;
  const sub = ws ? relative(resolve(ws), cwd).split(sep).join("/") : "";
  if (sub.startsWith("..")) return undefined;
  const path = (p: string) => p.split("/").map(encodeURIComponent).join("/");
  return `${server.replace(/\/+$/, "")}/${path(repo)}/blob/${encodeURIComponent(sha)}/${sub ? `${path(sub)}/` : ""}`;
}
