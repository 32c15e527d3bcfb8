import { describe, expect, it } from 'vitest';
import { gitFailureError, gitFailureKind } from './classifyGitFailure.js';

// Messages as git 2.39 prints them (LC_ALL=C).
describe('gitFailureKind', () => {
  it.each([
    ["fatal: Authentication failed for 'https://github.com/acme/fleet.git/'", 'fetch', 'auth'],
    ["fatal: could not read Username for 'https://example.com': terminal prompts disabled", 'fetch', 'auth'],
    ["fatal: unable to access 'https://example.com/x.git/': The requested URL returned error: 403", 'push', 'auth'],
    ['git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'fetch', 'auth'],
    [
      ' ! [remote rejected] main -> main (refusing to allow a Personal Access Token to create or update workflow `.github/workflows/pages.yml` without `workflow` scope)',
      'push',
      'auth',
    ],
    ["fatal: couldn't find remote ref refs/heads/main", 'fetch', 'branch-missing'],
    [' ! [rejected]        abc -> main (fetch first)\nerror: failed to push some refs to', 'push', 'rejected'],
    [' ! [remote rejected] abc -> main (failed to update ref)', 'push', 'rejected'],
    ["error: cannot lock ref 'refs/heads/main': is at 1 but expected 2", 'push', 'rejected'],
    [
      "fatal: unable to access 'http://127.0.0.1:9/x.git/': Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server",
      'fetch',
      'unreachable',
    ],
    ["fatal: unable to access 'https://nope.invalid/x.git/': Could not resolve host: nope.invalid", 'push', 'unreachable'],
    ["fatal: '/srv/missing.git' does not appear to be a git repository\nfatal: Could not read from remote repository.", 'fetch', 'unreachable'],
    ["fatal: unable to access 'https://x/x.git/': The requested URL returned error: 502", 'fetch', 'unreachable'],
    ['error: object file .git/objects/ab/cdef is empty\nfatal: loose object abcdef is corrupt', 'fetch', 'corrupt'],
    ['fatal: bad object refs/gitfleet/remote', 'fetch', 'corrupt'],
    ['something new and strange', 'fetch', 'other'],
  ])('%s', (text, op, kind) => expect(gitFailureKind(text, op)).toBe(kind));

  it('a rejection is only a rejection for push', () => {
    expect(gitFailureKind(' ! [rejected] x (fetch first)', 'fetch')).toBe('other');
  });

  it('builds a one-line typed error that names the remote, without credentials', () => {
    const e = gitFailureError(
      "hint: x\nfatal: unable to access 'https://bob:pw12345@h/x.git/': Could not resolve host: h\n",
      'fetch',
      'https://h/x.git',
      'main',
    );
    expect(e.code).toBe('E_UNREACHABLE');
    expect(e.message).toBe("cannot reach https://h/x.git (unable to access 'https://***@h/x.git/': Could not resolve host: h)");
    expect(e.message).not.toContain('pw12345');
  });
});

describe("gitFailureError: the reason, not git's verbose chatter", () => {
  it('never reports "Pushing to <url>" or object counts as the reason', () => {
    const text =
      "Pushing to http://127.0.0.1:1/fleet.git\nPOST git-receive-pack (437 bytes)\nremote: Counting objects: 3\nremote: error: disk quota exceeded\nerror: failed to push some refs to 'http://127.0.0.1:1/fleet.git'\n";
    const error = gitFailureError(text, 'push', 'http://127.0.0.1:1/fleet.git', 'main');
    expect(error.message).not.toMatch(/Pushing to|POST|Counting/);
    expect(error.message).toMatch(/remote: disk quota exceeded/);
  });

  it('without a fatal line, takes the last meaningful one', () => {
    const error = gitFailureError('Pushing to http://h/x.git\nremote: pre-receive hook declined: branch is protected\n', 'push', 'http://h/x.git', 'main');
    expect(error.message).toContain('pre-receive hook declined');
  });
});
