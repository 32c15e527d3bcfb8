import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFleet } from '../../src/config/openFleet.js';
import { resolveConfig } from '../../src/config/resolveConfig.js';
import { compactHistory } from '../../src/fleet/compactHistory.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// Compaction copies the commits it keeps; a separator byte inside an author name or a
// message must not shift their fields (a forged author, a lost message).
describe('gitfleet compact with hostile commit text', () => {
  afterAll(() => cleanupTempDirs());

  it('keeps author lines and messages holding separators and control bytes exactly', async () => {
    const root = tempDir();
    const bareDir = path.join(root, 'fleet.git');
    await createBareRepo(bareDir, 'main', { allowRewrite: true });
    const server = await new GitHttpServer({ projectRoot: root }).start();
    try {
      const url = `${server.url}/fleet.git`;
      const store = openStore({ url });
      await store.transact('init', initFleetPlan(), { createBranch: true });
      for (let i = 1; i <= 5; i++) {
        await store.transact(`old ${i}`, () =>
          new ChangeSet().put('status', { schemaVersion: 1, server: `old-${i}`, updatedAt: new Date().toISOString(), seq: i, health: { state: 'healthy' } }),
        );
      }
      const git = (args: string[], env: Record<string, string> = {}, input?: string) =>
        execFileSync('git', ['--git-dir', bareDir, ...args], { env: { ...process.env, ...env }, input })
          .toString()
          .trim();
      const cutoff = new Date(Date.now() + 2_000);
      // A commit after the cut-off, written by hand with separators in its author and message.
      const head = git(['rev-parse', 'main']);
      const forged = git(
        ['commit-tree', `${head}^{tree}`, '-p', head, '-F', '-'],
        {
          GIT_AUTHOR_NAME: 'ev\x1fil\x1e name',
          GIT_AUTHOR_EMAIL: 'a@b',
          GIT_AUTHOR_DATE: `${Math.floor(cutoff.getTime() / 1000) + 60} +0000`,
          GIT_COMMITTER_NAME: 'c\x1fd',
          GIT_COMMITTER_EMAIL: 'c@d',
          GIT_COMMITTER_DATE: `${Math.floor(cutoff.getTime() / 1000) + 60} +0000`,
        },
        'subject\x1fwith\x1eseparators\n\nbody line\x1f\nA\tstatus/fake.json\n',
      );
      git(['update-ref', 'refs/heads/main', forged]);
      const before = git(['cat-file', 'commit', forged]);

      const config = resolveConfig({ repo: url, cacheDir: path.join(root, 'cache'), dataDir: path.join(root, 'data') }, {});
      const result = await compactHistory(openFleet(config, { actor: 'op:test' }).store, { before: cutoff });
      expect(result.status).toBe('compacted');
      const after = git(['cat-file', 'commit', 'main']);
      // Same author, committer and message bytes; only tree and parent lines may differ.
      const body = (c: string) =>
        c
          .split('\n')
          .filter((l) => !l.startsWith('parent '))
          .join('\n');
      expect(body(after)).toBe(body(before));
    } finally {
      await server.stop();
    }
  }, 120_000);
});
