import { GitfleetError, type ErrorOptions } from './GitfleetError.js';

/** A message (or other text to publish) looks like it contains a credential; nothing was sent. */
export class SecretDetectedError extends GitfleetError {
  declare readonly code: 'E_SECRET';
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_SECRET', message, options);
    this.name = 'SecretDetectedError';
  }
}
