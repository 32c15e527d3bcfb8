import { UnsupportedError } from '../errors/index.js';
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
  /** Push to this ref instead of the branch, replacing it (a relay inbox; the git CLI backend only). */
  pushRef?: string;
}

export function createBackend(options: BackendOptions): GitBackend {
  const { kind, pushRef, ...rest } = options;
  if (kind === 'js') {
    if (pushRef !== undefined) throw new UnsupportedError('pushing to a relay inbox needs the git CLI backend', { hint: 'install git, or drop --relay' });
    return new JsBackend(rest);
  }
  return new CliBackend(pushRef === undefined ? rest : { ...rest, pushRef });
}
