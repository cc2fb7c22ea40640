#!/usr/bin/env node
// Launcher: the CLI is bundled into dist/cli/ (npm run build).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
