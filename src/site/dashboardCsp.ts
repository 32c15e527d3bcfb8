import type { DashboardConfig } from './dashboardConfig.js';

const DEFAULT_API = 'https://api.github.com';
const DEFAULT_RAW = 'https://raw.githubusercontent.com';

/**
 * The dashboard's Content-Security-Policy for a given dashboard.json: scripts and styles
 * from the site itself only (no inline code, no eval), and network access to the site and
 * to the GitHub hosts the live source reads (GitHub Enterprise or a test stand-in when
 * dashboard.json names other ones). Nothing else can be loaded, framed or posted to.
 */
export function dashboardCsp(config: DashboardConfig | null): string {
  const connect = ["'self'"];
  const live = config?.live;
  if (live?.type === 'github') connect.push(origin(live.apiBase ?? DEFAULT_API), origin(live.rawBase ?? DEFAULT_RAW));
  else if (!live) connect.push(DEFAULT_API, DEFAULT_RAW);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** index.html with its CSP <meta> set to `csp` (GitHub Pages cannot send headers, so the page carries it). */
export function withCsp(indexHtml: string, csp: string): string {
  const meta = /<meta http-equiv="Content-Security-Policy" content="[^"]*">/;
  if (!meta.test(indexHtml)) throw new Error('index.html has no Content-Security-Policy meta tag to set');
  // A replacer function: a `$` in the policy must not be read as a replacement pattern.
  return indexHtml.replace(meta, () => `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/"/g, '&quot;')}">`);
}

function origin(url: string): string {
  return new URL(url).origin;
}
