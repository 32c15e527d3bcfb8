import type { RawEdit } from './plantTree.js';

const json = (server: string) => JSON.stringify({ schemaVersion: 1, server, updatedAt: '2026-11-22T10:00:00.000Z', seq: 1, health: { state: 'healthy' } });

/**
 * Entries git accepts (any server without fsck takes them in a push) that
 * isomorphic-git's tree parser refuses or that are not plain files: every name of its
 * UnsafeFilepathError check, unusual modes, symlinks, gitlinks, duplicates, names
 * that are not UTF-8. (An empty name or a folder mode on a blob breaks git's own
 * pack-objects: no server could serve such a tree, so they are left out.)
 */
export function hostileEdits(blobOid: string): RawEdit[] {
  return [
    { folder: 'status', name: 'good-1.json', content: json('good-1') },
    { folder: 'status', name: 'exec-1.json', mode: '100755', content: json('exec-1') },
    { folder: 'status', name: '.git', content: json('x') },
    { folder: 'status', name: '.GIT. ', content: json('x') },
    { folder: 'status', name: 'git~1', content: json('x') },
    { folder: 'status', name: '.g\u200cit', content: json('x') },
    { folder: 'status', name: '.git::$INDEX_ALLOCATION', content: json('x') },
    { folder: 'status', name: 'a\\b.json', content: json('x') },
    { folder: 'status', name: 'x/y.json', content: json('x') },
    { folder: 'status', name: '..', content: json('x') },
    { folder: 'status', name: '.', content: json('x') },
    { folder: 'status', name: Buffer.from([0x62, 0xff, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]), content: json('x') },
    { folder: 'status', name: 'odd-mode.json', mode: '100664', content: json('odd-mode') },
    { folder: 'status', name: 'link-1.json', mode: '120000', content: 'good-1.json' },
    { folder: 'status', name: 'sub-1.json', mode: '160000', oid: '1'.repeat(40) },
    { folder: 'status', name: 'twice.json', content: json('twice') },
    { folder: 'status', name: 'twice.json', content: json('twice') },
    { folder: 'jobs', name: 'gitlink', mode: '160000', oid: '2'.repeat(40) },
    { folder: 'messages/.git', name: 'hooks.json', content: '{}' },
    // An unusual mode on a blob (a folder mode on a blob would break git's own pack-objects: no server could serve it).
    { folder: 'messages', name: 'sneaky', mode: '100600', oid: blobOid },
    { folder: '', name: 'status/evil-1.json', content: json('evil-1') },
    { folder: '', name: '.git', content: 'not a repository' },
  ];
}
