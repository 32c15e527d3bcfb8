import path from 'node:path';
import { AGENT_NAME, agentArgs, type InstallPlan, type InstallSpec } from './InstallSpec.js';
import { xmlText } from './xmlText.js';

/**
 * A Windows Task Scheduler definition (registered with `schtasks /Create /XML`, or by
 * scripts/install-agent.ps1 with Register-ScheduledTask). A new run is skipped while
 * the previous one is still going.
 */
export function taskSchedulerXml(spec: InstallSpec): InstallPlan {
  const [cli, ...rest] = agentArgs(spec, true);
  const args = [cli!, ...rest].map(windowsQuote).join(' ');
  const repeat =
    spec.mode === 'once' ? `<Repetition><Interval>PT${spec.everySeconds}S</Interval><StopAtDurationEnd>false</StopAtDurationEnd></Repetition>` : '';
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo><Description>gitfleet agent: reports this server to the fleet repository</Description></RegistrationInfo>',
    '  <Triggers>',
    `    <TimeTrigger>${repeat}<StartBoundary>2020-01-01T00:00:00</StartBoundary><Enabled>true</Enabled></TimeTrigger>`,
    '    <BootTrigger><Enabled>true</Enabled></BootTrigger>',
    '  </Triggers>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    `    <ExecutionTimeLimit>${spec.mode === 'once' ? `PT${spec.everySeconds + 60}S` : 'PT0S'}</ExecutionTimeLimit>`,
    ...(spec.mode === 'daemon' ? ['    <RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure>'] : []),
    '    <Hidden>true</Hidden>',
    '  </Settings>',
    '  <Actions Context="Author">',
    `    <Exec><Command>${xmlText(spec.nodePath)}</Command><Arguments>${xmlText(args)}</Arguments></Exec>`,
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
  const file = path.join(spec.targetDir, `${AGENT_NAME}.xml`);
  return {
    scheduler: 'taskscheduler',
    files: [{ path: file, content: xml }],
    activate: [['schtasks', '/Create', '/TN', AGENT_NAME, '/XML', file, '/F']],
    deactivate: [['schtasks', '/Delete', '/TN', AGENT_NAME, '/F']],
  };
}

/** Quoting for a Windows command line (CommandLineToArgvW rules). */
function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}
