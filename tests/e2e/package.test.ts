import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/bench/repoRoot.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// The install path of the README: a release tarball made by `npm pack`, installed
// globally into a fresh prefix, runs the real commands with nothing from this checkout.
describe('the published package (npm pack, then npm install -g of the tarball)', () => {
  afterAll(() => cleanupTempDirs());

  it('packs only what runs, installs into a fresh prefix, and runs init, agent --once and status', async () => {
    const work = tempDir('gitfleet-pack-');
    // dist/ was built by the suite's global setup; --ignore-scripts keeps prepack from
    // rebuilding it under the feet of the tests running beside this one.
    await run(npm, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: repoRoot(), maxBuffer: 16 * 1024 * 1024 });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    const { stdout: listing } = await run('tar', ['-tzf', path.join(work, tarball)]);
    const files = listing.trim().split('\n');
    expect(files).toContain('package/dist/gitfleet.js');
    expect(files).toContain('package/dist/gitfleet.cjs');
    expect(files).toContain('package/dist/cli.cjs');
    expect(files).toContain('package/dist/statusFetch.cjs');
    expect(files).toContain('package/dist/dashboard/index.html');
    expect(files).toContain('package/shared/status.schema.json');
    expect(files.filter((f) => f.endsWith('.map') || f.includes('/src/') || f.includes('/tests/'))).toEqual([]);

    const prefix = path.join(work, 'prefix');
    // The dependencies come from npm's cache when the test suite's own install put them there.
    await run(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(work, tarball)], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const bin = path.join(prefix, 'bin', 'gitfleet');
    const env = {
      ...process.env,
      GITFLEET_REPO: path.join(work, 'fleet.git'),
      GITFLEET_CACHE_DIR: path.join(work, 'cache'),
      GITFLEET_DATA_DIR: path.join(work, 'data'),
      // Where the launcher keeps V8's code cache of the CLI (src/cli/codeCache/).
      XDG_CACHE_HOME: path.join(work, 'xdg'),
    };
    for (const key of Object.keys(env))
      if (key.startsWith('GITFLEET_') && !['GITFLEET_REPO', 'GITFLEET_CACHE_DIR', 'GITFLEET_DATA_DIR'].includes(key))
        delete (env as Record<string, string | undefined>)[key];
    const gf = (args: string[]) => run(bin, args, { cwd: work, env });
    expect((await gf(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // Served by the launcher from help/ beside the real file, through npm's bin symlink.
    expect((await gf(['--help'])).stdout).toMatch(/^gitfleet <command> \[options\]/);
    await gf(['init', '--create', '--name', 'packaged']);
    await gf(['agent', '--once', '--now', '--simulate', '--server', 'pkg-01']);
    const status = JSON.parse((await gf(['status', '--json'])).stdout) as unknown;
    expect(JSON.stringify(status)).toContain('pkg-01');
    // Each command's first run left its compiled code for the next, beside nothing of the fleet's.
    const cached = readdirSync(path.join(work, 'xdg', 'gitfleet', 'code')).sort();
    expect(cached.map((f) => f.replace(/(-[0-9a-f]{12}){3}\.v8$/, ''))).toEqual(['cli-agent', 'cli-init', 'cli-status', 'statusFetch-status']);
    // Taken from that cache, or compiled afresh with it turned off: the same answer.
    const rows = (stdout: string) => (JSON.parse(stdout) as { server: string; updatedAt: string }[]).map((r) => `${r.server} ${r.updatedAt}`);
    const cachedRun = rows((await gf(['status', '--json'])).stdout);
    const uncachedRun = rows((await run(bin, ['status', '--json'], { cwd: work, env: { ...env, GITFLEET_CODE_CACHE: '0' } })).stdout);
    expect(cachedRun).toEqual(uncachedRun);
    expect(cachedRun).toHaveLength(1);
  }, 300_000);
});
