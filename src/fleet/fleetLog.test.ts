import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TreeWalker } from '../git/walkTree.js';
import type { Store } from '../store/Store.js';
import { startFleetRemote, type FleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { fleetLog } from './fleetLog.js';

const COMMITS = 400;

/**
 * A long history made in one git process (fast-import): commit i changes one file, made by
 * "builder" (a foreign tool's author name, no trailer) except every 10th, which gitfleet
 * made as op:alice (trailer).
 */
function writeHistory(bareDir: string): void {
  let stream = '';
  for (let i = 1; i <= COMMITS; i++) {
    const ours = i % 10 === 0;
    const message = ours ? `status ${i}\n\nGitfleet-Actor: op:alice\n` : `build ${i}\n`;
    const who = ours ? 'op:alice <op.alice@gitfleet.invalid>' : 'builder <b@example.invalid>';
    const content = `{"n":${i}}\n`;
    stream += `commit refs/heads/main\nmark :${i}\nauthor ${who} ${1_700_000_000 + i} +0000\ncommitter ${who} ${1_700_000_000 + i} +0000\n`;
    stream += `data ${Buffer.byteLength(message)}\n${message}`;
    if (i > 1) stream += `from :${i - 1}\n`;
    stream += `M 100644 inline build${i % 7}/status.json\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  execFileSync('git', ['--git-dir', bareDir, 'fast-import', '--quiet'], { input: `${stream}done\n` });
}

describe.each(['js', 'cli'] as const)('fleetLog over %s on a long history', (backend) => {
  let remote: FleetRemote;
  let store: Store;
  let cacheDir: string;
  /** How many commits the cache holds: a shallow js cache is deepened only as far as a query needs. */
  const cachedCommits = () => Number(execFileSync('git', ['--git-dir', cacheDir, 'rev-list', '--count', '--all']).toString().trim());
  beforeAll(async () => {
    remote = await startFleetRemote();
    writeHistory(remote.bareDir);
    cacheDir = path.join(tempDir('gitfleet-cache-'), 'cache');
    store = openStore({ url: remote.httpUrl, backend, cacheDir });
  });
  afterAll(async () => {
    await store.close();
    await remote.close();
    cleanupTempDirs();
  });

  it('--limit computes the changes of only `limit` commits, and --by matches an author name before diffing', async () => {
    const diff = vi.spyOn(TreeWalker.prototype, 'diff');
    try {
      const last = await fleetLog(store, { limit: 20 });
      expect(last).toHaveLength(20);
      expect(last[0]!.summary).toBe(`status ${COMMITS}`);
      if (backend === 'js') {
        expect(diff.mock.calls.length).toBeLessThanOrEqual(20);
        // Fetched 21 deep, not the whole history.
        expect(existsSync(path.join(cacheDir, 'shallow'))).toBe(true);
        expect(cachedCommits()).toBeLessThanOrEqual(21);
      }
      diff.mockClear();

      const byAuthor = await fleetLog(store, { limit: 5, actor: 'builder' });
      expect(byAuthor.map((e) => e.summary)).toEqual([
        `build ${COMMITS - 1}`,
        `build ${COMMITS - 2}`,
        `build ${COMMITS - 3}`,
        `build ${COMMITS - 4}`,
        `build ${COMMITS - 5}`,
      ]);
      expect(byAuthor[0]!.files).toEqual([{ status: 'M', path: `build${(COMMITS - 1) % 7}/status.json` }]);
      if (backend === 'js') expect(diff.mock.calls.length).toBe(5);
      diff.mockClear();

      // The trailer still names gitfleet's actor; the oldest of alice's commits is far down the history.
      const byTrailer = await fleetLog(store, { limit: 100, actor: 'op:alice' });
      expect(byTrailer).toHaveLength(COMMITS / 10);
      expect(byTrailer.every((e) => e.actor === 'op:alice')).toBe(true);
      if (backend === 'js') {
        expect(diff.mock.calls.length).toBe(COMMITS / 10);
        // Deepened until the oldest of alice's commits was in reach.
        expect(cachedCommits()).toBe(COMMITS);
      }
    } finally {
      diff.mockRestore();
    }
  });
});

describe('who made a fold', () => {
  const fold = {
    authorName: 'web-01',
    message: `put web-01 #1 (+2 folded)\n\nGitfleet-Actor: web-01\nGitfleet-Attempt: 3\nGitfleet-Folded: ${'a'.repeat(40)} web-01\nGitfleet-Folded: ${'b'.repeat(40)} web-02\nGitfleet-Folded: ${'c'.repeat(40)} op:alice\n`,
  };
  it('credits every writer whose offer it applied, and no one else', async () => {
    const { madeBy, foldedActors } = await import('./fleetLog.js');
    expect(foldedActors(fold.message)).toEqual(['web-01', 'web-02', 'op:alice']);
    expect(['web-01', 'web-02', 'op:alice', 'web-03'].map((a) => madeBy(fold, a))).toEqual([true, true, true, false]);
    // A subject that only looks like a trailer is not one.
    expect(madeBy({ authorName: 'x', message: `Gitfleet-Folded: ${'d'.repeat(40)} web-09 is not a trailer line here` }, 'web-09')).toBe(false);
  });
});
