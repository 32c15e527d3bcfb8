/**
 * dashboard.json: sits next to the built dashboard and tells the page where its data
 * comes from. Written by `gitfleet site` (GitHub Pages) and served by `gitfleet serve`.
 * Browser-safe: the dashboard imports it as well.
 */
export interface DashboardConfig {
  format: 'gitfleet-dashboard';
  version: 1;
  /** Shown in the header (default: the fleet name from fleet.json). */
  title?: string;
  /** The snapshot for the first paint, relative to the page (default snapshot.json). */
  snapshot?: string;
  live?: GitHubLiveConfig | ServeLiveConfig | null;
}

/** Live refresh from GitHub: one API call per refresh, records from raw URLs pinned to a commit. */
export interface GitHubLiveConfig {
  type: 'github';
  owner: string;
  repo: string;
  branch: string;
  /** For GitHub Enterprise or tests (default https://api.github.com). */
  apiBase?: string;
  /** Default https://raw.githubusercontent.com. */
  rawBase?: string;
  /** Default 60. */
  refreshSeconds?: number;
}

/** `gitfleet serve`: snapshots from the server, a server-sent event stream says when the head moved. */
export interface ServeLiveConfig {
  type: 'serve';
  /** Relative URL of the snapshot endpoint (default snapshot.json). */
  snapshot?: string;
  /** Relative URL of the event stream (default events): `event: commit`, `data: {"commit":"<sha>"}`. */
  events?: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const BRANCH = /^[A-Za-z0-9._/-]{1,200}$/;

/** Checks a dashboard.json read from anywhere: the config, or why not. */
export function checkDashboardConfig(value: unknown): { config: DashboardConfig } | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'dashboard.json is not an object' };
  const v = value as Record<string, unknown>;
  if (v.format !== 'gitfleet-dashboard' || v.version !== 1) return { error: 'dashboard.json is not format gitfleet-dashboard version 1' };
  if (v.title !== undefined && (typeof v.title !== 'string' || v.title.length > 100)) return { error: 'title must be a string of at most 100 characters' };
  if (v.snapshot !== undefined && !isRelativeUrl(v.snapshot)) return { error: 'snapshot must be a relative URL' };
  const live = v.live;
  if (live === undefined || live === null) return { config: v as unknown as DashboardConfig };
  if (typeof live !== 'object') return { error: 'live must be an object' };
  const l = live as Record<string, unknown>;
  if (l.type === 'github') {
    if (typeof l.owner !== 'string' || !NAME.test(l.owner)) return { error: 'live.owner is not a GitHub owner name' };
    if (typeof l.repo !== 'string' || !NAME.test(l.repo)) return { error: 'live.repo is not a GitHub repository name' };
    if (typeof l.branch !== 'string' || !BRANCH.test(l.branch) || l.branch.includes('..')) return { error: 'live.branch is not a branch name' };
    for (const key of ['apiBase', 'rawBase'] as const) {
      if (l[key] !== undefined && !isApiUrl(l[key])) return { error: `live.${key} must be an https URL (http only on 127.0.0.1 or localhost)` };
    }
    if (l.refreshSeconds !== undefined && (typeof l.refreshSeconds !== 'number' || !(l.refreshSeconds >= 10 && l.refreshSeconds <= 86_400))) {
      return { error: 'live.refreshSeconds must be between 10 and 86400' };
    }
    return { config: v as unknown as DashboardConfig };
  }
  if (l.type === 'serve') {
    if (l.snapshot !== undefined && !isRelativeUrl(l.snapshot)) return { error: 'live.snapshot must be a relative URL' };
    if (l.events !== undefined && !isRelativeUrl(l.events)) return { error: 'live.events must be a relative URL' };
    return { config: v as unknown as DashboardConfig };
  }
  return { error: 'live.type must be "github" or "serve"' };
}

/** https, a plain host name and port and path (it goes into the page's CSP); http only for a local stand-in. */
function isApiUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 200) return false;
  const m = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:]+\])(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/i.exec(value);
  if (!m) return false;
  return m[1]!.toLowerCase() === 'https' || /^(127\.0\.0\.1|localhost|\[::1\])$/i.test(m[2]!);
}

function isRelativeUrl(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9._/-]{1,200}$/.test(value) && !value.startsWith('/') && !value.includes('..');
}
