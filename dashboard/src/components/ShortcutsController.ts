import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { View } from '../view/route.js';
import { shortcutsEnabled } from './gf-help-dialog.js';

/** What the keys do; the host (gf-app) provides it. */
export interface ShortcutActions {
  search(): void;
  refresh(): void;
  toggleTheme(): void;
  openHelp(): void;
  helpIsOpen(): boolean;
  go(view: View): void;
}

const GO: Record<string, View> = { s: 'servers', j: 'jobs', m: 'messages' };

/**
 * The page's keyboard shortcuts: `/` search, `r` refresh, `t` theme, `?` help, `g` then
 * `s`/`j`/`m` to a view. Never while typing in a field or with a modifier held, and only
 * `?` when the user turned single-key shortcuts off.
 */
export class ShortcutsController implements ReactiveController {
  #pendingG = false;
  readonly #onKey = (e: KeyboardEvent) => this.#handle(e);

  constructor(
    host: ReactiveControllerHost,
    private readonly actions: ShortcutActions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener('keydown', this.#onKey);
  }

  hostDisconnected(): void {
    removeEventListener('keydown', this.#onKey);
  }

  #handle(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (this.actions.helpIsOpen()) return;
    if (!shortcutsEnabled() && e.key !== '?') return;
    if (this.#pendingG) {
      this.#pendingG = false;
      const view = GO[e.key];
      if (view) this.actions.go(view);
      return;
    }
    switch (e.key) {
      case '/':
        e.preventDefault();
        this.actions.search();
        break;
      case 'r':
        this.actions.refresh();
        break;
      case 't':
        this.actions.toggleTheme();
        break;
      case '?':
        this.actions.openHelp();
        break;
      case 'g':
        this.#pendingG = true;
        setTimeout(() => (this.#pendingG = false), 1500);
        break;
    }
  }
}
