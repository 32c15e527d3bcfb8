import type { ErrorObject } from 'ajv/dist/2020.js';
import { type RecordKind, type RecordTypes, SCHEMA_VERSION } from './recordKinds.js';
import { schemaValidator, type SchemaName } from './schemaValidator.js';

export { SCHEMAS } from './schemas.js';

const MAX_REPORTED = 5;

/**
 * Checks a parsed value against the schema of its kind. Returns the problems as short
 * readable strings (empty when valid) instead of throwing: callers decide whether an
 * invalid record is an error (writing) or an entry in a report (reading).
 */
export function validateRecord<K extends SchemaName>(kind: K, value: unknown): string[] {
  if (isObject(value) && 'schemaVersion' in value && value.schemaVersion !== SCHEMA_VERSION) {
    return [`unknown schemaVersion ${JSON.stringify(value.schemaVersion)} (this gitfleet reads version ${SCHEMA_VERSION}; upgrade gitfleet)`];
  }
  const validate = schemaValidator(kind);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).map(describeError);
  const unique = [...new Set(errors)];
  return unique.length > MAX_REPORTED ? [...unique.slice(0, MAX_REPORTED), `and ${unique.length - MAX_REPORTED} more problems`] : unique;
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
      return /^\/webhooks\/\d+$/.test(error.instancePath) ? `${where}: needs url or urlEnv` : `${where}: ${error.message ?? 'is invalid'}`;
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
