import type { Job, Message } from '../../../src/schema/types.js';
import type { FleetData, InvalidEntry, ServerView } from '../data/FleetData.js';
import type { Route } from './route.js';

export interface Filtered {
  servers: ServerView[];
  jobs: Job[];
  messages: Message[];
  invalid: InvalidEntry[];
}

/**
 * Search and filters, applied to every view at once so the tabs can show how many of
 * each match. Search is case-insensitive substring over the fields a user would type:
 * ids, names, labels, kinds, subjects, bodies.
 */
export function filterData(data: FleetData, route: Route): Filtered {
  const q = route.q.trim().toLowerCase();
  const has = (...fields: (string | undefined | null)[]) => !q || fields.some((f) => f?.toLowerCase().includes(q));
  const servers = data.servers.filter(
    (s) =>
      (route.health.length === 0 || route.health.includes(s.verdict.state)) &&
      (!route.label || (s.status.labels ?? []).includes(route.label)) &&
      has(s.id, s.status.host?.hostname, s.status.host?.os, ...(s.status.labels ?? []), ...s.verdict.reasons),
  );
  const jobs = data.jobs.filter(
    (j) =>
      (route.state.length === 0 || route.state.includes(j.state)) &&
      (route.priority.length === 0 || route.priority.includes(j.priority)) &&
      (!route.label || (j.constraints?.labels ?? []).includes(route.label)) &&
      has(j.id, j.kind, j.assignment?.server, j.createdBy, j.reason, ...Object.values(j.params)),
  );
  const messages = data.messages.filter(
    (m) =>
      (route.priority.length === 0 || route.priority.includes(m.priority)) &&
      (!route.label || m.to === `label:${route.label}`) &&
      has(m.id, m.subject, m.body, m.from, m.to, ...(m.tags ?? [])),
  );
  const invalid = data.invalid.filter((i) => has(i.path, i.reason));
  return { servers, jobs, messages, invalid };
}

/** Every label any server carries, for the label filter. */
export function allLabels(data: FleetData): string[] {
  const labels = new Set<string>();
  for (const s of data.servers) for (const l of s.status.labels ?? []) labels.add(l);
  return [...labels].sort();
}
