/** The CLI side of fixes: files read once, written back in their encoding, never over a file that changed meanwhile; standard input. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeLike, FixSession } from "../../src/cli/fix.js";
import { main, type CliIO } from "../../src/cli/main.js";
import { defaultConfig } from "../../src/config/config.js";
import { lintFiles } from "../../src/engine/engine.js";

const NEAR_MISS = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::765628981432:root"}, "Action": "sts:AssumeRole"}]\n}\n';

async function cli(args: string[], cwd: string, stdin = "") {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: async () => stdin, cwd, env: {}, isTTY: false };
  return { code: await main(args, io), stdout, stderr };
}

describe("FixSession", () => {
  it("does not overwrite a file that changed on disk after it was read", () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-fix-"));
    const abs = join(dir, "trust.json");
    writeFileSync(abs, NEAR_MISS);
    const session = new FixSession([{ path: "trust.json", absPath: abs }], { write: true, unsafe: false });
    const first = lintFiles(session.inputs, defaultConfig());
    const run = session.run(first, defaultConfig());
    expect(run.texts.get("trust.json")).toContain("765628985471");
    writeFileSync(abs, NEAR_MISS.replace("Allow", "Allow "));
    const { written, skipped } = session.write(run);
    expect(written).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual(["it changed on disk since deputy read it; run deputy --fix again"]);
    expect(readFileSync(abs, "utf8")).toContain("765628981432");
  });

  it("keeps a file's encoding: UTF-8 with or without BOM, UTF-16 LE and BE", () => {
    const text = "{\"a\": \"é\"}\n";
    expect(encodeLike(Buffer.from("x"), text).equals(Buffer.from(text, "utf8"))).toBe(true);
    expect(encodeLike(Buffer.from([0xef, 0xbb, 0xbf, 0x78]), text).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const le = encodeLike(Buffer.from([0xff, 0xfe, 0x78, 0]), text);
    expect(new TextDecoder("utf-16le").decode(le.subarray(2))).toBe(text);
    const be = encodeLike(Buffer.from([0xfe, 0xff, 0, 0x78]), text);
    expect(new TextDecoder("utf-16be").decode(be.subarray(2))).toBe(text);
  });

  it("writes a UTF-8 file with a BOM back with its BOM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-fix-"));
    writeFileSync(join(dir, "trust.json"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NEAR_MISS)]));
    const r = await cli(["--fix", "."], dir);
    expect(r.stderr).toContain("fixed 1 problem in 1 file");
    const bytes = readFileSync(join(dir, "trust.json"));
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(bytes.subarray(3).toString("utf8")).toBe(NEAR_MISS.replace("765628981432", "765628985471"));
  });
});

describe("--fix and standard input", () => {
  it("--fix cannot write standard input (exit 2); --fix-dry-run shows the diff", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-fix-"));
    const refused = await cli(["--fix", "--stdin-filename", "trust.json", "-"], dir, NEAR_MISS);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--fix cannot write standard input");
    const dry = await cli(["--fix-dry-run", "--stdin-filename", "trust.json", "-"], dir, NEAR_MISS);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('+  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::765628985471:root"}');
  });

  it("--fix-dry-run exits 0 and says so when there is nothing to fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deputy-fix-"));
    writeFileSync(join(dir, "trust.json"), NEAR_MISS.replace("765628981432", "765628985471"));
    const r = await cli(["--fix-dry-run", "."], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("nothing to fix");
  });
});
