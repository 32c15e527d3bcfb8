import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import defs from '../../shared/defs.schema.json' with { type: 'json' };
import fleet from '../../shared/fleet.schema.json' with { type: 'json' };
import job from '../../shared/job.schema.json' with { type: 'json' };
import message from '../../shared/message.schema.json' with { type: 'json' };
import receipts from '../../shared/receipts.schema.json' with { type: 'json' };
import status from '../../shared/status.schema.json' with { type: 'json' };
import config from '../../shared/config.schema.json' with { type: 'json' };
import notifications from '../../shared/notifications.schema.json' with { type: 'json' };
import coordinator from '../../shared/coordinator.schema.json' with { type: 'json' };
import { type RecordKind, type RecordTypes, SCHEMA_VERSION } from './recordKinds.js';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export const SCHEMAS = { defs, fleet, status, job, message, receipts, notifications, coordinator, config } as const;
type SchemaName = RecordKind | 'config';

let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

/**
 * Compiles a kind's schema once per process, on its first use: compiling all of them costs
 * a command-line run about 0.2 s of CPU, and most runs (a cron agent) read only a few kinds.
 */
function compiled(kind: SchemaName): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
      addFormats(ajv);
      ajv.addSchema(defs);
    }
    validate = ajv.compile(SCHEMAS[kind]);
    validators.set(kind, validate);
  }
  return validate;
}

const MAX_REPORTED = 5;

/**
 * Checks a parsed value against the schema of its kind. Returns the problems as short
 * readable strings (empty when valid) instead of throwing: callers decide whether an
 * invalid record is an error (writing) or an entry in a report (reading).
 */
export function validateRecord<K extends SchemaName>(kind: K, value: unknown): string[] {
  if (isObject(value) && 'schemaVersion' in value && value.schemaVersion !== SCHEMA_VERSION) {
    return [
      `unknown schemaVersion ${JSON.stringify(value.schemaVersion)} (this gitfleet reads version ${SCHEMA_VERSION}; upgrade gitfleet)`,
    ];
  }
  const validate = compiled(kind);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).map(describeError);
  const unique = [...new Set(errors)];
  return unique.length > MAX_REPORTED
    ? [...unique.slice(0, MAX_REPORTED), `and ${unique.length - MAX_REPORTED} more problems`]
    : unique;
}

export function isRecordOf<K extends RecordKind>(kind: K, value: unknown): value is RecordTypes[K] {
  return validateRecord(kind, value).length === 0;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'record';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown property ${JSON.stringify(params.additionalProperty)}`;
    case 'required':
      return `${where}: missing property ${JSON.stringify(params.missingProperty)}`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return `${where}: ${patternHint(String(params.pattern), error.instancePath)}`;
    case 'not':
      return /^\/webhooks\/\d+$/.test(error.instancePath)
        ? `${where}: needs url or urlEnv`
        : `${where}: ${error.message ?? 'is invalid'}`;
    default:
      return `${where}: ${error.message ?? 'is invalid'}`;
  }
}

const DNS_LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';

// Name the rule a pattern stands for instead of printing the regular expression.
function patternHint(pattern: string, instancePath: string): string {
  if (pattern.includes(DNS_LABEL)) {
    return instancePath.endsWith('/to')
      ? 'must be a server id, label:<name> or all'
      : 'must be a DNS label: lowercase letters, digits and inner hyphens, at most 63 characters';
  }
  if (pattern.includes('\\u0000')) return 'must not contain control characters';
  if (pattern.startsWith('^[0-9a-f]')) return 'must be lowercase hexadecimal';
  return `must match ${pattern}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
