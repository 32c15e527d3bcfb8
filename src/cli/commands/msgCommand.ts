import { defineCommand } from '../GitfleetCommand.js';
import { msgAckCommand, msgArchiveCommand, msgListCommand, msgReadCommand, msgSearchCommand, msgThreadCommand } from './msgReadCommands.js';
import { msgReplyCommand, msgSendCommand } from './msgSendCommands.js';

export const msgCommand = defineCommand({
  command: 'msg',
  describe: 'Messages between operators and servers: send, list, read, reply, thread, search, ack, archive',
  builder: (y) => y.demandCommand(1, 'name a msg command: send, list, read, reply, thread, search, ack, archive'),
  subcommands: [msgSendCommand, msgListCommand, msgReadCommand, msgReplyCommand, msgThreadCommand, msgSearchCommand, msgAckCommand, msgArchiveCommand],
  async run() {
    // Only reached with a sub-command, which runs instead.
  },
});
