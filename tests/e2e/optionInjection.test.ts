import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookArgv, runMessageHook } from '../../src/agent/runHook.js';
import { JobKinds } from '../../src/agent/JobKinds.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import type { Job } from '../../src/schema/types.js';
import { JobFleet, waitFor, type Kinds } from '../helpers/jobFleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const OPTION_LIKE = ['-rf', '--output=/etc/x', '-'];
// The README's example pattern, widened so that "--output=/etc/x" matches it too.
const PERMISSIVE = '[a-z0-9=/._-]{1,40}';

describe('values that start with "-" never become options of a local program', () => {
  let fleet: JobFleet;
  let markers: string;

  beforeAll(async () => {
    fleet = await JobFleet.start();
    markers = tempDir('gitfleet-optmarks-');
    // A program that records every argument it gets: if a refused job ran, a line appears.
    const recorder = path.join(markers, 'record.js');
    writeFileSync(recorder, "require('node:fs').appendFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)) + '\\n');");
    const kinds: Kinds = {
      build: { argv: [process.execPath, recorder, path.join(markers, 'build.log'), '{target}'], params: { target: PERMISSIVE } },
      shift: {
        argv: [process.execPath, recorder, path.join(markers, 'shift.log'), '{offset}'],
        params: { offset: { pattern: '-?[0-9]{1,3}', allowOptionLike: true } },
      },
    };
    fleet.startAgent('opt-a', { kinds });
    fleet.startCoordinator('coord-opt');
    const ready = async () => (await (await fleet.store.snapshot()).list('status')).records.some((s) => s.jobs?.kinds?.includes('build'));
    expect(await waitFor(ready, 30_000)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await fleet?.close();
    cleanupTempDirs();
  });

  it('a job whose parameter is option-like is refused with a clear reason and its program never starts; allowOptionLike lets one through', async () => {
    const refused = await fleet.submitMany(OPTION_LIKE.map((target) => ({ kind: 'build', params: { target } })));
    const [allowed] = await fleet.submitMany([{ kind: 'shift', params: { offset: '-5' } }]);
    const ids = [...refused.map((j) => j.id), allowed!.id];
    const done = async () => {
      const jobs = new Map((await fleet.jobs()).map((j) => [j.id, j]));
      return ids.every((id) => ['cancelled', 'succeeded', 'dead'].includes(jobs.get(id)?.state ?? ''));
    };
    expect(await waitFor(done, 60_000)).toBe(true);
    const jobs = new Map((await fleet.jobs()).map((j) => [j.id, j] as [string, Job]));
    for (const job of refused) {
      const after = jobs.get(job.id)!;
      expect(after.state).toBe('cancelled');
      expect(after.reason).toMatch(/^refused: .*parameter target starts with "-" and could be taken as an option/);
    }
    expect(existsSync(path.join(markers, 'build.log'))).toBe(false);
    expect(jobs.get(allowed!.id)!.state).toBe('succeeded');
    expect(readFileSync(path.join(markers, 'shift.log'), 'utf8').trim()).toBe('["-5"]');
  }, 90_000);
});

describe('the pure checks behind it', () => {
  afterAll(() => cleanupTempDirs());

  it.each(OPTION_LIKE)('JobKinds refuses %j under a permissive pattern and accepts it with allowOptionLike', (value) => {
    const job = composeJob({ kind: 'k', params: { v: value }, createdBy: 'op:test' });
    const strict = new JobKinds({ k: { argv: ['/bin/echo', '{v}'], params: { v: PERMISSIVE } } }).resolve(job, { timeoutSeconds: 60 });
    expect(strict).toEqual({ refused: expect.stringMatching(/parameter v starts with "-" and could be taken as an option; set allowOptionLike/) });
    const open = new JobKinds({ k: { argv: ['/bin/echo', '{v}'], params: { v: { pattern: PERMISSIVE, allowOptionLike: true } } } }).resolve(job, {
      timeoutSeconds: 60,
    });
    expect('argv' in open && open.argv).toEqual(['/bin/echo', value]);
  });

  it('a critical-message hook given {subject} = "--help" gets no option (a real program records its arguments)', async () => {
    const dir = tempDir('gitfleet-hook-');
    const recorder = path.join(dir, 'record.js');
    const out = path.join(dir, 'args.log');
    writeFileSync(recorder, "require('node:fs').writeFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));");
    for (const subject of ['--help', '-rf', '-']) {
      const message = { ...composeMessage({ from: 'web-01', to: 'all', subject: 'placeholder', priority: 'critical' }), subject };
      const result = await runMessageHook([process.execPath, recorder, out, '{subject}', '--from={from}', '{from}'], message);
      expect(result.code).toBe(0);
      const args = JSON.parse(readFileSync(out, 'utf8')) as string[];
      expect(args[0]!.startsWith('-'), subject).toBe(false);
      expect(args[0]!.trim()).toBe(subject);
      // A dash the template itself wrote stays an option.
      expect(args.slice(1)).toEqual(['--from=web-01', 'web-01']);
    }
    // The program is never taken from a message.
    expect(hookArgv(['{from}', '{subject}'], { ...composeMessage({ from: 'web-01', to: 'all', subject: 'x' }) })[0]).toBe('{from}');
  });
});
