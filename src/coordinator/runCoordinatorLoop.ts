import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { sleep } from '../util/sleep.js';
import type { Coordinator, TickReport } from './Coordinator.js';

/**
 * `gitfleet coordinator` (daemon): a tick every coordinator.tickSeconds of fleet.json,
 * never two at once; a failed tick (remote down) is logged and the next one tries again.
 * Resolves when `signal` aborts, after the tick in flight.
 */
export async function runCoordinatorLoop(
  coordinator: Coordinator,
  options: { signal: AbortSignal; remoteUrl: string; onTick?: (report: TickReport) => void },
): Promise<void> {
  const { signal } = options;
  const { events } = coordinator;
  let failing: string | null = null;
  while (!signal.aborted) {
    const started = Date.now();
    try {
      const report = await coordinator.tick();
      if (failing) events.emit('coordinator.recovered', { after: failing });
      failing = null;
      events.emit('coordinator.ticked', {
        role: report.role,
        epoch: report.epoch,
        head: report.head?.slice(0, 10),
        read: report.refresh.mode,
        files: report.refresh.changedFiles,
        failover: report.canFailOver,
        result: String(report.result ?? 'none'),
        ...report.decisions,
        ms: Date.now() - started,
      });
      if (report.result === 'committed' && Object.values(report.decisions).some((n) => n > 0)) {
        events.emit('coordinator.tick', {
          epoch: report.epoch,
          ...report.decisions,
          skipped: report.skipped,
          waiting: report.waiting,
          failover: report.canFailOver,
          ms: Date.now() - started,
        });
      }
      options.onTick?.(report);
    } catch (error) {
      const reason = (error as Error).message;
      // One line per kind of trouble, not one per tick.
      if (failing !== reason) events.emit('coordinator.tick-failed', { code: (error as { code?: string }).code ?? 'E_INTERNAL', reason });
      failing = reason;
    }
    const tickMs = resolveFleetSettings(coordinator.index.fleet, options.remoteUrl).coordinator.tickSeconds * 1000;
    await sleep(Math.max(0, tickMs - (Date.now() - started)), signal).catch(() => undefined);
  }
}
