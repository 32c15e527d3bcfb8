#!/usr/bin/env node
import { VERSION } from '../version.js';
import { prebuiltHelp } from './prebuiltHelp.js';

// `gitfleet --version` is what scripts and health checks run most: answer it before
// loading anything else (runCli would answer the same).
// Beside dist/gitfleet.js itself: this module's URL, not a chunk's.
const help = prebuiltHelp(process.argv.slice(2), process.env, process.stdout.columns, import.meta.url);
if (process.argv.length === 3 && process.argv[2] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else if (help !== null) {
  process.stdout.write(help);
} else {
  // `status` fetches first: git can do that on the other core while the command loads.
  const early = process.argv[2] === 'status' ? await import('./startStatusFetch.js') : undefined;
  early?.startStatusFetch(process.argv.slice(2), process.env);
  const { exitOnClosedPipe } = await import('./exitOnClosedPipe.js');
  const { runCli } = await import('./runCli.js');
  exitOnClosedPipe();
  process.exitCode = await runCli(process.argv.slice(2));
  await early?.stopStatusFetch();
}
