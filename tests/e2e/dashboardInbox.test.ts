import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import type { Message, ReadReceipts } from '../../src/schema/types.js';
import { launchBrowser, openPage, waitReady } from '../helpers/browser.js';
import { startStaticSite, type StaticSite } from '../helpers/staticSite.js';
import { SNAPSHOT_ONLY, expectCleanAndClose, openDashboard, poll } from '../helpers/dashboardPage.js';

const DIST = path.resolve('dist/dashboard');
const NOW = Date.now();
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

/**
 * Four servers; replies to two operators (alice read two of hers and acknowledged one, bob
 * has no receipts file), and a broadcast that alice's receipts also mark (an operator is no
 * recipient of `all`, so her mark must not count).
 */
function inboxFleet(): Map<string, string> {
  const files = fleetFixture({ servers: 4, messages: 0, jobs: 0, now: NOW });
  const put = (p: string, v: unknown) => files.set(p, JSON.stringify(v, null, 2));
  const msg = (n: number, subject: string, extra: Partial<Message>): Message => {
    const id = `msg-0000${n}`;
    return {
      schemaVersion: 1,
      id,
      from: 'srv-0001',
      to: 'op:alice',
      priority: 'normal',
      type: 'response',
      subject,
      createdAt: at(100_000 - n * 1000),
      thread: id,
      ...extra,
    };
  };
  const messages = [
    msg(1, 'deploy finished', {}),
    msg(2, 'disk almost full', { from: 'srv-0002', priority: 'critical', type: 'warning' }),
    msg(3, 'need approval', { from: 'srv-0003', priority: 'low', type: 'request' }),
    msg(4, 'question for bob', { to: 'op:bob', priority: 'high', type: 'request' }),
    msg(5, 'maintenance tonight', { from: 'srv-0000', to: 'all', priority: 'critical', type: 'warning' }),
    msg(6, 'certificate renewed', { from: 'srv-0002', priority: 'high', type: 'info' }),
  ];
  for (const m of messages) put(`messages/${m.id}.json`, m);
  const alice: ReadReceipts = {
    schemaVersion: 1,
    server: 'op:alice',
    read: { 'msg-00001': at(50_000), 'msg-00006': at(40_000), 'msg-00005': at(30_000) },
    acked: { 'msg-00006': at(39_000), 'msg-00005': at(29_000) },
  };
  put('messages/receipts/op.alice.json', alice);
  put('messages/receipts/srv-0001.json', {
    schemaVersion: 1,
    server: 'srv-0001',
    delivered: { 'msg-00005': at(90_000) },
    read: {},
    acked: { 'msg-00005': at(80_000) },
  });
  return files;
}

describe("the operators' inbox on the dashboard (issue 13, item 14) in headless Chromium", () => {
  let browser: Browser;
  let site: StaticSite;

  beforeAll(async () => {
    site = await startStaticSite(DIST, {
      'snapshot.json': fixtureSnapshot(inboxFleet(), 'b'.repeat(40), new Date(NOW).toISOString()),
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

  const subjects = (page: Page) => page.locator('gf-message-list tbody tr td.subject a').allInnerTexts();
  const row = (page: Page, subject: string) => page.locator('gf-message-list tbody tr').filter({ hasText: subject });

  it('"to operators" lists the messages to op:<name> only, unread first (by that operator\'s receipts), each saying who it is for', async () => {
    const { page, problems } = await open('#/messages?to=op');
    // Unread first, then read; within each, critical first, newest first (as `gitfleet msg list --mine`).
    await poll(() => subjects(page)).toEqual(['disk almost full', 'question for bob', 'need approval', 'certificate renewed', 'deploy finished']);
    expect(await row(page, 'question for bob').locator('td.for').innerText()).toBe('op:bob');
    expect(await row(page, 'disk almost full').locator('td.for').innerText()).toBe('op:alice');
    expect(await row(page, 'disk almost full').locator('td.read').innerText()).toBe('unread');
    expect(await row(page, 'deploy finished').locator('td.read').innerText()).toMatch(/^read \d+ s ago$/);
    // An operator who acknowledged a reply is its recipient: nothing is left to do about it.
    expect(await row(page, 'certificate renewed').locator('td.standing').innerText()).toMatch(/^acknowledged/);
    expect(await row(page, 'disk almost full').locator('td.standing').innerText()).toMatch(/needs attention[\s\S]*0 of 1 acknowledged/);
    await clean(page, problems);
  });

  it("one operator's inbox is chosen in the filters and kept in the link", async () => {
    const { page, problems } = await open('#/messages');
    await poll(() => subjects(page)).toHaveLength(6);
    const select = page.locator('gf-filters select[aria-label="to"]');
    expect(await select.locator('option').allInnerTexts()).toEqual(['anyone', 'operators', 'op:alice', 'op:bob']);
    await select.selectOption('op:alice');
    await poll(() => subjects(page)).toEqual(['disk almost full', 'need approval', 'certificate renewed', 'deploy finished']);
    expect(await page.evaluate(() => location.hash)).toBe('#/messages?to=op%3Aalice');
    await page.reload();
    await waitReady(page);
    await poll(() => subjects(page)).toEqual(['disk almost full', 'need approval', 'certificate renewed', 'deploy finished']);
    await select.selectOption('op:bob');
    await poll(() => subjects(page)).toEqual(['question for bob']);
    await clean(page, problems);
  });

  it('the inbox fits a phone: no horizontal overflow at 375 px, and who each message is for stays in view', async () => {
    const opened = await openPage(browser, { viewport: { width: 375, height: 740 } });
    const { page, problems } = opened;
    await page.goto(`${site.url}#/messages?to=op`);
    await waitReady(page);
    await poll(() => subjects(page)).toHaveLength(5);
    const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    const box = await row(page, 'question for bob').locator('td.for').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(sizes.client);
    await clean(page, problems);
  });

  it('the summary counts the unread messages to operators and links to them', async () => {
    const { page, problems } = await open('#/servers');
    const item = page.locator('gf-summary li').filter({ hasText: 'operators' });
    await poll(() => item.innerText()).toMatch(/^3\s+unread for operators$/);
    await item.locator('a').click();
    await poll(() => subjects(page)).toHaveLength(5);
    await clean(page, problems);
  });

  it("an operator's receipts never make them a recipient of a broadcast; on a reply's page the operator is its recipient", async () => {
    const { page, problems } = await open('#/messages');
    // Sent by srv-0000 to all: the other three servers; srv-0001 acknowledged it, alice's acknowledgement does not count.
    await poll(() => row(page, 'maintenance tonight').locator('td.standing').innerText()).toMatch(/1 of 3 acknowledged/);
    await page.goto(`${site.url}#/messages/msg-00005`);
    const broadcast = page.locator('gf-thread-view #m-msg-00005 table.receipts tbody tr th');
    // Alice's marks are shown as hers, but she is not one of its recipients.
    await poll(() => broadcast.allInnerTexts()).toEqual(['op:alice (an operator, not addressed)', 'srv-0001', 'srv-0002', 'srv-0003']);
    await page.goto(`${site.url}#/messages/msg-00001`);
    const rows = page.locator('gf-thread-view #m-msg-00001 table.receipts tbody tr');
    await poll(() => rows.locator('th').allInnerTexts()).toEqual(['op:alice']);
    expect(await rows.locator('td').nth(1).locator('time').getAttribute('datetime')).toBe(at(50_000));
    // An operator is no server: no link to a server page.
    expect(await rows.locator('th a').count()).toBe(0);
    await clean(page, problems);
  });
});
