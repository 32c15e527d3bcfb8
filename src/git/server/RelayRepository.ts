import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GitCommandError } from '../../errors/index.js';
import { runGit } from '../runGit.js';

/** Where each server's latest heartbeat waits in the relay's repository: one ref per server. */
export const INBOX_PREFIX = 'refs/relay/inbox/';
/** The relay's copy of the upstream branch, which agents fetch as if it were the upstream. */
export const MIRROR_REF = 'refs/heads/main';

/**
 * A DNS label, the server id rule (recordPaths.ts), checked again here (and by the relay's
 * parent link): a ref name is untrusted input that reaches a path inside a commit.
 */
export const SERVER_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** One inbox ref: the server it is named after, its commit, and the status file in it. */
export interface InboxEntry {
  server: string;
  commit: string;
  /** The bytes of status/<server>.json in that commit, or null with `reason`. */
  content: Uint8Array | null;
  reason?: string;
}

/**
 * The pre-receive hook of the relay's repository. Agents may update only their inbox ref
 * (refs/relay/inbox/<server id>); main is the relay's own mirror of the upstream and no
 * push may touch it, nor create or delete anything else. The relay writes this file
 * itself at every start (nothing of it comes from a push), and git runs it for every
 * push over http-backend. The mirror is updated by a fetch, which runs no hook.
 */
const PRE_RECEIVE = `#!/bin/sh
# Written by gitfleet relay at start: agents may update only refs/relay/inbox/<server>.
zero=0000000000000000000000000000000000000000
status=0
while read -r old new ref; do
  case "$ref" in
    refs/relay/inbox/*)
      id=\${ref#refs/relay/inbox/}
      if ! printf '%s\\n' "$id" | grep -Eqx '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?'; then
        echo "gitfleet relay: $ref is not refs/relay/inbox/<server id>"; status=1
      elif [ "$new" = "$zero" ]; then
        echo "gitfleet relay: inbox refs are not deleted by agents"; status=1
      fi ;;
    *) echo "gitfleet relay: $ref is read-only here (agents push only refs/relay/inbox/<server>)"; status=1 ;;
  esac
done
exit $status
`;

/**
 * The relay's local bare repository: the durable inbox of the site's heartbeats (one ref
 * per server, so agents never contend and a relay restart loses nothing) and the mirror
 * of the upstream branch that agents read. Served by GitHttpServer like any remote.
 */
export class RelayRepository {
  readonly #env: Record<string, string>;
  /** Inbox commit already read per ref, with what it held (the inbox is re-read every period). */
  readonly #read = new Map<string, InboxEntry>();

  constructor(readonly dir: string) {
    this.#env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
    };
  }

  /** Creates the repository if needed, and (re)writes its settings and hook. */
  async prepare(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    if (!(await exists(path.join(this.dir, 'HEAD')))) await this.#git(['init', '--bare', '--quiet', '--initial-branch=main', this.dir], path.dirname(this.dir));
    for (const [key, value] of [
      // An agent replaces its own inbox ref every period (its commit sits on the newest mirror).
      ['receive.denyNonFastForwards', 'false'],
      ['receive.denyDeletes', 'true'],
      ['receive.shallowUpdate', 'true'],
      // Pushes come from the network: malformed objects are refused at the door.
      ['receive.fsckObjects', 'true'],
      ['http.receivepack', 'true'],
      ['core.logAllRefUpdates', 'false'],
      ['uploadpack.allowAnySHA1InWant', 'false'],
    ] as const) {
      await this.#git(['config', key, value]);
    }
    const hooks = path.join(this.dir, 'hooks');
    await fs.mkdir(hooks, { recursive: true });
    for (const name of await fs.readdir(hooks)) if (name !== 'pre-receive') await fs.rm(path.join(hooks, name), { force: true });
    await fs.writeFile(path.join(hooks, 'pre-receive'), PRE_RECEIVE, { mode: 0o755 });
    await fs.chmod(path.join(hooks, 'pre-receive'), 0o755);
  }

  /** The mirror's head, or null before the first mirror. */
  async mirrorHead(): Promise<string | null> {
    const r = await runGit(['--git-dir', this.dir, 'rev-parse', '--verify', '--quiet', MIRROR_REF], { cwd: this.dir, env: this.#env });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
  }

  /**
   * Points the mirror at `commit`, fetched from `sourceGitDir` (the relay's private cache
   * of the upstream). A fetch, not a push: it runs no hook, and the mirror may move
   * backwards when the upstream was compacted.
   */
  async mirror(sourceGitDir: string, commit: string): Promise<void> {
    if (!/^[0-9a-f]{40}$/.test(commit)) throw new GitCommandError(`not a commit id: ${commit.slice(0, 60)}`);
    await this.#git([
      '-c',
      'uploadpack.allowAnySHA1InWant=true',
      '--git-dir',
      this.dir,
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-auto-gc',
      '--update-shallow',
      '--no-write-fetch-head',
      sourceGitDir,
      `+${commit}:${MIRROR_REF}`,
    ]);
  }

  /**
   * Every inbox ref with the status file it holds (at most `maxBytes` read from each). A
   * ref whose name is not a server id, whose commit lacks the file or holds a huge one is
   * returned with a reason: the caller logs and skips it, and the others go on.
   */
  async readInbox(maxBytes: number): Promise<InboxEntry[]> {
    const list = await this.#git(['--git-dir', this.dir, 'for-each-ref', '--format=%(objectname) %(objecttype) %(refname)', INBOX_PREFIX]);
    const entries: InboxEntry[] = [];
    const toRead: { ref: string; entry: InboxEntry }[] = [];
    for (const line of list.split('\n')) {
      const m = /^([0-9a-f]{40}) (\w+) (refs\/relay\/inbox\/.+)$/.exec(line);
      if (!m) continue;
      const [, commit, type, ref] = m as unknown as [string, string, string, string];
      const server = ref.slice(INBOX_PREFIX.length);
      const seen = this.#read.get(ref);
      if (seen && seen.commit === commit) {
        entries.push(seen);
        continue;
      }
      const entry: InboxEntry = { server, commit, content: null };
      if (!SERVER_ID.test(server)) entry.reason = 'the ref is not named after a server id';
      else if (type !== 'commit') entry.reason = `the ref points at a ${type}, not a commit`;
      else toRead.push({ ref, entry });
      if (entry.reason) this.#read.set(ref, entry);
      entries.push(entry);
    }
    if (toRead.length > 0) await this.#readFiles(toRead, maxBytes);
    return entries;
  }

  async #readFiles(items: { ref: string; entry: InboxEntry }[], maxBytes: number): Promise<void> {
    const names = items.map(({ entry }) => `${entry.commit}:status/${entry.server}.json`);
    const check = await this.#git(['--git-dir', this.dir, 'cat-file', '--batch-check=%(objecttype) %(objectsize)'], undefined, `${names.join('\n')}\n`);
    const small: { ref: string; entry: InboxEntry }[] = [];
    check
      .split('\n')
      .slice(0, items.length)
      .forEach((line, i) => {
        const item = items[i]!;
        const m = /^(\w+) (\d+)$/.exec(line);
        if (!m) item.entry.reason = `its commit holds no status/${item.entry.server}.json`;
        else if (m[1] !== 'blob') item.entry.reason = `status/${item.entry.server}.json is a ${m[1]}, not a file`;
        else if (Number(m[2]) > maxBytes) item.entry.reason = `status/${item.entry.server}.json is ${m[2]} bytes, more than ${maxBytes}`;
        else small.push(item);
      });
    if (small.length > 0) {
      const input = `${small.map(({ entry }) => `${entry.commit}:status/${entry.server}.json`).join('\n')}\n`;
      const r = await runGit(['--git-dir', this.dir, 'cat-file', '--batch'], {
        cwd: this.dir,
        env: this.#env,
        input,
        maxOutputBytes: small.length * (maxBytes + 200),
      });
      if (r.code !== 0) throw new GitCommandError(`git cat-file failed in the relay repository: ${r.stderr.trim().slice(0, 300)}`);
      let at = 0;
      const out = r.stdout;
      for (const item of small) {
        const nl = out.indexOf(10, at);
        const head = out.subarray(at, nl).toString('utf8');
        const m = /^[0-9a-f]{40} blob (\d+)$/.exec(head);
        if (!m) {
          item.entry.reason = 'could not be read';
          at = nl + 1;
          continue;
        }
        const size = Number(m[1]);
        item.entry.content = new Uint8Array(out.subarray(nl + 1, nl + 1 + size));
        at = nl + 1 + size + 1;
      }
    }
    for (const { ref, entry } of items) this.#read.set(ref, entry);
  }

  async #git(args: string[], cwd = this.dir, input?: string): Promise<string> {
    const r = await runGit(args, { cwd, env: this.#env, ...(input !== undefined ? { input } : {}), maxOutputBytes: 64 * 1024 * 1024 });
    if (r.code !== 0)
      throw new GitCommandError(
        `git ${args.find((a) => !a.startsWith('-') && !a.includes('=') && a !== this.dir) ?? ''} failed in the relay repository: ${r.stderr.trim().slice(0, 300)}`,
      );
    return r.stdout.toString('utf8');
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
