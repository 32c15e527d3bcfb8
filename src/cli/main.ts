#!/usr/bin/env node
import { VERSION } from '../version.js';
import { prebuiltHelp } from './prebuiltHelp.js';

// `gitfleet --version` is what scripts and health checks run most: answer it before
// loading anything else (runCli would answer the same).
// Beside dist/gitfleet.js itself: this module's URL, not a chunk's.
const help = prebuiltHelp(process.argv.slice(2), process.env, () => process.stdout.columns, import.meta.url);
if (process.argv.length === 3 && process.argv[2] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else if (help !== null) {
  process.stdout.write(help);
} else {
  const { runProgram } = await import('./runProgram.js');
  process.exitCode = await runProgram(process.argv.slice(2));
}
