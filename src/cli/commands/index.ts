import type { GitfleetCommand } from '../GitfleetCommand.js';
import { agentCommand } from './agentCommand.js';
import { compactCommand } from './compactCommand.js';
import { completionCommand } from './completionCommand.js';
import { coordinatorCommand } from './coordinatorCommand.js';
import { doctorCommand } from './doctorCommand.js';
import { drainCommand, failoverCommand, undrainCommand } from './drainCommands.js';
import { initCommand } from './initCommand.js';
import { jobCommand } from './jobCommand.js';
import { logCommand } from './logCommand.js';
import { msgCommand } from './msgCommand.js';
import { notifyCommand } from './notifyCommand.js';
import { serveCommand } from './serveCommand.js';
import { siteCommand } from './siteCommand.js';
import { snapshotCommand } from './snapshotCommand.js';
import { startCommand } from './startCommand.js';
import { statusCommand } from './statusCommand.js';
import { validateCommand } from './validateCommand.js';

/** Every top-level command, in the order `gitfleet --help` lists them. */
export const commands: GitfleetCommand<any>[] = [statusCommand, msgCommand, jobCommand, agentCommand, coordinatorCommand, drainCommand, undrainCommand, failoverCommand, initCommand, validateCommand, doctorCommand, logCommand, compactCommand, notifyCommand, snapshotCommand, siteCommand, serveCommand, startCommand, completionCommand];
