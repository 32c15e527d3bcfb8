import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import { launchBrowser, openPage, type PageProblems, waitReady } from '../helpers/browser.js';
import { startStaticSite, type StaticSite } from '../helpers/staticSite.js';

const DIST = path.resolve('dist/dashboard');
const SNAPSHOT_ONLY = JSON.stringify({ format: 'gitfleet-dashboard', version: 1, snapshot: 'snapshot.json', live: null });

describe('dashboard in headless Chromium: fixture data', () => {
  let browser: Browser;
  let site: StaticSite;
  const files = fleetFixture({ servers: 40, messages: 60, jobs: 35 });

  beforeAll(async () => {
    site = await startStaticSite(DIST, { 'snapshot.json': fixtureSnapshot(files), 'dashboard.json': SNAPSHOT_ONLY });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(hash = '', options: Parameters<typeof openPage>[1] = {}): Promise<{ page: Page; problems: PageProblems }> {
    const opened = await openPage(browser, options);
    await opened.page.goto(`${site.url}${hash}`);
    await waitReady(opened.page);
    return opened;
  }

  async function clean(page: Page, problems: PageProblems): Promise<void> {
    expect(problems.errors).toEqual([]);
    expect(problems.alerts).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await page.context().close();
  }

  it('renders the fleet: summary, every server worst first, tabs with counts', async () => {
    const { page, problems } = await open();
    await expect.poll(() => page.locator('gf-server-card').count()).toBe(40);
    const summary = await page.locator('gf-summary ul').innerText();
    expect(summary).toMatch(/40\s*servers/);
    const states = await page.locator('gf-server-card .badge').first().innerText();
    expect(states).toBe('offline');
    const last = await page.locator('gf-server-card').last().locator('.badge').first().innerText();
    expect(last).toBe('healthy');
    expect(await page.locator('nav').innerText()).toMatch(/Servers 40[\s\S]*Jobs 35[\s\S]*Messages 60[\s\S]*Invalid 0/);
    expect(await page.locator('gf-server-card svg polyline').count()).toBe(120);
    expect(await page.title()).toBe('fixture · gitfleet');
    await clean(page, problems);
  });

  it('search and filters narrow every view and live in the URL; deep links open a server, a job and a thread', async () => {
    const { page, problems } = await open();
    await page.keyboard.press('/');
    await page.keyboard.type('srv-001');
    await expect.poll(() => page.locator('gf-server-card').count()).toBe(10);
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/servers?q=srv-001');
    await page.locator('gf-search-box input').press('Escape');
    await expect.poll(() => page.locator('gf-server-card').count()).toBe(40);
    await page.locator('gf-filters button', { hasText: /^offline$/ }).click();
    await expect.poll(() => page.locator('gf-server-card').count()).toBe(4);
    expect(new URL(page.url()).hash).toBe('#/servers?health=offline');
    // A reload keeps the filter: it is in the URL.
    await page.reload();
    await waitReady(page);
    await expect.poll(() => page.locator('gf-server-card').count()).toBe(4);
    await page.goBack();
    await expect.poll(() => page.locator('gf-server-card').count()).toBe(40);

    await page.goto(`${site.url}#/jobs?state=failed,dead&priority=critical`);
    const rows = page.locator('gf-job-table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/(failed|dead)\s+critical/);

    await page.goto(`${site.url}#/servers/srv-0014`);
    await expect.poll(() => page.locator('gf-server-detail h2').innerText()).toMatch(/^srv-0014\s+failing/);
    await page.goto(`${site.url}#/jobs/job-00004`);
    await expect.poll(() => page.locator('gf-job-detail article').innerText()).toMatch(/job-00004[\s\S]*failed[\s\S]*building v1\.4/);
    await page.goto(`${site.url}#/messages/msg-00003`);
    await expect.poll(() => page.locator('gf-thread-view article.msg').count()).toBe(3);
    await page.goto(`${site.url}#/servers/srv-9999`);
    await expect.poll(() => page.locator('main').innerText()).toMatch(/No server srv-9999/);
    await clean(page, problems);
  });

  it('theme follows the system, the toggle and "t" switch it, and the choice persists', async () => {
    const { page, problems } = await open('', { colorScheme: 'dark' });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.keyboard.press('t');
    expect(await background()).toBe('rgb(246, 248, 250)');
    await page.reload();
    await waitReady(page);
    expect(await background()).toBe('rgb(246, 248, 250)');
    await page.locator('gf-theme-toggle button').click();
    expect(await background()).toBe('rgb(13, 17, 23)');
    await clean(page, problems);
  });

  it('keyboard shortcuts: ? opens help, Escape closes it, g j goes to jobs, / focuses search', async () => {
    const { page, problems } = await open();
    await page.keyboard.press('?');
    await expect.poll(() => page.locator('gf-help-dialog dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('gf-help-dialog dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    await page.keyboard.press('g');
    await page.keyboard.press('j');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/jobs');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.id ?? null)).toBe('q');
    await page.locator('gf-search-box input').press('Escape');
    // Single-key shortcuts can be turned off in the help (and stay off); '?' still opens it.
    await page.keyboard.press('?');
    await page.locator('gf-help-dialog input[type=checkbox]').uncheck();
    await page.keyboard.press('Escape');
    await page.reload();
    await waitReady(page);
    await page.keyboard.press('g');
    await page.keyboard.press('m');
    await page.waitForTimeout(100);
    expect(new URL(page.url()).hash).toBe('#/jobs');
    await page.keyboard.press('?');
    await expect.poll(() => page.locator('gf-help-dialog dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await clean(page, problems);
  });

  it('exports the current view as JSON and CSV', async () => {
    const { page, problems } = await open('#/servers?health=offline');
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: 'Export JSON' }).click()]);
    const rows = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { server: string; health: string }[];
    expect(rows.map((r) => r.health)).toEqual(['offline', 'offline', 'offline', 'offline']);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^gitfleet-servers-.*\.csv$/);
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^server,health,reasons,updatedAt/);
    expect(lines).toHaveLength(5);
    await clean(page, problems);
  });

  it('works at phone width: no horizontal scrolling', async () => {
    const { page, problems } = await open('', { viewport: { width: 390, height: 844 } });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.goto(`${site.url}#/jobs`);
    await expect.poll(() => page.locator('gf-job-table tbody tr').count()).toBe(35);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await clean(page, problems);
  });

  it.each(['light', 'dark'] as const)('is accessible in the %s theme: text contrast of at least 4.5:1, every control named', async (colorScheme) => {
    const { page, problems } = await open('', { colorScheme });
    await page.goto(`${site.url}#/jobs`);
    await expect.poll(() => page.locator('gf-job-table tbody tr').count()).toBe(35);
    const report = await page.evaluate(() => {
      const all = (window as unknown as { __allElements: () => Element[] }).__allElements();
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      // The background an element's text sits on: the nearest opaque one up the (shadow-crossing) tree.
      const background = (el: Element): number[] => {
        for (let e: Element | null = el; e; e = e.parentElement ?? (e.getRootNode() as ShadowRoot).host ?? null) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
        }
        return rgb(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
      };
      const low: string[] = [];
      for (const el of all) {
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
        if (!own || (el as HTMLElement).offsetParent === null) continue;
        const fg = lum(rgb(getComputedStyle(el).color));
        const bg = lum(background(el));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        if (ratio < 4.5) low.push(`${el.tagName}.${el.className} "${el.textContent!.trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
      }
      const unnamed = all
        .filter((e) => ['BUTTON', 'INPUT', 'SELECT', 'A'].includes(e.tagName) && (e as HTMLElement).offsetParent !== null)
        .filter((e) => {
          const label =
            e.getAttribute('aria-label') ||
            e.textContent?.trim() ||
            (e.id && (e.getRootNode() as Document).querySelector(`label[for="${e.id}"]`)) ||
            e.closest('label');
          return !label;
        })
        .map((e) => e.outerHTML.slice(0, 80));
      return { low: [...new Set(low)].slice(0, 10), unnamed };
    });
    expect(report).toEqual({ low: [], unnamed: [] });
    await clean(page, problems);
  });
});
