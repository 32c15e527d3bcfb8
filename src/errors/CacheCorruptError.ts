import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** The local git cache is damaged and could not be rebuilt. */
export class CacheCorruptError extends GitfleetError {
  declare readonly code: 'E_CACHE_CORRUPT';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_CACHE_CORRUPT', message, options);
    this.name = 'CacheCorruptError';
  }
}
