import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGES_WORKFLOW_PATH, pagesWorkflow, VALIDATE_WORKFLOW_PATH, validateWorkflow, workflowFiles } from './pagesWorkflows.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

// A release tarball as `npm pack` describes it (the integrity of an empty file, for the test).
const TARBALL = {
  url: 'https://example.com/releases/gitfleet-1.2.3.tgz',
  integrity: 'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
};
const TARBALL_HEX = Buffer.from(TARBALL.integrity.slice('sha512-'.length), 'base64').toString('hex');
const options = (variant: 'fork' | 'package') => (variant === 'fork' ? { variant } : { variant, tarball: TARBALL });

describe('the GitHub workflows', () => {
  it("this repository's own .github/workflows are exactly the fork variant", () => {
    // On failure: node scripts/run-ts.mjs scripts/write-workflows.ts
    for (const [file, text] of Object.entries(workflowFiles({ variant: 'fork' }))) {
      expect(readFileSync(path.join(ROOT, file), 'utf8'), file).toBe(text);
    }
  });

  // No YAML parser here: the key lines, at their indentation, are what GitHub acts on.
  it.each(['fork', 'package'] as const)('pages (%s): triggers, permissions, concurrency and the three Pages actions', (variant) => {
    const yaml = pagesWorkflow(options(variant));
    const lines = yaml.split('\n');
    for (const line of [
      'on:',
      '  push:',
      "    branches: ['main']",
      "      - 'fleet.json'",
      '  schedule:',
      "    - cron: '*/15 * * * *'",
      '  workflow_dispatch:',
      'permissions:',
      '  contents: read',
      '  pages: write',
      '  id-token: write',
      'concurrency: { group: pages, cancel-in-progress: false }',
      '      - uses: actions/checkout@v4',
      '          fetch-depth: 1',
      '          node-version: 20',
      '      - uses: actions/configure-pages@v5',
      '      - uses: actions/upload-pages-artifact@v3',
      '          path: _site',
      '    needs: build',
      '      name: github-pages',
      '        uses: actions/deploy-pages@v4',
    ]) {
      expect(lines, line).toContain(line);
    }
    expect(yaml).not.toMatch(/\t/);
    // Records are not a trigger: agents push every minute, the page refreshes live anyway.
    expect(yaml).not.toMatch(/'(status|messages|jobs)\/\*\*'/);
    expect(lines.filter((l) => /^\S/.test(l) && !l.startsWith('#'))).toEqual([
      'name: pages',
      'on:',
      'permissions:',
      'concurrency: { group: pages, cancel-in-progress: false }',
      'jobs:',
    ]);
    const site = lines.find((l) => l.includes(' site --repo . --out _site --github "$GITHUB_REPOSITORY" --branch '));
    expect(site).toBeDefined();
    if (variant === 'fork') {
      expect(lines).toEqual(expect.arrayContaining(["      - 'dashboard/**'", "      - 'shared/**'", '      - run: npm ci', '      - run: npm run build']));
      expect(site).toBe('        run: node dist/gitfleet.js site --repo . --out _site --github "$GITHUB_REPOSITORY" --branch "$GITHUB_REF_NAME"');
    } else {
      expect(yaml).not.toMatch(/npm ci|npm run build|dashboard\/\*\*|cache: npm|npx/);
      // The tarball is installed only when its sha512 matches; no package name is resolved.
      expect(lines).toEqual(
        expect.arrayContaining([
          `          curl -fsSL --proto '=https' -o "$RUNNER_TEMP/gitfleet.tgz" '${TARBALL.url}'`,
          `          echo '${TARBALL_HEX}  '"$RUNNER_TEMP/gitfleet.tgz" | sha512sum -c --quiet -`,
        ]),
      );
      expect(site).toBe('        run: gitfleet site --repo . --out _site --github "$GITHUB_REPOSITORY" --branch main');
    }
  });

  it.each(['fork', 'package'] as const)('validate (%s): every push and pull request, read-only', (variant) => {
    const lines = validateWorkflow(options(variant)).split('\n');
    expect(lines.slice(lines.indexOf('on:'), lines.indexOf('on:') + 3)).toEqual(['on:', '  push:', '  pull_request:']);
    expect(lines).toEqual(expect.arrayContaining(['permissions:', '  contents: read', '          git update-ref refs/heads/gitfleet-validate HEAD']));
    const gitfleet = variant === 'fork' ? 'node dist/gitfleet.js' : 'gitfleet';
    expect(lines).toContain(`          ${gitfleet} validate --repo . --branch gitfleet-validate`);
  });

  it("the package variant follows the fleet's branch and refuses values that would break the YAML or the shell, or run an unpinned package", () => {
    const yaml = pagesWorkflow({ variant: 'package', branch: 'fleet/prod', tarball: TARBALL });
    expect(yaml).toContain("    branches: ['fleet/prod']");
    expect(yaml).toContain("          ref: 'fleet/prod'");
    expect(yaml).toContain('gitfleet site --repo . --out _site --github "$GITHUB_REPOSITORY" --branch fleet/prod');
    expect(() => pagesWorkflow({ variant: 'package', branch: "main'; rm -rf ~", tarball: TARBALL })).toThrow(/not a branch/);
    expect(() => pagesWorkflow({ variant: 'package' })).toThrow(/needs the release tarball/);
    expect(() => pagesWorkflow({ variant: 'package', tarball: { ...TARBALL, url: "https://x.com/a.tgz'; curl evil" } })).toThrow(/not an https URL/);
    expect(() => pagesWorkflow({ variant: 'package', tarball: { ...TARBALL, url: 'http://x.com/a.tgz' } })).toThrow(/not an https URL/);
    expect(() => pagesWorkflow({ variant: 'package', tarball: { ...TARBALL, integrity: 'sha1-abc' } })).toThrow(/not a sha512 integrity/);
    expect(Object.keys(workflowFiles({ variant: 'package', tarball: TARBALL }))).toEqual([PAGES_WORKFLOW_PATH, VALIDATE_WORKFLOW_PATH]);
  });
});
