import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import type { Job, ServerStatus } from '../../src/schema/types.js';
import { launchBrowser } from '../helpers/browser.js';
import { startStaticSite, type StaticSite } from '../helpers/staticSite.js';
import { SNAPSHOT_ONLY, expectCleanAndClose, openDashboard, poll } from '../helpers/dashboardPage.js';

const DIST = path.resolve('dist/dashboard');
const NOW = Date.now();
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const CLAIM = 'a1b2c3d4e5f60718';

/**
 * What an operator sees after real work: a drain set in fleet.json for a dead server, jobs
 * that finished (the lifecycle drops the assignment and keeps the attempts), a server
 * running two jobs, jobs waiting since different times.
 */
function operatorFleet(): Map<string, string> {
  const files = fleetFixture({ servers: 8, messages: 6, jobs: 0, now: NOW });
  const put = (p: string, v: unknown) => files.set(p, JSON.stringify(v, null, 2));
  put('fleet.json', { schemaVersion: 1, name: 'ops', heartbeat: { periodSeconds: 60 }, health: { cpu: { degraded: 70, failing: 98 } }, drain: ['srv-0007'] });
  const busy = JSON.parse(files.get('status/srv-0002.json')!) as ServerStatus;
  busy.jobs = {
    slots: 2,
    kinds: ['build'],
    running: [
      { id: 'job-run-a', attempt: 1, claimId: CLAIM, startedAt: at(60_000) },
      { id: 'job-run-b', attempt: 1, claimId: CLAIM, startedAt: at(50_000) },
    ],
  };
  put('status/srv-0002.json', busy);
  const job = (id: string, extra: Partial<Job>): Job => ({
    schemaVersion: 1,
    id,
    kind: 'build',
    params: { ref: id },
    priority: 'normal',
    state: 'queued',
    createdAt: at(600_000),
    createdBy: 'op:alice',
    attempts: 0,
    ...extra,
  });
  const running = (id: string) =>
    job(id, { state: 'running', attempts: 1, assignment: { server: 'srv-0002', attempt: 1, claimId: CLAIM, assignedAt: at(70_000), startedAt: at(60_000) } });
  put('jobs/job-run-a.json', running('job-run-a'));
  put('jobs/job-run-b.json', running('job-run-b'));
  put(
    'jobs/job-done.json',
    job('job-done', {
      state: 'succeeded',
      attempts: 2,
      createdAt: at(900_000),
      history: [
        { attempt: 1, server: 'srv-0001', claimId: CLAIM, outcome: 'failed', exitCode: 2, endedAt: at(800_000) },
        { attempt: 2, server: 'srv-0004', claimId: CLAIM, outcome: 'succeeded', exitCode: 0, startedAt: at(700_000), endedAt: at(650_000) },
      ],
      result: { exitCode: 0, outputTail: 'built ok', finishedAt: at(650_000), durationMs: 50_000 },
    }),
  );
  put(
    'jobs/job-dead.json',
    job('job-dead', {
      state: 'dead',
      attempts: 1,
      priority: 'critical',
      history: [{ attempt: 1, server: 'srv-0001', outcome: 'failed', exitCode: 1, endedAt: at(500_000) }],
      result: { exitCode: 1, outputTail: 'boom', finishedAt: at(500_000) },
      reason: 'failed (exit code 1); no attempts left (1 of 1)',
    }),
  );
  put('jobs/job-wait-old.json', job('job-wait-old', { createdAt: at(3_000_000) }));
  put('jobs/job-wait-new.json', job('job-wait-new', { createdAt: at(30_000) }));
  return files;
}

describe('dashboard for operators (issue 13) in headless Chromium', () => {
  let browser: Browser;
  let site: StaticSite;

  beforeAll(async () => {
    site = await startStaticSite(DIST, {
      'snapshot.json': fixtureSnapshot(operatorFleet(), 'f'.repeat(40), new Date(NOW).toISOString()),
      'dashboard.json': SNAPSHOT_ONLY,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const open = (hash = '') => openDashboard(browser, site.url, hash);

  const clean = expectCleanAndClose;

  const card = (page: Page, id: string) => page.locator('gf-server-card article').filter({ has: page.locator(`a[href*="/servers/${id}"]`) });

  it('a server drained in fleet.json reads draining at once, though it is dead and never said so itself', async () => {
    const { page, problems } = await open();
    await poll(() => card(page, 'srv-0007').innerText()).toMatch(/draining/);
    expect(await card(page, 'srv-0006').innerText()).not.toMatch(/draining/);
    await page.goto(`${site.url}#/servers/srv-0007`);
    await poll(() => page.locator('gf-server-detail h2').innerText()).toMatch(/srv-0007\s+offline\s+draining/);
    await clean(page, problems);
  });

  it('every finished job shows the server of its last attempt; a server page lists its running and finished jobs', async () => {
    const { page, problems } = await open('#/jobs');
    const row = (id: string) => page.locator('gf-job-table tbody tr').filter({ hasText: id });
    await poll(() => row('job-done').locator('td').nth(4).innerText()).toBe('srv-0004');
    expect(await row('job-dead').locator('td').nth(4).innerText()).toBe('srv-0001');
    expect(await row('job-wait-old').locator('td').nth(4).innerText()).toBe('—');
    await page.goto(`${site.url}#/servers/srv-0002`);
    const jobs = page.locator('gf-server-detail .server-jobs');
    await poll(() => jobs.innerText()).toMatch(/job-run-a[\s\S]*running/);
    expect(await jobs.innerText()).toMatch(/job-run-b/);
    await page.goto(`${site.url}#/servers/srv-0001`);
    await poll(() => jobs.innerText()).toMatch(/job-dead[\s\S]*attempt 1[\s\S]*failed/);
    expect(await jobs.innerText()).toMatch(/job-done[\s\S]*attempt 1[\s\S]*failed/);
    await page.goto(`${site.url}#/servers/srv-0004`);
    await poll(() => jobs.innerText()).toMatch(/job-done[\s\S]*attempt 2[\s\S]*succeeded/);
    await clean(page, problems);
  });

  it('a card says why its server is not healthy, greys the figures of an offline one, and sparklines carry a legend with units', async () => {
    const { page, problems } = await open();
    // srv-0007 is an hour late (offline), srv-0000 runs at 75 % CPU (degraded).
    await poll(() => card(page, 'srv-0007').locator('.why').innerText()).toMatch(/no heartbeat for 60 min/);
    expect(await card(page, 'srv-0000').locator('.why').innerText()).toMatch(/cpu 75% \(degraded at 70%\)/);
    expect(await card(page, 'srv-0001').locator('.why').count()).toBe(0);
    const color = (id: string) =>
      card(page, id)
        .locator('.figures .cpu')
        .evaluate((e) => getComputedStyle(e).color);
    const muted = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--muted').trim());
    expect(await color('srv-0007')).not.toBe(await color('srv-0001'));
    expect(await card(page, 'srv-0007').locator('.figures').getAttribute('title')).toMatch(/last known/);
    expect(muted).not.toBe('');
    expect(await card(page, 'srv-0001').locator('gf-sparkline .legend').innerText()).toMatch(/CPU %[\s\S]*mem %[\s\S]*disk %/);
    const cardHeight = await card(page, 'srv-0001')
      .locator('gf-sparkline svg')
      .evaluate((e) => e.getBoundingClientRect().height);
    await page.goto(`${site.url}#/servers/srv-0001`);
    const big = page.locator('gf-server-detail gf-sparkline svg');
    await poll(() => big.evaluate((e) => e.getBoundingClientRect().height)).toBeGreaterThanOrEqual(cardHeight * 3);
    expect(await page.locator('gf-server-detail gf-sparkline .legend').innerText()).toMatch(/0–100 %[\s\S]*last 59 min/);
    await clean(page, problems);
  });

  it('filters belong to their tab: a message filter leaves the Jobs count alone and stays behind on the Messages tab', async () => {
    const { page, problems } = await open('#/messages?priority=critical');
    const nav = () => page.locator('nav').innerText();
    await poll(nav).toMatch(/Jobs 6\b/);
    expect(await nav()).toMatch(/Messages 2\b/);
    await page.locator('nav a', { hasText: 'Jobs' }).click();
    await poll(() => new URL(page.url()).hash).toBe('#/jobs');
    await poll(() => page.locator('gf-job-table tbody tr').count()).toBe(6);
    // A label chosen on the servers tab narrows the servers only.
    await page.goto(`${site.url}#/servers?label=gpu`);
    await poll(nav).toMatch(/Servers 1\b[\s\S]*Jobs 6\b[\s\S]*Messages 6\b/);
    await clean(page, problems);
  });

  it('the queue lists the oldest waiting job first; a job page names the attempt behind the output and the CLI lines to retry or cancel', async () => {
    const { page, problems } = await open('#/jobs?state=queued');
    await poll(() => page.locator('gf-job-table tbody tr td:first-child').allInnerTexts()).toEqual(['job-wait-old', 'job-wait-new']);
    await page.goto(`${site.url}#/jobs/job-done`);
    await poll(() => page.locator('gf-job-detail .result').innerText()).toMatch(/attempt 2 on srv-0004/);
    await page.goto(`${site.url}#/jobs/job-dead`);
    await poll(() => page.locator('gf-job-detail .cli').innerText()).toMatch(/gitfleet job retry job-dead/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    await page.locator('gf-job-detail .cli button', { hasText: 'Copy' }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('gitfleet job retry job-dead');
    await page.goto(`${site.url}#/jobs/job-run-a`);
    await poll(() => page.locator('gf-job-detail .cli').innerText()).toMatch(/gitfleet job cancel job-run-a/);
    expect(await page.locator('gf-job-detail .cli').innerText()).not.toMatch(/retry/);
    await clean(page, problems);
  });
});
