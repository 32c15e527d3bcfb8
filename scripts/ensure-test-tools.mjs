#!/usr/bin/env node
// Runs before `npm test`: the tests need a few programs that npm cannot bring (Debian's
// Chromium for the browser tests, cron and systemd-analyze for the scheduler tests, a
// font for Chromium's layout). On Debian or Ubuntu, as root, they are installed here;
// elsewhere one line says what is missing and how to get it, and the run stops: a test
// that cannot run is a failure, never a silent skip. Built-in modules only.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/** What the tests use, the Debian package that brings it, and how to tell it is there. */
const TOOLS = [
  { what: 'git', pkg: 'git', present: () => onPath('git') },
  { what: 'CA certificates', pkg: 'ca-certificates', present: () => !isDebian() || dpkgHas('ca-certificates') },
  {
    what: 'Chromium (browser tests)',
    pkg: 'chromium',
    present: () => [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].some((p) => p && executable(p)),
  },
  { what: 'a font for Chromium (browser tests)', pkg: 'fonts-dejavu-core', present: () => !isDebian() || dpkgHas('fonts-dejavu-core') },
  { what: 'crontab (cron install test)', pkg: 'cron', present: () => onPath('crontab') },
  { what: 'systemd-analyze (systemd unit test)', pkg: 'systemd', present: () => onPath('systemd-analyze') },
];

const missing = TOOLS.filter((t) => !t.present());
if (missing.length > 0) {
  const names = missing.map((t) => t.pkg);
  const canInstall = process.platform === 'linux' && isDebian() && process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    console.error(
      `npm test needs ${missing.map((t) => t.what).join(', ')}: install them (Debian/Ubuntu: sudo apt-get install ${names.join(' ')}; ` +
        'elsewhere your package manager, or CHROMIUM_PATH=/path/to/chromium), then run npm test again',
    );
    process.exit(1);
  }
  console.log(`installing what the tests need (apt-get install ${names.join(' ')})...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', '--no-install-recommends', ...names])) {
    console.error(`apt-get install ${names.join(' ')} failed (see above): install them by hand, then run npm test again`);
    process.exit(1);
  }
  const still = missing.filter((t) => !t.present());
  if (still.length > 0) {
    console.error(`still missing after apt-get: ${still.map((t) => t.what).join(', ')}; install them by hand, then run npm test again`);
    process.exit(1);
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, command)));
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isDebian() {
  return existsSync('/etc/debian_version');
}

function dpkgHas(pkg) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a template
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}
