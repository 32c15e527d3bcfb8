import type { RawFleet } from './FleetData.js';

/**
 * Where the page's records come from: a baked snapshot, GitHub, or `gitfleet serve`.
 * `refresh` returns the next state of the fleet, or null when nothing changed; it may
 * ask to be called again at once (`again`), e.g. when it learned the head commit and
 * needs a second call for the tree, because one refresh makes at most one API call.
 */
export interface DataSource {
  readonly kind: 'snapshot' | 'github' | 'serve';
  /** Seconds between refreshes when nothing pushes updates. */
  readonly refreshSeconds: number;
  refresh(current: RawFleet | null, signal: AbortSignal): Promise<{ fleet: RawFleet | null; again?: boolean }>;
  /** Sources that are told about changes call `onChange`; returns a function that stops it. */
  watch?(onChange: () => void, onState: (connected: boolean) => void): () => void;
  /** API calls made so far (GitHub only): shown in the connection panel and asserted by tests. */
  readonly apiCalls?: number;
}

export type SourceErrorCode = 'offline' | 'rate-limited' | 'unauthorized' | 'not-found' | 'http' | 'invalid';

/** A refresh that failed, with what the page should tell the user and when to try again. */
export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    /** For rate limits: when GitHub lets this visitor call again (ms since epoch). */
    readonly retryAt?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** fetch with the failures turned into SourceErrors. */
export async function fetchOrFail(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new SourceError('offline', `cannot reach ${new URL(url, location.href).host}: ${(error as Error).message}`);
  }
}
