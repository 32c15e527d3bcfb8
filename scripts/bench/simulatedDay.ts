import { spawn } from 'node:child_process';
import { stringifyRecord } from '../../src/util/stringifyRecord.js';

/**
 * Writes a day of status reports straight into a bare repository with one
 * `git fast-import` run: `servers` servers, one commit per server per minute, each a
 * realistic status record (rolling 60-point history that shifts every minute), with
 * commit times spread over the day. Far faster than pushing 144,000 transactions,
 * and the objects are the same a real fleet would create.
 */
export async function buildDayOfStatus(bareDir: string, servers: number, minutes: number): Promise<void> {
  const child = spawn('git', ['--git-dir', bareDir, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))));
  const write = (chunk: string) => new Promise<void>((resolve) => (child.stdin.write(chunk) ? resolve() : child.stdin.once('drain', () => resolve())));
  const start = Math.floor(Date.now() / 1000) - minutes * 60;
  const history = new Map<number, number[][]>();
  let mark = 0;
  let first = true;
  for (let minute = 0; minute < minutes; minute++) {
    for (let s = 0; s < servers; s++) {
      const t = start + minute * 60 + Math.floor((s / servers) * 60);
      const cpu = Math.round((30 + 25 * Math.sin((minute + s * 7) / 17) + (s % 10)) * 10) / 10;
      const mem = Math.round((40 + 10 * Math.sin((minute + s) / 53)) * 10) / 10;
      const disk = Math.round((50 + minute / 100 + (s % 20)) * 10) / 10;
      const h = [...(history.get(s) ?? []), [t, cpu, mem, disk]].slice(-60);
      history.set(s, h);
      const server = `srv-${String(s).padStart(3, '0')}`;
      const record = stringifyRecord({
        schemaVersion: 1,
        server,
        updatedAt: new Date(t * 1000).toISOString(),
        seq: minute + 1,
        agent: { version: '0.1.0', node: 'v20.20.2', mode: 'daemon' },
        host: { hostname: `${server}.example.com`, os: 'Debian GNU/Linux', platform: 'linux', release: '12', arch: 'x64' },
        cpu: {
          model: 'AMD EPYC 7763 64-Core Processor',
          cores: 16,
          usagePercent: cpu,
          load: [cpu / 10, cpu / 12, cpu / 14].map((x) => Math.round(x * 100) / 100),
        },
        memory: { totalBytes: 68719476736, usedBytes: Math.round((68719476736 * mem) / 100), swapTotalBytes: 0, swapUsedBytes: 0 },
        disks: [{ mount: '/', totalBytes: 536870912000, usedBytes: Math.round((536870912000 * disk) / 100) }],
        uptimeSeconds: 86400 * 30 + minute * 60,
        labels: ['build', 'linux'],
        capabilities: [],
        draining: false,
        health: { state: 'healthy' },
        jobs: { running: [] },
        heartbeat: { periodSeconds: 60, slotSeconds: (s / servers) * 60 },
        history: h,
        availability: { pct24h: 100, pct7d: 99.9 },
      });
      const message = `status ${server}: heartbeat\n\nGitfleet-Actor: ${server}\nGitfleet-Attempt: 1\n`;
      mark++;
      await write(
        `commit refs/heads/main\nmark :${mark}\nauthor ${server} <${server}@gitfleet.invalid> ${t} +0000\ncommitter ${server} <${server}@gitfleet.invalid> ${t} +0000\n` +
          `data ${Buffer.byteLength(message)}\n${message}\n${first ? 'from refs/heads/main^0\n' : ''}M 100644 inline status/${server}.json\ndata ${Buffer.byteLength(record)}\n${record}\n`,
      );
      first = false;
    }
  }
  child.stdin.end('done\n');
  await done;
}
