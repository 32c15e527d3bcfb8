#!/usr/bin/env node
// The layer rules of docs/architecture.md, checked on the import statements of src/ and
// dashboard/src/. Biome's noRestrictedImports matches the import text, not the file it names,
// so it cannot tell `../store/x.js` from `../../store/x.js` or say "upward"; this script
// resolves each import to a file and compares layers. It prints one line per violation,
// `file: imports target (layer A may not import layer B)`, and exits 1 if there is any.
// Usage: node scripts/check-layers.mjs [root]   (root defaults to the repository)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Ground floor first: a file may import its own layer and the layers below it, never above. */
export const LAYERS = [
  { name: 'ground', folders: ['src/util', 'src/errors', 'src/schema', 'src/version.ts'] },
  { name: 'git', folders: ['src/git'] },
  { name: 'store', folders: ['src/store'] },
  { name: 'domain', folders: ['src/settings', 'src/status', 'src/messages', 'src/jobs'] },
  { name: 'roles', folders: ['src/agent', 'src/coordinator', 'src/notify', 'src/site', 'src/fleet', 'src/metrics', 'src/import', 'src/relay'] },
  { name: 'config', folders: ['src/config'] },
  // Tools that open the fleet themselves, from a resolved configuration: the checks of
  // `gitfleet doctor` and the server installs (unit files, cron lines, the agent's config).
  { name: 'tools', folders: ['src/doctor', 'src/install'] },
  { name: 'entry', folders: ['src/local', 'src/cli', 'src/index.ts'] },
];

/** The store is the only door to git: above the store, only these may import src/git. */
export const GIT_DOORS = ['src/store', 'src/config', 'src/doctor', 'src/install', 'src/local', 'src/cli', 'src/index.ts'];

/** npm packages that speak git: only src/git may load them. */
export const GIT_PACKAGES = ['simple-git', 'isomorphic-git'];

/**
 * The dashboard bundle runs in a browser: besides its own files and npm packages built for
 * the browser, it may import only these files and folders of src/ (each checked in turn: no
 * `node:` import, and only files of this list). Type-only imports are erased by the build and
 * do not count.
 */
export const BROWSER_SAFE = [
  'src/errors',
  'src/jobs/jobStats.ts',
  'src/jobs/shownState.ts',
  'src/messages/addressing.ts',
  'src/schema/priorityRank.ts',
  'src/schema/recordKinds.ts',
  'src/settings/fleetSettings.ts',
  'src/settings/maintenanceWindows.ts',
  'src/site/dashboardConfig.ts',
  'src/status/evaluateHealth.ts',
  'src/status/heartbeatSchedule.ts',
  'src/status/uptimeHistory.ts',
  'src/status/uptimeView.ts',
  'src/store/parseRecordText.ts',
  'src/store/recordPaths.ts',
  'src/util/clockBounds.ts',
  'src/util/duration.ts',
  'src/util/fnv1a.ts',
  'src/util/parseJsonSafely.ts',
  'src/util/redact.ts',
];

/** npm packages (and build-time virtual modules) the dashboard bundle may load. */
export const BROWSER_PACKAGES = ['lit', 'gitfleet:validators'];

/**
 * Violations on main (c2b987a) when these rules came in. Listed lines are printed as known and
 * do not fail the check; a new violation does, and so does a listed one that is gone (so the
 * list only shrinks). The lead empties it as the branches of issue 11 land.
 */
export const KNOWN_VIOLATIONS = [];

const SOURCE = /\.(ts|mts|mjs|js)$/;
const IMPORT = /(?:^|[^\w.$])(?:import|export)\s+(type\s+)?(?:[\w$*{},\s]*?\s*from\s*)?['"]([^'"\n]+)['"]|(?:^|[^\w.$])import\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** Each import of a file: the text as written, and whether only types come in (erased at build). */
export function importsOf(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [];
  for (const m of code.matchAll(IMPORT)) found.push({ specifier: m[2] ?? m[3], typeOnly: Boolean(m[1]) });
  return found;
}

function walk(root, dir, out = []) {
  if (!existsSync(path.join(root, dir))) return out;
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, rel, out);
    else if (SOURCE.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** A relative import names a .js file; the source beside it is .ts. */
function resolve(root, from, specifier) {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [joined, joined.replace(/\.js$/, '.ts'), `${joined}.ts`, `${joined}/index.ts`]) {
    if (existsSync(path.join(root, candidate)) && SOURCE.test(candidate)) return candidate;
  }
  return joined;
}

const inFolder = (file, folder) => file === folder || file.startsWith(`${folder}/`);
export const layerOf = (file) => LAYERS.findIndex((l) => l.folders.some((f) => inFolder(file, f)));
const layerName = (file) => LAYERS[layerOf(file)]?.name ?? (file.startsWith('dashboard/') ? 'dashboard' : 'outside');

function checkSource(root, file, text, problems) {
  const from = layerOf(file);
  if (from < 0) {
    problems.push(`${file}: is in no layer (add its folder to LAYERS in scripts/check-layers.mjs and docs/architecture.md)`);
    return;
  }
  for (const { specifier } of importsOf(text)) {
    if (!specifier.startsWith('.')) {
      const pkg = specifier.split('/')[0];
      if (GIT_PACKAGES.includes(pkg) && !inFolder(file, 'src/git'))
        problems.push(`${file}: imports ${specifier} (layer ${LAYERS[from].name} may not import layer git)`);
      continue;
    }
    const target = resolve(root, file, specifier);
    const to = layerOf(target);
    if (target.endsWith('.json')) continue; // data (the schemas, package.json), not code
    if (to < 0) {
      problems.push(`${file}: imports ${target} (layer ${LAYERS[from].name} may not import layer ${layerName(target)})`);
    } else if (to > from) {
      problems.push(`${file}: imports ${target} (layer ${LAYERS[from].name} may not import layer ${LAYERS[to].name})`);
    } else if (LAYERS[to].name === 'git' && from > to && !GIT_DOORS.some((f) => inFolder(file, f))) {
      problems.push(`${file}: imports ${target} (layer ${LAYERS[from].name} may not import layer git)`);
    }
  }
}

/** Dashboard files and the browser-safe files they reach: no node: modules, nothing off the list. */
function checkBrowser(root, start, problems) {
  const seen = new Set();
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const who = file.startsWith('dashboard/') ? 'dashboard' : 'browser-safe';
    for (const { specifier, typeOnly } of importsOf(readFileSync(path.join(root, file), 'utf8'))) {
      if (typeOnly) continue;
      if (specifier.startsWith('node:') || (!specifier.startsWith('.') && NODE_BUILTINS.has(specifier.split('/')[0]))) {
        problems.push(`${file}: imports ${specifier} (layer ${who} may not import layer node)`);
        continue;
      }
      if (!specifier.startsWith('.')) {
        if (!BROWSER_PACKAGES.includes(specifier.split('/')[0]))
          problems.push(`${file}: imports ${specifier} (layer ${who} may not import package ${specifier.split('/')[0]})`);
        continue;
      }
      const target = resolve(root, file, specifier);
      if (target.startsWith('dashboard/src/') || BROWSER_SAFE.some((f) => inFolder(target, f))) queue.push(target);
      else problems.push(`${file}: imports ${target} (layer ${who} may not import layer ${layerName(target)})`);
    }
  }
}

const NODE_BUILTINS = new Set([
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
  'url',
  'util',
  'zlib',
  'events',
  'worker_threads',
  'process',
  'buffer',
]);

/** Every violation under root, in a stable order. */
export function checkLayers(root) {
  const problems = [];
  for (const file of walk(root, 'src')) checkSource(root, file, readFileSync(path.join(root, file), 'utf8'), problems);
  checkBrowser(root, walk(root, 'dashboard/src'), problems);
  return [...new Set(problems)].sort();
}

/** The check as `npm run lint` runs it: new violations fail, and so do listed ones that are gone. */
export function runCheck(root, known = KNOWN_VIOLATIONS) {
  const problems = checkLayers(root);
  const fresh = problems.filter((p) => !known.includes(p));
  const gone = known.filter((p) => !problems.includes(p));
  const lines = [...fresh, ...gone.map((p) => `fixed, remove from KNOWN_VIOLATIONS in scripts/check-layers.mjs: ${p}`)];
  const failed = lines.length > 0;
  if (failed) lines.push(`${fresh.length} layer violation(s), ${gone.length} stale allow-list entries; the layers are in docs/architecture.md`);
  else lines.push(known.length > 0 ? `layers: ok (${known.length} known violations listed in scripts/check-layers.mjs)` : 'layers: ok');
  return { lines, failed };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const { lines, failed } = runCheck(path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..')));
  for (const line of lines) process.stdout.write(`${line}\n`);
  if (failed) process.exitCode = 1;
}
