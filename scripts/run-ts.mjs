#!/usr/bin/env node
// Runs a TypeScript script (benchmarks): bundles it with esbuild into dist/run-ts
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
// In dist/ of this checkout, not node_modules/.cache: a worktree's node_modules may be a
// symlink to another checkout's, and code that finds its checkout from import.meta.url
// (repoRoot, dashboardAssetsDir) would then read and write that other checkout.
const outfile = path.resolve('dist/run-ts', `${path.basename(entry, '.ts')}.mjs`);
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
