import { isValidId } from '../../../src/store/recordPaths.js';

export type View = 'servers' | 'jobs' | 'messages' | 'invalid';

/**
 * What the page shows, kept in the URL hash so every view, filter and record has a link
 * (GitHub Pages serves one file: the hash never reaches a server).
 * #/servers?q=web&health=offline,failing&label=gpu · #/servers/web-01 · #/jobs?state=queued
 * #/jobs/<id> · #/messages?priority=critical · #/messages?to=op · #/messages?to=op%3Aalice
 * #/messages/<thread> · #/invalid
 */
export interface Route {
  view: View;
  /** The server, job or thread opened in the view. */
  id: string | null;
  q: string;
  health: string[];
  label: string;
  state: string[];
  priority: string[];
  /** Messages to operators: '' (anyone), 'op' (every operator) or one operator's inbox, 'op:<name>'. */
  to: string;
}

const VIEWS: readonly View[] = ['servers', 'jobs', 'messages', 'invalid'];
const LIST = /^[a-z-]{1,20}$/;
const HEALTH = ['offline', 'failing', 'suspect', 'degraded', 'unknown', 'maintenance', 'healthy'];
const STATES = ['queued', 'assigned', 'running', 'succeeded', 'failed', 'cancelled', 'dead'];
const PRIORITIES = ['critical', 'high', 'normal', 'low'];

export function parseRoute(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [first, second] = pathPart.split('/');
  const view = VIEWS.includes(first as View) ? (first as View) : 'servers';
  const id = second !== undefined && isValidId(decodeSafely(second)) ? decodeSafely(second) : null;
  const params = new URLSearchParams(query);
  const list = (name: string, allowed: readonly string[]) => (params.get(name) ?? '').split(',').filter((v) => LIST.test(v) && allowed.includes(v));
  const label = params.get('label') ?? '';
  const to = params.get('to') ?? '';
  return {
    view,
    id: view === 'invalid' ? null : id,
    q: (params.get('q') ?? '').slice(0, 200),
    health: list('health', HEALTH),
    label: isValidId(label) ? label : '',
    state: list('state', STATES),
    priority: list('priority', PRIORITIES),
    to: to === 'op' || (to.startsWith('op:') && isValidId(to.slice(3))) ? to : '',
  };
}

export function formatRoute(route: Route): string {
  // Built by hand so lists keep readable commas (their values are known words, nothing to escape).
  const params: string[] = [];
  if (route.q) params.push(`q=${encodeURIComponent(route.q)}`);
  for (const name of ['health', 'state', 'priority'] as const) if (route[name].length) params.push(`${name}=${route[name].join(',')}`);
  if (route.label) params.push(`label=${encodeURIComponent(route.label)}`);
  if (route.to) params.push(`to=${encodeURIComponent(route.to)}`);
  return `#/${route.view}${route.id ? `/${encodeURIComponent(route.id)}` : ''}${params.length ? `?${params.join('&')}` : ''}`;
}

/** A link to another view, keeping the search and filters. */
export function linkTo(route: Route, view: View, id: string | null = null): string {
  return formatRoute({ ...route, view, id });
}

/** The route without its filters (they belong to one view): what a link to another view keeps is the search. */
export function withoutFilters(route: Route): Route {
  return { ...route, health: [], state: [], priority: [], label: '', to: '' };
}

export const FILTER_VALUES = { health: HEALTH, state: STATES, priority: PRIORITIES } as const;

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}
