import os from 'node:os';
import path from 'node:path';
import { readTokenFile } from '../../config/resolveConfig.js';
import { startRelay } from '../../config/startRelay.js';
import { ConfigError, UsageError } from '../../errors/index.js';
import { parseDuration } from '../../util/duration.js';
import { registerSecret } from '../../util/redact.js';
import { defineCommand } from '../GitfleetCommand.js';
import { checkListenAddress } from '../listenAddress.js';
import { waitForSignal } from '../waitForSignal.js';

export const relayCommand = defineCommand({
  command: 'relay',
  describe: "Serve one site's agents: fold their heartbeats into one push a period, and serve them the fleet fetched once a period",
  builder: (y) =>
    y
      .option('port', { type: 'number', default: 8479, describe: 'Port to listen on (0 for any free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: "Address to listen on (the site's agents must reach it, e.g. 0.0.0.0)" })
      .option('token-file', { type: 'string', describe: 'File holding the site token agents authenticate with (GITFLEET_RELAY_TOKEN otherwise)' })
      .option('every', { type: 'string', default: '10s', describe: 'The period: one upstream push and one fetch per period (2s to 10m)' })
      .option('parent', {
        type: 'string',
        describe: "Chain this relay under another relay (its URL): forward the site's heartbeats there and read the fleet from it, instead of --repo",
      })
      .option('parent-token-file', { type: 'string', describe: "File holding the parent relay's site token (GITFLEET_PARENT_RELAY_TOKEN otherwise)" })
      .option('dir', { type: 'string', describe: "The relay's repository (its durable inbox); default <dataDir>/relay" })
      .example(
        '$0 relay --repo https://github.com/acme/fleet.git --host 0.0.0.0 --token-file /etc/gitfleet/relay-token',
        'a site relay; agents get --relay http://<this host>:8479/fleet.git',
      )
      .example(
        '$0 relay --parent http://top-relay:8479/fleet.git --parent-token-file /etc/gitfleet/top-token --token-file /etc/gitfleet/relay-token',
        'a site relay chained under a top relay (only the top relay pushes to the fleet repository)',
      ),
  async run(ctx, argv) {
    checkListenAddress(argv.port, argv.host, { port: 8479, host: '0.0.0.0' });
    const periodMs = parseDuration(argv.every);
    if (periodMs === null || periodMs < 2_000 || periodMs > 600_000)
      throw new UsageError(`--every ${JSON.stringify(argv.every.slice(0, 80))} is not a duration from 2s to 10m`, { hint: 'e.g. --every 10s' });
    const token = argv['token-file'] ? readTokenFile(path.resolve(argv['token-file']), '--token-file') : ctx.env.GITFLEET_RELAY_TOKEN?.trim() || undefined;
    if (!token) throw new ConfigError('the relay needs a site token', { hint: 'pass --token-file <file> or set GITFLEET_RELAY_TOKEN' });
    registerSecret(token);
    if (ctx.config.backend !== 'cli') throw new UsageError('a relay needs the git CLI backend', { hint: 'drop --backend js' });
    const actor = `op:relay-${siteName()}`;
    const parent = argv.parent === undefined ? undefined : parentOf(argv.parent, argv['parent-token-file'], ctx.env.GITFLEET_PARENT_RELAY_TOKEN);
    const relay = await startRelay({
      ...(parent ? { parent } : { fleet: ctx.openFleet(actor) }),
      dir: path.resolve(argv.dir ?? path.join(ctx.config.dataDir, 'relay')),
      host: argv.host,
      port: argv.port,
      token,
      periodMs,
      logger: ctx.logger,
      actor,
    }).catch((error: unknown) => {
      throw listenError(error, argv.host, argv.port);
    });
    if (ctx.json) ctx.printJson({ url: relay.url, periodSeconds: periodMs / 1000, ...(parent ? { parent: parent.url } : {}) });
    else
      ctx.io.out(
        `relay: ${relay.url}${parent ? ` (chained under ${parent.url})` : ''}\nagents: --relay ${relay.url} with the site token in GITFLEET_RELAY_TOKEN\nPress Ctrl-C to stop.`,
      );
    await waitForSignal();
    if (!ctx.json) ctx.io.out('stopping…');
    await relay.stop();
    if (!ctx.json) ctx.io.out('stopped');
  },
});

/** The parent relay of a chain: an http(s) URL without credentials, and its site token from a file or the environment. */
function parentOf(url: string, tokenFile: string | undefined, envToken: string | undefined): { url: string; token: string } {
  if (!/^https?:\/\/[^@\s]+$/i.test(url.trim()) || /[\0\r\n]/.test(url))
    throw new UsageError('--parent is not an http(s) URL without credentials', {
      hint: 'e.g. --parent http://top-relay:8479/fleet.git, with the token in --parent-token-file',
    });
  const token = tokenFile ? readTokenFile(path.resolve(tokenFile), '--parent-token-file') : envToken?.trim() || undefined;
  if (!token)
    throw new ConfigError("a chained relay needs its parent relay's site token", {
      hint: 'pass --parent-token-file <file> or set GITFLEET_PARENT_RELAY_TOKEN',
    });
  registerSecret(token);
  return { url: url.trim(), token };
}

/** This machine's name as an actor label (a DNS label; "site" when it has none usable). */
function siteName(): string {
  const label = os
    .hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return label || 'site';
}

function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE')
    return new UsageError(`port ${port} on ${host} is already in use`, { hint: 'pick another with --port, or --port 0 for any free one' });
  if (code === 'EACCES') return new UsageError(`not allowed to listen on port ${port}`, { hint: 'ports below 1024 need privileges; pick another with --port' });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new UsageError(`cannot listen on ${host}: not an address of this machine`, { hint: 'e.g. --host 0.0.0.0' });
  return error;
}
