import type { GitfleetCommand } from '../GitfleetCommand.js';
import { initCommand } from './initCommand.js';
import { logCommand } from './logCommand.js';
import { startCommand } from './startCommand.js';
import { validateCommand } from './validateCommand.js';

/** Every top-level command, in the order `gitfleet --help` lists them. */
export const commands: GitfleetCommand<any>[] = [initCommand, validateCommand, logCommand, startCommand];
