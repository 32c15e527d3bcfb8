import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { HttpClient } from 'isomorphic-git';
import { GitCommandError } from '../errors/index.js';
import type { PushOutcome } from './GitBackend.js';
import type { StoredObject } from './walkTree.js';

export interface ReceivePackRequest {
  http: HttpClient;
  url: string;
  headers: Record<string, string>;
  /** refs/heads/<branch> */
  ref: string;
  commit: string;
  /** The commit's parent: the push is a fast-forward only when the remote still holds it. */
  parent: string | null;
  /** The objects the remote lacks (the commit, the new trees and blobs), by id. */
  objects: () => Promise<Map<string, StoredObject>>;
}

const ZERO = '0'.repeat(40);
const TYPE_CODES: Record<string, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
const REJECTED = /fetch first|non-fast-forward|failed to lock|stale|cannot lock|incorrect old value|failed to update ref/i;

/**
 * A fast-forward push over smart HTTP, written here instead of isomorphic-git's push:
 * that one lists the objects to send by parsing every tree of the commit with its own
 * tree parser, so one entry it refuses (a name such as ".git") in any folder stopped
 * every js-backend writer. The objects to send are chosen by the caller (walkTree's
 * raw parser); the remote's ref update is still the compare-and-swap.
 */
export async function receivePack(req: ReceivePackRequest): Promise<PushOutcome> {
  const current = await advertisedOid(req);
  if (current === req.commit) return 'ok';
  if (current !== req.parent) return 'rejected';
  const pack = buildPack(await req.objects());
  const command = pktLine(`${current ?? ZERO} ${req.commit} ${req.ref}\0report-status agent=gitfleet\n`);
  const res = await req.http.request({
    url: `${req.url}/git-receive-pack`,
    method: 'POST',
    headers: { ...auth(req.headers), 'Content-Type': 'application/x-git-receive-pack-request', Accept: 'application/x-git-receive-pack-result' },
    body: (async function* () {
      yield new Uint8Array(Buffer.concat([command, Buffer.from('0000'), pack]));
    })(),
  });
  const body = await readAll(res.body);
  if (res.statusCode !== 200) throw httpError(res.statusCode, body);
  const lines = pktLines(body);
  const unpack = lines.find((l) => l.startsWith('unpack '));
  if (unpack && unpack !== 'unpack ok') throw new GitCommandError(`the remote could not store the push (${unpack.slice(0, 200)})`);
  const ng = lines.find((l) => l.startsWith(`ng ${req.ref} `));
  if (ng) {
    const reason = ng.slice(`ng ${req.ref} `.length);
    if (REJECTED.test(reason)) return 'rejected';
    throw new GitCommandError(`the remote refused the push (${reason.slice(0, 200)})`, { hint: 'a hook or a branch protection on the remote refused it' });
  }
  if (!lines.some((l) => l === `ok ${req.ref}`)) throw new GitCommandError('the remote did not confirm the push');
  return 'ok';
}

async function advertisedOid(req: ReceivePackRequest): Promise<string | null> {
  const res = await req.http.request({
    url: `${req.url}/info/refs?service=git-receive-pack`,
    method: 'GET',
    headers: { ...auth(req.headers), Accept: 'application/x-git-receive-pack-advertisement' },
  });
  const body = await readAll(res.body);
  if (res.statusCode !== 200) throw httpError(res.statusCode, body);
  for (const line of pktLines(body)) {
    const [oid, ref] = line.split('\0')[0]!.split(' ');
    if (ref === req.ref && oid && /^[0-9a-f]{40}$/.test(oid)) return oid;
  }
  return null;
}

// isomorphic-git writes its own content-type into the headers object it is given.
function auth(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !/^(content-type|accept)$/i.test(k)));
}

/** A version 2 pack of whole (undeltified) objects. */
export function buildPack(objects: Map<string, StoredObject>): Buffer {
  const parts: Buffer[] = [Buffer.from('PACK'), u32(2), u32(objects.size)];
  for (const { type, content } of objects.values()) {
    const code = TYPE_CODES[type];
    if (code === undefined) throw new GitCommandError(`cannot push an object of type ${type}`);
    let size = content.byteLength;
    const header = [(code << 4) | (size & 0x0f)];
    size = Math.floor(size / 16);
    while (size > 0) {
      header[header.length - 1]! |= 0x80;
      header.push(size & 0x7f);
      size = Math.floor(size / 128);
    }
    parts.push(Buffer.from(header), deflateSync(content));
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function pktLine(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, '0')), payload]);
}

function pktLines(body: Buffer): string[] {
  const lines: string[] = [];
  let pos = 0;
  while (pos + 4 <= body.length) {
    const len = parseInt(body.toString('latin1', pos, pos + 4), 16);
    if (Number.isNaN(len)) break;
    if (len < 4) {
      pos += 4;
      continue;
    }
    lines.push(body.toString('utf8', pos + 4, pos + len).replace(/\n$/, ''));
    pos += len;
  }
  return lines;
}

async function readAll(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (body) for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

// Shaped like isomorphic-git's HttpError, so classifyJsFailure maps it the same way.
function httpError(statusCode: number, body: Buffer): Error {
  return Object.assign(new Error(`HTTP Error: ${statusCode} ${body.toString('utf8', 0, 200)}`), { code: 'HttpError', data: { statusCode } });
}
