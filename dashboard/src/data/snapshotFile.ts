import type { RawFleet } from './FleetData.js';
import { fetchOrFail, SourceError } from './DataSource.js';

/** A snapshot larger than this is refused unread (a 1,000-server fleet's is ~10 MB). */
export const MAX_SNAPSHOT_BYTES = 200 * 1024 * 1024;

/**
 * Fetches and checks a snapshot written by `gitfleet snapshot` / `gitfleet site` / served
 * by `gitfleet serve`. Only its shape is checked here: the records inside are validated
 * one by one later, so one bad file never hides the rest.
 */
export async function fetchSnapshot(url: string, signal: AbortSignal): Promise<RawFleet> {
  const res = await fetchOrFail(url, { signal, cache: 'no-store', credentials: 'same-origin' });
  if (res.status === 404) throw new SourceError('not-found', `no snapshot at ${url}`);
  if (!res.ok) throw new SourceError('http', `snapshot: HTTP ${res.status}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_SNAPSHOT_BYTES) throw new SourceError('invalid', `snapshot is ${length} bytes, more than the ${MAX_SNAPSHOT_BYTES} this page reads`);
  let value: unknown;
  try {
    value = await res.json();
  } catch {
    throw new SourceError('invalid', 'snapshot is not valid JSON');
  }
  return parseSnapshot(value);
}

export function parseSnapshot(value: unknown): RawFleet {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || v.format !== 'gitfleet-snapshot') throw new SourceError('invalid', 'not a gitfleet snapshot');
  if (v.version !== 1) throw new SourceError('invalid', `snapshot version ${String(v.version)} is not one this dashboard reads; update gitfleet`);
  const files = new Map<string, string>();
  const skipped: RawFleet['skipped'] = [];
  if (typeof v.files === 'object' && v.files !== null) {
    for (const [path, text] of Object.entries(v.files as Record<string, unknown>)) {
      if (typeof text === 'string') files.set(path, text);
      else skipped.push({ path, reason: 'not text in the snapshot' });
    }
  }
  if (Array.isArray(v.skipped)) {
    for (const s of v.skipped.slice(0, 10_000) as { path?: unknown; reason?: unknown }[]) {
      if (typeof s?.path === 'string' && typeof s.reason === 'string') skipped.push({ path: s.path.slice(0, 300), reason: s.reason.slice(0, 300) });
    }
  }
  const commit = typeof v.commit === 'string' && /^[0-9a-f]{40,64}$/.test(v.commit) ? v.commit : null;
  const generatedAt = typeof v.generatedAt === 'string' && !Number.isNaN(Date.parse(v.generatedAt)) ? v.generatedAt : new Date().toISOString();
  return { commit, generatedAt, files, skipped };
}
