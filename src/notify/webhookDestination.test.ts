import { describe, expect, it } from 'vitest';
import type { Webhook } from '../schema/types.js';
import { resolveNotifyConfig } from './notifyConfig.js';
import { postWebhook } from './postWebhook.js';
import { webhookDestination } from './webhookDestination.js';

// Decisions only: nothing here connects anywhere (the e2e tests post to loopback listeners).
const hook = (w: Partial<Webhook>): Webhook => ({ id: 'chat', format: 'slack', ...w });
const skipped = (d: ReturnType<typeof webhookDestination>) => ('skipped' in d ? d.skipped : undefined);

describe('webhookDestination: the repository selects, this machine decides', () => {
  const none = resolveNotifyConfig(undefined);

  it('does not follow a fleet.json url unless its host is in notify.allowHosts', () => {
    expect(skipped(webhookDestination(hook({ url: 'https://hooks.example.com/x' }), none, {}))).toMatch(
      /^no destination for webhook chat in this machine's config \(add notify\.webhooks\.chat, or host hooks\.example\.com to notify\.allowHosts\)$/,
    );
    const allowed = resolveNotifyConfig({ allowHosts: ['hooks.example.com'] });
    const d = webhookDestination(hook({ url: 'https://hooks.example.com/x' }), allowed, {});
    expect('url' in d && d.url.href).toBe('https://hooks.example.com/x');
    expect('url' in d && d.from).toBe('fleet');
    expect(skipped(webhookDestination(hook({ url: 'https://a.hooks.example.com/x' }), allowed, {}))).toMatch(/no destination/);
    expect(
      skipped(webhookDestination(hook({ url: 'https://a.hooks.example.com/x' }), resolveNotifyConfig({ allowHosts: ['*.example.com'] }), {})),
    ).toBeUndefined();
    expect(skipped(webhookDestination(hook({ url: 'https://evilexample.com/x' }), resolveNotifyConfig({ allowHosts: ['*.example.com'] }), {}))).toMatch(
      /no destination/,
    );
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', /link-local/],
    ['http://10.0.0.1/', '10.0.0.1', /private/],
    ['http://192.168.1.1:8080/', '192.168.1.1', /private/],
    ['http://127.0.0.1:9/', '127.0.0.1', /loopback/],
    ['http://[::1]/', '[::1]', /loopback/],
    ['http://[fd00::1]/', '[fd00::1]', /unique-local/],
    ['http://[fe80::1]/', '[fe80::1]', /link-local/],
    ['http://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe]', /link-local/],
    ['http://0x7f000001/', '127.0.0.1', /loopback/],
    ['http://2130706433/', '127.0.0.1', /loopback/],
    ['http://0177.0.0.1/', '127.0.0.1', /loopback/],
    ['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254', /link-local/],
    ['http://0/', '0.0.0.0', /unspecified/],
    ['http://224.0.0.1/', '224.0.0.1', /multicast/],
  ])('refuses %s even with its host allowed (no connection is made)', async (url, host, kind) => {
    const config = resolveNotifyConfig({ allowHosts: [host] });
    const reason = skipped(webhookDestination(hook({ url }), config, {}));
    expect(reason).toMatch(kind);
    expect(reason).toMatch(/refused/);
    // The same from this machine's own config; and the post itself refuses without connecting.
    expect(skipped(webhookDestination(hook({}), resolveNotifyConfig({ webhooks: { chat: { url } } }), {}))).toMatch(kind);
    expect(await postWebhook(new URL(url), '{}', { allowPrivateNetworks: false, timeoutMs: 1000, signal: new AbortController().signal })).toEqual({
      ok: false,
      error: 'refused address',
    });
  });

  it('opens loopback, private and link-local only with notify.allowPrivateNetworks; never multicast or unspecified', () => {
    const open = resolveNotifyConfig({ allowPrivateNetworks: true, webhooks: { chat: { url: 'http://127.0.0.1:9/hook' } } });
    expect(skipped(webhookDestination(hook({}), open, {}))).toBeUndefined();
    expect(skipped(webhookDestination(hook({}), { ...open, webhooks: { chat: { url: 'http://10.0.0.1/' } } }, {}))).toBeUndefined();
    expect(skipped(webhookDestination(hook({}), { ...open, webhooks: { chat: { url: 'http://224.0.0.1/' } } }, {}))).toMatch(/multicast/);
    expect(skipped(webhookDestination(hook({}), { ...open, webhooks: { chat: { url: 'http://0.0.0.0/' } } }, {}))).toMatch(/unspecified/);
  });

  it('reads urlEnv only from GITFLEET_WEBHOOK_* variables', () => {
    const env = {
      HOME: 'http://127.0.0.1/home',
      GITFLEET_TOKEN: 'http://127.0.0.1/token',
      GITFLEET_WEBHOOK_CHAT: 'https://hooks.example.com/ok',
      SLACK_URL: 'https://hooks.example.com/s',
    };
    for (const name of ['HOME', 'GITFLEET_TOKEN', 'SLACK_URL']) {
      expect(skipped(webhookDestination(hook({ urlEnv: name }), none, env))).toMatch(
        new RegExp(`names the environment variable ${name}; only GITFLEET_WEBHOOK_\\* variables are read`),
      );
    }
    const d = webhookDestination(hook({ urlEnv: 'GITFLEET_WEBHOOK_CHAT' }), none, env);
    expect('url' in d && d.url.href).toBe('https://hooks.example.com/ok');
    expect(skipped(webhookDestination(hook({ urlEnv: 'GITFLEET_WEBHOOK_OTHER' }), none, env))).toBe(
      'no URL: set the environment variable GITFLEET_WEBHOOK_OTHER',
    );
  });

  it("prefers this machine's destination and format over anything fleet.json says, and never puts a URL in a reason", () => {
    const config = resolveNotifyConfig({ webhooks: { chat: { urlEnv: 'GITFLEET_WEBHOOK_MINE', url: 'https://fallback.example.com/x', format: 'discord' } } });
    const fromEnv = webhookDestination(hook({ url: 'https://attacker.example.net/' }), config, {
      GITFLEET_WEBHOOK_MINE: 'https://mine.example.com/secret-path',
    });
    expect('url' in fromEnv && [fromEnv.url.host, fromEnv.format]).toEqual(['mine.example.com', 'discord']);
    const fallback = webhookDestination(hook({}), config, {});
    expect('url' in fallback && fallback.url.host).toBe('fallback.example.com');
    expect(skipped(webhookDestination(hook({}), resolveNotifyConfig({ webhooks: { chat: { url: 'ftp://x.example.com/secret-path' } } }), {}))).toBe(
      'notify.webhooks.chat.url is not a valid http(s) URL',
    );
    expect(
      skipped(
        webhookDestination(hook({}), resolveNotifyConfig({ webhooks: { chat: { urlEnv: 'GITFLEET_WEBHOOK_X' } } }), {
          GITFLEET_WEBHOOK_X: 'not a url secret-path',
        }),
      ),
    ).toBe('the variable GITFLEET_WEBHOOK_X is not a valid http(s) URL');
    expect(skipped(webhookDestination(hook({ id: 'other' }), config, {}))).toMatch(/no destination for webhook other/);
  });
});
