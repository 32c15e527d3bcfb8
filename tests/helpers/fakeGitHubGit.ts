import { execFile } from 'node:child_process';

/** What the stand-in answers for a commit (the fields the dashboard and tests read). */
export interface CommitInfo {
  sha: string;
  commit: { message: string; tree: { sha: string } };
  parents: { sha: string }[];
}

const HEX40 = /^[0-9a-f]{40}$/;
const DIFF_STATUS: Record<string, string> = { A: 'added', D: 'removed', M: 'modified', T: 'changed', R: 'renamed', C: 'copied' };

/** Runs git without a shell against the bare repository; refs reach it only once validated. */
export function gitRunner(bareDir: string) {
  const run = (args: string[]) =>
    new Promise<Buffer | null>((resolve, reject) => {
      execFile(
        'git',
        ['--git-dir', bareDir, ...args],
        { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
        (error, stdout) => {
          if (!error) return resolve(stdout);
          // git exits with a number when the object is missing; anything else (no git at all) is our failure.
          if (typeof error.code === 'number') return resolve(null);
          reject(error);
        },
      );
    });
  const text = async (args: string[]) => (await run(args))?.toString('utf8') ?? null;
  return {
    async resolve(ref: string, type: 'commit' | 'tree'): Promise<string | null> {
      const out = await text(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{${type}}`]);
      return out && HEX40.test(out.trim()) ? out.trim() : null;
    },
    async mergeBase(a: string, b: string): Promise<string | null> {
      return (await text(['merge-base', a, b]))?.trim() || null;
    },
    async count(range: string): Promise<number> {
      return Number((await text(['rev-list', '--count', range])) ?? 'NaN');
    },
    /** `git log` records: NUL between commits, so any message text survives. */
    async commits(args: string[]): Promise<CommitInfo[]> {
      const out = (await text(['log', '-z', '--format=%H%n%T%n%P%n%B', ...args])) ?? '';
      return out
        .split('\0')
        .filter((record) => record.length > 0)
        .map((record) => {
          const [sha = '', tree = '', parents = '', ...message] = record.split('\n');
          return {
            sha,
            commit: { message: message.join('\n').trimEnd(), tree: { sha: tree } },
            parents: parents
              .split(' ')
              .filter(Boolean)
              .map((p) => ({ sha: p })),
          };
        });
    },
    async tree(tree: string, recursive: boolean) {
      const out = (await text(['ls-tree', '-l', '-z', ...(recursive ? ['-r', '-t'] : []), tree])) ?? '';
      return out
        .split('\0')
        .filter(Boolean)
        .map((line) => {
          const tab = line.indexOf('\t');
          const [mode = '', type = '', sha = '', size = '-'] = line.slice(0, tab).split(/\s+/);
          return { path: line.slice(tab + 1), mode, type, sha, ...(size === '-' ? {} : { size: Number(size) }) };
        });
    },
    /** Rename detection on, as GitHub's compare reports moved files as renamed. */
    async diff(from: string, to: string) {
      const fields = ((await text(['diff-tree', '-r', '-z', '-M', from, to])) ?? '').split('\0');
      const files: { sha: string; filename: string; status: string; previous_filename?: string }[] = [];
      for (let i = 0; i + 1 < fields.length && fields[i]!.startsWith(':'); ) {
        const [, , oldSha = '', newSha = '', letter = ''] = fields[i]!.slice(1).split(' ');
        const twoPaths = letter.startsWith('R') || letter.startsWith('C');
        const first = fields[i + 1]!;
        const filename = twoPaths ? fields[i + 2]! : first;
        const status = DIFF_STATUS[letter.charAt(0)] ?? 'changed';
        files.push({ sha: status === 'removed' ? oldSha : newSha, filename, status, ...(twoPaths ? { previous_filename: first } : {}) });
        i += twoPaths ? 3 : 2;
      }
      return files;
    },
    blob: (commit: string, file: string) => run(['cat-file', 'blob', '--end-of-options', `${commit}:${file}`]),
  };
}
