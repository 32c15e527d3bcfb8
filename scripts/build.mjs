#!/usr/bin/env node
// Bundles the CLI, the library and the dashboard (scripts/build-dashboard.mjs) with esbuild. Dependencies stay external (installed
// by npm); the JSON Schemas from shared/ are bundled in, so dist/ runs from anywhere.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildDashboard } from './build-dashboard.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const started = Date.now();

await build({
  absWorkingDir: root,
  entryPoints: { gitfleet: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: '// gitfleet — built by scripts/build.mjs; edit src/, not this file.' },
  logLevel: quiet ? 'warning' : 'info',
});
chmodSync(path.join(root, 'dist/gitfleet.js'), 0o755);
await buildDashboard({ root, quiet });
if (!quiet) console.log(`built dist/ in ${Date.now() - started} ms`);
