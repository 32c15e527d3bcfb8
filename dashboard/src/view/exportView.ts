import type { Filtered } from './filterData.js';
import { lastServer } from './jobServers.js';
import type { View } from './route.js';

/** The rows of the current view as plain objects: what JSON and CSV exports contain. */
export function exportRows(view: View, filtered: Filtered): Record<string, unknown>[] {
  switch (view) {
    case 'servers':
      return filtered.servers.map((s) => ({
        server: s.id,
        health: s.verdict.state,
        reasons: s.verdict.reasons.join('; '),
        updatedAt: s.status.updatedAt,
        cpuPercent: s.status.cpu?.usagePercent ?? null,
        memoryUsedBytes: s.status.memory?.usedBytes ?? null,
        memoryTotalBytes: s.status.memory?.totalBytes ?? null,
        labels: (s.status.labels ?? []).join(' '),
        runningJobs: s.status.jobs?.running?.length ?? 0,
        draining: s.draining,
      }));
    case 'jobs':
      return filtered.jobs.map((j) => ({
        id: j.id,
        kind: j.kind,
        state: j.state,
        priority: j.priority,
        server: lastServer(j) ?? null,
        attempts: j.attempts,
        createdAt: j.createdAt,
        updatedAt: j.updatedAt ?? null,
        reason: j.reason ?? null,
      }));
    case 'messages':
      return filtered.messages.map((m) => ({
        id: m.id,
        from: m.from,
        to: m.to,
        priority: m.priority,
        type: m.type,
        subject: m.subject,
        createdAt: m.createdAt,
        thread: m.thread,
      }));
    case 'invalid':
      return filtered.invalid.map((i) => ({ path: i.path, reason: i.reason }));
  }
}

/**
 * RFC 4180 CSV. A cell that a spreadsheet would run as a formula (= + - @ and tab or CR
 * first) is prefixed with a quote: fleet data is untrusted, even in an export.
 */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}
