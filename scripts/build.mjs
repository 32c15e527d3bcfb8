#!/usr/bin/env node
// Bundles the CLI, the library and the dashboard (scripts/build-dashboard.mjs) with esbuild. Dependencies stay external (installed
// by npm); the JSON Schemas from shared/ are bundled in, so dist/ runs from anywhere.
//   --single [--out FILE]   instead write dist/single/gitfleet.mjs (or FILE): the CLI with every dependency bundled in,
//                           one file for servers that should not run npm
import { build, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildDashboard } from './build-dashboard.mjs';
import { standaloneValidators } from './standaloneValidators.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const started = Date.now();
// What npm installs beside dist/: everything else the CLI uses (yargs) is bundled in.
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const single = process.argv.includes('--single');
const singleOut = path.resolve(root, process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'dist/single/gitfleet.mjs');

/**
 * src/schema/schemaValidator.ts compiles schemas with ajv at run time; in dist/ it becomes
 * these validators, compiled here (ajv standalone code, same options as AJV_OPTIONS there):
 * importing ajv and compiling the schemas a run needs cost ~0.24 s of CPU per process.
 */
function validatorModule(only) {
  const { code, kinds } = standaloneValidators(root, {
    exportsFor: (all) => Object.fromEntries(all.filter((k) => k !== 'defs' && (!only || only.includes(k))).map((k) => [`v_${k}`, `${k}.schema.json`])),
  });
  const records = kinds.filter((k) => k !== 'defs' && (!only || only.includes(k)));
  return `${code}
const validators = { ${records.map((k) => `${JSON.stringify(k)}: v_${k}`).join(', ')} };
export const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true };
export function schemaValidator(kind) {
  const validate = validators[kind];
  if (!validate) throw new Error(\`no validator for \${kind}\`);
  return validate;
}
`;
}
// Minified: generated code nobody reads, and a third of what `gitfleet status` parses (docs/benchmarks.md).
const minified = async (code) => (await transform(code, { minify: true, format: 'esm', target: 'node20', legalComments: 'none' })).code;
// The standalone code require()s ajv's runtime helpers and ajv-formats' formats: a few small
// CommonJS files, bundled into the validators' chunk rather than left external, so that a run
// never starts Node's CommonJS loader for them (~15 ms of every `status`; docs/decisions.md).
const requireFromRoot = createRequire(path.join(root, 'package.json'));
/** The validators of every record kind, or of `only` these (another kind then throws "no validator"). */
const precompiledValidators = async (only) => {
  const validatorSource = await minified(validatorModule(only));
  return {
    name: 'gitfleet-precompiled-validators',
    setup(b) {
      b.onResolve({ filter: /^(ajv\/dist\/runtime\/[a-z0-9]+|ajv-formats\/dist\/formats)$/ }, (args) => ({ path: requireFromRoot.resolve(args.path) }));
      b.onLoad({ filter: /[\\/]src[\\/]schema[\\/]schemaValidator\.ts$/ }, () => ({
        contents: validatorSource,
        loader: 'js',
        resolveDir: path.join(root, 'src/schema'),
      }));
    },
  };
};
const allValidators = await precompiledValidators();
// The validators (and CommonJS dependencies once bundled) call require(): an ES module has none, so each file makes one.
const requireBanner = "import { createRequire as __gitfleetCreateRequire } from 'node:module'; const require = __gitfleetCreateRequire(import.meta.url);";

if (single) {
  // Only the single file: it never touches dist/ (tests build it while others run dist/gitfleet.js).
  await build({
    absWorkingDir: root,
    entryPoints: { gitfleet: 'src/cli/main.ts' },
    outfile: singleOut,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    legalComments: 'none',
    alias: { 'string-width': './src/cli/stringWidth.ts' },
    banner: { js: `// gitfleet, one file with its dependencies — built by scripts/build.mjs --single; edit src/, not this file.\n${requireBanner}` },
    plugins: [allValidators],
    logLevel: quiet ? 'warning' : 'info',
  });
  chmodSync(singleOut, 0o755);
  if (!quiet) console.log(`built ${path.relative(root, singleOut)} in ${Date.now() - started} ms`);
} else {
  // Chunk names carry a content hash: without this, every build would leave the last one's chunks (and npm pack would ship them).
  rmSync(path.join(root, 'dist/chunks'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { gitfleet: 'src/cli/main.ts', index: 'src/index.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // The dependencies stay external, but yargs (a devDependency for that reason) is bundled
    // in: its dozen small modules load as one chunk, and its string-width (grapheme tables,
    // ~40 ms of every start) is replaced by src/cli/stringWidth.ts. See docs/benchmarks.md.
    external: Object.keys(pkg.dependencies),
    alias: { 'string-width': './src/cli/stringWidth.ts' },
    sourcemap: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: `// gitfleet - built by scripts/build.mjs; edit src/, not this file.\n${requireBanner}` },
    plugins: [allValidators],
    logLevel: quiet ? 'warning' : 'info',
  });
  chmodSync(path.join(root, 'dist/gitfleet.js'), 0o755);
  // What the installed launcher loads (src/cli/launcher.ts): the CLI as one CommonJS file,
  // which it compiles through vm.Script with V8's code cache (Node 20 keeps none for ES
  // modules), and, for `status`, the few modules that start its fetch first. CommonJS has
  // no chunks: each is whole, and every command in cli.cjs stays behind a lazy initialiser.
  // statusFetch.cjs resolves a config and nothing else: only the config's validator (28 KB
  // instead of 390), as it is read before the fetch can start.
  for (const [entry, out, validators] of [
    ['src/cli/cliBundle.ts', 'dist/cli.cjs', allValidators],
    ['src/cli/startStatusFetch.ts', 'dist/statusFetch.cjs', await precompiledValidators(['config'])],
  ]) {
    await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: Object.keys(pkg.dependencies),
      alias: { 'string-width': './src/cli/stringWidth.ts' },
      // Beside gitfleet.js, so what it finds next to itself (dashboard/, help/) is the same.
      define: { 'import.meta.url': '__gitfleetUrl' },
      // import() of an npm dependency becomes require(): Node 20 loses vm.Script's import()
      // callback for code taken from a code cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
      supported: { 'dynamic-import': false },
      // "use strict" first: a statement before esbuild's own directive would void it, and the
      // ES module build the tests also run is strict.
      banner: {
        js: `"use strict";\n// gitfleet - built by scripts/build.mjs; edit src/, not this file.\nconst __gitfleetUrl = require('node:url').pathToFileURL(__filename).href;`,
      },
      plugins: [validators],
      logLevel: quiet ? 'warning' : 'info',
    });
    // The launcher compiles these with no import() callback (src/cli/codeCache/loadBundle.ts).
    const text = readFileSync(path.join(root, out), 'utf8');
    const dynamicImport = /(?<![\w$.])import\s*\(/.exec(text);
    if (dynamicImport) throw new Error(`${out} still calls import() (at offset ${dynamicImport.index}): the launcher's vm.Script cannot run it`);
    assertAscii(out, text);
  }
  // The installed `gitfleet` (package.json "bin"): CommonJS, because Node starts a CommonJS
  // entry ~7 ms faster than an ES module; it answers --version and --help and loads
  // cli.cjs for everything else (src/cli/launcher.ts).
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/launcher.ts'],
    outfile: 'dist/gitfleet.cjs',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    define: { 'import.meta.url': '__gitfleetUrl' },
    banner: {
      js: `#!/usr/bin/env node\n"use strict";\n// gitfleet - built by scripts/build.mjs; edit src/, not this file.\nconst __gitfleetUrl = require('node:url').pathToFileURL(__filename).href;`,
    },
    logLevel: quiet ? 'warning' : 'info',
  });
  assertAscii('dist/gitfleet.cjs', readFileSync(path.join(root, 'dist/gitfleet.cjs'), 'utf8'));
  chmodSync(path.join(root, 'dist/gitfleet.cjs'), 0o755);
  // `gitfleet --help` rendered once here by yargs itself, at each width main.ts serves from a
  // file (src/cli/prebuiltHelp.ts): the same text without loading yargs at run time.
  mkdirSync(path.join(root, 'dist/help'), { recursive: true });
  for (const width of [100, 110]) {
    const help = execFileSync(process.execPath, [path.join(root, 'dist/gitfleet.js'), '--help'], {
      env: { ...process.env, GITFLEET_HELP_COLUMNS: String(width) },
      encoding: 'utf8',
    });
    writeFileSync(path.join(root, `dist/help/${width}.txt`), help);
  }
  await buildDashboard({ root, quiet });
  if (!quiet) console.log(`built dist/ in ${Date.now() - started} ms`);
}

/**
 * The launcher and the CLI's CommonJS bundles are ASCII only: node reads an ASCII file as
 * one-byte text, several times faster than a file with a single other character in it (2 ms
 * of `status` for cli.cjs), and the launcher reads the bundles as latin1. esbuild escapes
 * strings; comments and regular expressions it keeps as written.
 */
function assertAscii(out, text) {
  const other = /[^\x00-\x7f]/.exec(text);
  if (!other) return;
  const line = text.slice(0, other.index).split('\n').length;
  const escaped = `\\u${other[0].charCodeAt(0).toString(16).padStart(4, '0')}`;
  throw new Error(`${out}:${line} has a character that is not ASCII (${other[0]}): write it in ASCII or as ${escaped} in src/`);
}
