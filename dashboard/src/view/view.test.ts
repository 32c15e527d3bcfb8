import { describe, expect, it } from 'vitest';
import { fleetFixture } from '../../../scripts/bench/fleetFixture.js';
import { validateRecord } from '../../../src/schema/validateRecord.js';
import { buildFleetData } from '../data/buildFleetData.js';
import { exportRows, toCsv } from './exportView.js';
import { allLabels, filterData } from './filterData.js';
import { formatRoute, parseRoute } from './route.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const data = buildFleetData(
  { commit: null, generatedAt: new Date(NOW).toISOString(), files: fleetFixture({ servers: 20, messages: 12, jobs: 14, now: NOW }), skipped: [] },
  validateRecord,
  NOW,
);

describe('routes: the URL hash holds the view, the record and the filters', () => {
  it('round-trips views, ids and filters', () => {
    for (const hash of [
      '#/servers',
      '#/servers/web-01',
      '#/jobs?state=queued,failed&priority=critical',
      '#/messages/msg-1?q=disk%20full&label=gpu',
      '#/servers?health=offline',
      '#/messages?to=op',
      '#/messages?priority=critical&to=op%3Aalice',
    ]) {
      expect(formatRoute(parseRoute(hash))).toBe(hash);
    }
  });

  it('drops what is not a known view, a valid id or a known filter value', () => {
    expect(parseRoute('#/admin/../../etc')).toMatchObject({ view: 'servers', id: null });
    expect(parseRoute('#/servers/Not%20An%20Id')).toMatchObject({ view: 'servers', id: null });
    expect(parseRoute('#/servers/%E0%A4%A')).toMatchObject({ id: null });
    expect(parseRoute('#/jobs?state=queued,bogus,<script>&health=offline&label=a%20b')).toMatchObject({ state: ['queued'], health: ['offline'], label: '' });
    expect(parseRoute(`#/servers?q=${'x'.repeat(500)}`).q).toHaveLength(200);
    expect(parseRoute('')).toMatchObject({ view: 'servers', id: null, q: '' });
    // Only the operators, or one operator by a valid name: a server or a label is not an inbox here.
    for (const to of ['srv-1', 'op%3ABad%20Name', 'op%3A', 'label%3Agpu', 'all']) expect(parseRoute(`#/messages?to=${to}`).to).toBe('');
  });
});

describe('filters and search', () => {
  it('every fixture record is valid and servers come worst first', () => {
    expect(data.invalid).toEqual([]);
    expect(data.servers).toHaveLength(20);
    expect(data.servers[0]!.verdict.state).toBe('offline');
    expect(data.servers.at(-1)!.verdict.state).toBe('healthy');
  });

  it('applies search to all views at once, and filters to their own view only', () => {
    const all = filterData(data, parseRoute('#/servers'));
    expect([all.servers.length, all.jobs.length, all.messages.length]).toEqual([20, 14, 12]);
    const offline = filterData(data, parseRoute('#/servers?health=offline'));
    expect(offline.servers.map((s) => s.verdict.state)).toEqual(['offline', 'offline']);
    const gpu = filterData(data, parseRoute('#/servers?label=gpu'));
    expect(gpu.servers.every((s) => s.status.labels?.includes('gpu'))).toBe(true);
    expect(gpu.messages).toHaveLength(12);
    const gpuMessages = filterData(data, parseRoute('#/messages?label=gpu&priority=high'));
    expect(gpuMessages.messages.length).toBeGreaterThan(0);
    expect(gpuMessages.messages.every((m) => m.to === 'label:gpu' && m.priority === 'high')).toBe(true);
    expect([gpuMessages.servers.length, gpuMessages.jobs.length]).toEqual([20, 14]);
    const q = filterData(data, parseRoute('#/jobs?q=V1.1&state=failed'));
    expect(q.jobs.map((j) => j.id)).toEqual(['job-00011']);
    expect(allLabels(data)).toEqual(['arm', 'build', 'db', 'gpu', 'linux', 'web']);
  });
});

describe('exports', () => {
  it('CSV quotes what needs quoting and defuses spreadsheet formulas', () => {
    const csv = toCsv([
      { a: '=HYPERLINK("http://evil")', b: 'plain', c: 'x,y', d: '+1', e: null },
      { a: '@SUM(A1)', b: 'line\nbreak', c: '-2', d: 'ok', e: 3 },
    ]);
    expect(csv).toBe(`a,b,c,d,e\r\n"'=HYPERLINK(""http://evil"")",plain,"x,y",'+1,\r\n'@SUM(A1),"line\nbreak",'-2,ok,3\r\n`);
    expect(toCsv([])).toBe('');
  });

  it('exports the rows of the current view', () => {
    const rows = exportRows('jobs', filterData(data, parseRoute('#/jobs?state=queued')));
    expect(rows.length).toBe(2);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'kind', 'state', 'priority', 'server', 'attempts', 'createdAt', 'updatedAt', 'reason']);
  });
});

describe('drain', () => {
  it("a server named in fleet.json's drain list is draining at once, whatever its own status says", () => {
    const files = fleetFixture({ servers: 3, messages: 0, jobs: 0, now: NOW });
    files.set('fleet.json', JSON.stringify({ schemaVersion: 1, name: 'fixture', drain: ['srv-0001'] }));
    const drained = buildFleetData({ commit: null, generatedAt: new Date(NOW).toISOString(), files, skipped: [] }, validateRecord, NOW);
    expect(drained.servers.filter((s) => s.draining).map((s) => s.id)).toEqual(['srv-0001']);
    expect(exportRows('servers', filterData(drained, parseRoute('#/servers'))).find((r) => r.server === 'srv-0001')).toMatchObject({ draining: true });
  });
});
