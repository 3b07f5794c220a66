#!/usr/bin/env node
// The CLI runs from one bundled module (dist/bundle/main.mjs, built by `npm run build`): loading ~75 separate ES
// modules costs a pre-commit run about 80 ms of module resolution; the bundle loads in a fraction of that.
import { main, tuneV8 } from "../dist/bundle/main.mjs";

// V8 settings for short runs (src/cli/tuning.ts), before any real work.
tuneV8();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`deputy: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);
