import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeJob } from '../../src/jobs/composeJob.js';
import { refuseJob } from '../../src/jobs/jobLifecycle.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { plantFiles } from '../helpers/fleetRemote.js';
import { JobFleet, waitFor } from '../helpers/jobFleet.js';
import { fileAt } from '../helpers/removeFiles.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs } from '../helpers/tempDir.js';

/**
 * Issue 13, item 1: an agent daemon advertises its kinds' parameters in its status,
 * `job submit` refuses at once what no server would accept, `job kinds` lists them, and a
 * job an agent refused reads as refused, not cancelled.
 */
describe('job parameters are checked at submit (real processes)', () => {
  let fleet: JobFleet;
  const run = (args: string[]) => runGitfleet([...args, '--repo', fleet.remote.httpUrl, '--cache-dir', path.join(fleet.work, 'cache', 'cli')]);

  beforeAll(async () => {
    fleet = await JobFleet.start();
    // No coordinator: the jobs submitted here stay queued, nothing runs.
    fleet.startAgent('web-01', {
      kinds: { 'demo.build': { argv: [process.execPath, '-e', '0', '{seconds}', '{target}'], params: { seconds: '[0-9]{1,2}', target: '[a-z0-9-]{1,32}' } } },
    });
    const advertised = async () => (await (await fleet.store.snapshot()).list('status')).records.some((s) => s.jobs?.kinds?.includes('demo.build'));
    expect(await waitFor(advertised, 120_000)).toBe(true);
  }, 180_000);
  afterAll(async () => {
    await fleet?.close();
    cleanupTempDirs();
  });

  it('the agent advertises each parameter with its pattern in its status record', () => {
    const status = JSON.parse(fileAt(fleet.remote.bareDir, 'status/web-01.json')!.toString()) as ServerStatus;
    expect(status.jobs?.kindParams).toEqual({
      'demo.build': { seconds: { pattern: '[0-9]{1,2}', required: true }, target: { pattern: '[a-z0-9-]{1,32}', required: true } },
    });
  });

  it('refuses a missing or malformed parameter at once: exit 2, the pattern and a valid invocation, nothing written', async () => {
    const missing = await run(['job', 'submit', 'demo.build']);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('parameter seconds is required by kind demo.build');
    expect(missing.stderr).toContain('seconds must match [0-9]{1,2}');
    expect(missing.stderr).toContain('e.g. gitfleet job submit demo.build -p seconds=1 -p target=main');
    const malformed = await run(['job', 'submit', 'demo.build', '-p', 'seconds=5', '-p', 'target=Web!']);
    expect(malformed.code, malformed.stderr).toBe(2);
    expect(malformed.stderr).toContain('parameter target does not match its pattern [a-z0-9-]{1,32}');
    const unknown = await run(['job', 'submit', 'demo.build', '-p', 'seconds=5', '-p', 'target=web', '-p', 'ref=main']);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toContain('kind demo.build takes no parameter ref');
    expect(JSON.parse((await run(['job', 'list', '--json'])).stdout)).toEqual([]);
    const ok = await run(['job', 'submit', 'demo.build', '-p', 'seconds=5', '-p', 'target=web']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
  }, 120_000);

  it('job kinds lists kinds, parameters and the servers that run them', async () => {
    const text = await run(['job', 'kinds']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/KIND\s+PARAM\s+REQUIRED\s+PATTERN\s+SERVERS/);
    expect(text.stdout).toMatch(/demo\.build\s+seconds\s+yes\s+\[0-9\]\{1,2\}\s+web-01/);
    expect(text.stdout).toMatch(/\n\s+target\s+yes\s+\[a-z0-9-\]\{1,32\}/);
    const json = await run(['job', 'kinds', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        kind: 'demo.build',
        servers: ['web-01'],
        params: [
          { name: 'seconds', pattern: '[0-9]{1,2}', required: true, optionLike: false, servers: ['web-01'] },
          { name: 'target', pattern: '[a-z0-9-]{1,32}', required: true, optionLike: false, servers: ['web-01'] },
        ],
        undescribed: [],
      },
    ]);
  }, 120_000);

  it('when servers disagree, accepts what one would take and names those that would refuse', async () => {
    const now = new Date().toISOString();
    const wide: ServerStatus = {
      schemaVersion: 1,
      server: 'web-02',
      updatedAt: now,
      seq: 1,
      health: { state: 'healthy' },
      jobs: {
        slots: 1,
        running: [],
        kinds: ['demo.build'],
        kindParams: { 'demo.build': { seconds: { pattern: '[0-9]{1,3}', required: true }, target: { pattern: '[a-z0-9.-]{1,32}', required: true } } },
      },
    };
    plantFiles(fleet.remote.bareDir, { 'status/web-02.json': JSON.stringify(wide) });
    const out = await run(['job', 'submit', 'demo.build', '-p', 'seconds=5', '-p', 'target=v1.2']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('web-01 runs demo.build but would refuse these parameters (parameter target does not match its pattern [a-z0-9-]{1,32})');
    const both = await run(['job', 'submit', 'demo.build', '-p', 'seconds=5', '-p', 'target=V!']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      'web-01: parameter target does not match its pattern [a-z0-9-]{1,32}; web-02: parameter target does not match its pattern [a-z0-9.-]{1,32}',
    );
    const kinds = await run(['job', 'kinds']);
    expect(kinds.stdout).toMatch(/target\s+yes\s+\[a-z0-9.-\]\{1,32\}\s+web-02/);
  }, 120_000);

  it('a job an agent refused reads as refused in job list, show and stats', async () => {
    const job = refuseJob(
      composeJob({ kind: 'demo.build', createdBy: 'op:alice' }),
      'parameter target is required by kind demo.build (on web-01)',
      new Date(),
      'web-01',
    );
    plantFiles(fleet.remote.bareDir, { [`jobs/${job.id}.json`]: JSON.stringify(job) });
    const list = await run(['job', 'list', '--state', 'cancelled']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${job.id}\\s+demo\\.build\\s+refused\\s`));
    expect(list.stdout).not.toMatch(/cancelled/);
    const show = await run(['job', 'show', job.id]);
    expect(show.stdout).toContain('state:     refused (parameter target is required by kind demo.build (on web-01))');
    const stats = await run(['job', 'stats']);
    expect(stats.stdout).toContain('0 cancelled, 1 refused by their servers');
  }, 120_000);
});
