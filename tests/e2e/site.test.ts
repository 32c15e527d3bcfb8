import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import type { SiteSnapshot } from '../../src/site/buildSiteSnapshot.js';
import type { DashboardConfig } from '../../src/site/dashboardConfig.js';
import { pagesWorkflow, validateWorkflow, workflowFiles } from '../../src/site/pagesWorkflows.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { type FleetRemote, headOf, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('gitfleet site (GitHub Pages)', () => {
  let remote: FleetRemote;
  let cacheDir: string;
  // Clean of the runner's own GITHUB_*, so the defaults are what each test says.
  const env = (extra: Record<string, string> = {}) => ({
    GITFLEET_CACHE_DIR: cacheDir,
    GITFLEET_DATA_DIR: path.join(cacheDir, 'data'),
    GITHUB_REPOSITORY: '',
    GITHUB_REF_NAME: '',
    ...extra,
  });

  beforeAll(async () => {
    remote = await startFleetRemote();
    cacheDir = tempDir('gitfleet-site-cache-');
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan({ name: 'pages' }), { createBranch: true });
    await store.transact('job', () => new ChangeSet().put('job', composeJob({ kind: 'build', createdBy: 'op:test' })));
    await store.close();
  }, 30_000);
  afterAll(async () => {
    await remote?.close();
    cleanupTempDirs();
  });

  it('writes the dashboard, snapshot.json and dashboard.json, then replaces its own site as a whole', async () => {
    const parent = tempDir('gitfleet-site-out-');
    const out = path.join(parent, 'site');
    const run = await runGitfleet(['site', '--out', out, '--repo', remote.httpUrl, '--github', 'acme/fleet', '--title', 'Acme'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/live from github acme\/fleet@main/);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'app.js', 'snapshot.json', 'dashboard.json']));
    for (const file of files) {
      const stat = statSync(path.join(out, file));
      expect(stat.mode & 0o777, file).toBe(stat.isDirectory() ? 0o755 : 0o644);
    }
    expect(statSync(out).mode & 0o777).toBe(0o755);
    const site = readJson<SiteSnapshot>(path.join(out, 'snapshot.json'));
    expect(site).toMatchObject({ format: 'gitfleet-snapshot', commit: remote.head() });
    expect(Object.keys(site.files)).toContain('fleet.json');
    expect(Object.keys(site.files).some((p) => /^jobs\/[^/]+\.json$/.test(p))).toBe(true);
    expect(readJson<DashboardConfig>(path.join(out, 'dashboard.json'))).toEqual({
      format: 'gitfleet-dashboard',
      version: 1,
      title: 'Acme',
      snapshot: 'snapshot.json',
      live: { type: 'github', owner: 'acme', repo: 'fleet', branch: 'main' },
    });

    // Again into the same folder: the live settings come from the Actions environment,
    // and a file of the old site does not survive.
    writeFileSync(path.join(out, 'stale.txt'), 'old');
    const again = await runGitfleet(['site', '--out', out, '--repo', remote.httpUrl], {
      env: env({ GITHUB_REPOSITORY: 'octo/fleet', GITHUB_REF_NAME: 'main' }),
    });
    expect(again.code, again.stderr).toBe(0);
    expect(readJson<DashboardConfig>(path.join(out, 'dashboard.json')).live).toEqual({ type: 'github', owner: 'octo', repo: 'fleet', branch: 'main' });
    expect(readdirSync(out)).not.toContain('stale.txt');
    expect(readdirSync(parent)).toEqual(['site']);
  });

  it('refuses a non-empty folder it did not write, and bad flags, with one line and nothing written', async () => {
    const parent = tempDir('gitfleet-site-out-');
    const out = path.join(parent, 'docs');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.md'), 'mine');
    const foreign = await runGitfleet(['site', '--out', out, '--repo', remote.httpUrl], { env: env() });
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr.trim().split('\n')).toHaveLength(1);
    expect(foreign.stderr).toMatch(/not empty/);
    expect(readdirSync(out)).toEqual(['notes.md']);
    expect(readdirSync(parent)).toEqual(['docs']);

    // More shapes of a bad value in src/site/siteDashboardConfig.test.ts.
    const bad = await runGitfleet(['site', '--out', path.join(parent, 'new'), '--repo', remote.httpUrl, '--github', 'acme/fleet/extra'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--github "acme\/fleet\/extra" is not owner\/repo/);
    expect(readdirSync(parent)).toEqual(['docs']);
  });

  it("runs the workflows' own command lines in a shallow checkout (a push, and a pull request's detached merge)", async () => {
    const dir = tempDir('gitfleet-site-checkout-');
    const checkout = path.join(dir, 'fleet');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${remote.bareDir}`, checkout]);
    // The script of a named step: `run: <line>`, or a `run: |` block (its deeper-indented lines).
    const stepScript = (yaml: string, name: string) => {
      const lines = yaml.split('\n');
      const at = lines.findIndex((l) => l.trim() === `- name: ${name}`);
      const run = lines[at + 1]!.trim();
      const script = [run.slice('run: '.length)];
      if (run === 'run: |') {
        script.length = 0;
        for (let i = at + 2; lines[i]?.startsWith('          '); i++) script.push(lines[i]!.trim());
      }
      return script.join('\n').replaceAll('node dist/gitfleet.js', `"${process.execPath}" "${BIN}"`);
    };
    const shell = (script: string, extra: Record<string, string>) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITFLEET_')));
        execFile('bash', ['-ec', script], { cwd: checkout, env: { ...clean, ...env(extra) } }, (error, _stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
        );
      });

    const pages = await shell(stepScript(pagesWorkflow({ variant: 'fork' }), 'Build the site'), { GITHUB_REPOSITORY: 'acme/fleet', GITHUB_REF_NAME: 'main' });
    expect(pages.code, pages.stderr).toBe(0);
    expect(readJson<SiteSnapshot>(path.join(checkout, '_site', 'snapshot.json')).commit).toBe(remote.head());
    expect(readJson<DashboardConfig>(path.join(checkout, '_site', 'dashboard.json')).live).toMatchObject({ owner: 'acme', repo: 'fleet', branch: 'main' });

    execFileSync('git', ['-C', checkout, 'checkout', '--quiet', '--detach']);
    execFileSync('git', ['-C', checkout, 'branch', '--quiet', '-D', 'main']);
    const validate = await shell(stepScript(validateWorkflow({ variant: 'fork' }), 'Validate the records'), { GITHUB_REF_NAME: '1/merge' });
    expect(validate.code, validate.stderr).toBe(0);
  });

  it('init --workflows commits both workflows (the package variant, a tarball pinned by sha512) into the fleet repository, once; never an unpinned package', async () => {
    const repo = path.join(tempDir('gitfleet-site-init-'), 'fleet.git');
    const tarball = {
      url: 'https://example.com/releases/gitfleet-0.1.0.tgz',
      integrity: 'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
    };
    const unpinned = await runGitfleet(['init', '--repo', repo, '--create', '--workflows'], { env: env() });
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toMatch(/--workflows needs --workflow-tarball/);
    const flags = ['--workflows', '--workflow-tarball', tarball.url, '--workflow-integrity', tarball.integrity];
    const init = await runGitfleet(['init', '--repo', repo, '--create', ...flags], { env: env() });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/\.github\/workflows\/pages\.yml/);
    for (const [file, text] of Object.entries(workflowFiles({ variant: 'package', tarball }))) {
      const committed = execFileSync('git', ['--git-dir', repo, 'show', `main:${file}`], { encoding: 'utf8' });
      expect(committed).toBe(text);
      expect(committed).not.toMatch(/npx/);
    }
    const head = headOf(repo);
    const again = await runGitfleet(['init', '--repo', repo, ...flags], { env: env() });
    expect(again.stdout).toMatch(/nothing to do/);
    expect(headOf(repo)).toBe(head);
  });
});
