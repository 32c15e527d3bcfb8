#!/usr/bin/env node
import { VERSION } from '../version.js';

// `gitfleet --version` is what scripts and health checks run most: answer it before
// loading anything else (runCli would answer the same).
if (process.argv.length === 3 && process.argv[2] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { exitOnClosedPipe } = await import('./exitOnClosedPipe.js');
  const { runCli } = await import('./runCli.js');
  exitOnClosedPipe();
  process.exitCode = await runCli(process.argv.slice(2));
}
