import { describe, expect, it } from 'vitest';
import { usageMessage } from './usageMessage.js';

describe('usageMessage: yargs wording becomes one gitfleet line', () => {
  it.each([
    ['Missing required arguments: to, subject', ['msg', 'send'], 'missing --to, --subject; see gitfleet msg send --help'],
    ['Missing required argument: subject', ['msg', 'send', '--to', 'all'], 'missing --subject; see gitfleet msg send --help'],
    ['Not enough non-option arguments: got 0, need at least 1', ['msg', 'read'], 'gitfleet msg read needs one more argument; see gitfleet msg read --help'],
    [
      'Too many non-option arguments: got 3, maximum of 1',
      ['job', 'show', 'a', 'b', 'c'],
      'gitfleet job show takes at most 1 argument, got 3; see gitfleet job show --help',
    ],
    [
      'Invalid values:\n  Argument: health, Given: "sick", Choices: "healthy", "offline"',
      ['status', '--health', 'sick'],
      '--health "sick" is not one of healthy, offline; see gitfleet status --help',
    ],
    ['Unknown arguments: colour, x', ['status', '--colour', '-x'], 'unknown option --colour, -x; see gitfleet status --help'],
    ['Unknown argument: extra', ['status', 'extra'], 'unexpected argument "extra"; see gitfleet status --help'],
    ['Unknown argument: frobnicate', ['frobnicate'], 'unknown command "frobnicate"; see gitfleet --help'],
    ['Unknown argument: frobnicate', ['msg', 'frobnicate', '--json'], 'unknown command "frobnicate"; see gitfleet msg --help'],
    ['Did you mean send?', ['msg', 'sned'], 'unknown command "sned"; did you mean send? see gitfleet msg --help'],
    ['Did you mean status?', ['stauts'], 'unknown command "stauts"; did you mean status? see gitfleet --help'],
  ])('%s', (message, args, line) => {
    expect(usageMessage(message, args, new Set(['msg', 'job', 'agent'])).describe()).toBe(line);
  });
});
