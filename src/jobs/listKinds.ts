import type { ServerStatus } from '../schema/types.js';

/** One parameter of a kind as a group of servers describes it (servers may disagree). */
export interface KindParam {
  name: string;
  pattern: string;
  required: boolean;
  optionLike: boolean;
  /** The servers that describe it so, sorted. */
  servers: string[];
}

export interface KindSummary {
  kind: string;
  /** Every server whose status says it runs the kind, sorted. */
  servers: string[];
  /** One entry per distinct description of a parameter, by name then pattern. */
  params: KindParam[];
  /** Servers that run the kind without describing its parameters (older agents, or past the status bounds): not checked at submit. */
  undescribed: string[];
}

/** The kinds the servers advertise in their status records, for `gitfleet job kinds`. */
export function listKinds(statuses: readonly ServerStatus[]): KindSummary[] {
  const byKind = new Map<string, KindSummary>();
  for (const status of [...statuses].sort((a, b) => a.server.localeCompare(b.server))) {
    for (const kind of status.jobs?.kinds ?? []) {
      const summary = byKind.get(kind) ?? { kind, servers: [], params: [], undescribed: [] };
      byKind.set(kind, summary);
      summary.servers.push(status.server);
      const spec = status.jobs?.kindParams?.[kind];
      if (!spec) {
        summary.undescribed.push(status.server);
        continue;
      }
      for (const [name, rule] of Object.entries(spec)) {
        const optionLike = rule.optionLike === true;
        const same = summary.params.find((p) => p.name === name && p.pattern === rule.pattern && p.required === rule.required && p.optionLike === optionLike);
        if (same) same.servers.push(status.server);
        else summary.params.push({ name, pattern: rule.pattern, required: rule.required, optionLike, servers: [status.server] });
      }
    }
  }
  const kinds = [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  for (const k of kinds) k.params.sort((a, b) => a.name.localeCompare(b.name) || a.pattern.localeCompare(b.pattern));
  return kinds;
}
