import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fakeGitHub.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// The dashboard's tests lean on this stand-in: if it drifts from GitHub they prove nothing,
// so every endpoint is checked here against what git itself says about the same repository.

interface Commit {
  sha: string;
  commit: { tree: { sha: string } };
}
interface Comparison {
  status: string;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  base_commit: Commit;
  merge_base_commit: Commit;
  commits: Commit[];
  files: { filename: string; status: string; sha: string; previous_filename?: string; raw_url: string }[];
}

describe('fake GitHub over a real bare repository', () => {
  let bareDir: string;
  let work: string;
  let gh: FakeGitHub;
  const sha: Record<string, string> = {};
  const git = (...args: string[]) => execFileSync('git', ['-C', work, ...args], { encoding: 'utf8' }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), text);
  };
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  const api = (p: string, headers: Record<string, string> = {}) => fetch(`${gh.apiBase}/repos/fleet-owner/fleet${p}`, { headers });
  const apiJson = async <T>(p: string) => {
    const res = await api(p);
    expect(res.status, p).toBe(200);
    return (await res.json()) as T;
  };
  /** Sends the path byte for byte: fetch would normalise the `..` an attacker relies on. */
  const rawRequest = (p: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const base = new URL(gh.rawBase);
      http
        .get({ host: base.hostname, port: base.port, path: base.pathname + p }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });

  beforeAll(async () => {
    const root = tempDir('gitfleet-fakegh-');
    bareDir = path.join(root, 'fleet.git');
    work = path.join(root, 'work');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bareDir]);
    execFileSync('git', ['init', '-q', '-b', 'main', work]);
    git('config', 'user.name', 'test');
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'commit.gpgsign', 'false');
    write('fleet.json', '{"schemaVersion":1}\n');
    write('status/a.json', '{"server":"a","seq":1}\n');
    write('status/b.json', '{"server":"b","seq":1}\n');
    write('messages/m1.json', '{"id":"m1","body":"a message long enough to be recognised when it moves"}\n');
    sha.c1 = commit('c1');
    write('status/a.json', '{"server":"a","seq":2}\n');
    rmSync(path.join(work, 'status/b.json'));
    write('jobs/j1.json', '{"id":"j1"}\n');
    mkdirSync(path.join(work, 'messages/archive/2024-01'), { recursive: true });
    git('mv', 'messages/m1.json', 'messages/archive/2024-01/m1.json');
    sha.c2 = commit('c2\n\nwith a body');
    git('checkout', '-q', '-b', 'other', sha.c1);
    write('status/c.json', '{"server":"c","seq":1}\n');
    sha.other = commit('other');
    git('checkout', '-q', '-b', 'many', sha.c2);
    for (let i = 0; i < 301; i++) write(`status/many/s${i}.json`, `{"n":${i}}\n`);
    sha.many = commit('many');
    git('checkout', '-q', '--orphan', 'rewritten');
    git('rm', '-q', '-r', '--cached', '.');
    sha.rewritten = commit('rewritten history');
    git('push', '-q', bareDir, 'main', 'other', 'many', 'rewritten');
  });
  afterEach(async () => {
    await gh?.close();
  });
  afterAll(() => cleanupTempDirs());

  it('answers commits/{ref} with the sha media type, as JSON, and 422 for an unknown ref', async () => {
    gh = await startFakeGitHub({ bareDir });
    const res = await api('/commits/main', { Accept: 'application/vnd.github.sha' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(sha.c2);
    expect(res.headers.get('etag')).toBe(`"${sha.c2}"`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(res.headers.get('x-ratelimit-used')).toBe('1');
    expect(res.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/ETag.*X-RateLimit-Remaining/);

    const body = await apiJson<Commit>(`/commits/${sha.c1}`);
    expect(body.sha).toBe(sha.c1);
    expect(body.commit.tree.sha).toBe(git('rev-parse', `${sha.c1}^{tree}`));
    const owner = await fetch(`${gh.apiBase}/repos/FLEET-OWNER/Fleet/commits/other`, { headers: { Accept: 'application/vnd.github.sha' } });
    expect(await owner.text()).toBe(sha.other);

    const unknown = await api('/commits/no-such-branch');
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { message: string }).message).toBe('No commit found for SHA: no-such-branch');
    expect((await fetch(`${gh.apiBase}/repos/someone-else/fleet/commits/main`)).status).toBe(404);
    expect((await api('/commits/main..other')).status).toBe(400);
    expect((await api('/commits/-n')).status).toBe(400);
    expect((await api('/commits/ma%20in')).status).toBe(400);
    expect(gh.calls.api).toContain('/repos/fleet-owner/fleet/commits/main');
  });

  it('answers git/trees recursively from a branch, a commit or a tree sha', async () => {
    gh = await startFakeGitHub({ bareDir });
    const byBranch = await apiJson<{ sha: string; truncated: boolean; tree: { path: string; type: string; sha: string; size?: number; mode: string }[] }>(
      '/git/trees/main?recursive=1',
    );
    const treeSha = git('rev-parse', 'main^{tree}');
    expect(byBranch.sha).toBe(treeSha);
    expect(byBranch.truncated).toBe(false);
    const paths = byBranch.tree.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['fleet.json', 'status', 'status/a.json', 'messages/archive/2024-01/m1.json', 'jobs/j1.json']));
    expect(paths).not.toContain('status/b.json');
    const a = byBranch.tree.find((e) => e.path === 'status/a.json');
    expect(a).toMatchObject({ type: 'blob', mode: '100644', sha: git('rev-parse', 'main:status/a.json'), size: 23 });
    expect(byBranch.tree.find((e) => e.path === 'status')).toMatchObject({ type: 'tree', mode: '040000' });
    expect(byBranch.tree.find((e) => e.path === 'status')).not.toHaveProperty('size');
    expect((await apiJson<{ sha: string }>(`/git/trees/${sha.c2}?recursive=1`)).sha).toBe(treeSha);
    expect((await apiJson<{ sha: string }>(`/git/trees/${treeSha}?recursive=1`)).sha).toBe(treeSha);
    const top = await apiJson<{ tree: { path: string }[] }>('/git/trees/main');
    expect(top.tree.map((e) => e.path).sort()).toEqual(['fleet.json', 'jobs', 'messages', 'status']);
    expect((await api('/git/trees/nothing-here?recursive=1')).status).toBe(404);
  });

  it('compares ahead, behind, identical and diverged, with added, modified, removed and renamed files', async () => {
    gh = await startFakeGitHub({ bareDir });
    const ahead = await apiJson<Comparison>(`/compare/${sha.c1}...main`);
    expect(ahead).toMatchObject({ status: 'ahead', ahead_by: 1, behind_by: 0, total_commits: 1 });
    expect(ahead.base_commit.sha).toBe(sha.c1);
    expect(ahead.merge_base_commit.sha).toBe(sha.c1);
    expect(ahead.commits.map((c) => c.sha)).toEqual([sha.c2]);
    const byName = Object.fromEntries(ahead.files.map((f) => [f.filename, f]));
    expect(Object.keys(byName).sort()).toEqual(['jobs/j1.json', 'messages/archive/2024-01/m1.json', 'status/a.json', 'status/b.json']);
    expect(byName['jobs/j1.json']).toMatchObject({ status: 'added', sha: git('rev-parse', 'main:jobs/j1.json') });
    expect(byName['status/a.json']).toMatchObject({ status: 'modified', sha: git('rev-parse', 'main:status/a.json') });
    expect(byName['status/b.json']).toMatchObject({ status: 'removed', sha: git('rev-parse', `${sha.c1}:status/b.json`) });
    expect(byName['messages/archive/2024-01/m1.json']).toMatchObject({ status: 'renamed', previous_filename: 'messages/m1.json' });
    expect(byName['status/a.json']!.raw_url).toBe(`${gh.rawBase}/fleet-owner/fleet/${sha.c2}/status/a.json`);
    const viaRaw = await fetch(byName['status/a.json']!.raw_url);
    expect(await viaRaw.text()).toBe('{"server":"a","seq":2}\n');

    const behind = await apiJson<Comparison>(`/compare/main...${sha.c1}`);
    expect(behind).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 1, commits: [], files: [] });
    expect(await apiJson<Comparison>('/compare/main...main')).toMatchObject({ status: 'identical', ahead_by: 0, behind_by: 0, files: [] });
    const diverged = await apiJson<Comparison>('/compare/main...other');
    expect(diverged).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1 });
    expect(diverged.merge_base_commit.sha).toBe(sha.c1);
    // Files are the merge base against head: main's own changes are not the other branch's.
    expect(diverged.files.map((f) => [f.filename, f.status])).toEqual([['status/c.json', 'added']]);

    // GitHub stops at 300 files, silently.
    const many = await apiJson<Comparison>('/compare/main...many');
    expect(many.files).toHaveLength(300);

    const unrelated = await api('/compare/main...rewritten');
    expect(unrelated.status).toBe(404);
    expect(((await unrelated.json()) as { message: string }).message).toBe('No common ancestor between main and rewritten.');
    const missing = await api(`/compare/${'0'.repeat(40)}...main`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toBe('Not Found');
    expect((await api('/compare/main..other')).status).toBe(404);
    expect((await api('/compare/main...../x')).status).toBe(400);
  });

  it('answers If-None-Match with a free 304, and runs out with a 403 that raw does not share', async () => {
    gh = await startFakeGitHub({ bareDir, rateLimit: 3 });
    const first = await api('/git/trees/main?recursive=1');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    const again = await api('/git/trees/main?recursive=1', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('2');
    // The sha media type's ETag is the sha: a page can ask "still at this commit?" for free.
    const same = await api('/commits/main', { Accept: 'application/vnd.github.sha', 'If-None-Match': `"${sha.c2}"` });
    expect(same.status).toBe(304);
    const moved = await api('/commits/main', { Accept: 'application/vnd.github.sha', 'If-None-Match': `"${sha.c1}"` });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await api('/commits/main')).headers.get('x-ratelimit-remaining')).toBe('0');

    const limited = await api('/commits/main');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-used')).toBe('3');
    const body = (await limited.json()) as { message: string; documentation_url: string };
    expect(body.message).toMatch(/^API rate limit exceeded for 127\.0\.0\.1\./);
    expect(body.documentation_url).toMatch(/^https:\/\/docs\.github\.com\//);
    expect((await api('/commits/main', { 'If-None-Match': etag })).status).toBe(403);

    const raw = await fetch(`${gh.rawBase}/fleet-owner/fleet/main/fleet.json`);
    expect(raw.status).toBe(200);

    const withToken = await api('/commits/main', { Accept: 'application/vnd.github.sha', Authorization: 'Bearer t0ken' });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(withToken.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(withToken.headers.get('cache-control')).toMatch(/^private/);

    gh.setRemaining(1);
    expect((await api('/commits/main')).status).toBe(200);
    expect((await api('/commits/main')).status).toBe(403);
    expect(gh.calls.api.filter((p) => p.endsWith('/commits/main'))).toHaveLength(8);
  });

  it('serves raw files with GitHub’s answers and refuses paths that climb out', async () => {
    gh = await startFakeGitHub({ bareDir, rateLimit: 1 });
    const res = await fetch(`${gh.rawBase}/fleet-owner/fleet/${sha.c1}/status/b.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe('{"server":"b","seq":1}\n');
    expect(await (await fetch(`${gh.rawBase}/fleet-owner/fleet/refs/heads/main/status/a.json`)).text()).toBe('{"server":"a","seq":2}\n');
    const gone = await fetch(`${gh.rawBase}/fleet-owner/fleet/main/status/b.json`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('404: Not Found');
    expect((await fetch(`${gh.rawBase}/fleet-owner/fleet/main/status`)).status).toBe(404);
    expect((await rawRequest('/fleet-owner/fleet/main/../../etc/passwd')).status).toBe(400);
    expect((await rawRequest('/fleet-owner/fleet/main/status/%2e%2e/fleet.json')).status).toBe(400);
    expect((await rawRequest('/fleet-owner/fleet/main..other/fleet.json')).status).toBe(400);
    expect(gh.calls.raw).toHaveLength(7);
    expect(gh.calls.api).toHaveLength(0);
    // Raw never touched the API budget.
    expect((await api('/commits/main')).headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('answers CORS preflights like api.github.com', async () => {
    gh = await startFakeGitHub({ bareDir });
    const res = await fetch(`${gh.apiBase}/repos/fleet-owner/fleet/commits/main`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, if-none-match' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization.*If-None-Match/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-GitHub-Api-Version/);
    expect(gh.calls.api).toHaveLength(0);
  });
});
