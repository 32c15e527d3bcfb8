import path from 'node:path';
import { readMetricsView } from '../../metrics/MetricsView.js';
import { formatValue, renderExposition } from '../../metrics/metricText.js';
import { metricFamilies } from '../../metrics/renderMetrics.js';
import { writeFileAtomic } from '../../util/writeFileAtomic.js';
import { defineCommand } from '../GitfleetCommand.js';

export const metricsCommand = defineCommand({
  command: 'metrics',
  describe: "Print the fleet's Prometheus metrics (what serve's /metrics shows), or write them for node_exporter's textfile collector",
  builder: (y) =>
    y
      .option('out', { type: 'string', describe: 'Write to this file instead (atomically: a temporary file beside it, then renamed)' })
      .example('$0 metrics', 'the metrics on stdout')
      .example('$0 metrics --out /var/lib/node_exporter/textfile/gitfleet.prom', "for node_exporter's textfile collector (from cron)"),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const view = await readMetricsView(await fleet.store.snapshot(), fleet.remote.url, Date.now());
    const families = metricFamilies(view);
    const text = renderExposition(families);
    if (argv.out === undefined && ctx.json) {
      // JSON has no NaN or infinities: those values keep the text format's spelling, as strings.
      const value = (v: number) => (Number.isFinite(v) ? v : formatValue(v));
      ctx.printJson({ commit: view.commit, families: families.map((f) => ({ ...f, samples: f.samples.map((s) => ({ ...s, value: value(s.value) })) })) });
      return;
    }
    if (argv.out === undefined) {
      // Already fit for a terminal: label values lose their control and bidi characters (metricText.ts).
      ctx.io.out(text);
      return;
    }
    // The collector reads the folder at any moment: it must never see half a file.
    // Readable by the collector, which often runs as another user.
    const file = path.resolve(argv.out);
    await writeFileAtomic(file, text, 0o644);
    if (ctx.json) ctx.printJson({ file, bytes: Buffer.byteLength(text) });
    else ctx.io.out(`wrote ${file}`);
  },
});
