import { clearFleetCaches } from './fleetCache.js';

/**
 * The optional GitHub token. It lives in memory for this tab and reaches storage only
 * when the user asks to remember it on this device; it is sent to the API host only,
 * never to the raw host, never logged, never put in a URL.
 */
const KEY = 'gitfleet.githubToken';
let memory: string | null = null;

export const tokenStore = {
  get(): string | null {
    return memory ?? safeGet(sessionStorage) ?? safeGet(localStorage);
  },
  set(token: string, remember: boolean): void {
    const clean = token.trim();
    if (!/^[A-Za-z0-9_.-]{20,255}$/.test(clean)) throw new Error('that does not look like a GitHub token');
    memory = clean;
    try {
      sessionStorage.setItem(KEY, clean);
      if (remember) localStorage.setItem(KEY, clean);
      else localStorage.removeItem(KEY);
    } catch {
      // Storage may be disabled: the token then lasts as long as the page.
    }
  },
  /** Forgets the token, and the records cached while it was in use. */
  clear(): void {
    memory = null;
    clearFleetCaches();
    try {
      sessionStorage.removeItem(KEY);
      localStorage.removeItem(KEY);
    } catch {
      /* nothing stored */
    }
  },
  remembered(): boolean {
    return safeGet(localStorage) !== null;
  },
};

function safeGet(storage: Storage): string | null {
  try {
    return storage.getItem(KEY);
  } catch {
    return null;
  }
}
