/**
 * What dist/cli.cjs, the CLI's CommonJS bundle, exports to the installed launcher
 * (src/cli/launcher.ts). Every command stays behind an import() in runCli, which the bundle
 * turns into a lazy initialiser: loading the bundle runs no command's code.
 */
export { runProgram } from './runProgram.js';
