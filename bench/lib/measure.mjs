// Whole-process measurement: wall time and peak RSS of a child command.
//
// Peak RSS comes from GNU time (`/usr/bin/time -f %M -o FILE`, the child's
// ru_maxrss from wait4, which also covers processes it waited for) when it is
// installed and works, otherwise from a `node --import` hook that writes
// process.resourceUsage().maxRSS at exit (main process only). Both report KiB.
// Wall time is measured here, from spawn to close (the GNU time wrapper adds
// about a millisecond). CPU time (user + system, all threads: V8's garbage
// collector and compiler threads and any worker threads) comes from the same
// source; CPU / wall is how many cores the run kept busy on average.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HOOK = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "rss-hook.mjs")).href;
const GNU_TIME = "/usr/bin/time";

/** Picks the RSS method: "time" (GNU time) if it works here, else "import" (node hook). */
export function detectRssMethod(tmpDir, forced = null) {
  if (forced) return forced;
  if (!fs.existsSync(GNU_TIME)) return "import";
  const out = path.join(tmpDir, "rss-probe.txt");
  const r = spawnSync(GNU_TIME, ["-f", "%M", "-o", out, process.execPath, "-e", "0"], { stdio: "ignore" });
  const kb = r.status === 0 ? readRss(out) : null;
  return kb && kb > 1000 ? "time" : "import"; // BusyBox time has no -o/%M; a node process is > 1 MB
}

/** CPU seconds (user + system) from the line "U S" of the RSS file, or null. */
function readCpu(file) {
  try {
    for (const line of fs.readFileSync(file, "utf8").trim().split("\n")) {
      const m = /^cpu (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(line.trim());
      if (m) return Number(m[1]) + Number(m[2]);
    }
  } catch {
    // missing file
  }
  return null;
}

/** Last integer line of the RSS file (GNU time may write a status line first). */
function readRss(file) {
  try {
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    for (let i = lines.length - 1; i >= 0; i--) if (/^\d+$/.test(lines[i].trim())) return Number(lines[i].trim());
  } catch {
    // missing file: the process died before reporting
  }
  return null;
}

let seq = 0;
let current = null; // the running child, killed if the driver is interrupted

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    if (current) killGroup(current);
    process.exit(130);
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL"); // detached: the child leads its own process group
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

const SIGNALS = { 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM" };

/**
 * Runs argv ([node, script, ...args]) once.
 * Returns { ms, code, signal, rssKb, cpuMs, stderr, stdout, timedOut }.
 */
export function runOnce(argv, { method, tmpDir, timeoutMs = 600_000, captureStdout = false, cwd }) {
  const rssFile = path.join(tmpDir, `rss-${process.pid}-${++seq}.txt`);
  let cmd;
  let args;
  let env = process.env;
  if (method === "time") {
    cmd = GNU_TIME;
    args = ["-f", "cpu %U %S\n%M", "-o", rssFile, ...argv];
  } else {
    cmd = argv[0];
    args = argv[0] === process.execPath ? ["--import", HOOK, ...argv.slice(1)] : argv.slice(1);
    env = { ...process.env, BENCH_RSS_FILE: rssFile };
  }
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ["ignore", captureStdout ? "pipe" : "ignore", "pipe"], detached: true, env, cwd });
    current = child;
    let stderr = "";
    let stdout = "";
    let timedOut = false;
    child.stderr.on("data", (d) => {
      if (stderr.length < 64_000) stderr += d; // enough for an error message and a stack
    });
    if (captureStdout) child.stdout.on("data", (d) => (stdout += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    let done = false;
    const finish = (code, signal, spawnError) => {
      if (done) return; // 'error' can be followed by 'close'
      done = true;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      current = null;
      let rssKb = readRss(rssFile);
      const cpuS = readCpu(rssFile);
      // GNU time exits 128+n when the child died of signal n.
      let sig = signal;
      if (method === "time" && !sig && code > 128) {
        try {
          if (/terminated by signal/.test(fs.readFileSync(rssFile, "utf8"))) sig = SIGNALS[code - 128] ?? `signal ${code - 128}`;
        } catch {
          // no file
        }
      }
      fs.rmSync(rssFile, { force: true });
      if (spawnError) stderr += `\n${spawnError.message}`;
      resolve({ ms, code: sig ? null : code, signal: sig ?? null, rssKb, cpuMs: cpuS == null ? null : cpuS * 1000, stderr, stdout, timedOut });
    };
    child.on("error", (e) => finish(127, null, e));
    child.on("close", (code, signal) => finish(code, signal, null));
  });
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
