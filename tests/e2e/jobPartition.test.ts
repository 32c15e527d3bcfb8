import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Coordinator, type TickReport } from '../../src/coordinator/Coordinator.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { silentLogger } from '../../src/util/logger.js';
import { openStore } from '../helpers/openStore.js';
import { JobFleet, waitFor } from '../helpers/jobFleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const SELF_STOP_S = 10;
const SECONDS = { seconds: '[0-9]{1,3}' };

describe('a partitioned agent (cannot push, keeps running)', () => {
  let fleet: JobFleet;
  let side: GitHttpServer;
  let beat: string;
  let stopped = false;
  let ticking: Promise<void> | undefined;
  const ticks: (TickReport | { error: string })[] = [];

  beforeAll(async () => {
    fleet = await JobFleet.start();
    // A second server on the same repository: stopping it cuts off only the agents using it.
    side = await new GitHttpServer({ projectRoot: path.dirname(fleet.remote.bareDir) }).start();
    beat = path.join(tempDir('gitfleet-beat-'), 'beat');
  }, 30_000);

  afterAll(async () => {
    stopped = true;
    await ticking;
    await fleet?.close();
    await side?.stop();
    cleanupTempDirs();
  });

  it('stops its job within its self-stop limit, the job fails over, and its late result is rejected by fencing', async () => {
    // On part-a the job writes a heartbeat file every 200 ms for as long as it runs.
    fleet.startAgent('part-a', {
      url: `${side.url}/fleet.git`,
      selfStopSeconds: SELF_STOP_S,
      kinds: {
        work: {
          argv: ['/bin/sh', '-c', 'end=$(( $(date +%s) + $0 )); while [ "$(date +%s)" -lt "$end" ]; do date +%s%3N > "$1"; sleep 0.2; done', '{seconds}', beat],
          params: SECONDS,
        },
      },
    });
    // The coordinator runs in this process, ticked every 500 ms, so a failure shows what it decided.
    const coordinator = new Coordinator({
      store: openStore({ url: fleet.remote.httpUrl, actor: 'coord-p' }),
      holder: 'coord-p',
      remoteUrl: fleet.remote.httpUrl,
      logger: silentLogger,
    });
    ticking = (async () => {
      while (!stopped) {
        const report = await coordinator.tick().catch((error: unknown) => ({ error: (error as Error).message }));
        ticks.push(report);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const statuses = async () => (await (await fleet.store.snapshot()).list('status')).records.map((s) => s.server);
    expect(await waitFor(async () => (await statuses()).includes('part-a'), 30_000)).toBe(true);
    const job = await fleet.submit({ kind: 'work', params: { seconds: '120' } });
    const current = async () => (await fleet.jobs()).find((j) => j.id === job.id)!;
    expect(await waitFor(async () => (await current()).state === 'running' && existsSync(beat), 30_000)).toBe(true);
    expect((await current()).assignment?.server).toBe('part-a');

    fleet.startAgent('part-b', { kinds: { work: { argv: ['/bin/sh', '-c', 'echo "quick on part-b ($0)"', '{seconds}'], params: SECONDS } } });
    expect(await waitFor(async () => (await statuses()).includes('part-b'), 30_000)).toBe(true);

    const cutAt = Date.now();
    await side.stop();
    // The job stops by itself: its heartbeat file stops changing within the limit (plus a poll).
    const lastBeat = () => Number(readFileSync(beat, 'utf8'));
    expect(await waitFor(() => Date.now() - lastBeat() > 2_000, (SELF_STOP_S + 10) * 1000)).toBe(true);
    // (A poll every 0.5 s; a few seconds of slack for a loaded machine.)
    expect(lastBeat() - cutAt).toBeLessThanOrEqual(SELF_STOP_S * 1000 + 4_000);

    // The coordinator judges part-a dead and the job runs again on part-b.
    const succeeded = await waitFor(async () => (await current()).state === 'succeeded', 120_000);
    const summary = (t: TickReport | { error: string }) =>
      'error' in t ? t.error : `${t.role} failover=${t.canFailOver} ${JSON.stringify(t.decisions)} waiting=${t.waiting} ${t.result ?? ''}`;
    const liveness = [...coordinator.index.servers].map(([id, s]) => `${id}: seen ${Date.now() - s.observedAt} ms ago, seq ${s.status.seq}`).join('; ');
    expect(succeeded, `${JSON.stringify(await current())}\n${liveness}\n${ticks.slice(-8).map(summary).join('\n')}`).toBe(true);
    const failedOver = await current();
    expect(failedOver.result?.outputTail).toContain('quick on part-b');
    expect(failedOver.history?.map((h) => `${h.server}:${h.outcome}`)).toEqual(['part-a:lost', 'part-b:succeeded']);

    // The partition heals: part-a's late report is recorded, not applied.
    await side.start();
    expect(await waitFor(async () => Boolean((await current()).history?.some((h) => h.outcome === 'stale-result')), 60_000)).toBe(true);
    const final = await current();
    expect(final.state).toBe('succeeded');
    expect(final.result?.outputTail).toContain('quick on part-b');
    expect(final.history?.filter((h) => h.outcome === 'succeeded')).toHaveLength(1);
    const stale = final.history!.find((h) => h.outcome === 'stale-result')!;
    expect(stale.server).toBe('part-a');
    expect(stale.attempt).toBe(1);
    expect(fleet.procs.get('part-a')!.log.join('\n')).toMatch(/job\.stopping.*reason=self-stop/);
  }, 300_000);
});
