import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import { DashboardServer } from '../../src/site/DashboardServer.js';
import { launchBrowser, openPage, waitReady } from '../helpers/browser.js';
import { plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { startStaticSite } from '../helpers/staticSite.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';
import { SNAPSHOT_ONLY, poll } from '../helpers/dashboardPage.js';

const DIST = path.resolve('dist/dashboard');

describe('dashboard sources for operators (issue 13) in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    cleanupTempDirs();
  });

  it('a static site without live refresh judges health at its snapshot time and says "as of" when', async () => {
    // Deployed two hours ago: every heartbeat was fresh when the snapshot was taken.
    const takenAt = Date.now() - 2 * 3_600_000;
    const files = fleetFixture({ servers: 10, messages: 0, jobs: 0, now: takenAt });
    const site = await startStaticSite(DIST, {
      'snapshot.json': fixtureSnapshot(files, 'f'.repeat(40), new Date(takenAt).toISOString()),
      'dashboard.json': SNAPSHOT_ONLY,
    });
    const { page, problems } = await openPage(browser);
    page.setDefaultTimeout(5_000);
    try {
      await page.goto(site.url);
      await waitReady(page);
      const badge = (id: string) =>
        page
          .locator('gf-server-card article')
          .filter({ has: page.locator(`a[href*="/servers/${id}"]`) })
          .locator('header .badge')
          .first();
      // srv-0001 was 5 s old at the snapshot, srv-0007 an hour old: healthy and offline then, whatever the clock says now.
      await poll(() => badge('srv-0001').innerText()).toBe('healthy');
      expect(await badge('srv-0007').innerText()).toBe('offline');
      const asOf = await page.evaluate((t) => new Date(t).toLocaleString(), takenAt);
      expect(await page.locator('gf-app .as-of').innerText()).toContain(`as of ${asOf}`);
      expect(await page.locator('gf-connection').locator('[data-state]').innerText()).toMatch(/snapshot · as of/);
      expect(problems.errors).toEqual([]);
    } finally {
      await page.context().close();
      await site.close();
    }
  });

  it('opened from file:// it explains how to serve it instead of loading forever', async () => {
    const dir = tempDir('gitfleet-site-');
    cpSync(DIST, dir, { recursive: true });
    writeFileSync(path.join(dir, 'snapshot.json'), fixtureSnapshot(fleetFixture({ servers: 2, messages: 0, jobs: 0 })));
    const { page } = await openPage(browser);
    try {
      await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
      await expect.poll(() => page.locator('body').innerText(), { timeout: 5_000 }).toMatch(/cannot run from a file[\s\S]*gitfleet serve/);
      expect(await page.locator('body').innerText()).not.toMatch(/Loading the fleet/);
    } finally {
      await page.context().close();
    }
  });

  it('the header says "live" for gitfleet serve\'s event stream, not when the next poll is due', async () => {
    const remote = await startFleetRemote();
    const status = fleetFixture({ servers: 1, messages: 0, jobs: 0 });
    plantFiles(remote.bareDir, { 'fleet.json': status.get('fleet.json')!, 'status/srv-0000.json': status.get('status/srv-0000.json')! });
    const store = openStore({ url: remote.httpUrl });
    const server = new DashboardServer({ store, assetsDir: DIST, port: 0, pollMs: 200 });
    const { url } = await server.start();
    const { page, problems } = await openPage(browser);
    try {
      await page.goto(url);
      await waitReady(page);
      const header = page.locator('gf-connection [data-state]');
      await expect.poll(() => header.getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
      expect(await header.innerText()).toMatch(/(^|\n)live · updated/);
      expect(await header.innerText()).not.toMatch(/next in/);
      expect(problems.errors).toEqual([]);
    } finally {
      await page.context().close();
      await server.stop();
      await store.close();
      await remote.close();
    }
  });
});
