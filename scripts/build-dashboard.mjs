// Bundles the dashboard (dashboard/src, Lit) into a static folder with esbuild. The record
// validators are generated here from shared/*.schema.json as standalone code (ajv), so the
// page validates untrusted records without ajv's compiler and without eval, which its
// Content-Security-Policy forbids.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { standaloneValidators } from './standaloneValidators.mjs';

const SCHEMAS = {
  fleet: 'fleet',
  status: 'status',
  job: 'job',
  message: 'message',
  receipts: 'receipts',
  notifications: 'notifications',
  coordinator: 'coordinator',
};

/** The standalone validator module: one export per record kind (config.schema.json is the CLI's, not a record's). */
export function validatorSource(root) {
  return standaloneValidators(root, {
    skip: ['config.schema.json'],
    exportsFor: () => Object.fromEntries(Object.entries(SCHEMAS).map(([kind, file]) => [kind, `${file}.schema.json`])),
  }).code;
}

export async function buildDashboard({ root, outdir = path.join(root, 'dist/dashboard'), minify = true, quiet = false }) {
  mkdirSync(outdir, { recursive: true });
  const validators = validatorSource(root);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: 'dashboard/src/main.ts' },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome123', 'firefox120', 'safari17.5'],
    minify,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: quiet ? 'warning' : 'info',
    plugins: [
      {
        name: 'gitfleet-validators',
        setup(b) {
          b.onResolve({ filter: /^gitfleet:validators$/ }, () => ({ path: 'validators', namespace: 'gitfleet' }));
          b.onLoad({ filter: /.*/, namespace: 'gitfleet' }, () => ({ contents: validators, loader: 'js', resolveDir: root }));
        },
      },
    ],
  });
  for (const file of readdirSync(path.join(root, 'dashboard/public'))) copyFileSync(path.join(root, 'dashboard/public', file), path.join(outdir, file));
  return result.metafile;
}
