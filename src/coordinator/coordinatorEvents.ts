import type { EventLevels } from '../util/TypedEvents.js';

/** What a coordinator says happened: `coordinator.events.on(...)` in tests, the logger in processes. */
export type CoordinatorEvents = {
  /** This coordinator took the lease (it is now the one that decides). */
  'coordinator.took-over': { holder: string; epoch: number; failoverAfter: string };
  'coordinator.standby': { holder: string; leader: string | undefined; epoch: number | undefined; until: string | undefined };
  'coordinator.lease-lost': { holder: string; reason: string };
  /** A tick landed (debug: every tick) ... */
  'coordinator.ticked': {
    role: string;
    epoch: number | null;
    head: string | undefined;
    read: string;
    files: number;
    failover: boolean;
    result: string;
    ms: number;
  } & Record<string, unknown>;
  /** ... and one that decided something (info). */
  'coordinator.tick': { epoch: number | null; skipped: number; waiting: number; failover: boolean; ms: number } & Record<string, unknown>;
  'coordinator.tick-failed': { code: string; reason: string };
  'coordinator.recovered': { after: string };
  'coordinator.after-tick-failed': { reason: string };
  'coordinator.state-reset': { file: string | undefined; reason: string };
  'coordinator.state-save-failed': { reason: string };
  /** The measured push rate is over the budget; `message` is the operator message posted (null: one was posted within the hour). */
  'coordinator.over-budget': { holder: string; rate: number; budget: number; message: string | null; result: string };
  /** A scheduled compaction ran (status nothing-to-compact when no history was old enough). */
  'coordinator.compacted': {
    holder: string;
    status: string;
    sizeMiB: number;
    keptHours: number;
    squashed: number;
    kept: number;
    oldHead: string;
    newHead: string | null;
  };
  'coordinator.compaction-failed': { holder: string; reason: string };
  /** Scheduled compaction is configured but this coordinator cannot rewrite history (once). */
  'coordinator.compaction-skipped': { holder: string; reason: string };
  /** fleet.json is invalid: the last valid settings (or the defaults) apply. Once per reason. */
  'fleet.invalid': { holder: string; reason: string };
  'fleet.setting-clamped': { holder: string; reason: string };
};

export const COORDINATOR_EVENT_LEVELS: EventLevels<CoordinatorEvents> = {
  'coordinator.took-over': 'info',
  'coordinator.standby': 'info',
  'coordinator.lease-lost': 'warn',
  'coordinator.ticked': 'debug',
  'coordinator.tick': 'info',
  'coordinator.tick-failed': 'warn',
  'coordinator.recovered': 'info',
  'coordinator.after-tick-failed': 'warn',
  'coordinator.state-reset': 'warn',
  'coordinator.state-save-failed': 'warn',
  'coordinator.over-budget': 'warn',
  'coordinator.compacted': 'info',
  'coordinator.compaction-failed': 'warn',
  'coordinator.compaction-skipped': 'warn',
  'fleet.invalid': 'warn',
  'fleet.setting-clamped': 'warn',
};
