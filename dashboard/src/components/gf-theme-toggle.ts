import { LitElement, html } from 'lit';
import { sharedStyles } from './sharedStyles.js';

const KEY = 'gitfleet.theme';
export type Theme = 'light' | 'dark';

/** The theme follows the system until the user picks one; the pick is remembered. */
export function currentTheme(): Theme {
  const root = document.documentElement.dataset.theme;
  if (root === 'light' || root === 'dark') return root;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyStoredTheme(): void {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'light' || stored === 'dark') document.documentElement.dataset.theme = stored;
  } catch {
    /* storage disabled: follow the system */
  }
}

export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    /* not remembered */
  }
  return next;
}

export class GfThemeToggle extends LitElement {
  static override properties = { theme: { state: true } };
  static override styles = sharedStyles;
  theme: Theme = currentTheme();

  override render() {
    const other = this.theme === 'dark' ? 'light' : 'dark';
    return html`<button aria-label="Switch to ${other} theme (t)" title="Switch to ${other} theme (t)" @click=${() => this.toggle()}>${this.theme === 'dark' ? '☀' : '☾'}</button>`;
  }

  toggle(): void {
    this.theme = toggleTheme();
  }
}

customElements.define('gf-theme-toggle', GfThemeToggle);

declare global {
  interface HTMLElementTagNameMap {
    'gf-theme-toggle': GfThemeToggle;
  }
}
