// The record validators as ajv standalone code, compiled from shared/*.schema.json with the
// options src/schema/schemaValidator.ts uses at run time (AJV_OPTIONS there). The CLI's build
// (scripts/build.mjs) and the dashboard's (scripts/build-dashboard.mjs) both embed them, so
// neither compiles schemas at run time (and the dashboard's CSP forbids eval).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Standalone code exporting `exportsFor(kinds)` (export name -> schema file), over every
 * schema of shared/ but those in `skip`. Returns the code and the kinds it loaded.
 */
export function standaloneValidators(root, { skip = [], exportsFor }) {
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
  const files = readdirSync(shared).filter((f) => f.endsWith('.schema.json') && !skip.includes(f));
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(path.join(shared, file), 'utf8')));
  const kinds = files.map((f) => f.replace('.schema.json', ''));
  return { code: standaloneCode(ajv, exportsFor(kinds)), kinds };
}
