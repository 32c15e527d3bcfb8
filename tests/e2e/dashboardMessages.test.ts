import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSnapshot, fleetFixture } from '../../scripts/bench/fleetFixture.js';
import type { Message, ReadReceipts } from '../../src/schema/types.js';
import { launchBrowser } from '../helpers/browser.js';
import { startStaticSite, type StaticSite } from '../helpers/staticSite.js';
import { SNAPSHOT_ONLY, expectCleanAndClose, openDashboard, poll } from '../helpers/dashboardPage.js';

const DIST = path.resolve('dist/dashboard');
const NOW = Date.now();
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

/**
 * Four servers (srv-0003 carries the label gpu) and messages in every standing. Ids sort by
 * time like real ones; the newest are the ones already dealt with, so a newest-first list
 * would put them on top.
 */
function messageFleet(): Map<string, string> {
  const files = fleetFixture({ servers: 4, messages: 0, jobs: 0, now: NOW });
  const put = (p: string, v: unknown) => files.set(p, JSON.stringify(v, null, 2));
  const msg = (n: number, subject: string, extra: Partial<Message>): Message => {
    const id = `msg-0000${n}`;
    return {
      schemaVersion: 1,
      id,
      from: 'op:alice',
      to: 'all',
      priority: 'critical',
      type: 'warning',
      subject,
      createdAt: at(100_000 - n * 1000),
      thread: id,
      ...extra,
    };
  };
  const messages = [
    msg(1, 'disk full on gpu box', { to: 'label:gpu' }),
    msg(2, 'rotate the keys', { from: 'srv-0000', to: 'all' }),
    msg(3, 'old outage notice', { to: 'srv-0002', expiresAt: at(10_000) }),
    msg(4, 'restart nginx', { to: 'srv-0002', priority: 'normal', type: 'request' }),
    msg(5, 'database failover done', { to: 'srv-0001' }),
    msg(6, 'weekly report', { to: 'srv-0001', priority: 'low', type: 'info' }),
  ];
  for (const m of messages) put(`messages/${m.id}.json`, m);
  const receipts = (server: string, delivered: Record<string, string>, read: Record<string, string>, acked: Record<string, string>): ReadReceipts => ({
    schemaVersion: 1,
    server,
    delivered,
    read,
    acked,
  });
  // srv-0001 acknowledged everything it got; srv-0002 acknowledged the broadcast only; srv-0003 read but acknowledged nothing.
  put(
    'messages/receipts/srv-0001.json',
    receipts(
      'srv-0001',
      { 'msg-00002': at(90_000), 'msg-00005': at(80_000), 'msg-00006': at(80_000) },
      { 'msg-00002': at(85_000), 'msg-00005': at(79_000), 'msg-00006': at(79_000) },
      { 'msg-00002': at(84_000), 'msg-00005': at(78_000), 'msg-00006': at(78_000) },
    ),
  );
  put(
    'messages/receipts/srv-0002.json',
    receipts('srv-0002', { 'msg-00002': at(90_000), 'msg-00004': at(90_000) }, { 'msg-00002': at(70_000) }, { 'msg-00002': at(60_000) }),
  );
  put(
    'messages/receipts/srv-0003.json',
    receipts('srv-0003', { 'msg-00001': at(95_000), 'msg-00002': at(90_000) }, { 'msg-00001': at(50_000), 'msg-00002': at(40_000) }, {}),
  );
  return files;
}

describe('dashboard messages (issue 13, item 14) in headless Chromium', () => {
  let browser: Browser;
  let site: StaticSite;

  beforeAll(async () => {
    site = await startStaticSite(DIST, {
      'snapshot.json': fixtureSnapshot(messageFleet(), 'e'.repeat(40), new Date(NOW).toISOString()),
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

  it('lists the messages that need attention first, critical first among them, and the acknowledged and expired after', async () => {
    const { page, problems } = await open('#/messages');
    const subjects = () => page.locator('gf-message-list tbody tr td.subject a').allInnerTexts();
    await poll(subjects).toEqual(['rotate the keys', 'disk full on gpu box', 'restart nginx', 'database failover done', 'old outage notice', 'weekly report']);
    const standing = (subject: string) => page.locator('gf-message-list tbody tr').filter({ hasText: subject }).locator('td.standing').innerText();
    expect(await standing('rotate the keys')).toMatch(/needs attention[\s\S]*2 of 3 acknowledged/);
    expect(await standing('disk full on gpu box')).toMatch(/needs attention[\s\S]*0 of 1 acknowledged/);
    // Open but not critical: listed among the open ones, without the critical badge.
    expect(await standing('restart nginx')).toMatch(/^open\s+0 of 1 acknowledged$/);
    expect(await standing('database failover done')).toMatch(/^acknowledged/);
    expect(await standing('old outage notice')).toMatch(/^expired/);
    await clean(page, problems);
  });

  it('the summary counts the critical messages that still need attention, not every critical message sent', async () => {
    const { page, problems } = await open('#/servers');
    // Four critical messages: one acknowledged by its recipient, one expired, two open.
    await poll(() => page.locator('gf-summary li').filter({ hasText: 'critical' }).innerText()).toMatch(/^2\s+critical messages? need(s)? attention$/);
    await clean(page, problems);
  });

  it("a message's page shows, per recipient, when it was delivered, read and acknowledged", async () => {
    const { page, problems } = await open('#/messages/msg-00002');
    const rows = page.locator('gf-thread-view #m-msg-00002 table.receipts tbody tr');
    // Sent by srv-0000 to all: the other three servers are its recipients.
    await poll(() => rows.locator('th').allInnerTexts()).toEqual(['srv-0001', 'srv-0002', 'srv-0003']);
    const cells = (server: string) => rows.filter({ hasText: server }).locator('td');
    const when = (server: string, column: number) => cells(server).nth(column).locator('time').getAttribute('datetime');
    expect(await when('srv-0001', 0)).toBe(at(90_000));
    expect(await when('srv-0001', 2)).toBe(at(84_000));
    expect(await when('srv-0002', 1)).toBe(at(70_000));
    expect(await when('srv-0003', 1)).toBe(at(40_000));
    expect(await cells('srv-0003').nth(2).innerText()).toBe('not yet');
    expect(await page.locator('gf-thread-view #m-msg-00002 .standing').innerText()).toMatch(/needs attention[\s\S]*2 of 3 acknowledged/);
    await page.goto(`${site.url}#/messages/msg-00004`);
    // Delivered to srv-0002 and nothing more.
    const row = page.locator('gf-thread-view #m-msg-00004 table.receipts tbody tr');
    await poll(() => row.locator('th').allInnerTexts()).toEqual(['srv-0002']);
    expect(await row.locator('td').allInnerTexts()).toEqual([expect.not.stringMatching(/not yet/), 'not yet', 'not yet']);
    await clean(page, problems);
  });
});
