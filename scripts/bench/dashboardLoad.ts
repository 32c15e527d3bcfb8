import type { Browser, Page } from 'playwright-core';
import { openPage, waitReady } from '../../tests/helpers/browser.js';

/** One cold load of the dashboard, in milliseconds from navigation start. */
export interface LoadTiming {
  /** The app's `gitfleet:interactive` mark: first render with data. */
  interactive: number;
  /** The first idle callback scheduled at that mark: the cards, layout and paint are done. */
  idle: number;
  /** app.js and snapshot.json fully received (resource timing). */
  appJs: number;
  snapshotStart: number;
  snapshotEnd: number;
  /** Tasks of 50 ms or more (longtask observer) over the whole load, and the longest. */
  longTaskMs: number;
  longestTaskMs: number;
}

/**
 * Installed before the page's own scripts: `performance.mark('gitfleet:interactive')` also
 * schedules an idle callback, so "idle" is measured from the mark itself rather than from
 * whenever the benchmark notices the mark. The dashboard's code is not touched.
 */
function instrument(): void {
  const w = window as unknown as { __bench: { idle?: number; longTasks: [number, number][] } };
  w.__bench = { longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const mark = performance.mark.bind(performance);
  performance.mark = (name: string, options?: PerformanceMarkOptions) => {
    const entry = mark(name, options);
    if (name === 'gitfleet:interactive') requestIdleCallback(() => (w.__bench.idle = performance.now()));
    return entry;
  };
}

/** Opens the dashboard in a fresh browser context and waits until it is idle after its first data render. */
export async function loadDashboard(
  browser: Browser,
  url: string,
  beforeNavigation?: (page: Page) => Promise<void>,
): Promise<{ page: Page; timing: LoadTiming; close(): Promise<void> }> {
  const { page, problems } = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.addInitScript(instrument);
  await beforeNavigation?.(page);
  await page.goto(url);
  await waitReady(page);
  await page.waitForFunction(() => (window as unknown as { __bench: { idle?: number } }).__bench.idle !== undefined, undefined, { timeout: 30_000 });
  if (problems.errors.length) throw new Error(`the page reported errors: ${problems.errors.join('; ')}`);
  const timing = await page.evaluate(() => {
    const b = (window as unknown as { __bench: { idle: number; longTasks: [number, number][] } }).__bench;
    const resource = (name: string) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(name)) as PerformanceResourceTiming | undefined;
    return {
      interactive: performance.getEntriesByName('gitfleet:interactive')[0]!.startTime,
      idle: b.idle,
      appJs: resource('/app.js')?.responseEnd ?? Number.NaN,
      snapshotStart: resource('/snapshot.json')?.startTime ?? Number.NaN,
      snapshotEnd: resource('/snapshot.json')?.responseEnd ?? Number.NaN,
      longTaskMs: b.longTasks.reduce((sum, [, d]) => sum + d, 0),
      longestTaskMs: Math.max(0, ...b.longTasks.map(([, d]) => d)),
    };
  });
  return { page, timing, close: () => page.context().close() };
}

/** A plain static HTML page: navigation start to the end of its load event. */
export async function loadPlainPage(browser: Browser, url: string): Promise<number> {
  const { page } = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd > 0);
  const loaded = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  await page.context().close();
  return loaded;
}
