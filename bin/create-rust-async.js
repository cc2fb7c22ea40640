#!/usr/bin/env node
// Launcher: the CLI is bundled into dist/cli/ (npm run build; see docs/build.md). This file is
// CommonJS (bin/package.json): Node runs a CommonJS file without starting its ES module loader,
// which would cost every run a few milliseconds.
require('../dist/cli/launch.cjs');
