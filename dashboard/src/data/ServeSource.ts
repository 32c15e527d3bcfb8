import type { DataSource } from './DataSource.js';
import type { RawFleet } from './FleetData.js';
import { fetchSnapshot } from './snapshotFile.js';

/**
 * `gitfleet serve`: the server keeps a clone fresh and says on an event stream when the
 * head moved; the page then fetches the new snapshot. EventSource reconnects by itself.
 */
export class ServeSource implements DataSource {
  readonly kind = 'serve';
  readonly refreshSeconds = 60;
  #latest: string | null = null;

  constructor(
    private readonly snapshotUrl: string,
    private readonly eventsUrl: string,
  ) {}

  async refresh(current: RawFleet | null, signal: AbortSignal): Promise<{ fleet: RawFleet | null }> {
    if (current && this.#latest !== null && current.commit === this.#latest) return { fleet: null };
    const fleet = await fetchSnapshot(this.snapshotUrl, signal);
    return { fleet: current && fleet.commit !== null && fleet.commit === current.commit ? null : fleet };
  }

  watch(onChange: () => void, onState: (connected: boolean) => void): () => void {
    const events = new EventSource(this.eventsUrl);
    events.addEventListener('open', () => onState(true));
    events.addEventListener('error', () => onState(false));
    events.addEventListener('commit', (e) => {
      try {
        const commit = (JSON.parse((e as MessageEvent<string>).data) as { commit?: unknown }).commit;
        if (typeof commit === 'string' && commit !== this.#latest) {
          this.#latest = commit;
          onChange();
        }
      } catch {
        // A malformed event is ignored: the next refresh fetches the snapshot anyway.
      }
    });
    return () => events.close();
  }
}
