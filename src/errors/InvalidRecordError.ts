import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** A record that gitfleet was asked to write fails its schema or its path rules; nothing was written. */
export class InvalidRecordError extends GitfleetError {
  declare readonly code: 'E_INVALID_RECORD';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_INVALID_RECORD', message, options);
    this.name = 'InvalidRecordError';
  }
}
