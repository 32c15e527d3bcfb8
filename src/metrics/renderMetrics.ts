import { FamilyBuilder } from './FamilyBuilder.js';
import { jobFamilies } from './jobFamilies.js';
import { messageFamilies } from './messageFamilies.js';
import type { MetricsView } from './MetricsView.js';
import { type MetricFamily, renderExposition } from './metricText.js';
import { serverFamilies } from './serverFamilies.js';

/**
 * The whole exposition of one fleet view: what `/metrics` serves and `gitfleet metrics`
 * prints. Metric names are fixed here and in the family files; only label values come
 * from the repository, bounded and escaped (metricText.ts).
 */
export function renderMetrics(view: MetricsView): string {
  return renderExposition(metricFamilies(view));
}

/** The families of one fleet view, in the order they are rendered (`gitfleet metrics --json` shows them as they are). */
export function metricFamilies(view: MetricsView): MetricFamily[] {
  const families = [...serverFamilies(view), ...jobFamilies(view), ...messageFamilies(view)];
  const invalid = new FamilyBuilder(
    'gitfleet_invalid_files',
    'gauge',
    'Files of the fleet repository that are invalid or unexpected (gitfleet validate lists them)',
  );
  invalid.add({}, view.invalidFiles);
  const dropped = new FamilyBuilder(
    'gitfleet_metrics_dropped_series',
    'gauge',
    'Series left out of this exposition because their labels repeated another series (odd records: the same disk twice, long values equal once cut)',
  );
  dropped.add(
    {},
    families.reduce((sum, f) => sum + f.dropped, 0),
  );
  return [...families, invalid, dropped].map((f) => f.build());
}
