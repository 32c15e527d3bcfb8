import os from 'node:os';
import { basicAuthHeader, type RemoteSpec } from './RemoteSpec.js';

// Variables that point git at another repository, index or object store. gitfleet may
// run inside a git hook or a CI step that sets them; they must never leak into its
// private cache operations.
const REDIRECTING = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_QUARANTINE_PATH',
  'GIT_SHALLOW_FILE',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG',
  'GIT_CONFIG_COUNT',
  'GIT_EXEC_PATH',
  'GIT_TEMPLATE_DIR',
  'GIT_GRAFT_FILE',
  'GIT_REPLACE_REF_BASE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_INTERNAL_SUPER_PREFIX',
  'GIT_TRACE',
  'GIT_TRACE_CURL',
  'GIT_TRACE_PACKET',
];
// Programs git could start on our behalf; gitfleet never needs an editor or a pager.
const PROGRAMS = ['EDITOR', 'VISUAL', 'PAGER', 'GIT_EDITOR', 'GIT_PAGER', 'GIT_SEQUENCE_EDITOR', 'GIT_EXTERNAL_DIFF', 'PREFIX'];

export interface GitEnvironment {
  env: Record<string, string>;
}

/**
 * The environment of every git process gitfleet starts: non-interactive (a cron job
 * must fail, not hang on a prompt), English messages (errors are recognised by their
 * words), no hooks, nothing redirected, and the token passed as an HTTP header through
 * GIT_CONFIG_* variables — never on the command line, where `ps` would show it.
 */
export function gitEnvironment(remote: RemoteSpec): GitEnvironment {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^GIT_CONFIG_(KEY|VALUE)_\d+$/.test(key)) continue;
    if (REDIRECTING.includes(key) || PROGRAMS.includes(key)) continue;
    env[key] = value;
  }
  Object.assign(env, { LC_ALL: 'C', LANG: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' });
  const config: [string, string][] = [
    ['core.hooksPath', os.devNull],
    ['core.quotePath', 'false'],
    ['advice.detachedHead', 'false'],
  ];
  if (remote.auth && remote.protocol === 'http') {
    config.push(['http.extraHeader', `Authorization: ${basicAuthHeader(remote.auth)}`]);
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return { env };
}
