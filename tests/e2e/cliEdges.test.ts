import { afterAll, describe, expect, it } from 'vitest';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

afterAll(() => cleanupTempDirs());

describe('credentials in a repository URL are never echoed (built CLI)', () => {
  it.each([
    ['https://s3cr3tT0ken@exa mple.com/x.git', 's3cr3tT0ken'],
    ['https://user:pa/ss-s3cr3t@example.com/x.git', 'ss-s3cr3t'],
    ['https://s3cr3t/T0ken@example.com/x.git', 'T0ken'],
    ['https://user:p@ss#w0rd-s3cr3t@example.com/x.git', 'w0rd-s3cr3t'],
    ['https://user:pass word-s3cr3t@exa mple.com/x.git', 'word-s3cr3t'],
    ['https://s3cr3t?T0ken@example.com/x.git', 'T0ken'],
    ['https://user:pa%zz-s3cr3t@exa mple.com/x.git', 's3cr3t'],
    ['ssh://git:ssh-s3cr3t@example.com/x.git', 'ssh-s3cr3t'],
    ['ftp://user:ftp-s3cr3t@example.com/x.git', 'ftp-s3cr3t'],
  ])('--repo %j: exit 2, the secret appears nowhere', async (repo, secret) => {
    const cache = tempDir('gitfleet-url-');
    for (const json of [false, true]) {
      const run = await runGitfleet(['validate', `--repo=${repo}`, '--cache-dir', cache, ...(json ? ['--json'] : [])]);
      expect(run.code, run.stderr + run.stdout).toBe(2);
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(run.stdout + run.stderr).toMatch(/repository|URL/);
    }
  });
});

describe('option-like repositories and branches are refused before git sees them (built CLI)', () => {
  it.each(['-u@example.com:x.git', 'git@-oProxyCommand:x.git', 'ssh://-oProxyCommand=touch/x.git', 'ssh://-x@example.com/x.git', '--upload-pack=touch'])(
    '--repo=%s: exit 2 with a clear error',
    async (repo) => {
      const run = await runGitfleet(['validate', `--repo=${repo}`, '--cache-dir', tempDir('gitfleet-opt-')]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/cannot start with "-"|starts with "-"/);
    },
  );

  it.each(['-x', '--upload-pack=touch', 'a..b', 'x:y', '.hidden', 'a/.b', 'x.lock', 'a b', 'a@{1}', 'x/'])(
    '--branch=%s: exit 2 with a clear error',
    async (branch) => {
      const run = await runGitfleet(['validate', '--repo', tempDir('gitfleet-br-'), `--branch=${branch}`]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/branch|invalid configuration/);
    },
  );
});
