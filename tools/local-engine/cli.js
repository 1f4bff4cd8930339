#!/usr/bin/env node
"use strict";
// Entry point of the local engine (see tools/local-engine/index.ts): compiles tools/ when needed, then runs.
const { requireBuilt } = require("../ensure-built");

const { main } = requireBuilt("tools/local-engine/main");
// The harness kills the provider and program processes in an exit hook; a signal must go through exit too.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`local-engine: ${(e && e.stack) || e}\n`);
    process.exit(1);
  },
);
