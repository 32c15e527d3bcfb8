import { GitCommandError, RemoteUnreachableError } from '../../errors/index.js';
import { gitEnvironment } from '../gitEnvironment.js';
import type { RemoteSpec } from '../RemoteSpec.js';
import { runGit } from '../runGit.js';
import { INBOX_PREFIX, MIRROR_REF, SERVER_ID } from './RelayRepository.js';

/** Where a child relay stages what it forwards (never pushed to by agents: the hook allows only inbox refs). */
export const OUTBOX_PREFIX = 'refs/relay/out/';
/** One push carries at most this much status content (the parent accepts 8 MiB a request). */
const MAX_PUSH_BYTES = 4 * 1024 * 1024;
/** And at most this many refs (each one a command-line argument and a line of the parent's hook). */
const MAX_PUSH_REFS = 1000;
/** A network git command that prints nothing for this long is stalled. */
const SILENCE_MS = 30_000;

/**
 * A child relay's link to its parent relay (a chain: site relay -> top relay -> upstream).
 * Forwarding re-mints each validated heartbeat as a parentless commit holding only
 * `status/<server>.json` (the exact bytes the child validated, nothing else of the agent's
 * push), with a fixed date so the same record is the same commit, and pushes all of them
 * to the parent's inbox refs in one push (a few for a huge batch). Reading fetches the
 * parent's mirror into this relay's mirror: one fetch a period for the whole site. The
 * parent's site token travels as an HTTP header in GIT_CONFIG_* variables, never in argv.
 */
export class RelayParentLink {
  readonly #env: Record<string, string>;
  #stagings = 0;

  constructor(
    /** The child relay's repository (RelayRepository.dir). */
    readonly dir: string,
    readonly parent: RemoteSpec,
  ) {
    this.#env = { ...gitEnvironment(parent).env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir };
  }

  /** Pushes these heartbeats into the parent's inbox; resolves once every one is there. Returns the pushes made. */
  async forward(items: readonly { server: string; content: Uint8Array }[]): Promise<number> {
    for (const item of items) if (!SERVER_ID.test(item.server)) throw new GitCommandError(`not a server id: ${JSON.stringify(item.server.slice(0, 80))}`);
    let pushes = 0;
    for (const batch of batches(items)) {
      await this.#stage(batch);
      const refspecs = batch.map(({ server }) => `+${OUTBOX_PREFIX}${server}:${INBOX_PREFIX}${server}`);
      const r = await runGit(['--git-dir', this.dir, 'push', '--quiet', '--no-verify', this.parent.url, ...refspecs], {
        cwd: this.dir,
        env: this.#env,
        silenceMs: SILENCE_MS,
      });
      if (r.code !== 0) throw linkError('push to the parent relay', r.stderr);
      pushes++;
    }
    return pushes;
  }

  /** Fetches the parent's view of the fleet into this relay's mirror and returns its head. */
  async refreshMirror(): Promise<string> {
    const shallowFirst = !(await this.#hasMirror());
    const args = ['--git-dir', this.dir, 'fetch', '--quiet', '--no-tags', '--no-auto-gc', '--no-write-fetch-head', '--update-shallow'];
    // The first time only the newest commit (agents fetch shallow too); then incremental.
    if (shallowFirst) args.push('--depth=1');
    const r = await runGit([...args, this.parent.url, `+${MIRROR_REF}:${MIRROR_REF}`], { cwd: this.dir, env: this.#env, silenceMs: SILENCE_MS });
    if (r.code !== 0) throw linkError('fetch from the parent relay', r.stderr);
    const head = await runGit(['--git-dir', this.dir, 'rev-parse', '--verify', '--quiet', MIRROR_REF], { cwd: this.dir, env: this.#env });
    const commit = head.stdout.toString('utf8').trim();
    if (!/^[0-9a-f]{40}$/.test(commit))
      throw new GitCommandError('the parent relay serves no fleet yet', { hint: 'the parent relay mirrors its upstream at its first period' });
    return commit;
  }

  async #hasMirror(): Promise<boolean> {
    const r = await runGit(['--git-dir', this.dir, 'rev-parse', '--verify', '--quiet', MIRROR_REF], { cwd: this.dir, env: this.#env });
    return r.code === 0;
  }

  /** One fast-import for the batch: a root commit per server on refs/relay/out/<server>. */
  async #stage(batch: readonly { server: string; content: Uint8Array }[]): Promise<void> {
    const chunks: Buffer[] = [];
    for (const { server, content } of batch) {
      const message = `relay: ${server}`;
      chunks.push(
        Buffer.from(
          `reset ${OUTBOX_PREFIX}${server}\ncommit ${OUTBOX_PREFIX}${server}\ncommitter gitfleet relay <relay@gitfleet.invalid> 0 +0000\ndata ${Buffer.byteLength(message)}\n${message}\nM 100644 inline status/${server}.json\ndata ${content.byteLength}\n`,
        ),
        Buffer.from(content),
        Buffer.from('\n\n'),
      );
    }
    const r = await runGit(['--git-dir', this.dir, 'fast-import', '--quiet', '--force', '--done'], {
      cwd: this.dir,
      env: this.#env,
      input: Buffer.concat([...chunks, Buffer.from('done\n')]),
    });
    if (r.code !== 0) throw new GitCommandError(`git fast-import failed in the relay repository: ${r.stderr.trim().slice(0, 300)}`);
    // Each fast-import leaves a pack: 8,640 a day at 10 s. Let git repack when it judges so.
    if (++this.#stagings % 100 === 0)
      await runGit(['--git-dir', this.dir, '-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet'], { cwd: this.dir, env: this.#env });
  }
}

function* batches<T extends { content: Uint8Array }>(items: readonly T[]): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (batch.length > 0 && (bytes + item.content.byteLength > MAX_PUSH_BYTES || batch.length >= MAX_PUSH_REFS)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.content.byteLength;
  }
  if (batch.length > 0) yield batch;
}

/** A failed exchange with the parent: unreachable (retry next period) or refused. */
function linkError(what: string, stderr: string): Error {
  const text = stderr.trim().slice(0, 300);
  if (/Could not resolve|Failed to connect|Connection refused|timed out|Couldn't connect|502|503|504|stalled/i.test(text))
    return new RemoteUnreachableError(`the parent relay is unreachable (${what}): ${text}`, {
      hint: 'the inbox keeps every heartbeat; the next period tries again',
    });
  return new GitCommandError(`${what} failed: ${text}`, { hint: 'check --parent and the parent site token' });
}
