import os from 'node:os';
import path from 'node:path';
import { agentArgs, type InstallPlan, type InstallSpec, LAUNCHD_LABEL } from './InstallSpec.js';
import { xmlText } from './xmlText.js';

/** A launchd job: a LaunchAgent (user) or LaunchDaemon, started every interval or kept alive. */
export function launchdPlist(spec: InstallSpec): InstallPlan {
  const argv = [spec.nodePath, ...agentArgs(spec, false)];
  const plist = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key><string>${LAUNCHD_LABEL}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...argv.map((a) => `    <string>${xmlText(a)}</string>`),
    '  </array>',
    ...(spec.mode === 'once'
      ? [`  <key>StartInterval</key><integer>${spec.everySeconds}</integer>`, '  <key>RunAtLoad</key><true/>']
      : ['  <key>KeepAlive</key><true/>', '  <key>RunAtLoad</key><true/>']),
    `  <key>StandardOutPath</key><string>${xmlText(spec.logFile)}</string>`,
    `  <key>StandardErrorPath</key><string>${xmlText(spec.logFile)}</string>`,
    '  <key>ProcessType</key><string>Background</string>',
    // A LaunchDaemon runs as root: V8's code cache goes to the agent's cache folder, not /var/root.
    '  <key>EnvironmentVariables</key>',
    `  <dict><key>GITFLEET_CODE_CACHE</key><string>${xmlText(spec.codeCacheDir)}</string></dict>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
  const file = path.join(spec.targetDir, `${LAUNCHD_LABEL}.plist`);
  const domain = spec.userScope ? `gui/${os.userInfo().uid}` : 'system';
  return {
    scheduler: 'launchd',
    files: [{ path: file, content: plist }],
    activate: [['launchctl', 'bootstrap', domain, file]],
    deactivate: [['launchctl', 'bootout', `${domain}/${LAUNCHD_LABEL}`]],
  };
}
