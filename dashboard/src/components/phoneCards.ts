import { css } from 'lit';

/**
 * A list table (`table.cards`) at phone width: one card per row, the cells wrapping under
 * each other, each named by its `data-label` (a fixed word of the template, never data).
 * A table's columns do not fit 375 px, and a page that scrolls sideways hides the state.
 * A cell with the class `line` takes a line of its own; `lead` also comes first (the id, the subject).
 */
export const phoneCards = css`
  @media (max-width: 640px) {
    table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    table.cards, table.cards tbody, table.cards caption { display: block; }
    table.cards tr { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; padding: 0.45rem 0.25rem; border-bottom: 1px solid var(--border); }
    table.cards td { border: 0; padding: 0; max-width: 100%; }
    table.cards td.line, table.cards td.lead { flex-basis: 100%; }
    table.cards td.lead { order: -1; }
    table.cards td[data-label]::before { content: attr(data-label) ' '; color: var(--muted); font-size: 0.8rem; }
  }
`;
