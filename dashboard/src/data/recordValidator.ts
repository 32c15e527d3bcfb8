import * as compiled from 'gitfleet:validators';
import type { RecordKind } from '../../../src/schema/recordKinds.js';
import { SCHEMA_VERSION } from '../../../src/schema/recordKinds.js';
import type { RecordValidator } from '../../../src/store/parseRecordText.js';

/**
 * Validates records in the browser with the validators generated from shared/ at build
 * time, so the page and the CLI judge a record by the same schema. A record from a newer
 * gitfleet gets its own reason: it is not broken, this dashboard is old.
 */
export const recordValidator: RecordValidator = (kind: RecordKind, value: unknown): string[] => {
  const version = typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (typeof version === 'number' && version !== SCHEMA_VERSION) {
    return [`schemaVersion ${version} is not one this dashboard understands (${SCHEMA_VERSION}); update gitfleet`];
  }
  // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the page needs every validator; the record's kind picks one at run time
  const validate = compiled[kind];
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
};
