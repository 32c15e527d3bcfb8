import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { GitCommandError } from '../errors/index.js';
import { CatFileBatch } from './CatFileBatch.js';

describe('CatFileBatch', () => {
  afterAll(() => cleanupTempDirs());

  // status reads the cache's earlier head while it fetches; when the command ends first (its
  // fetch failed), closing the store must end that read at once, not at its timeout.
  it('fails a read still waiting for git when it is closed, and starts git again for the next', async () => {
    const dir = tempDir('gitfleet-catfile-');
    const started = path.join(dir, 'started');
    // A git that takes requests and never answers.
    writeFileSync(path.join(dir, 'git'), `#!/bin/sh\ntouch '${started}'\nexec cat > /dev/null\n`);
    chmodSync(path.join(dir, 'git'), 0o755);
    const env = { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` };
    const batch = new CatFileBatch(
      '--batch-command',
      () => dir,
      () => env,
      600_000,
    );
    const read = batch.read(['HEAD'], 'info');
    await expect.poll(() => existsSync(started), { timeout: 30_000 }).toBe(true);
    batch.close();
    await expect(read).rejects.toBeInstanceOf(GitCommandError);
    // The next read starts git anew (this one never answers either): it is pending, not failed.
    const next = batch.read(['HEAD'], 'info');
    const outcome = await Promise.race([
      next.then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise((resolve) => setImmediate(() => resolve('pending'))),
    ]);
    expect(outcome).toBe('pending');
    batch.close();
    await expect(next).rejects.toBeInstanceOf(GitCommandError);
  });
});
