import { describe, expect, it } from 'vitest';
import { commandName, commands } from './index.js';

// The table lists commands without loading them: what it says must be what loading gives.
describe('the command table', () => {
  it('matches every command module it loads: same command string and description', async () => {
    for (const entry of commands) {
      const loaded = await entry.load();
      expect({ command: loaded.command, describe: loaded.describe }).toEqual({ command: entry.command, describe: entry.describe });
    }
  });

  it('has one entry per command name', () => {
    const names = commands.map(commandName);
    expect(new Set(names).size).toBe(names.length);
  });
});
