// Rewrites the exit-code table in README.md from src/errors/exitCodes.ts.
//   npm run gen:exit-codes
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exitCodeMarkdown } from '../src/errors/exitCodes.js';
import { replaceReadmeSection } from './readmeSection.js';

const readme = path.resolve('README.md');
writeFileSync(readme, replaceReadmeSection(readFileSync(readme, 'utf8'), 'exit-codes', exitCodeMarkdown()));
