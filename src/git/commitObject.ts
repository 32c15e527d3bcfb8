/** The fields of a commit object gitfleet uses, parsed from its bytes (never throws). */
export interface ParsedCommit {
  tree: string | null;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Seconds since the epoch (the author's). */
  authorTime: number;
  /** Seconds since the epoch (the committer's: what `git log --since` looks at). */
  commitTime: number;
  message: string;
}

export function parseCommitObject(bytes: Uint8Array): ParsedCommit {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const out: ParsedCommit = {
    tree: null,
    parents: [],
    authorName: '',
    authorEmail: '',
    authorTime: 0,
    commitTime: 0,
    message: blank < 0 ? '' : text.slice(blank + 2),
  };
  for (const line of head.split('\n')) {
    // Continuation lines (a signature) start with a space and are skipped.
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree' && out.tree === null) out.tree = value.trim();
    else if (key === 'parent') out.parents.push(value.trim());
    else if (key === 'author' || key === 'committer') {
      const m = /^(.*?) ?<([^>]*)> (\d+)/.exec(value);
      if (key === 'author') {
        out.authorName = m?.[1] ?? '';
        out.authorEmail = m?.[2] ?? '';
        out.authorTime = Number(m?.[3] ?? 0);
      } else {
        out.commitTime = Number(m?.[3] ?? 0);
      }
    }
  }
  return out;
}

/** The bytes of a commit object as gitfleet writes them: one parent or none, author = committer, UTC. */
export function serializeCommitObject(commit: { tree: string; parent: string | null; name: string; email: string; time: number; message: string }): Buffer {
  const who = `${commit.name} <${commit.email}> ${Math.floor(commit.time / 1000)} +0000`;
  const parent = commit.parent === null ? '' : `parent ${commit.parent}\n`;
  return Buffer.from(`tree ${commit.tree}\n${parent}author ${who}\ncommitter ${who}\n\n${commit.message}`, 'utf8');
}
