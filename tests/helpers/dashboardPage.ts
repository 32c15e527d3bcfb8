import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { openPage, type PageProblems, waitReady } from './browser.js';

/** dashboard.json for a static site that shows its snapshot and polls nothing. */
export const SNAPSHOT_ONLY = JSON.stringify({ format: 'gitfleet-dashboard', version: 1, snapshot: 'snapshot.json', live: null });

/** Polls wait up to 10 s: a render on a loaded 2-core machine may take more than the default second. */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });

/** Opens the dashboard at `hash` in a fresh page that records errors, alerts and CSP violations, ready to read. */
export async function openDashboard(
  browser: Browser,
  siteUrl: string,
  hash = '',
  options: Parameters<typeof openPage>[1] = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openPage(browser, options);
  opened.page.setDefaultTimeout(5_000);
  await opened.page.goto(`${siteUrl}${hash}`);
  await waitReady(opened.page);
  return opened;
}

/** Nothing that must never happen happened on the page (errors, dialogs, CSP violations); then closes it. */
export async function expectCleanAndClose(page: Page, problems: PageProblems): Promise<void> {
  expect(problems.errors).toEqual([]);
  expect(problems.alerts).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  await page.context().close();
}
