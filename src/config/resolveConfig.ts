import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { defaultCacheRoot } from '../git/defaultCacheRoot.js';
import type { LocalConfig } from '../schema/types.js';
import { validateRecord } from '../schema/validateRecord.js';
import { parseJsonSafely } from '../util/parseJsonSafely.js';
import { readLocalFileSync } from '../util/readLocalFile.js';
import { registerSecret } from '../util/redact.js';
import { resolveAgentConfig, type ResolvedAgentConfig } from './resolveAgentConfig.js';

/** Everything a command needs to know, resolved once (defaults ← file ← environment ← flags). */
export interface ResolvedConfig {
  repo: string | undefined;
  branch: string;
  server: string | undefined;
  operator: string;
  backend: 'cli' | 'js';
  cacheDir: string;
  dataDir: string;
  username: string;
  /** Kept in memory only; registered for redaction the moment it is read. */
  token: string | undefined;
  /** The site relay agents send heartbeats to (`gitfleet relay`), if any. */
  relay: string | undefined;
  /** The site relay's token (GITFLEET_RELAY_TOKEN or relayTokenFile), kept in memory and redacted. */
  relayToken: string | undefined;
  deadlineMs: number;
  networkTimeoutMs: number;
  labels: string[];
  capabilities: string[];
  log: { level: 'debug' | 'info' | 'warn' | 'error'; format: 'text' | 'json' };
  /** This machine's agent and the jobs it runs (labels and capabilities again among them). */
  agent: ResolvedAgentConfig;
  json: boolean;
  /** The config file that was read, if any. */
  configFile: string | undefined;
  /** The whole validated file, for the parts later commands read (notify, tokenFile). */
  file: LocalConfig;
}

/** Flags as the CLI parsed them (undefined = not given). */
export interface ConfigFlags {
  config?: string;
  repo?: string;
  branch?: string;
  server?: string;
  backend?: string;
  cacheDir?: string;
  dataDir?: string;
  json?: boolean;
  logLevel?: string;
}

const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_TOKEN_BYTES = 64 * 1024;
export const CONFIG_FILE_NAME = 'gitfleet.config.json';

export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ResolvedConfig {
  const explicit = flags.config ?? env.GITFLEET_CONFIG;
  const configFile = explicit ? path.resolve(cwd, explicit) : existsSync(path.join(cwd, CONFIG_FILE_NAME)) ? path.join(cwd, CONFIG_FILE_NAME) : undefined;
  const file = configFile ? readConfigFile(configFile) : {};
  const fileDir = configFile ? path.dirname(configFile) : cwd;

  // Environment over file, flags over environment.
  const layered: LocalConfig = { ...file };
  const fromEnv: [keyof LocalConfig, string | undefined][] = [
    ['repo', env.GITFLEET_REPO],
    ['branch', env.GITFLEET_BRANCH],
    ['server', env.GITFLEET_SERVER],
    ['operator', env.GITFLEET_OPERATOR],
    ['backend', env.GITFLEET_BACKEND],
    ['cacheDir', env.GITFLEET_CACHE_DIR],
    ['dataDir', env.GITFLEET_DATA_DIR],
    ['username', env.GITFLEET_USERNAME],
    ['tokenFile', env.GITFLEET_TOKEN_FILE],
    ['relay', env.GITFLEET_RELAY],
  ];
  for (const [key, value] of fromEnv) if (value !== undefined && value !== '') (layered as Record<string, unknown>)[key] = value;
  if (env.GITFLEET_DEADLINE_SECONDS) layered.deadlineSeconds = numberFromEnv('GITFLEET_DEADLINE_SECONDS', env.GITFLEET_DEADLINE_SECONDS);
  if (env.GITFLEET_LOG_LEVEL) layered.log = { ...layered.log, level: env.GITFLEET_LOG_LEVEL as 'info' };
  const fromFlags: [keyof LocalConfig, string | undefined][] = [
    ['repo', flags.repo],
    ['branch', flags.branch],
    ['server', flags.server],
    ['backend', flags.backend],
    ['cacheDir', flags.cacheDir],
    ['dataDir', flags.dataDir],
  ];
  for (const [key, value] of fromFlags) if (value !== undefined) (layered as Record<string, unknown>)[key] = value;
  if (flags.logLevel) layered.log = { ...layered.log, level: flags.logLevel as 'info' };

  // The layers together must still be a valid configuration: a bad --server fails here, once.
  const errors = validateRecord('config', layered);
  if (errors.length > 0) {
    throw new ConfigError(`invalid configuration: ${errors.join('; ')}`, {
      hint: 'check the flags, GITFLEET_* variables and the config file',
    });
  }

  const token = readToken(env, layered.tokenFile ? path.resolve(fileDir, layered.tokenFile) : undefined);
  registerSecret(token);
  const relayToken =
    env.GITFLEET_RELAY_TOKEN?.trim() || readTokenFile(layered.relayTokenFile ? path.resolve(fileDir, layered.relayTokenFile) : undefined, 'relayTokenFile');
  registerSecret(relayToken);
  const isPathLike = (repo: string | undefined) => repo !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) && !/^[\w.-]+@[\w.-]+:/.test(repo);
  const repo = isPathLike(layered.repo) && configFile && !flags.repo && !env.GITFLEET_REPO ? path.resolve(fileDir, layered.repo!) : layered.repo;
  const dataDir = path.resolve(fileDir, layered.dataDir ?? defaultDataDir(env));
  const agent = resolveAgentConfig(layered, dataDir, cwd);

  return {
    repo,
    branch: layered.branch ?? 'main',
    server: layered.server,
    operator: layered.operator ?? defaultOperator(env),
    backend: layered.backend ?? 'cli',
    cacheDir: path.resolve(fileDir, layered.cacheDir ?? defaultCacheRoot(env)),
    dataDir,
    username: layered.username ?? 'x-access-token',
    token,
    relay: layered.relay,
    relayToken,
    deadlineMs: (layered.deadlineSeconds ?? 120) * 1000,
    networkTimeoutMs: (layered.networkTimeoutSeconds ?? 60) * 1000,
    labels: agent.labels,
    capabilities: agent.capabilities,
    log: { level: layered.log?.level ?? 'info', format: layered.log?.format ?? 'text' },
    agent,
    json: flags.json ?? false,
    configFile,
    file: layered,
  };
}

function readConfigFile(file: string): LocalConfig {
  const text = readLocalFileSync(file, { what: 'config file', maxBytes: MAX_CONFIG_BYTES, hint: 'check the path given with --config or GITFLEET_CONFIG' });
  const parsed = parseJsonSafely(text.replace(/^\uFEFF/, ''));
  if (parsed.error !== undefined) {
    throw new ConfigError(`config file ${file} is not valid JSON (${parsed.error})`, { hint: 'fix the file or remove it' });
  }
  const errors = validateRecord('config', parsed.value);
  if (errors.length > 0) {
    throw new ConfigError(`config file ${file}: ${errors.join('; ')}`, { hint: 'see shared/config.schema.json for the allowed settings' });
  }
  return parsed.value as LocalConfig;
}

function readToken(env: NodeJS.ProcessEnv, tokenFile: string | undefined): string | undefined {
  if (env.GITFLEET_TOKEN) return env.GITFLEET_TOKEN.trim();
  return readTokenFile(tokenFile, 'GITFLEET_TOKEN_FILE or "tokenFile" in the config');
}

export function readTokenFile(tokenFile: string | undefined, where: string): string | undefined {
  if (!tokenFile) return undefined;
  const token = readLocalFileSync(tokenFile, { what: 'token file', maxBytes: MAX_TOKEN_BYTES, hint: `check ${where}` }).trim();
  if (!token) throw new ConfigError(`token file ${tokenFile} is empty`, { hint: `put the token in it, or change ${where}` });
  return token;
}

function numberFromEnv(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ConfigError(`${name}=${JSON.stringify(value)} is not a number`);
  return n;
}

function defaultOperator(env: NodeJS.ProcessEnv): string {
  const raw = (env.USER ?? env.USERNAME ?? safeUserName() ?? 'operator').toLowerCase();
  const label = raw
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'operator';
}

function safeUserName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'gitfleet', 'data');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'gitfleet');
  return path.join(env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'gitfleet');
}
