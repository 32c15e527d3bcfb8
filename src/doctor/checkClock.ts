import type { GitBackend } from '../git/GitBackend.js';
import type { RemoteSpec } from '../git/RemoteSpec.js';
import { FUTURE_SLACK_MS } from '../util/clockBounds.js';
import { type CheckResult, failFromError, fail, ok, warn } from './DoctorCheck.js';

/** Skew that liveness notices: a status written this far off looks early or late by a fraction of a period. */
const WARN_SKEW_MS = 10_000;
const FIX = 'synchronise the clock: `timedatectl set-ntp true` (systemd), or run chrony or ntpd';

/**
 * This machine's clock against the remote's. Over HTTP(S): the Date header of the
 * server's answer to a smart-HTTP request, against the midpoint of the request (Date
 * has a resolution of one second, so the error is half the round trip plus a second).
 * Over ssh or a local path there is no server clock to ask: the newest commit's time is
 * used, a weaker signal (it shows only a clock that is behind a writer's, and only when
 * a writer committed recently).
 */
export async function checkClock(remote: RemoteSpec, backend: GitBackend, head: string | null, timeoutMs: number): Promise<CheckResult> {
  if (remote.protocol === 'http') {
    try {
      const url = `${remote.url.replace(/\/+$/, '')}/info/refs?service=git-upload-pack`;
      const sent = Date.now();
      // No credentials: a 401 carries a Date header as well, and the token need not travel.
      const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      const received = Date.now();
      await res.body?.cancel();
      const date = Date.parse(res.headers.get('date') ?? '');
      if (!Number.isFinite(date))
        return warn(
          'clock',
          `${remote.url} sent no Date header: clock skew not measured`,
          "check this machine's clock against a time server (timedatectl, chronyc tracking)",
        );
      // Date is truncated to the second: the server's clock read half a second more on average.
      const skew = (sent + received) / 2 - (date + 500);
      return judge(skew, `against ${remote.url}'s Date header (±${((received - sent) / 2000 + 1).toFixed(1)} s)`);
    } catch (error) {
      return failFromError('clock', error, 'check the network');
    }
  }
  if (head === null) return ok('clock', 'not measured: the branch has no commits');
  try {
    const [newest] = await backend.log({ from: head, limit: 1 });
    if (!newest) return ok('clock', 'not measured: no commit found');
    const ahead = newest.time - Date.now();
    if (ahead > WARN_SKEW_MS)
      return judge(
        ahead,
        `from the newest commit, dated ${Math.round(ahead / 1000)} s in this machine's future (a weak signal over ${remote.protocol}: the writer's clock may be the wrong one)`,
      );
    return ok(
      'clock',
      `no skew visible over ${remote.protocol} (the newest commit is not in the future; a weak signal: only a clock behind a recent writer shows)`,
    );
  } catch (error) {
    return failFromError('clock', error);
  }
}

function judge(skewMs: number, how: string): CheckResult {
  const seconds = Math.round(skewMs / 1000);
  const text = `this clock is ${Math.abs(seconds)} s ${seconds >= 0 ? 'ahead' : 'behind'} ${how}`;
  if (Math.abs(skewMs) > FUTURE_SLACK_MS) return fail('clock', `${text}: readers disbelieve times more than ${FUTURE_SLACK_MS / 60_000} min off`, FIX);
  if (Math.abs(skewMs) > WARN_SKEW_MS) return warn('clock', `${text}: servers look early or late to the fleet`, FIX);
  return ok('clock', text);
}
