import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { cancelJob, refuseJob } from '../../src/jobs/jobLifecycle.js';
import { launchBrowser } from '../helpers/browser.js';
import { startStaticSite, type StaticSite } from '../helpers/staticSite.js';
import { SNAPSHOT_ONLY, openDashboard, poll } from '../helpers/dashboardPage.js';

const DIST = path.resolve('dist/dashboard');
const NOW = Date.now();

/** Issue 13, item 1: a job an agent refused reads as refused in the dashboard, not as an operator's cancel. */
describe('dashboard: refused jobs (headless Chromium)', () => {
  let browser: Browser;
  let site: StaticSite;
  const refused = refuseJob(
    composeJob({ kind: 'build', params: { target: 'Web!' }, createdBy: 'op:alice', now: NOW - 60_000 }),
    'parameter target does not match its pattern [a-z]+ (on srv-0001)',
    new Date(NOW - 30_000),
    'srv-0001',
  );
  const cancelled = cancelJob(composeJob({ kind: 'build', createdBy: 'op:alice', now: NOW - 50_000 }), 'op:bob', 'not needed', new Date(NOW - 20_000));

  beforeAll(async () => {
    const files = fleetFixture({ servers: 2, messages: 0, jobs: 0, now: NOW });
    for (const j of [refused, cancelled]) files.set(`jobs/${j.id}.json`, JSON.stringify(j));
    site = await startStaticSite(DIST, {
      'snapshot.json': fixtureSnapshot(files, 'f'.repeat(40), new Date(NOW).toISOString()),
      'dashboard.json': SNAPSHOT_ONLY,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const open = (hash = '') => openDashboard(browser, site.url, hash);

  it('the job table and the job page say refused, with the reason; a cancelled job stays cancelled', async () => {
    const { page, problems } = await open('#/jobs');
    const state = (id: string) => page.locator('gf-job-table tbody tr').filter({ hasText: id }).locator('td:nth-child(3)').innerText();
    await poll(() => state(refused.id)).toBe('refused');
    expect(await state(cancelled.id)).toBe('cancelled');
    await page.goto(`${site.url}#/jobs/${refused.id}`);
    await poll(() => page.locator('gf-job-detail #title').innerText()).toMatch(/refused/);
    expect(await page.locator('gf-job-detail #title').innerText()).not.toMatch(/cancelled/);
    expect(await page.locator('gf-job-detail p', { hasText: 'Refused by its server' }).innerText()).toBe(
      'Refused by its server: parameter target does not match its pattern [a-z]+ (on srv-0001)',
    );
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
