// Preloaded with `node --import` when /usr/bin/time is not available: writes the
// process's peak resident set size (KiB, like GNU time's %M) to $BENCH_RSS_FILE
// when the process exits, after a line "cpu USER SYSTEM" (seconds, all threads). 'exit' also fires on process.exit() and after an
// uncaught exception; only a fatal signal (or OOM abort) leaves no value.
import fs from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      const u = process.resourceUsage();
      fs.writeFileSync(file, `cpu ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n${u.maxRSS}\n`);
    } catch {
      // Nothing sensible to do; the driver reports the RSS as unknown.
    }
  });
}
