import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { launchBrowser } from '../helpers/browser.js';
import { SNAPSHOT_ONLY, expectCleanAndClose, openDashboard, poll } from '../helpers/dashboardPage.js';
import { startStaticSite, type StaticSite } from '../helpers/staticSite.js';

const DIST = path.resolve('dist/dashboard');
const NOW = Date.now();
const DAY = 86_400_000;
const date = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString().slice(0, 10);
/** Set to a folder to keep a picture of the bars (the lead's screenshot). */
const SHOTS = process.env.GITFLEET_SCREENSHOT_DIR;
const HOSTILE = '<img src=x onerror=alert(1)>';

/** 90 days up, but for a bad day 3 days ago (92.59 %) and a short blip 10 days ago; today up so far. */
function uptime(): ServerStatus['uptime'] {
  const days: [number, number][] = Array.from({ length: 90 }, () => [86_400, 0]);
  days[86] = [80_000, 6_400];
  days[79] = [86_000, 400];
  days[89] = [Math.floor((NOW % DAY) / 1000), 0];
  return { from: date(89), days };
}

/** srv-0001 with 90 days of uptime, srv-0002 an older agent without the field, srv-0003 (late) in a maintenance window. */
function uptimeFleet(): Map<string, string> {
  const files = fleetFixture({ servers: 4, messages: 0, jobs: 0, now: NOW });
  const put = (p: string, v: unknown) => files.set(p, JSON.stringify(v, null, 2));
  put('fleet.json', {
    schemaVersion: 1,
    name: 'uptime',
    heartbeat: { periodSeconds: 60 },
    maintenance: [
      { target: 'srv-0003', start: new Date(NOW - 600_000).toISOString(), end: new Date(NOW + 3_000_000).toISOString(), reason: `disk swap ${HOSTILE}` },
    ],
  });
  for (const id of ['srv-0001', 'srv-0003']) {
    const s = JSON.parse(files.get(`status/${id}.json`)!) as ServerStatus;
    s.uptime = uptime();
    put(`status/${id}.json`, s);
  }
  return files;
}

describe('uptime bars and the maintenance state in headless Chromium', () => {
  let browser: Browser;
  let site: StaticSite;

  beforeAll(async () => {
    site = await startStaticSite(DIST, {
      'snapshot.json': fixtureSnapshot(uptimeFleet(), 'e'.repeat(40), new Date(NOW).toISOString()),
      'dashboard.json': SNAPSHOT_ONLY,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const card = (page: Page, id: string) => page.locator('gf-server-card article').filter({ has: page.locator(`a[href*="/servers/${id}"]`) });

  it('cards show 30 daily bars with a tooltip each and a server in maintenance says so; the server page shows 90', async () => {
    const { page, problems } = await openDashboard(browser, site.url);
    const bars = (id: string) => card(page, id).locator('gf-uptime-bar .day');
    await poll(() => bars('srv-0001').count()).toBe(30);
    const bad = bars('srv-0001').and(page.locator(`[data-date="${date(3)}"]`));
    expect(await bad.getAttribute('title')).toBe(`${date(3)} · 92.59 % up · down 1 h 47 min`);
    expect(await bad.getAttribute('class')).toMatch(/\bpartial\b/);
    expect(
      await bars('srv-0001')
        .and(page.locator(`[data-date="${date(10)}"]`))
        .getAttribute('class'),
    ).toMatch(/\bminor\b/);
    expect(
      await bars('srv-0001')
        .and(page.locator(`[data-date="${date(5)}"]`))
        .getAttribute('title'),
    ).toBe(`${date(5)} · 100 % up`);
    // 6,800 s down in 30 days (how much of today is up depends on the hour).
    expect(await card(page, 'srv-0001').locator('gf-uptime-bar .pct').innerText()).toMatch(/^99\.7\d % up$/);
    // An older agent's record without the field: bars with no data, never an error.
    expect(await card(page, 'srv-0002').locator('gf-uptime-bar .pct').innerText()).toBe('no data');
    expect(await bars('srv-0002').and(page.locator('.none')).count()).toBe(30);

    // Late by more than the suspect window, but in maintenance: that is its state, with the window's reason as text.
    const maint = card(page, 'srv-0003');
    expect(await maint.locator('.badge').first().innerText()).toBe('maintenance');
    expect(await maint.locator('.why').innerText()).toContain(`: disk swap ${HOSTILE}`);
    expect(await maint.locator('img').count()).toBe(0);
    expect(await page.locator('gf-summary ul').innerText()).toMatch(/1\s*maintenance/);
    if (SHOTS) await page.locator('gf-server-grid').screenshot({ path: path.join(SHOTS, 'uptime-cards.png') });

    await page.goto(`${site.url}#/servers/srv-0001`);
    const big = page.locator('gf-server-detail gf-uptime-bar');
    await poll(() => big.locator('.day').count()).toBe(90);
    expect(await page.locator('gf-server-detail tr', { hasText: 'Availability' }).innerText()).toMatch(/30 d 99\.7\d %[\s\S]*90 d 99\.9\d %/);
    expect(await big.getAttribute('size')).toBe('large');
    if (SHOTS) await page.locator('gf-server-detail tr', { hasText: 'Availability' }).screenshot({ path: path.join(SHOTS, 'uptime-bar.png') });
    await expectCleanAndClose(page, problems);
  });
});
