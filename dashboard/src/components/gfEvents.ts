import type { Route } from '../view/route.js';

/**
 * Every event a gitfleet element dispatches, by name, with its detail. All bubble and are
 * composed, so a listener anywhere above (gf-app's <main>, say) hears them through shadow roots.
 * Listeners in templates take `GfEvent<'name'>`; addEventListener is typed through
 * HTMLElementEventMap below.
 */
export interface GfEventMap {
  /** gf-search-box: the search text, debounced (empty when cleared). */
  search: CustomEvent<string>;
  /** gf-filters: show this route (a filter added or cleared). */
  navigate: CustomEvent<Route>;
  /** gf-connection: fetch the data now (the refresh button, or a new token). */
  refresh: CustomEvent<null>;
}

export type GfEventName = keyof GfEventMap;
export type GfEvent<K extends GfEventName> = GfEventMap[K];

/** The event `name` with its detail, bubbling and composed like every gitfleet event. */
export function gfEvent<K extends GfEventName>(name: K, detail: GfEventMap[K]['detail']): GfEventMap[K] {
  return new CustomEvent(name, { detail, bubbles: true, composed: true }) as GfEventMap[K];
}

declare global {
  interface HTMLElementEventMap extends GfEventMap {}
}
