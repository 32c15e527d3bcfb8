import type { RawFleet } from './FleetData.js';

/**
 * The last fleet fetched live, kept in localStorage so a reload paints the newest data
 * known instead of the older baked snapshot. Best effort: a fleet too large for the
 * browser's quota is simply not cached.
 */
export const fleetCache = {
  load(key: string): RawFleet | null {
    try {
      const text = localStorage.getItem(cacheKey(key));
      if (!text) return null;
      const v = JSON.parse(text) as { commit?: unknown; generatedAt?: unknown; files?: unknown };
      if (typeof v.commit !== 'string' || typeof v.generatedAt !== 'string' || !Array.isArray(v.files)) return null;
      const files = new Map<string, string>();
      for (const entry of v.files as unknown[]) {
        if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string') files.set(entry[0], entry[1]);
      }
      return { commit: v.commit, generatedAt: v.generatedAt, files, skipped: [] };
    } catch {
      return null;
    }
  },
  save(key: string, fleet: RawFleet): void {
    try {
      localStorage.setItem(cacheKey(key), JSON.stringify({ commit: fleet.commit, generatedAt: fleet.generatedAt, files: [...fleet.files] }));
    } catch {
      try {
        localStorage.removeItem(cacheKey(key));
      } catch {
        /* storage disabled */
      }
    }
  },
};

/** Forgets every cached fleet (with the token: records read with it may be private). */
export function clearFleetCaches(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith('gitfleet.cache:')) localStorage.removeItem(key);
  } catch {
    /* storage disabled */
  }
}

function cacheKey(key: string): string {
  return `gitfleet.cache:${key}`;
}
