import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { type FleetRemote, headOf, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// What must never reach a terminal raw: C0/C1 controls, bidi overrides and isolates,
// zero-width characters, line and paragraph separators (tab and newline are layout).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u2060\ufeff]/;
const NASTY = 'A\u202eB\u2066C\u200bD\u2028E\u0085F\u009b31mG\ufeffH\u2060I';

/** Commits files with a commit message of our choosing (control bytes and all), as a hostile pusher would. */
function plantCommit(bareDir: string, files: Record<string, string>, message: string): void {
  const env = { ...process.env, GIT_INDEX_FILE: path.join(tempDir('gitfleet-index-'), 'index') };
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['--git-dir', bareDir, ...args], { env, input })
      .toString()
      .trim();
  const parent = headOf(bareDir)!;
  git(['read-tree', parent]);
  for (const [file, content] of Object.entries(files)) {
    const oid = git(['hash-object', '-w', '--stdin'], content);
    git(['update-index', '--add', '--cacheinfo', `100644,${oid},${file}`]);
  }
  const tree = git(['write-tree']);
  const commit = git(['-c', 'user.name=evil\u202eguy', '-c', 'user.email=e@example.invalid', 'commit-tree', tree, '-p', parent, '-F', '-'], message);
  git(['update-ref', 'refs/heads/main', commit]);
}

describe('what reaches the terminal is sanitised (built CLI, every command that shows repository data)', () => {
  let remote: FleetRemote;
  let messageId: string;
  let jobId: string;
  const cli = (args: string[]) => runGitfleet([...args, '--repo', remote.httpUrl, '--cache-dir', path.join(tempDir('gitfleet-term-'), 'c')]);

  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan(), { createBranch: true });
    const message = {
      ...composeMessage({ from: 'web-01', to: 'all', subject: 'x', body: 'x' }),
      subject: `subject ${NASTY}`,
      body: `body line\roverwritten ${NASTY}`,
    };
    messageId = message.id;
    const job = { ...composeJob({ kind: 'build', params: { target: `t${NASTY}` }, createdBy: 'op:test' }), reason: `reason ${NASTY}` };
    jobId = job.id;
    const status = {
      schemaVersion: 1,
      server: 'web-01',
      updatedAt: new Date().toISOString(),
      seq: 1,
      health: { state: 'degraded', reasons: [`why ${NASTY}`] },
    };
    plantCommit(
      remote.bareDir,
      {
        [`messages/${message.id}.json`]: JSON.stringify(message),
        [`jobs/${job.id}.json`]: JSON.stringify(job),
        'status/web-01.json': JSON.stringify(status),
        [`status/evil\u001b[2J${NASTY}.json`]: '{}',
      },
      `status web-01: fine\u001b[2J\u001b[31m ${NASTY}\r\nGitfleet-Actor: web-01\u202e\n`,
    );
  });

  afterAll(async () => {
    await remote?.close();
    cleanupTempDirs();
  });

  const commands: [string, () => string[]][] = [
    ['log', () => ['log']],
    ['log --files', () => ['log', '--files']],
    ['status', () => ['status']],
    ['msg list', () => ['msg', 'list']],
    ['msg read', () => ['msg', 'read', messageId]],
    ['msg thread', () => ['msg', 'thread', messageId]],
    ['msg search', () => ['msg', 'search', 'subject']],
    ['job list', () => ['job', 'list']],
    ['job show', () => ['job', 'show', jobId]],
    ['validate', () => ['validate']],
  ];

  it.each(commands)('%s prints every unsafe character as a visible escape, as text and as --json', async (_name, args) => {
    for (const json of [false, true]) {
      const run = await cli([...args(), ...(json ? ['--json'] : [])]);
      expect([0, 3], run.stderr).toContain(run.code);
      const all = run.stdout + run.stderr;
      expect(all).not.toMatch(UNSAFE);
      if (json) JSON.parse(run.stdout);
      if (_name !== 'status' || json) expect(all).toMatch(/\\u202e|\\u2066|\\u001b/);
    }
  });

  it('log --files cannot be given fake entries or hidden files by a commit message', async () => {
    const run = await cli(['log', '--files']);
    const lines = run.stdout.split('\n');
    // One entry line for the planted commit, its files below it, no line from the message.
    expect(lines.filter((l) => l.includes('fine')).length).toBe(1);
    expect(lines.some((l) => l.trim().startsWith('Gitfleet-Actor'))).toBe(false);
    expect(run.stdout).toContain(`jobs/${jobId}.json`);
  });
});
