import { promises as fs } from 'node:fs';
import type { ServerStatus } from '../schema/types.js';
import type { FleetMemory } from '../status/fleetSeen.js';
import type { UpIntervals } from '../status/availability.js';
import { dayNumber, type DailyUptime, UPTIME_DAYS } from '../status/uptimeHistory.js';
import { boundedWatermark } from '../messages/pickUpMessages.js';
import { boundHistory } from '../status/statusHistory.js';
import { clampLocalTime } from '../util/clockBounds.js';
import type { Logger } from '../util/logger.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';

/** What an agent remembers between runs (a cron-driven agent is a new process every minute). */
export interface AgentStateData {
  version: 1;
  server: string;
  seq: number;
  /** The last status that reached the repository, and when. */
  lastPushed: ServerStatus | null;
  lastPushAt: number | null;
  /** The last heartbeat slot that was handled (pushed or skipped because nothing changed). */
  lastSlotHandledAt: number | null;
  /** The rolling history (src/status/statusHistory.ts). */
  history: number[][];
  up: UpIntervals;
  /** Daily up/down totals for the last 90 days (src/status/uptimeHistory.ts); absent in older state files. */
  uptime?: DailyUptime | null;
  /** What the last transaction saw of the fleet: its settings and size. */
  fleet: FleetMemory | null;
  /** Since when pushes fail (the remote is unreachable), or null. */
  offlineSince: number | null;
  /** The newest message id already looked at (messages are picked up from there on). */
  inboxWatermark?: string | null;
}

export function emptyState(server: string): AgentStateData {
  return { version: 1, server, seq: 0, lastPushed: null, lastPushAt: null, lastSlotHandledAt: null, history: [], up: [], fleet: null, offlineSince: null };
}

/**
 * The agent's local state file, written atomically (temporary file, flush, rename) so
 * a crash leaves either the old state or the new one. A missing or unreadable file
 * starts afresh instead of stopping the agent.
 */
export class AgentState {
  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  async load(server: string, now = Date.now()): Promise<AgentStateData> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn('agent.state-unreadable', { file: this.file, reason: (error as Error).message });
      return emptyState(server);
    }
    try {
      const data = JSON.parse(text) as AgentStateData;
      if (data.version !== 1 || data.server !== server || !Array.isArray(data.history) || !Array.isArray(data.up))
        throw new Error('not a state file of this server');
      const { state, clamped } = boundStateTimes(data, now);
      if (clamped.length > 0)
        this.logger.warn('agent.state-clamped', {
          file: this.file,
          fields: clamped.join(', '),
          reason: 'times in the future (beyond the clock slack) were dropped',
        });
      return state;
    } catch (error) {
      this.logger.warn('agent.state-reset', { file: this.file, reason: (error as Error).message });
      return emptyState(server);
    }
  }

  async save(data: AgentStateData): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(data));
  }
}

/**
 * The state file with every time bounded by this machine's clock: a time beyond now
 * plus FUTURE_SLACK_MS (a clock that was wrong, a hand edit, a damaged disk) would
 * otherwise hold off heartbeats (lastPushAt), stop delivery (inboxWatermark) or freeze
 * the uptime record for as long as it lies ahead. Such values are dropped, as if never set.
 */
export function boundStateTimes(data: AgentStateData, now: number): { state: AgentStateData; clamped: string[] } {
  const clamped: string[] = [];
  const time = (name: string, value: unknown): number | null => {
    if (value === null || value === undefined) return null;
    const t = clampLocalTime(value, now);
    if (t === null) clamped.push(name);
    return t;
  };
  const state: AgentStateData = {
    ...data,
    seq: Number.isSafeInteger(data.seq) && data.seq >= 0 ? data.seq : 0,
    lastPushAt: time('lastPushAt', data.lastPushAt),
    lastSlotHandledAt: time('lastSlotHandledAt', data.lastSlotHandledAt),
    offlineSince: time('offlineSince', data.offlineSince),
  };
  if (data.fleet && time('fleet.seenAt', data.fleet.seenAt) === null) state.fleet = null;
  if (data.inboxWatermark) {
    state.inboxWatermark = boundedWatermark(data.inboxWatermark, now);
    if (state.inboxWatermark === null) clamped.push('inboxWatermark');
  }
  const history = boundHistory(data.history, now);
  if (history.length !== data.history.length) clamped.push('history');
  state.history = history;
  const up = data.up.filter((i) => Array.isArray(i) && clampLocalTime(i[0], now) !== null && clampLocalTime(i[1], now) !== null && i[0] <= i[1]);
  if (up.length !== data.up.length) clamped.push('up');
  state.up = up;
  if (data.uptime !== undefined && data.uptime !== null) {
    state.uptime = boundUptime(data.uptime, now);
    if (state.uptime === null) clamped.push('uptime');
  }
  return { state, clamped };
}

/** The daily totals if they are well formed and not ahead of this clock, else null (start afresh). */
function boundUptime(u: DailyUptime, now: number): DailyUptime | null {
  const ok =
    Number.isSafeInteger(u.from) &&
    u.from <= dayNumber(now) &&
    Array.isArray(u.days) &&
    u.days.length <= UPTIME_DAYS &&
    u.days.every((d) => Array.isArray(d) && d.length === 2 && d.every((n) => Number.isFinite(n) && n >= 0 && n <= 86_400_000));
  if (!ok) return null;
  const lastSeen = u.lastSeen === null ? null : clampLocalTime(u.lastSeen, now);
  return { from: u.from, days: u.days, lastSeen };
}
