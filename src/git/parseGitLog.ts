import type { CommitInfo } from './GitBackend.js';

// Record separator before each commit, unit separator between fields; the message (%B)
// comes last and is closed by a unit separator, then --name-status lines follow.
export const LOG_FORMAT = '%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%B%x1f';

export function parseGitLog(text: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const chunk of text.split('\x1e')) {
    if (!chunk.trim()) continue;
    const fields = chunk.split('\x1f');
    const [oid, parents, authorName, authorEmail, time, message, rest] = fields;
    if (!oid || fields.length < 7) continue;
    const files: CommitInfo['files'] = [];
    for (const line of (rest ?? '').split('\n')) {
      const m = /^([AMD])\t(.+)$/.exec(line);
      if (m) files.push({ status: m[1] as 'A' | 'M' | 'D', path: m[2]! });
    }
    commits.push({
      oid,
      parents: parents ? parents.split(' ') : [],
      authorName: authorName ?? '',
      authorEmail: authorEmail ?? '',
      time: Number(time) * 1000,
      message: (message ?? '').trim(),
      files,
    });
  }
  return commits;
}
