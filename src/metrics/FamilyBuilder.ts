import { boundLabelValue, type Labels, type MetricFamily, type MetricType, type Sample } from './metricText.js';

/**
 * Collects the samples of one metric family. Label values are bounded as they come in,
 * and a second sample with the same labels is dropped (first wins): two disks a hostile
 * status lists under one mount, or two long values that are the same once cut, must not
 * make a duplicate series, which a scraper rejects with the whole scrape.
 */
export class FamilyBuilder {
  readonly #samples: Sample[] = [];
  readonly #keys = new Set<string>();
  #dropped = 0;

  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly help: string,
  ) {}

  /** Adds a sample; a value that is not a number (undefined, null) adds nothing. */
  add(labels: Labels, value: number | null | undefined): void {
    if (value === null || value === undefined) return;
    const bounded = Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, boundLabelValue(v)]));
    const key = JSON.stringify(Object.entries(bounded));
    if (this.#keys.has(key)) {
      this.#dropped++;
      return;
    }
    this.#keys.add(key);
    this.#samples.push({ labels: bounded, value });
  }

  /** Samples dropped as duplicates (reported by gitfleet_metrics_dropped_series). */
  get dropped(): number {
    return this.#dropped;
  }

  build(): MetricFamily {
    return { name: this.name, type: this.type, help: this.help, samples: this.#samples };
  }
}
