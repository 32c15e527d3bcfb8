import { spawn } from 'node:child_process';
import { syntheticStatus } from './syntheticStatus.js';

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
      const record = syntheticStatus({
        server,
        t,
        seq: minute + 1,
        history: h,
        uptimeSeconds: 86400 * 30 + minute * 60,
        labels: ['build', 'linux'],
        jobs: { running: [] },
        heartbeat: { periodSeconds: 60, slotSeconds: (s / servers) * 60 },
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
