import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceWriters } from '../../scripts/bench/raceWriters.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { queuedJob } from '../helpers/queuedJob.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// Real processes, each with its own clone, released at the same instant against git
// http-backend on loopback: the race every fleet runs when servers push at once.
describe('simultaneous writer processes', () => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan(), { createBranch: true });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('200 writers over HTTP (cli backend): 200 of 200 land, every record valid, each write once (its own commit or one fold)', async () => {
    const before = execFileSync('git', ['--git-dir', remote.bareDir, 'rev-parse', 'main']).toString().trim();
    const { outcomes } = await raceWriters({ url: remote.httpUrl, backend: 'cli', writers: 200, mode: 'put', workDir: tempDir() });
    const failed = outcomes.filter((o) => o.status !== 'committed');
    expect(failed).toEqual([]);
    const snap = await openStore({ url: remote.httpUrl }).snapshot();
    const { records, invalid } = await snap.list('status');
    expect(invalid).toEqual([]);
    expect(new Set(records.map((r) => r.server))).toEqual(new Set(outcomes.map((o) => o.server)));
    // A writer that lost a race lands through the commit queue: one `Gitfleet-Folded` line
    // in the fold that applied it. Every other writer made a commit of its own.
    const bodies = execFileSync('git', ['--git-dir', remote.bareDir, 'log', '--format=%B%x00', `${before}..main`])
      .toString()
      .split('\0')
      .filter((b) => b.trim());
    const folded = bodies.flatMap((b) => b.split('\n').filter((l) => l.startsWith('Gitfleet-Folded: ')));
    const own = bodies.filter((b) => !b.includes('Gitfleet-Folded: '));
    expect(own.length + folded.length).toBe(200);
    expect(new Set(folded.map((l) => l.split(' ')[1])).size).toBe(folded.length);
    // Every offer went with the fold that applied it.
    expect(execFileSync('git', ['--git-dir', remote.bareDir, 'for-each-ref', 'refs/gitfleet/queue/']).toString()).toBe('');
  }, 600_000);

  it('20 writers over HTTP (js backend): 20 of 20 land', async () => {
    const { outcomes } = await raceWriters({
      url: remote.httpUrl,
      backend: 'js',
      writers: 20,
      mode: 'put',
      workDir: tempDir(),
      serverId: (i) => `js-writer-${i}`,
    });
    expect(outcomes.filter((o) => o.status !== 'committed')).toEqual([]);
    const { records } = await (await openStore({ url: remote.httpUrl }).snapshot()).list('status');
    expect(records.filter((r) => r.server.startsWith('js-writer-'))).toHaveLength(20);
  }, 300_000);

  it.each(['cli', 'js'] as const)(
    '20 processes claiming one job (%s): exactly one wins, 19 are told it is already claimed',
    async (backend) => {
      const jobId = `contested-${backend}`;
      await openStore({ url: remote.httpUrl }).transact('submit', () => new ChangeSet().put('job', queuedJob(jobId)));
      const { outcomes } = await raceWriters({
        url: remote.httpUrl,
        backend,
        writers: 20,
        mode: 'claim',
        jobId,
        workDir: tempDir(),
        serverId: (i) => `claimer-${i}`,
      });
      const winners = outcomes.filter((o) => o.status === 'committed');
      const losers = outcomes.filter((o) => o.status === 'aborted');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(19);
      expect(new Set(losers.map((o) => o.reason))).toEqual(new Set(['already claimed']));
      const job = await (await openStore({ url: remote.httpUrl }).snapshot()).get('job', jobId);
      expect(job?.assignment?.server).toBe(winners[0]!.server);
      expect(job?.attempts).toBe(1);
    },
    300_000,
  );
});
