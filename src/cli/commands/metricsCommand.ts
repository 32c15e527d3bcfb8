import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors/index.js';
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
    const file = argv.out === undefined ? undefined : path.resolve(argv.out);
    // Checked before reading the fleet: a rename onto a folder fails only at the end, and leaves the temporary file.
    if (file !== undefined && (await isFolder(file)))
      throw new UsageError(`--out ${file} is a folder`, { hint: `give a file, e.g. --out ${path.join(file, 'gitfleet.prom')}` });
    const fleet = ctx.openFleet();
    const view = await readMetricsView(await fleet.store.snapshot(), fleet.remote.url, Date.now());
    const families = metricFamilies(view);
    const text = renderExposition(families);
    if (file === undefined && ctx.json) {
      // JSON has no NaN or infinities: those values keep the text format's spelling, as strings.
      const value = (v: number) => (Number.isFinite(v) ? v : formatValue(v));
      ctx.printJson({ commit: view.commit, families: families.map((f) => ({ ...f, samples: f.samples.map((s) => ({ ...s, value: value(s.value) })) })) });
      return;
    }
    if (file === undefined) {
      // Already fit for a terminal: label values lose their control and bidi characters (metricText.ts).
      ctx.io.out(text);
      return;
    }
    // The collector reads the folder at any moment: it must never see half a file.
    // Readable by the collector, which often runs as another user.
    await writeFileAtomic(file, text, 0o644);
    if (ctx.json) ctx.printJson({ file, bytes: Buffer.byteLength(text) });
    else ctx.io.out(`wrote ${file}`);
  },
});

async function isFolder(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
