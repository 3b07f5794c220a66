#!/usr/bin/env node
// The CLI runs from one bundled CommonJS module (dist/bundle/main.cjs, built by `npm run build`), and this entry is
// CommonJS too (bin/package.json): loading ~75 separate ES modules cost a pre-commit run about 80 ms of module
// resolution, and starting node's ES module loader at all, with the ES module views of node's built-in modules, about
// 15 ms more; a one-file run is mostly start-up.
"use strict";
const { main } = require("../dist/bundle/main.cjs");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`deputy: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);
