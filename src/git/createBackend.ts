import { CliBackend, type CliBackendOptions } from './CliBackend.js';
import type { GitBackend } from './GitBackend.js';
import { JsBackend, type JsBackendOptions } from './JsBackend.js';
import type { RemoteSpec } from './RemoteSpec.js';

export type BackendKind = 'cli' | 'js';

/** Cache housekeeping thresholds; each backend reads its own and ignores the other's. */
export type BackendTuning = Pick<CliBackendOptions, 'packEvery' | 'packLooseObjects'> & Pick<JsBackendOptions, 'maxPacks'>;

export interface BackendOptions extends BackendTuning {
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
