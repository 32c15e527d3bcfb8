import type { Job, Message } from '../../../src/schema/types.js';
import type { FleetData, InvalidEntry, ServerView } from '../data/FleetData.js';
import { lastServer } from './jobServers.js';
import { isForOperators } from './operatorInbox.js';
import type { Route } from './route.js';

export interface Filtered {
  servers: ServerView[];
  jobs: Job[];
  messages: Message[];
  invalid: InvalidEntry[];
}

/** Job states that wait for a server: the queue. */
const WAITING = ['queued', 'failed'];

/**
 * Search and filters. Search applies to every view at once so the tabs can show how many
 * of each match; the filters (health, state, priority, label) belong to the view they were
 * set on: a priority chosen for messages must not empty the Jobs tab. Search is a
 * case-insensitive substring over the fields a user would type: ids, names, labels, kinds,
 * subjects, bodies. A list of waiting jobs only shows the oldest first (the queue's order
 * of age); every other list is newest first.
 */
export function filterData(data: FleetData, route: Route): Filtered {
  const q = route.q.trim().toLowerCase();
  const has = (...fields: (string | undefined | null)[]) => !q || fields.some((f) => f?.toLowerCase().includes(q));
  const on = (view: Route['view']) => route.view === view;
  const servers = data.servers.filter(
    (s) =>
      (!on('servers') ||
        ((route.health.length === 0 || route.health.includes(s.verdict.state)) && (!route.label || (s.status.labels ?? []).includes(route.label)))) &&
      has(s.id, s.status.host?.hostname, s.status.host?.os, ...(s.status.labels ?? []), ...s.verdict.reasons),
  );
  const jobs = data.jobs.filter(
    (j) =>
      (!on('jobs') ||
        ((route.state.length === 0 || route.state.includes(j.state)) &&
          (route.priority.length === 0 || route.priority.includes(j.priority)) &&
          (!route.label || (j.constraints?.labels ?? []).includes(route.label)))) &&
      has(j.id, j.kind, lastServer(j), j.createdBy, j.reason, ...Object.values(j.params)),
  );
  if (oldestFirst(route)) jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const messages = data.messages.filter(
    (m) =>
      (!on('messages') ||
        ((route.priority.length === 0 || route.priority.includes(m.priority)) &&
          (!route.label || m.to === `label:${route.label}`) &&
          (!route.to || isForOperators(m, route.to)))) &&
      has(m.id, m.subject, m.body, m.from, m.to, ...(m.tags ?? [])),
  );
  const invalid = data.invalid.filter((i) => has(i.path, i.reason));
  return { servers, jobs, messages, invalid };
}

/** Whether the job list shows the oldest first (a list of waiting jobs only). */
export function oldestFirst(route: Route): boolean {
  return route.view === 'jobs' && route.state.length > 0 && route.state.every((s) => WAITING.includes(s));
}

/** Every label any server carries, for the label filter. */
export function allLabels(data: FleetData): string[] {
  const labels = new Set<string>();
  for (const s of data.servers) for (const l of s.status.labels ?? []) labels.add(l);
  return [...labels].sort();
}
