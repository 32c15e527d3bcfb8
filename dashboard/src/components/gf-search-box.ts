import { LitElement, css, html } from 'lit';
import { gfEvent } from './gfEvents.js';
import { sharedStyles } from './sharedStyles.js';

/** Search across servers, jobs and messages; '/' focuses it. Emits `search` with the text, debounced. */
export class GfSearchBox extends LitElement {
  static override properties = { value: { type: String } };
  static override styles = [
    sharedStyles,
    css`
      input { font: inherit; width: 100%; box-sizing: border-box; padding: 0.35rem 0.6rem; border-radius: 6px; border: 1px solid var(--border); background: var(--input); color: var(--fg); }
      label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    `,
  ];
  value = '';
  #timer: ReturnType<typeof setTimeout> | undefined;

  override focus(): void {
    const input = this.renderRoot.querySelector('input');
    input?.focus();
    input?.select();
  }

  override render() {
    return html`<label for="q">Search servers, jobs and messages</label>
      <input id="q" type="search" placeholder="Search ( / )" autocomplete="off" maxlength="200" .value=${this.value} @input=${this.#onInput} @keydown=${this.#onKey} />`;
  }

  #onInput(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.dispatchEvent(gfEvent('search', value)), 150);
  }

  #onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      (e.target as HTMLInputElement).value = '';
      clearTimeout(this.#timer);
      this.dispatchEvent(gfEvent('search', ''));
      (e.target as HTMLInputElement).blur();
    }
  }
}

customElements.define('gf-search-box', GfSearchBox);

declare global {
  interface HTMLElementTagNameMap {
    'gf-search-box': GfSearchBox;
  }
}
