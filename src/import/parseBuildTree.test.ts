import { describe, expect, it } from 'vitest';
import { buildLayoutFiles } from '../../tests/fixtures/buildLayout/buildLayoutFiles.js';
import { memorySnapshot } from '../store/memorySnapshot.js';
import { parseBuildTree } from './parseBuildTree.js';
import { readBuildTree } from './readBuildTree.js';

const NOW = new Date('2026-11-30T00:00:00Z');

async function parseFixture() {
  const files = { ...buildLayoutFiles(), 'messages/link.txt': { mode: '120000', content: '../../etc/passwd' } };
  const tree = await readBuildTree(memorySnapshot(files), ['main', 'heartbeat-build2', 'backup/heartbeat-build2-20251029', 'feature-x']);
  return parseBuildTree(tree, NOW);
}

describe('parseBuildTree on the Build-layout fixture', () => {
  it('maps servers, jobs and messages, and links the running job to the server building it', async () => {
    const { records } = await parseFixture();
    expect(records.statuses.map((s) => s.record.server)).toEqual(['build-3', 'build1', 'build2', 'build4', 'build7']);
    expect(records.jobs.map((j) => `${j.job.id}:${j.job.state}`)).toEqual([
      'job-1761781030:running',
      'job-1761700000:queued',
      'job-1761600000:succeeded',
      'job-1761500000:dead',
      'job-42-urgent:queued',
      'job-1761450000:queued',
    ]);
    const build2 = records.statuses.find((s) => s.record.server === 'build2')!.record;
    const running = records.jobs[0]!.job;
    expect(build2.jobs?.running).toEqual([{ id: running.id, attempt: 1, claimId: running.assignment!.claimId, startedAt: running.assignment!.startedAt }]);
    expect(records.messages).toHaveLength(10);
    const escaped = records.messages.find((m) => m.source === 'messages/escape-note.txt')!.record;
    expect(escaped.subject).toBe('red alert');
    expect(escaped.body).toBe('Body with a bell  and a tab\tkept.');
  });

  it('reports every hostile shape in one line, and does not crash', async () => {
    const { lines } = await parseFixture();
    const said = Object.fromEntries(lines.map((l) => [l.source, `${l.outcome}: ${l.reason}`]));
    expect(said).toMatchObject({
      'messages/link.txt': 'skipped: not a plain file: a symlink',
      'build4/status.json': expect.stringMatching(/^skipped: invalid JSON/),
      'build5/status.json': 'skipped: larger than the 65536 bytes read (100059)',
      'build6/status.json': 'skipped: no usable timestamp in status.json or heartbeat.json',
      'coordination/jobs.json#job_1761500000': 'skipped: duplicate id: the first job with this id was imported',
      'coordination/jobs.json#job_1761400000': expect.stringMatching(/state "paused"/),
      'coordination/messages.json#msg_004': expect.stringMatching(/secret \(GitHub token\)/),
      'messages/binary.txt': 'skipped: not UTF-8 text (a binary file?)',
      'messages/huge.txt': 'skipped: larger than 262144 bytes (300015)',
      'messages/empty.txt': 'skipped: no subject and no body',
      'messages/notes.md': 'skipped: not a note (messages/*.txt): not read',
      'coordination/locks.json': expect.stringMatching(/^reported: 2 Build locks \(1 held: job_assignment by build1\)/),
      'branch heartbeat-build2': expect.stringMatching(/^reported: Build heartbeats of build2/),
      'branch backup/heartbeat-build2-20251029': expect.stringMatching(/^reported/),
    });
    expect(said['branch feature-x']).toBeUndefined();
    expect(lines.filter((l) => l.source === 'build5/status.json')).toHaveLength(1);
  });

  it('is deterministic: the same tree gives the same records', async () => {
    expect(JSON.stringify(await parseFixture())).toBe(JSON.stringify(await parseFixture()));
  });
});
