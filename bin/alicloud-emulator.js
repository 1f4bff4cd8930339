#!/usr/bin/env node
"use strict";
require("../dist/emulator/cli.js").main(process.argv.slice(2));
