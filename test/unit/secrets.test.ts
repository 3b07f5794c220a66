/**
 * DPY401's promise: a literal secret found in a data action never appears in any output — not in messages, SARIF,
 * JSON, GitHub annotations, stylish, `deputy graph`, nor in the other data action rules' messages (DPY402/DPY403/DPY405 quote URLs and
 * hosts). Runs the real CLI entry point (`main()`) with a fake IO over fixtures holding literal tokens in headers,
 * URL queries, URL user info, `$encodeBase64("user:password")`, Terraform JSON and YAML, in every format, and asserts
 * that no token, nor any 4-character piece of one, is in stdout or stderr.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type CliIO } from "../../src/cli/main.js";
import { ROOT } from "../helpers.js";

const DIR = join(ROOT, "test", "fixtures", "secrets");
const SECRETS = ["Zx9QwMv7KpLt3RnB", "Hy6TgVb4NmKj8PwQ", "Uq4Vz8Wb2Xc6", "Pw7Zk3Lm9QxT", "Gd3Fh6Jk9Ls2Qe5R", "Jk2LmNq9RsTv5WxY", "Fq8WeRt5YuIoP3As"];

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const io: CliIO = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (out += s),
    readStdin: async () => "",
    cwd: DIR,
    env: { NO_COLOR: "1" },
    isTTY: false,
  };
  const code = await main(args, io);
  return { code, out };
}

function pieces(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= secret.length; i++) out.push(secret.slice(i, i + 4));
  return out;
}

describe("secrets never reach the output", () => {
  for (const format of ["stylish", "json", "sarif", "github"]) {
    it(`--format ${format}`, async () => {
      const { code, out } = await run(["--format", format, "."]);
      expect(code).toBe(1);
      // The run did find them (so the test is not vacuous)...
      const dpy401 = format === "json" ? (JSON.parse(out) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId === "DPY401").length : (out.match(/DPY401/g) ?? []).length;
      expect(dpy401).toBeGreaterThanOrEqual(format === "sarif" ? 9 : 8);
      expect(out).toContain("[REDACTED 16 chars]");
      // ...and never printed them.
      for (const s of SECRETS) for (const p of pieces(s)) expect(out.includes(p), `"${p}" of a secret in ${format} output`).toBe(false);
    });
  }
  it("deputy graph", async () => {
    const { code, out } = await run(["graph", "."]);
    expect(code).toBe(0);
    expect(out).toContain("⚠ DPY401");
    for (const s of SECRETS) for (const p of pieces(s)) expect(out.includes(p), `"${p}" of a secret in graph output`).toBe(false);
  });
});
