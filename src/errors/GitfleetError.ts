import { redact } from '../util/redact.js';

/**
 * Every error code gitfleet raises. The CLI maps each to an exit status
 * (see exitCodes.ts) so scripts can react without parsing messages.
 */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_CONFIG'
  | 'E_INVALID_RECORD'
  | 'E_AUTH'
  | 'E_UNREACHABLE'
  | 'E_BRANCH_NOT_FOUND'
  | 'E_NOT_FOUND'
  | 'E_CONFLICT'
  | 'E_LOCKED'
  | 'E_ABORTED'
  | 'E_PLAN_FAILED'
  | 'E_CACHE_CORRUPT'
  | 'E_UNSUPPORTED'
  | 'E_SECRET'
  | 'E_GIT';

export interface ErrorOptions {
  /** What the operator should do about it; printed after the message. */
  hint?: string;
  data?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Base of every error gitfleet throws on purpose. The message is one line and is
 * scrubbed of registered secrets at construction, so an error that reaches a log,
 * a file or a terminal can never carry a token.
 */
export class GitfleetError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(oneLine(redact(message)), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GitfleetError';
    this.code = code;
    this.hint = options.hint === undefined ? undefined : oneLine(redact(options.hint));
    this.data = options.data ?? {};
  }

  /** "message; hint": what the CLI prints after "gitfleet: ". */
  describe(): string {
    return this.hint ? `${this.message}; ${this.hint}` : this.message;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export function isGitfleetError(error: unknown): error is GitfleetError {
  return error instanceof GitfleetError;
}
