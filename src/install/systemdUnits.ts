import path from 'node:path';
import { AGENT_NAME, agentArgs, type InstallPlan, type InstallSpec } from './InstallSpec.js';

/**
 * A systemd service (+ timer in once mode). Logs go to the journal
 * (`journalctl -u gitfleet-agent`). A token, if not in git's credential helper or a
 * tokenFile, can be given in the optional EnvironmentFile, which gitfleet never writes.
 */
export function systemdUnits(spec: InstallSpec): InstallPlan {
  const exec = [spec.nodePath, ...agentArgs(spec, false)].map(quoteSystemd).join(' ');
  const envFile = spec.userScope ? '%h/.config/gitfleet/agent.env' : '/etc/gitfleet/agent.env';
  const service = [
    '[Unit]',
    'Description=gitfleet agent: reports this server to the fleet repository',
    'Documentation=https://github.com/gitfleet/gitfleet#readme',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    spec.mode === 'once' ? 'Type=oneshot' : 'Type=simple',
    `ExecStart=${exec}`,
    `EnvironmentFile=-${envFile}`,
    `Environment=${quoteSystemd(`PATH=${spec.pathEnv}`)}`,
    `Environment=${quoteSystemd(`GITFLEET_CODE_CACHE=${spec.codeCacheDir}`)}`,
    ...(spec.userScope ? ['NoNewPrivileges=yes', 'PrivateTmp=yes'] : systemHardening(spec)),
    'Nice=10',
    ...(spec.mode === 'once' ? [`TimeoutStartSec=${spec.everySeconds + 60}`] : ['Restart=always', 'RestartSec=10', 'KillSignal=SIGTERM', 'TimeoutStopSec=90']),
    '',
    ...(spec.mode === 'daemon' ? ['[Install]', `WantedBy=${spec.userScope ? 'default.target' : 'multi-user.target'}`, ''] : []),
  ].join('\n');
  const files = [{ path: path.join(spec.targetDir, `${AGENT_NAME}.service`), content: service }];
  if (spec.mode === 'once') {
    files.push({
      path: path.join(spec.targetDir, `${AGENT_NAME}.timer`),
      content: [
        '[Unit]',
        'Description=Run the gitfleet agent periodically',
        '',
        '[Timer]',
        'OnBootSec=30s',
        `OnUnitActiveSec=${spec.everySeconds}s`,
        'AccuracySec=1s',
        `Unit=${AGENT_NAME}.service`,
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    });
  }
  const ctl = spec.userScope ? ['systemctl', '--user'] : ['systemctl'];
  const unit = spec.mode === 'once' ? `${AGENT_NAME}.timer` : `${AGENT_NAME}.service`;
  return {
    scheduler: 'systemd',
    files,
    activate: [
      [...ctl, 'daemon-reload'],
      [...ctl, 'enable', '--now', unit],
    ],
    deactivate: [[...ctl, 'disable', '--now', unit]],
  };
}

/**
 * A system unit may write only its own state and cache folders (created and chowned to
 * User= by systemd) and the job folders named in the config; it reads its config from
 * /etc/gitfleet and logs to the journal. The restrictions chosen leave git, node and
 * job programs working: no syscall filter, no PrivateDevices, no MemoryDenyWriteExecute
 * (node's JIT needs writable+executable memory).
 */
function systemHardening(spec: InstallSpec): string[] {
  return [
    ...(spec.runAs ? [`User=${spec.runAs}`] : []),
    'StateDirectory=gitfleet',
    'StateDirectoryMode=0750',
    'CacheDirectory=gitfleet',
    'CacheDirectoryMode=0750',
    'ConfigurationDirectory=gitfleet',
    'ProtectSystem=strict',
    `ProtectHome=${spec.protectHome}`,
    // The account's home is hidden: git (and job programs) get a writable home of their own
    // instead of warnings about an unreadable ~/.gitconfig.
    ...(spec.protectHome === 'true' ? [`Environment=${quoteSystemd(`HOME=${spec.stateDir}`)}`] : []),
    ...spec.readWritePaths.map((p) => `ReadWritePaths=${quoteSystemd(`-${p}`)}`),
    'NoNewPrivileges=yes',
    'PrivateTmp=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'RestrictRealtime=yes',
    'UMask=0027',
  ];
}

/** systemd's own quoting for ExecStart words (no shell is involved). */
function quoteSystemd(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word.replace(/%/g, '%%');
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}
