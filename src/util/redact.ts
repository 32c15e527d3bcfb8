/**
 * Process-wide secret scrubbing. Secrets (tokens, the auth header built from them)
 * are registered once when configuration is resolved; every error message, log line
 * and file gitfleet writes passes through redact(). A registry (not a parameter) because
 * errors are built deep inside the git layer, far from the configuration.
 */
const secrets = new Set<string>();
const MASK = '***';

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 4) return;
  secrets.add(value);
  const encoded = encodeURIComponent(value);
  if (encoded !== value) secrets.add(encoded);
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
}

const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]+)@/gi;
const AUTH_HEADER = /(authorization\s*[:=]\s*)(basic|bearer|token)\s+[^\s'"]+/gi;

export function redact(text: string): string {
  let out = text;
  if (secrets.size > 0) {
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
  }
  return out.replace(URL_USERINFO, `$1$2:${MASK}@`).replace(AUTH_HEADER, `$1$2 ${MASK}`);
}
