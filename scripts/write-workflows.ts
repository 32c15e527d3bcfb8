// Writes this repository's .github/workflows/ from src/site/pagesWorkflows.ts (variant "fork").
//   node scripts/run-ts.mjs scripts/write-workflows.ts
// src/site/pagesWorkflows.test.ts fails while the committed files differ from the generated ones.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workflowFiles } from '../src/site/pagesWorkflows.js';

for (const [file, text] of Object.entries(workflowFiles({ variant: 'fork' }))) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
