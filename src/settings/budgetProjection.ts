import { effectivePeriodSeconds } from '../status/heartbeatSchedule.js';
import type { ResolvedFleetSettings } from './fleetSettings.js';

/** Share of a host limit past which the projection warns: before the limit is crossed, not after. */
export const NEAR_LIMIT_SHARE = 0.8;
/** How often an agent polls for job assignments when its config says nothing (jobs.pollSeconds). */
export const DEFAULT_AGENT_POLL_SECONDS = 5;

export type BudgetWriter = 'heartbeats' | 'relays' | 'coordinator' | 'jobs' | 'messages';

export interface BudgetLine {
  writer: BudgetWriter;
  pushesPerMinute: number;
  readsPerSecond: number;
  /** How the figure was reached, in a few words. */
  basis: string;
}

/** Commits a minute measured on the branch over a recent window, by what they touched. */
export interface MeasuredRates {
  windowMinutes: number;
  jobs: number;
  messages: number;
}

export interface BudgetInput {
  settings: ResolvedFleetSettings;
  /** The servers that report: their announced heartbeat period, if their status says one. */
  servers: readonly { periodSeconds?: number }[];
  measured: MeasuredRates | null;
  /** How often each agent polls for jobs (a local setting of each server; default 5 s). */
  agentPollSeconds?: number;
  /** Coordinator processes (each reads once per tick; only the leader writes). */
  coordinators?: number;
}

export interface BudgetProjection {
  lines: BudgetLine[];
  pushesPerMinute: number;
  readsPerSecond: number;
  /** The fleet's own push budget (fleet.json pushBudget). */
  budget: number;
  host: { pushesPerMinute: number; readsPerSecond: number };
  /** ok; near: past NEAR_LIMIT_SHARE of a limit or over the fleet's budget; over: past a host limit. */
  state: 'ok' | 'near' | 'over';
  /** Each limit passed or nearly passed, said in one line with what to do. */
  problems: string[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Seconds between two lease renewals of an idle leader: it renews at the first tick that
 * finds less than half the lease left (Coordinator.tick), so every whole number of
 * ticks past half a lease.
 */
export function renewalIntervalSeconds(leaseSeconds: number, tickSeconds: number): number {
  return tickSeconds * (Math.floor(leaseSeconds / 2 / tickSeconds) + 1);
}

/**
 * The pushes a minute and git reads a second the fleet makes as it is, writer by writer,
 * against the fleet's push budget and the host's limits. Pure: the caller measures the
 * job and message rates from recent history and lists the servers.
 *
 * Heartbeats count every server once per period (the worst case: an idle server may skip
 * every other one). Servers behind relays (fleet.json `relays`) count as one push per
 * relay per relay period, and read nothing upstream themselves: their relay fetches once
 * per period. Direct agents fetch once per job poll and probe the head once per period.
 */
export function projectBudget(input: BudgetInput): BudgetProjection {
  const { settings } = input;
  const fleetSize = input.servers.length;
  const relays = settings.relays && settings.relays.count > 0 ? settings.relays : null;
  const relayed = relays ? Math.min(fleetSize, relays.servers ?? fleetSize) : 0;
  const direct = input.servers.slice(relayed);
  const fallback = effectivePeriodSeconds(settings, fleetSize);
  const poll = Math.max(1, input.agentPollSeconds ?? DEFAULT_AGENT_POLL_SECONDS);
  let hbPushes = 0;
  let hbReads = 0;
  for (const s of direct) {
    const period = s.periodSeconds && s.periodSeconds > 0 ? s.periodSeconds : fallback;
    hbPushes += 60 / period;
    hbReads += 1 / poll + 1 / period;
  }
  const lines: BudgetLine[] = [
    {
      writer: 'heartbeats',
      pushesPerMinute: hbPushes,
      readsPerSecond: hbReads,
      basis: `${direct.length} direct server${direct.length === 1 ? '' : 's'}, one push a period (about ${fallback} s); a fetch every ${poll} s for jobs`,
    },
  ];
  if (relays) {
    lines.push({
      writer: 'relays',
      pushesPerMinute: (relays.count * 60) / relays.periodSeconds,
      readsPerSecond: relays.count / relays.periodSeconds,
      basis: `${relays.count} relay${relays.count === 1 ? '' : 's'} for ${relayed} server${relayed === 1 ? '' : 's'}, one push and one fetch every ${relays.periodSeconds} s each`,
    });
  }
  const { leaseSeconds, tickSeconds } = settings.coordinator;
  const renew = renewalIntervalSeconds(leaseSeconds, tickSeconds);
  const coordinators = Math.max(1, input.coordinators ?? 1);
  lines.push({
    writer: 'coordinator',
    pushesPerMinute: 60 / renew,
    readsPerSecond: coordinators / tickSeconds,
    basis: `an idle leader renews its ${leaseSeconds} s lease every ${renew} s (a tick with nothing to decide pushes nothing); ${coordinators} reading every ${tickSeconds} s`,
  });
  const m = input.measured;
  const measuredBasis = m ? `measured over the last ${round(m.windowMinutes, 0)} min of history` : 'no history read';
  lines.push({ writer: 'jobs', pushesPerMinute: m?.jobs ?? 0, readsPerSecond: 0, basis: `job transitions (submits, claims, starts, ends), ${measuredBasis}` });
  lines.push({ writer: 'messages', pushesPerMinute: m?.messages ?? 0, readsPerSecond: 0, basis: `messages and receipts, ${measuredBasis}` });
  for (const l of lines) {
    l.pushesPerMinute = round(l.pushesPerMinute);
    l.readsPerSecond = round(l.readsPerSecond);
  }
  const pushes = round(lines.reduce((t, l) => t + l.pushesPerMinute, 0));
  const reads = round(lines.reduce((t, l) => t + l.readsPerSecond, 0));
  const budget = settings.pushBudget.pushesPerMinute;
  const host = settings.host;
  const problems: string[] = [];
  let state: BudgetProjection['state'] = 'ok';
  const raise = (to: BudgetProjection['state']) => {
    if (to === 'over' || state === 'ok') state = to;
  };
  const fix = relays
    ? 'add relays, lengthen heartbeat.periodSeconds or split the fleet'
    : 'put sites behind relays (gitfleet relay), lengthen heartbeat.periodSeconds or split the fleet';
  if (pushes > host.pushesPerMinute) {
    raise('over');
    problems.push(`projected ${pushes} pushes/min is over the host's ${host.pushesPerMinute}/min: ${fix}`);
  } else if (pushes > host.pushesPerMinute * NEAR_LIMIT_SHARE) {
    raise('near');
    problems.push(`projected ${pushes} pushes/min is near the host's ${host.pushesPerMinute}/min: ${fix}`);
  } else if (pushes > budget) {
    raise('near');
    problems.push(`projected ${pushes} pushes/min is over the fleet's push budget of ${budget}/min (pushBudget.pushesPerMinute)`);
  }
  const readFix = `poll jobs less often (jobs.pollSeconds in each agent's config), put sites behind relays or split the fleet`;
  if (reads > host.readsPerSecond) {
    raise('over');
    problems.push(`projected ${reads} git reads/s is over the host's ${host.readsPerSecond}/s: ${readFix}`);
  } else if (reads > host.readsPerSecond * NEAR_LIMIT_SHARE) {
    raise('near');
    problems.push(`projected ${reads} git reads/s is near the host's ${host.readsPerSecond}/s: ${readFix}`);
  }
  if (budget > host.pushesPerMinute)
    problems.push(`pushBudget.pushesPerMinute ${budget} is above the host's ${host.pushesPerMinute}/min: heartbeats may stretch too little`);
  return { lines, pushesPerMinute: pushes, readsPerSecond: reads, budget, host: { ...host }, state, problems };
}
