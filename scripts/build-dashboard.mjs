// Bundles the dashboard (dashboard/src, Lit) into a static folder with esbuild. The record
// validators are generated here from shared/*.schema.json as standalone code (ajv), so the
// page validates untrusted records without ajv's compiler and without eval, which its
// Content-Security-Policy forbids.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const SCHEMAS = {
  fleet: 'fleet',
  status: 'status',
  job: 'job',
  message: 'message',
  receipts: 'receipts',
  notifications: 'notifications',
  coordinator: 'coordinator',
};

/** The standalone validator module: one export per record kind. */
export function validatorSource(root) {
  const { default: Ajv2020 } = require('ajv/dist/2020.js');
  const { default: addFormats } = require('ajv-formats');
  const { default: standaloneCode } = require('ajv/dist/standalone/index.js');
  const { _ } = require('ajv');
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    code: { source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats(ajv);
  const shared = path.join(root, 'shared');
  for (const file of readdirSync(shared).filter((f) => f.endsWith('.schema.json') && f !== 'config.schema.json')) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(shared, file), 'utf8')));
  }
  return standaloneCode(ajv, Object.fromEntries(Object.entries(SCHEMAS).map(([kind, file]) => [kind, `${file}.schema.json`])));
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
