import { css } from 'lit';

/** Styles every component shares: the theme lives in CSS variables (app.css), inherited through shadow roots. */
export const sharedStyles = css`
  :host { display: block; color: var(--fg); font: inherit; }
  a { color: var(--link); }
  a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
  button { font: inherit; color: var(--fg); background: var(--button); border: 1px solid var(--border); border-radius: 6px; padding: 0.25rem 0.6rem; cursor: pointer; }
  button:hover { background: var(--button-hover); }
  button[aria-pressed='true'] { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
  th { font-weight: 600; color: var(--muted); font-size: 0.85rem; }
  .muted { color: var(--muted); }
  .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
  .badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
  .healthy, .succeeded, .low, .normal { background: var(--ok-bg); color: var(--ok-fg); }
  .degraded, .suspect, .queued, .assigned, .high { background: var(--warn-bg); color: var(--warn-fg); }
  .failing, .failed, .dead, .critical { background: var(--bad-bg); color: var(--bad-fg); }
  .offline, .unknown, .cancelled { background: var(--off-bg); color: var(--off-fg); }
  .running, .maintenance { background: var(--info-bg); color: var(--info-fg); }
  .invalid { background: var(--bad-bg); color: var(--bad-fg); }
  pre { white-space: pre-wrap; word-break: break-word; background: var(--code-bg); padding: 0.6rem; border-radius: 6px; max-height: 24rem; overflow: auto; }
  .empty { padding: 2rem 1rem; text-align: center; color: var(--muted); }
  .more { margin: 1rem auto; display: block; }
  @media (max-width: 640px) { .wide-only { display: none; } }
`;
