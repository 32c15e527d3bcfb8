import { LitElement, css, svg, html, nothing } from 'lit';
import { age } from '../view/format.js';

const W = 120;
const H = 28;
/** The series of a status history row: [unix seconds, cpu %, memory %, disk %]. */
const SERIES = [
  { index: 1, name: 'CPU', short: 'CPU', cls: 'cpu' },
  { index: 2, name: 'memory', short: 'mem', cls: 'mem' },
  { index: 3, name: 'disk', short: 'disk', cls: 'disk' },
] as const;

/**
 * CPU, memory and disk over the status record's rolling history, as one small SVG with
 * three lines (one element instead of three keeps a thousand cards cheap to draw), and a
 * legend naming each colour and its unit. `size="large"` (the server page) draws it tall
 * enough to read, with the scale and the time it covers. Values are clamped: the history
 * is untrusted like everything else.
 */
export class GfSparkline extends LitElement {
  static override properties = { history: { attribute: false }, label: { type: String }, size: { type: String } };
  static override styles = css`
    :host { display: block; }
    svg { width: 100%; height: ${H}px; display: block; }
    :host([size='large']) svg { height: 112px; border-left: 1px solid var(--border); border-bottom: 1px solid var(--border); }
    polyline { fill: none; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
    .cpu { stroke: var(--spark-cpu); --swatch: var(--spark-cpu); }
    .mem { stroke: var(--spark-mem); --swatch: var(--spark-mem); }
    .disk { stroke: var(--spark-disk); --swatch: var(--spark-disk); }
    .none, .legend { color: var(--muted); font-size: 0.75rem; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.1rem 0.5rem; margin-top: 0.15rem; }
    .swatch { display: inline-block; width: 0.6rem; height: 0.2rem; vertical-align: middle; margin-right: 0.2rem; background: var(--swatch); }
  `;
  history: readonly (readonly number[])[] = [];
  label = '';
  size: 'small' | 'large' = 'small';

  override render() {
    const rows = this.history.filter((r) => Array.isArray(r) && r.length >= 4 && r.every((v) => Number.isFinite(v)));
    if (rows.length < 2) return html`<span class="none">no history yet</span>`;
    const t0 = rows[0]![0]!;
    const span = Math.max(1, rows[rows.length - 1]![0]! - t0);
    const last = rows[rows.length - 1]!;
    const summary = SERIES.map((s) => `${s.name} ${Math.round(clamp(last[s.index]!))} %`).join(', ');
    return html`<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${this.label} last ${rows.length} samples over ${age(span * 1000)}: ${summary}">
        ${SERIES.map((s) => {
          const points = rows.map((r) => `${(((r[0]! - t0) / span) * W).toFixed(1)},${(H - 1 - (clamp(r[s.index]!) / 100) * (H - 2)).toFixed(1)}`).join(' ');
          return svg`<polyline class=${s.cls} points=${points}></polyline>`;
        })}
      </svg>
      <div class="legend" aria-hidden="true">
        ${SERIES.map((s) => html`<span class=${s.cls}><span class="swatch"></span>${s.short} %</span>`)}
        ${this.size === 'large' ? html`<span>scale 0–100 %, last ${age(span * 1000)}</span>` : nothing}
      </div>`;
  }
}

function clamp(v: number): number {
  return Math.min(100, Math.max(0, v));
}

customElements.define('gf-sparkline', GfSparkline);

declare global {
  interface HTMLElementTagNameMap {
    'gf-sparkline': GfSparkline;
  }
}
