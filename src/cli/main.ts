#!/usr/bin/env node
import { exitOnClosedPipe } from './exitOnClosedPipe.js';
import { runCli } from './runCli.js';

exitOnClosedPipe();
process.exitCode = await runCli(process.argv.slice(2));
