#!/usr/bin/env node
// Runs a TypeScript script (benchmarks): bundles it with esbuild into node_modules/.cache
// and imports it. Dependencies stay external.
//   node scripts/run-ts.mjs scripts/bench/store.ts [args...]
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
const outfile = path.resolve('node_modules/.cache/gitfleet-run', `${path.basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.argv.splice(2, 1);
await import(pathToFileURL(outfile).href);
