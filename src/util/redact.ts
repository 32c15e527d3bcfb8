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

/** The registered secrets (tokens and their encoded forms), for the message secret guard. */
export function registeredSecrets(): readonly string[] {
  return [...secrets];
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
}

// Userinfo of a URL, parseable or not: everything from `scheme://` to the last `@`
// before the host. A password may hold `/`, `#`, `:` or `@`, so the authority cannot be
// found by its usual end; the URL is taken to end at whitespace or a quote, or, when it
// is quoted, at the closing quote (a quoted URL may hold spaces). The whole userinfo is
// masked, user name included: some tools put the token there (`TOKEN:x-oauth-basic@`).
const QUOTED_URL_USERINFO = /(["'])([a-z][a-z0-9+.-]*:\/\/)([^'"\n]*@)/gi;
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s'"<>]*@)/gi;
const AUTH_HEADER = /(authorization\s*[:=]\s*)(basic|bearer|token)\s+[^\s'"]+/gi;

export function redact(text: string): string {
  let out = text;
  if (secrets.size > 0) {
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
  }
  return out.replace(QUOTED_URL_USERINFO, `$1$2${MASK}@`).replace(URL_USERINFO, `$1${MASK}@`).replace(AUTH_HEADER, `$1$2 ${MASK}`);
}

/**
 * A text that is meant to be one URL (a `--repo` value, valid or not), fit to show:
 * everything between `scheme://` and its last `@` is masked, spaces and all, and so is
 * every registered secret. `user@host:path` (scp-like ssh) keeps its user name, which
 * ssh never takes a password from.
 */
export function redactUrl(text: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(text.trim());
  if (!m) return redact(text);
  const rest = m[2]!;
  const at = rest.lastIndexOf('@');
  return redact(at < 0 ? text.trim() : `${m[1]}${MASK}@${rest.slice(at + 1)}`);
}
