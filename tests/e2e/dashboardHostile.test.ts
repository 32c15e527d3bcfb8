import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import { launchBrowser, openPage, waitReady } from '../helpers/browser.js';
import { startStaticSite } from '../helpers/staticSite.js';

const DIST = path.resolve('dist/dashboard');
const SNAPSHOT_ONLY = JSON.stringify({ format: 'gitfleet-dashboard', version: 1, snapshot: 'snapshot.json', live: null });
const PAYLOAD = `<script>alert('x1')</script><img src=x onerror="alert('x2')"><svg onload=alert('x3')></svg><a href="javascript:alert('x4')">click</a>"><b onmouseover=alert('x5')>b</b>`;

/** Every element in the document and in every shadow root, and what would betray an injection. */
async function injected(page: Page): Promise<{ scripts: number; handlers: string[]; images: number; links: string[] }> {
  return page.evaluate(() => {
    const all = (window as unknown as { __allElements: () => Element[] }).__allElements();
    return {
      scripts: all.filter((e) => e.tagName === 'SCRIPT').length,
      handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`)),
      images: all.filter((e) => e.tagName === 'IMG').length,
      // Every link the page draws is an internal #/ route: none is built from data.
      links: all.flatMap((e) => (e.hasAttribute('href') && !e.getAttribute('href')!.startsWith('#') ? [`${e.tagName} ${e.getAttribute('href')}`] : [])),
    };
  });
}

describe('dashboard in headless Chromium: hostile data', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows script tags, HTML, event handlers and javascript: URLs in every field as text, and runs none of them', async () => {
    const files = fleetFixture({ servers: 6, messages: 6, jobs: 7, payload: PAYLOAD });
    const site = await startStaticSite(DIST, { 'snapshot.json': fixtureSnapshot(files), 'dashboard.json': SNAPSHOT_ONLY });
    const { page, problems } = await openPage(browser);
    try {
      // Every view that displays the hostile fields.
      for (const hash of [
        '',
        '#/servers/srv-0000',
        '#/jobs',
        '#/jobs/job-00004',
        '#/messages',
        '#/messages/msg-00000',
        `#/servers?q=${encodeURIComponent('<script>')}`,
      ]) {
        await page.goto(`${site.url}${hash}`);
        await waitReady(page);
        await page.waitForTimeout(50);
        expect(await injected(page), hash).toEqual({ scripts: 2, handlers: [], images: 0, links: ['LINK data:,', 'LINK app.css'] });
      }
      await page.goto(`${site.url}#/messages/msg-00000`);
      await expect.poll(() => page.locator('gf-thread-view .body').first().innerText()).toBe(PAYLOAD);
      await page.goto(`${site.url}#/jobs/job-00004`);
      await expect.poll(() => page.locator('gf-job-detail pre').innerText()).toBe(PAYLOAD);
      // Nothing invalid: the payload is valid text, so it was shown, not dropped.
      expect(await page.locator('nav').innerText()).toMatch(/Invalid 0/);
      expect(problems.alerts).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __alerts: string[] }).__alerts)).toEqual([]);
      expect(problems.errors).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(csp).toMatch(/script-src 'self';/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    } finally {
      await page.context().close();
      await site.close();
    }
  });

  it('a 5 MB record, invalid JSON, wrong types, an unknown schemaVersion and bad names are marked invalid; the rest renders', async () => {
    const files = fleetFixture({ servers: 12, messages: 9, jobs: 7 });
    const future = JSON.parse(files.get('messages/msg-00008.json')!) as Record<string, unknown>;
    files.set('status/huge.json', JSON.stringify({ schemaVersion: 1, server: 'huge', padding: 'x'.repeat(5 * 1024 * 1024) }));
    files.set('status/broken.json', '{"schemaVersion": 1, "server": "broken",');
    files.set(
      'jobs/wrong-types.json',
      JSON.stringify({
        schemaVersion: 1,
        id: 'wrong-types',
        kind: 42,
        params: [],
        priority: 'urgent',
        state: 'queued',
        createdAt: 'yesterday',
        createdBy: 'op:x',
        attempts: -1,
      }),
    );
    files.set('messages/future.json', JSON.stringify({ ...future, id: 'future', schemaVersion: 2 }));
    files.set('status/srv-0000.json', files.get('status/srv-0000.json')!.replace('"server": "srv-0000"', '"server": "someone-else"'));
    files.set('status/Not A Name.json', '{}');
    const site = await startStaticSite(DIST, { 'snapshot.json': fixtureSnapshot(files), 'dashboard.json': SNAPSHOT_ONLY });
    const { page, problems } = await openPage(browser);
    try {
      await page.goto(site.url);
      await waitReady(page);
      await expect.poll(() => page.locator('gf-server-card').count()).toBe(11);
      expect(await page.locator('nav').innerText()).toMatch(/Jobs 7[\s\S]*Messages 9[\s\S]*Invalid 6/);
      expect(await page.locator('gf-summary ul').innerText()).toMatch(/6\s*invalid files/);
      await page.goto(`${site.url}#/invalid`);
      const rows = page.locator('gf-invalid-list tbody tr');
      await expect.poll(() => rows.count()).toBe(6);
      const text = (await rows.allInnerTexts()).join('\n');
      expect(text).toMatch(/status\/huge\.json\s+file is 5\.0 MiB, larger than the 16 KiB a status record may be/);
      expect(text).toMatch(/status\/broken\.json\s+invalid JSON/);
      expect(text).toMatch(/jobs\/wrong-types\.json\s+\/\S* must be/);
      expect(text).toMatch(/messages\/future\.json\s+schemaVersion 2 is not one this dashboard understands \(1\); update gitfleet/);
      expect(text).toMatch(/status\/srv-0000\.json\s+server "someone-else" inside does not match the file name/);
      expect(text).toMatch(/status\/Not A Name\.json\s+the file name is not a valid id/);
      expect(problems.errors).toEqual([]);
    } finally {
      await page.context().close();
      await site.close();
    }
  });

  it('a missing or broken snapshot never blanks the page: it says what is wrong', async () => {
    for (const [name, snapshot, message] of [
      ['missing', undefined, /no snapshot at snapshot\.json/],
      ['not JSON', '{"format":', /snapshot is not valid JSON/],
      ['other format', '{"format":"something-else"}', /not a gitfleet snapshot/],
      ['newer version', '{"format":"gitfleet-snapshot","version":7}', /snapshot version 7 is not one this dashboard reads; update gitfleet/],
    ] as const) {
      const site = await startStaticSite(DIST, { 'dashboard.json': SNAPSHOT_ONLY, ...(snapshot ? { 'snapshot.json': snapshot } : {}) });
      const { page, problems } = await openPage(browser);
      try {
        await page.goto(site.url);
        await expect.poll(() => page.locator('gf-app main').innerText(), { message: name }).toMatch(message);
        expect(await page.locator('gf-connection [data-state]').getAttribute('data-state')).toBe('error');
        expect(problems.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
      } finally {
        await page.context().close();
        await site.close();
      }
    }
  });
});
