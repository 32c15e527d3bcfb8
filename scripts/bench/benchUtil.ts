import { execFileSync } from 'node:child_process';
import os from 'node:os';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function machineInfo(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const git = execFileSync('git', ['--version']).toString().trim();
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, ${git}`;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const ratio = (n: number) => `${n.toFixed(2)}×`;

/** Prints a markdown table (the benchmark output is pasted into docs/benchmarks.md). */
export function table(headers: string[], rows: (string | number)[][]): string {
  const lines = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}
