import { defineCommand } from '../GitfleetCommand.js';
import { jobCancelCommand, jobListCommand, jobRetryCommand, jobShowCommand, jobStatsCommand } from './jobCommands.js';
import { jobKindsCommand } from './jobKindsCommand.js';
import { jobSubmitCommand } from './jobSubmitCommand.js';

export const jobCommand = defineCommand({
  command: 'job',
  describe: 'Jobs: submit, list, show, cancel, retry, stats, kinds',
  builder: (y) =>
    y
      .demandCommand(1, 'name a job command: submit, list, show, cancel, retry, stats, kinds')
      .example('$0 job list --state queued', 'the jobs waiting for a server'),
  subcommands: [jobSubmitCommand, jobListCommand, jobShowCommand, jobCancelCommand, jobRetryCommand, jobStatsCommand, jobKindsCommand],
  async run() {
    // Only reached with a sub-command, which runs instead.
  },
});
