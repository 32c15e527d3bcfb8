import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RecordKind } from './recordKinds.js';
import { SCHEMAS } from './schemas.js';

export type SchemaName = RecordKind | 'config';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** ajv's options; scripts/build.mjs generates dist's validators with the same ones. */
export const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

/**
 * The validator of a kind, compiled on its first use (from source: tests and scripts).
 * dist/ never runs this module: scripts/build.mjs replaces it with validators compiled at
 * build time (ajv standalone code), because importing ajv and compiling the three schemas
 * an agent run needs cost about 0.24 s of CPU per process, more than the rest of the run.
 */
export function schemaValidator(kind: SchemaName): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv2020({ ...AJV_OPTIONS });
      addFormats(ajv);
      ajv.addSchema(SCHEMAS.defs);
    }
    validate = ajv.compile(SCHEMAS[kind]);
    validators.set(kind, validate);
  }
  return validate;
}
