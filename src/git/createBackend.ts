import { CliBackend } from './CliBackend.js';
import type { GitBackend } from './GitBackend.js';
import { JsBackend } from './JsBackend.js';
import type { RemoteSpec } from './RemoteSpec.js';

export type BackendKind = 'cli' | 'js';

export interface BackendOptions {
  kind: BackendKind;
  remote: RemoteSpec;
  branch: string;
  cacheDir: string;
  networkTimeoutMs?: number;
  shallow?: boolean;
}

export function createBackend(options: BackendOptions): GitBackend {
  const { kind, ...rest } = options;
  return kind === 'js' ? new JsBackend(rest) : new CliBackend(rest);
}
