import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importsOf, KNOWN_VIOLATIONS, runCheck } from '../../scripts/check-layers.mjs';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/check-layers.mjs');

afterAll(cleanupTempDirs);

/** A copy of the real src/ and dashboard/src/ with extra files planted in it. */
function treeWith(planted: Record<string, string>): string {
  const root = tempDir('gitfleet-layers-');
  for (const dir of ['src', 'dashboard/src']) cpSync(path.join(ROOT, dir), path.join(root, dir), { recursive: true });
  for (const [file, text] of Object.entries(planted)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function check(root: string): { code: number | null; lines: string[] } {
  const run = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { code: run.status, lines: run.stdout.trim().split('\n') };
}

describe('layer rules (scripts/check-layers.mjs)', () => {
  it('passes on the real tree, with no violation left on the allow-list', () => {
    const out = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(out.trim()).toBe('layers: ok');
    expect(KNOWN_VIOLATIONS).toEqual([]);
  });

  it('fails on an import that runs up a layer, naming the file, the import and both layers', () => {
    const root = treeWith({ 'src/util/planted.ts': "import { Store } from '../store/Store.js';\nexport const x = Store;\n" });
    const { code, lines } = check(root);
    expect(code).toBe(1);
    expect(lines).toContain('src/util/planted.ts: imports src/store/Store.ts (layer ground may not import layer store)');
  });

  it('lets only the store and the doors above it reach git', () => {
    const root = treeWith({
      'src/jobs/planted.ts': "import { runGit } from '../git/runGit.js';\nexport const x = runGit;\n",
      'src/store/plantedOk.ts': "import { runGit } from '../git/runGit.js';\nexport const y = runGit;\n",
      'src/messages/plantedPackage.ts': "import { simpleGit } from 'simple-git';\nexport const z = simpleGit;\n",
    });
    const { code, lines } = check(root);
    expect(code).toBe(1);
    expect(lines).toContain('src/jobs/planted.ts: imports src/git/runGit.ts (layer domain may not import layer git)');
    expect(lines).toContain('src/messages/plantedPackage.ts: imports simple-git (layer domain may not import layer git)');
    expect(lines.filter((l) => l.startsWith('src/store/plantedOk.ts'))).toEqual([]);
  });

  it('keeps node modules and non-browser-safe files out of the dashboard bundle, type-only imports aside', () => {
    const root = treeWith({
      'dashboard/src/planted.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { Store } from '../../src/store/Store.js';",
        "import type { Fleet } from '../../src/config/openFleet.js';",
        'export const x = [readFileSync, Store];',
        'export type F = Fleet;',
        '',
      ].join('\n'),
    });
    const { code, lines } = check(root);
    expect(code).toBe(1);
    expect(lines).toContain('dashboard/src/planted.ts: imports node:fs (layer dashboard may not import layer node)');
    expect(lines).toContain('dashboard/src/planted.ts: imports src/store/Store.ts (layer dashboard may not import layer store)');
    expect(lines.some((l) => l.includes('openFleet'))).toBe(false);
  });

  it('names a file in no layer, and a package the browser bundle may not load', () => {
    const root = treeWith({
      'src/newFolder/thing.ts': 'export const x = 1;\n',
      'dashboard/src/plantedPackage.ts': "import Ajv from 'ajv';\nexport const x = Ajv;\n",
    });
    const { code, lines } = check(root);
    expect(code).toBe(1);
    expect(lines).toContain('src/newFolder/thing.ts: is in no layer (add its folder to LAYERS in scripts/check-layers.mjs and docs/architecture.md)');
    expect(lines).toContain('dashboard/src/plantedPackage.ts: imports ajv (layer dashboard may not import package ajv)');
  });

  it('fails when a listed violation is gone, so the allow-list only shrinks', () => {
    const stale = 'src/jobs/gone.ts: imports src/git/runGit.ts (layer domain may not import layer git)';
    const { failed, lines } = runCheck(ROOT, [...KNOWN_VIOLATIONS, stale]);
    expect(failed).toBe(true);
    expect(lines).toContain(`fixed, remove from KNOWN_VIOLATIONS in scripts/check-layers.mjs: ${stale}`);
  });

  it('reads every form of import, and none from comments', () => {
    const text = [
      "import a from './a.js';",
      'import {',
      '  b,',
      '  c,',
      "} from '../b.js';",
      "import type { D } from './d.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "import './g.js';",
      "const h = await import('./h.js');",
      "// import x from './commented.js';",
      "/* import y from './blocked.js'; */",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: './a.js', typeOnly: false },
      { specifier: '../b.js', typeOnly: false },
      { specifier: './d.js', typeOnly: true },
      { specifier: './e.js', typeOnly: false },
      { specifier: './f.js', typeOnly: false },
      { specifier: './g.js', typeOnly: false },
      { specifier: './h.js', typeOnly: false },
    ]);
  });
});
