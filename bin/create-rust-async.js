#!/usr/bin/env node
// Launcher: the CLI is bundled into dist/cli/ (npm run build).
import module from 'node:module';

// Node 22.1+ can keep the compiled bundle on disk between runs, which shortens every start-up;
// Node 20 has no such cache and skips this.
module.enableCompileCache?.();

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
