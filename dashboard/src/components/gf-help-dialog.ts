import { LitElement, css, html } from 'lit';
import { sharedStyles } from './sharedStyles.js';

const KEY = 'gitfleet.shortcuts';

/** Single-key shortcuts can be turned off (WCAG 2.1.4: they fire for speech-input users too). */
export function shortcutsEnabled(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

/** The keyboard shortcuts, in a native modal dialog (focus is trapped and restored by the browser). */
export class GfHelpDialog extends LitElement {
  static override properties = { enabled: { state: true } };
  enabled = shortcutsEnabled();

  static override styles = [
    sharedStyles,
    css`dialog { background: var(--card); color: var(--fg); border: 1px solid var(--border); border-radius: 8px; max-width: 28rem; } kbd { font-family: ui-monospace, monospace; border: 1px solid var(--border); border-radius: 4px; padding: 0 0.3rem; }`,
  ];

  open(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  #toggle(e: Event): void {
    this.enabled = (e.target as HTMLInputElement).checked;
    try {
      localStorage.setItem(KEY, this.enabled ? 'on' : 'off');
    } catch {
      /* for this page only */
    }
  }

  get isOpen(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  override render() {
    return html`<dialog aria-labelledby="help-title">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          <tr><td><kbd>/</kbd></td><td>search servers, jobs and messages</td></tr>
          <tr><td><kbd>r</kbd></td><td>refresh now</td></tr>
          <tr><td><kbd>t</kbd></td><td>switch between dark and light theme</td></tr>
          <tr><td><kbd>g</kbd> then <kbd>s</kbd> / <kbd>j</kbd> / <kbd>m</kbd></td><td>go to servers, jobs or messages</td></tr>
          <tr><td><kbd>?</kbd></td><td>this help</td></tr>
          <tr><td><kbd>Esc</kbd></td><td>close this help, clear the search</td></tr>
        </tbody>
      </table>
      <p><label><input type="checkbox" .checked=${this.enabled} @change=${this.#toggle} /> single-key shortcuts on</label></p>
      <form method="dialog"><button autofocus>Close</button></form>
    </dialog>`;
  }
}

customElements.define('gf-help-dialog', GfHelpDialog);

declare global {
  interface HTMLElementTagNameMap {
    'gf-help-dialog': GfHelpDialog;
  }
}
