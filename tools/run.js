#!/usr/bin/env node
"use strict";
// `node tools/run.js <module> [args…]` runs the `main(argv)` of a tools/ or examples/automation module, compiled
// on demand (ensure-built.js), and exits with the code it returns. Used by `npm start` and `npm run teardown`.
const { requireBuilt } = require("./ensure-built");

const [mod, ...args] = process.argv.slice(2);
if (!mod) {
  process.stderr.write("usage: node tools/run.js <module> [args…]\n");
  process.exit(2);
}
// Child processes (emulator, program, provider) are killed in exit hooks; a signal must go through exit too.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
requireBuilt(mod)
  .main(args)
  .then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${(e && e.stack) || e}\n`);
      process.exit(1);
    },
  );
