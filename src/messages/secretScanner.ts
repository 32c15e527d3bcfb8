import { registeredSecrets } from '../util/redact.js';

/** A likely credential found in a text, masked so that it can be shown. */
export interface SecretFinding {
  kind: string;
  /** 1-based line and column of the match. */
  line: number;
  column: number;
  /** The match with everything but a few characters at each end replaced by "…". */
  masked: string;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Group holding the secret itself (default: the whole match). */
  group?: number;
  /** A match that is not a secret after all (given the match and its groups). */
  notSecret?: (groups: readonly (string | undefined)[]) => boolean;
}

// `pwd=/home/x` (a shell's working directory, in `env` or `set` output) is a path, not
// a password; `Pwd=hunter22` in a connection string still is one.
const PATH_VALUE = /^["']?(\/|~|\.{1,2}\/|[A-Za-z]:[\\/]|\$HOME\b)/;

// Values that are obviously not real secrets: placeholders and redactions.
const PLACEHOLDER =
  /^(\[redacted.*|\*+|x{3,}|<[^>]*>|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|\{\{[^}]*\}\}|%[A-Z_]+%|\[[a-z_ -]*\]|redacted|changeme|example|none|null|empty|secret|password|\.\.\.|\u2026)$/i;

const RULES: Rule[] = [
  { kind: 'private key', pattern: /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/ },
  { kind: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255})\b/, group: 1 },
  { kind: 'GitHub token', pattern: /\b(github_pat_[A-Za-z0-9_]{60,255})\b/, group: 1 },
  { kind: 'GitLab token', pattern: /\b(gl(pat|dt|rt|ptt|ft|cbt|imt|soat|agent)-[A-Za-z0-9_-]{20,})\b/, group: 1 },
  { kind: 'AWS access key id', pattern: /\b((AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/, group: 1 },
  { kind: 'AWS secret key', pattern: /aws_?secret_?(access_?)?key\s*[=:]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i, group: 2 },
  { kind: 'Slack token', pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,})\b/, group: 1 },
  { kind: 'Slack webhook', pattern: /(https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,})/, group: 1 },
  { kind: 'Discord webhook', pattern: /(https:\/\/(canary\.|ptb\.)?discord(app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{30,})/, group: 1 },
  { kind: 'Google API key', pattern: /\b(AIza[0-9A-Za-z_-]{35})\b/, group: 1 },
  { kind: 'Stripe key', pattern: /\b((sk|rk)_live_[0-9a-zA-Z]{24,})\b/, group: 1 },
  { kind: 'npm token', pattern: /\b(npm_[A-Za-z0-9]{36})\b/, group: 1 },
  { kind: 'PyPI token', pattern: /\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})\b/, group: 1 },
  { kind: 'SendGrid key', pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\b/, group: 1 },
  { kind: 'JSON web token', pattern: /\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})\b/, group: 1 },
  { kind: 'URL with a password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^\s@]+(?:@[^\s@/]+)*)@[^\s/@]+/i, group: 1 },
  {
    kind: 'password assignment',
    pattern:
      /\b(pass(word|wd)?|pwd|secret|client_secret|api[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key)\b["']?\s*(=|:|=>)\s*["']?([^\s"',;]{6,})/i,
    group: 4,
    notSecret: (g) => /^pwd$/i.test(g[1] ?? '') && PATH_VALUE.test(g[4] ?? ''),
  },
];

/**
 * Finds likely credentials in a text: private key blocks; GitHub, GitLab, AWS, Slack,
 * Google, Stripe, npm, PyPI and SendGrid tokens; JSON web tokens; URLs with a password;
 * and `password=…`-style assignments (placeholders such as `***`, `<secret>` or
 * `${TOKEN}` are not findings). Used to refuse messages and to redact job output.
 */
export function scanForSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lines = text.split('\n');
  findings.push(...findOwnSecrets(text));
  lines.forEach((line, index) => {
    for (const rule of RULES) {
      const re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace('g', '')}g`);
      for (const m of line.matchAll(re)) {
        const secret = m[rule.group ?? 0] ?? m[0];
        if (rule.group !== undefined && PLACEHOLDER.test(secret.replace(/["']/g, ''))) continue;
        if (rule.notSecret?.([...m])) continue;
        const column = (m.index ?? 0) + m[0].indexOf(secret) + 1;
        if (findings.some((f) => f.line === index + 1 && Math.abs(f.column - column) < 4)) continue;
        findings.push({ kind: rule.kind, line: index + 1, column, masked: mask(secret) });
      }
    }
  });
  return findings;
}

/** The text with every finding replaced by "[REDACTED <kind>]" (for job output tails). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of RULES) {
    const re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace('g', '')}g`);
    out = out.replace(re, (match, ...groups: unknown[]) => {
      const secret = rule.group !== undefined ? (groups[rule.group - 1] as string | undefined) : match;
      if (!secret || (rule.group !== undefined && PLACEHOLDER.test(secret.replace(/["']/g, '')))) return match;
      if (rule.notSecret?.([match, ...(groups as (string | undefined)[])])) return match;
      return match.replace(secret, `[REDACTED ${rule.kind}]`);
    });
  }
  return out;
}

/**
 * Where a text holds a secret this process was configured with (its token, registered for redaction when
 * the configuration was read), as typed, URL-encoded and base64-encoded: a token pasted
 * into a message is refused even when it matches none of the patterns.
 */
export function findOwnSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const forms = ownSecretForms();
  if (forms.length === 0) return findings;
  text.split('\n').forEach((line, index) => {
    for (const form of forms) {
      const at = line.indexOf(form);
      if (at >= 0) findings.push({ kind: 'token of this machine', line: index + 1, column: at + 1, masked: mask(form) });
    }
  });
  return findings;
}

function ownSecretForms(): string[] {
  const forms = new Set<string>();
  for (const secret of registeredSecrets()) {
    if (secret.length < 8) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    const b64 = Buffer.from(secret).toString('base64');
    forms.add(b64.replace(/=+$/, ''));
    forms.add(b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((f) => f.length >= 8);
}

function mask(secret: string): string {
  if (secret.length <= 8) return '…';
  return `${secret.slice(0, 4)}…${secret.slice(-2)}`;
}
