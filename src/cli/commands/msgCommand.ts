import { defineCommand } from '../GitfleetCommand.js';
import { msgAckCommand, msgReadCommand, msgShowCommand } from './msgMarkCommands.js';
import { msgArchiveCommand, msgListCommand, msgSearchCommand, msgThreadCommand } from './msgReadCommands.js';
import { msgReplyCommand, msgSendCommand } from './msgSendCommands.js';

export const msgCommand = defineCommand({
  command: 'msg',
  describe: 'Messages between operators and servers: send, list, show, read, reply, thread, search, ack, archive',
  builder: (y) =>
    y
      .demandCommand(1, 'name a msg command: send, list, read, show, reply, thread, search, ack, archive')
      .example('gitfleet msg list --mine', 'your inbox as the operator, unread first')
      .example('gitfleet msg send --to web-01 --subject "Reboot at 22:00" --body "Drain first."', 'send a message to a server'),
  subcommands: [
    msgSendCommand,
    msgListCommand,
    msgReadCommand,
    msgShowCommand,
    msgReplyCommand,
    msgThreadCommand,
    msgSearchCommand,
    msgAckCommand,
    msgArchiveCommand,
  ],
  async run() {
    // Only reached with a sub-command, which runs instead.
  },
});
