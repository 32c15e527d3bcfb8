import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import type { SiteSnapshot } from '../../src/site/buildSiteSnapshot.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

describe("gitfleet snapshot --out (the dashboard's first paint)", () => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan({ name: 'snap' }), { createBranch: true });
    const job = composeJob({ kind: 'build', createdBy: 'op:test' });
    await store.transact('job', () => new ChangeSet().put('job', job).put('job', { ...job, id: 'old-job', state: 'succeeded' }, { archiveMonth: '2026-01' }));
    await store.close();
    plantFiles(remote.bareDir, {
      'status/evil.json': '{"schemaVersion":1,"server":"evil","note":"<img src=x onerror=alert(1)>"}',
      'status/huge.json': Buffer.alloc(5 * 1024 * 1024, 0x61),
      'messages/latin1.json': Buffer.from([0x7b, 0xff, 0x7d]),
    });
  }, 30_000);
  afterAll(async () => {
    await remote?.close();
    cleanupTempDirs();
  });

  it('writes the live record files as text, leaves out archives, oversized and non-UTF-8 files with a reason', async () => {
    const out = tempDir('gitfleet-site-');
    const run = await runGitfleet(['snapshot', '--out', out, '--repo', remote.httpUrl, '--cache-dir', path.join(out, '.cache')]);
    expect(run.code, run.stderr).toBe(0);
    const file = path.join(out, 'snapshot.json');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const site = JSON.parse(readFileSync(file, 'utf8')) as SiteSnapshot;
    expect(site.format).toBe('gitfleet-snapshot');
    expect(site.commit).toBe(remote.head());
    expect(Object.keys(site.files)).toEqual(expect.arrayContaining(['fleet.json', 'status/evil.json']));
    expect(Object.keys(site.files).some((p) => p.startsWith('jobs/') && p.endsWith('.json') && !p.includes('archive'))).toBe(true);
    expect(Object.keys(site.files).some((p) => p.includes('archive'))).toBe(false);
    // Untrusted content is passed on as text, for the dashboard to validate and show literally.
    expect(site.files['status/evil.json']).toContain('<img src=x onerror=alert(1)>');
    expect(site.skipped.map((s) => s.path).sort()).toEqual(['messages/latin1.json', 'status/huge.json']);
    expect(site.skipped.find((s) => s.path === 'status/huge.json')?.reason).toMatch(/larger than/);
    expect(statSync(file).size).toBeLessThan(64 * 1024);
  }, 60_000);

  it('says what is missing without --out: exit 2, one line', async () => {
    const run = await runGitfleet(['snapshot', '--repo', remote.httpUrl]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
