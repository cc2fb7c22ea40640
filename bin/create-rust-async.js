#!/usr/bin/env node
// Launcher: the CLI is compiled to dist/ (npm run build).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
