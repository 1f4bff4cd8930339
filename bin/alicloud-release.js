#!/usr/bin/env node
"use strict";
// alicloud-release plan | sweep | destroy | status: see `alicloud-release --help` and the README.
require("../dist/provider/automation/cli.js")
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`alicloud-release: ${(e && e.stack) || e}\n`);
      process.exit(2);
    },
  );
