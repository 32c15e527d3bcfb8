import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import type { Job } from '../../src/schema/types.js';
import { launchBrowser } from '../helpers/browser.js';
import { startStaticSite, type StaticSite } from '../helpers/staticSite.js';
import { SNAPSHOT_ONLY, expectCleanAndClose, openDashboard, poll } from '../helpers/dashboardPage.js';

const DIST = path.resolve('dist/dashboard');
const NOW = Date.now();
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const CLAIM = 'a1b2c3d4e5f60718';
const MIN = 60_000;

/** Jobs in every phase: waiting, running, finished after a retry, and never started; long ids and parameters. */
function jobFleet(): Map<string, string> {
  const files = fleetFixture({ servers: 3, messages: 0, jobs: 0, now: NOW });
  const put = (p: string, v: unknown) => files.set(p, JSON.stringify(v, null, 2));
  const job = (id: string, extra: Partial<Job>): Job => ({
    schemaVersion: 1,
    id,
    kind: 'deploy.application-release',
    params: { ref: 'refs/heads/main', target: 'production-eu-west-with-a-long-name' },
    priority: 'normal',
    state: 'queued',
    createdAt: at(60 * MIN),
    createdBy: 'op:alice',
    attempts: 0,
    ...extra,
  });
  // Waiting since 45 minutes: no start yet.
  put('jobs/job-waiting-for-a-free-server-slot.json', job('job-waiting-for-a-free-server-slot', { createdAt: at(45 * MIN) }));
  // Created 30 min ago, started 10 min later, running for 20 min.
  put(
    'jobs/job-running.json',
    job('job-running', {
      state: 'running',
      attempts: 1,
      createdAt: at(30 * MIN),
      params: { seconds: '3' },
      assignment: { server: 'srv-0001', attempt: 1, claimId: CLAIM, assignedAt: at(21 * MIN), startedAt: at(20 * MIN) },
    }),
  );
  // Created 60 min ago, first started 5 min later, the last attempt ran 3 min.
  put(
    'jobs/job-retried.json',
    job('job-retried', {
      state: 'succeeded',
      attempts: 2,
      params: { ref: 'v1.2.3' },
      history: [
        { attempt: 1, server: 'srv-0001', claimId: CLAIM, outcome: 'failed', exitCode: 2, startedAt: at(55 * MIN), endedAt: at(50 * MIN) },
        { attempt: 2, server: 'srv-0002', claimId: CLAIM, outcome: 'succeeded', exitCode: 0, startedAt: at(40 * MIN), endedAt: at(37 * MIN) },
      ],
      result: { exitCode: 0, outputTail: 'ok', finishedAt: at(37 * MIN), durationMs: 3 * MIN },
    }),
  );
  // Cancelled before any server started it: it waited, but never started, and ran nothing.
  put('jobs/job-cancelled.json', job('job-cancelled', { state: 'cancelled', params: {}, reason: 'cancelled by op:alice' }));
  return files;
}

describe('dashboard jobs table (issue 13, item 13) in headless Chromium', () => {
  let browser: Browser;
  let site: StaticSite;

  beforeAll(async () => {
    site = await startStaticSite(DIST, {
      'snapshot.json': fixtureSnapshot(jobFleet(), 'a'.repeat(40), new Date(NOW).toISOString()),
      'dashboard.json': SNAPSHOT_ONLY,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const open = (hash: string, viewport?: { width: number; height: number }) => openDashboard(browser, site.url, hash, viewport ? { viewport } : {});

  const clean = expectCleanAndClose;

  const row = (page: Page, id: string) => page.locator('gf-job-table tbody tr').filter({ has: page.locator(`a[href$="/jobs/${id}"]`) });
  const cell = (page: Page, id: string, name: string) => row(page, id).locator(`td.${name}`).innerText();

  it("shows each job's parameters, its wait (created to first start, or so far) and its duration (last attempt, or so far)", async () => {
    const { page, problems } = await open('#/jobs');
    await poll(() => page.locator('gf-job-table tbody tr').count()).toBe(4);
    expect(await cell(page, 'job-retried', 'params')).toBe('ref=v1.2.3');
    expect(await cell(page, 'job-waiting-for-a-free-server-slot', 'params')).toMatch(/ref=refs\/heads\/main\s+target=production-eu-west-with-a-long-name/);
    expect(await cell(page, 'job-cancelled', 'params')).toBe('—');
    // Wait: from creation to the first attempt's start; for a job not started yet, how long so far.
    expect(await cell(page, 'job-retried', 'wait')).toBe('5 min');
    expect(await cell(page, 'job-running', 'wait')).toBe('10 min');
    expect(await cell(page, 'job-waiting-for-a-free-server-slot', 'wait')).toBe('waiting 45 min');
    expect(await cell(page, 'job-cancelled', 'wait')).toBe('never started');
    // Duration: of the last attempt; for a running job, how long so far.
    expect(await cell(page, 'job-retried', 'duration')).toBe('3 min');
    expect(await cell(page, 'job-running', 'duration')).toBe('running 20 min');
    expect(await cell(page, 'job-waiting-for-a-free-server-slot', 'duration')).toBe('—');
    await clean(page, problems);
  });

  it('fits a phone: no horizontal overflow at 375 px, and each job keeps its id and state in view', async () => {
    const { page, problems } = await open('#/jobs', { width: 375, height: 740 });
    await poll(() => page.locator('gf-job-table tbody tr').count()).toBe(4);
    const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    for (const id of ['job-waiting-for-a-free-server-slot', 'job-running', 'job-retried', 'job-cancelled']) {
      for (const target of [row(page, id).locator(`a[href$="/jobs/${id}"]`), row(page, id).locator('td.state .badge')]) {
        expect(await target.isVisible(), id).toBe(true);
        const box = await target.boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(sizes.client);
      }
    }
    // The figures stay readable at that width too.
    expect(await cell(page, 'job-running', 'duration')).toBe('running 20 min');
    await clean(page, problems);
  });
});
