import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetFixture } from '../../scripts/bench/fleetFixture.js';
import { buildSiteSnapshot } from '../../src/site/buildSiteSnapshot.js';
import { DashboardServer } from '../../src/site/DashboardServer.js';
import type { DashboardConfig } from '../../src/site/dashboardConfig.js';
import { dashboardCsp, withCsp } from '../../src/site/dashboardCsp.js';
import { launchBrowser, openPage, waitReady } from '../helpers/browser.js';
import { startFakeGitHub } from '../helpers/fakeGitHub.js';
import { type FleetRemote, headOf, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { startStaticSite } from '../helpers/staticSite.js';
import { cleanupTempDirs } from '../helpers/tempDir.js';

const DIST = path.resolve('dist/dashboard');
/** A refresh is a fetch, a parse and a render: on a loaded 2-core machine it may take more than the poll's default second. */
const SLOW = { timeout: 10_000 };
const fixture = fleetFixture({ servers: 6, messages: 4, jobs: 3 });
const files = (ids: string[]) =>
  Object.fromEntries(
    ids.map((id) => [`status/${id}.json`, fixture.get(`status/${id}.json`)!.replace(/"updatedAt": "[^"]+"/, `"updatedAt": "${new Date().toISOString()}"`)]),
  );

describe('dashboard live refresh in headless Chromium', () => {
  let browser: Browser;
  let remote: FleetRemote;
  beforeAll(async () => {
    browser = await launchBrowser();
    remote = await startFleetRemote();
    plantFiles(remote.bareDir, { 'fleet.json': fixture.get('fleet.json')!, ...files(['srv-0000', 'srv-0001', 'srv-0002']) });
  });
  afterAll(async () => {
    await browser?.close();
    await remote?.close();
    cleanupTempDirs();
  });

  it('from GitHub: one API call per refresh, changed records from raw URLs pinned to the head, a rate-limit banner, an optional token kept per tab, a cache for reloads', async () => {
    const github = await startFakeGitHub({ bareDir: remote.bareDir });
    const store = openStore({ url: remote.httpUrl });
    const baked = await buildSiteSnapshot(await store.snapshot());
    await store.close();
    const config: DashboardConfig = {
      format: 'gitfleet-dashboard',
      version: 1,
      snapshot: 'snapshot.json',
      live: { type: 'github', owner: 'fleet-owner', repo: 'fleet', branch: 'main', apiBase: github.apiBase, rawBase: github.rawBase, refreshSeconds: 3600 },
    };
    const site = await startStaticSite(DIST, {
      'index.html': withCsp(readFileSync(path.join(DIST, 'index.html'), 'utf8'), dashboardCsp(config)),
      'snapshot.json': JSON.stringify(baked),
      'dashboard.json': JSON.stringify(config),
    });
    const { page, problems } = await openPage(browser);
    const state = () => page.locator('gf-connection [data-state]').getAttribute('data-state');
    const cards = () => page.locator('gf-server-card').count();
    try {
      await page.goto(site.url);
      await waitReady(page);
      await expect.poll(state, SLOW).toBe('live');
      expect(await cards()).toBe(3);
      // The first refresh compares the baked commit with the branch: identical, one call, no file fetched.
      expect(github.calls.api).toEqual([`/repos/fleet-owner/fleet/compare/${baked.commit}...main`]);
      expect(github.calls.raw).toEqual([]);

      const head = plantFiles(remote.bareDir, files(['srv-0003', 'srv-0000']));
      await page.keyboard.press('r');
      await expect.poll(cards, SLOW).toBe(4);
      expect(github.calls.api).toHaveLength(2);
      expect(github.calls.raw.sort()).toEqual([`/fleet-owner/fleet/${head}/status/srv-0000.json`, `/fleet-owner/fleet/${head}/status/srv-0003.json`]);

      github.setRemaining(0);
      plantFiles(remote.bareDir, files(['srv-0004']));
      await page.keyboard.press('r');
      await expect.poll(state, SLOW).toBe('rate-limited');
      expect(await page.locator('gf-app .banner[role=alert]').innerText()).toMatch(/rate limit .* used up until .*; add a token/);
      expect(await cards()).toBe(4);
      expect(github.calls.api).toHaveLength(3);

      // A token lifts the limit; without "remember" it stays in this tab only.
      await page.locator('gf-connection button', { hasText: 'Add token' }).click();
      await page.locator('gf-connection input[name=token]').fill('ghp_test0123456789abcdefghijklmnop');
      await page.locator('gf-connection button[type=submit]').click();
      await expect.poll(cards, SLOW).toBe(5);
      expect(await state()).toBe('live');
      expect(await page.evaluate(() => [localStorage.getItem('gitfleet.githubToken'), sessionStorage.getItem('gitfleet.githubToken')])).toEqual([
        null,
        'ghp_test0123456789abcdefghijklmnop',
      ]);
      expect(github.calls.api).toHaveLength(4);

      // A reload paints the newer cached fleet, not the older baked snapshot (GitHub is
      // unreachable now, so the cache is all it can have come from). Records read with a
      // token nobody asked to remember are not cached: it holds the last anonymous fleet.
      await page.route(`${github.apiBase}/**`, (route) => route.abort());
      await page.reload();
      await waitReady(page);
      expect(await cards()).toBe(4);
      await expect.poll(state, SLOW).toBe('offline');
      expect(problems.errors.filter((e) => !/status of 403|ERR_FAILED/.test(e))).toEqual([]);
    } finally {
      await page.context().close();
      await site.close();
      await github.close();
    }
  });

  it('after a history rewrite (compaction) the page lists the head tree and fetches only what changed', async () => {
    const github = await startFakeGitHub({ bareDir: remote.bareDir });
    const store = openStore({ url: remote.httpUrl });
    const baked = await buildSiteSnapshot(await store.snapshot());
    await store.close();
    // Rewrite the branch: one root commit with the same records plus one more (what compact does).
    const old = headOf(remote.bareDir)!;
    const git = (args: string[]) =>
      execFileSync('git', ['--git-dir', remote.bareDir, ...args])
        .toString()
        .trim();
    const root = git(['-c', 'user.name=c', '-c', 'user.email=c@example.invalid', 'commit-tree', `${old}^{tree}`, '-m', 'compacted']);
    git(['update-ref', 'refs/heads/main', root]);
    const head = plantFiles(remote.bareDir, files(['srv-0005']));
    const config: DashboardConfig = {
      format: 'gitfleet-dashboard',
      version: 1,
      live: { type: 'github', owner: 'fleet-owner', repo: 'fleet', branch: 'main', apiBase: github.apiBase, rawBase: github.rawBase, refreshSeconds: 3600 },
    };
    const site = await startStaticSite(DIST, {
      'index.html': withCsp(readFileSync(path.join(DIST, 'index.html'), 'utf8'), dashboardCsp(config)),
      'snapshot.json': JSON.stringify({ ...baked, commit: 'e'.repeat(40) }),
      'dashboard.json': JSON.stringify(config),
    });
    const { page } = await openPage(browser);
    try {
      await page.goto(site.url);
      await waitReady(page);
      await expect
        .poll(() => page.locator('gf-server-card').count(), { timeout: 10_000 })
        .toBe(Object.keys(baked.files).filter((f) => f.startsWith('status/')).length + 1);
      expect(github.calls.api.map((c) => c.split('?')[0]!.replace(/[0-9a-f]{40}/g, '<sha>'))).toEqual([
        '/repos/fleet-owner/fleet/compare/<sha>...main',
        '/repos/fleet-owner/fleet/commits/main',
        '/repos/fleet-owner/fleet/git/trees/<sha>',
      ]);
      expect(github.calls.raw).toEqual([`/fleet-owner/fleet/${head}/status/srv-0005.json`]);
    } finally {
      await page.context().close();
      await site.close();
      await github.close();
    }
  });

  it('from gitfleet serve: the page updates by itself when the repository changes', async () => {
    const store = openStore({ url: remote.httpUrl });
    const server = new DashboardServer({ store, assetsDir: DIST, port: 0, pollMs: 200 });
    const { url } = await server.start();
    const { page, problems } = await openPage(browser);
    try {
      await page.goto(url);
      await waitReady(page);
      const before = await page.locator('gf-server-card').count();
      await expect.poll(() => page.locator('gf-connection [data-state]').getAttribute('data-state')).toBe('live');
      plantFiles(remote.bareDir, { 'status/late-joiner.json': files(['srv-0001'])['status/srv-0001.json']!.replace(/srv-0001/g, 'late-joiner') });
      await expect.poll(() => page.locator('gf-server-card').count(), { timeout: 10_000 }).toBe(before + 1);
      expect(problems.errors).toEqual([]);
    } finally {
      await page.context().close();
      await server.stop();
      await store.close();
    }
  });
});
