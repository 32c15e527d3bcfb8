import type { Page } from 'playwright-core';

/** What the server grid must show once a search has been applied. */
export interface ExpectedGrid {
  /** Servers that match (the grid's list). */
  matching: number;
  /** Cards drawn (the grid shows at most a page of them). */
  cards: number;
  /** Every matching server id contains this text. */
  idContains: string;
}

/**
 * Types `query` into the search box (inside gf-search-box's shadow root) and returns the
 * milliseconds from the input event to the frame after the grid shows the result: the
 * grid holds exactly the matching servers and every drawn card has rendered its own
 * content. Includes the search box's 150 ms debounce.
 */
export async function filterLatency(page: Page, query: string, expected: ExpectedGrid): Promise<number> {
  await page.evaluate((want) => {
    type Grid = HTMLElement & { servers: { id: string }[] };
    const w = window as unknown as { __filterMs?: number };
    delete w.__filterMs;
    let typedAt: number | undefined;
    addEventListener('input', (e) => (typedAt ??= e.timeStamp), { capture: true, once: true });
    const shown = () => {
      const grid = document.querySelector('gf-app')?.shadowRoot?.querySelector<Grid>('gf-server-grid');
      if (!grid || grid.servers.length !== want.matching || !grid.servers.every((s) => s.id.includes(want.idContains))) return false;
      const cards = [...(grid.shadowRoot?.querySelectorAll<HTMLElement & { server: { id: string } }>('gf-server-card') ?? [])];
      return cards.length === want.cards && cards.every((c) => c.shadowRoot?.querySelector('h3')?.textContent === c.server.id);
    };
    const frame = () => {
      if (typedAt === undefined || !shown()) {
        requestAnimationFrame(frame);
        return;
      }
      // The task after this frame's callbacks runs once the frame's style, layout and paint are done.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (w.__filterMs = performance.now() - typedAt!);
      channel.port2.postMessage(0);
    };
    requestAnimationFrame(frame);
  }, expected);
  await page.locator('gf-search-box input').fill(query);
  await page.waitForFunction(() => (window as unknown as { __filterMs?: number }).__filterMs !== undefined, undefined, { timeout: 30_000 });
  return page.evaluate(() => (window as unknown as { __filterMs: number }).__filterMs);
}
