import { describe, expect, it } from 'vitest';
import { NEAR_MISSES, SECRET_SAMPLES } from '../../tests/fixtures/secretsCorpus.js';
import { redactSecrets, scanForSecrets } from './secretScanner.js';

describe('secret scanner', () => {
  it('has a corpus of at least 30 secrets and 30 near misses', () => {
    expect(SECRET_SAMPLES.length).toBeGreaterThanOrEqual(30);
    expect(NEAR_MISSES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(SECRET_SAMPLES.map((s) => [s.kind, s.text] as const))('finds a %s', (kind, text) => {
    const findings = scanForSecrets(text);
    expect(findings.map((f) => f.kind)).toContain(kind);
    for (const f of findings) expect(text).not.toContain(`${f.masked.replace('…', '')}x`);
  });

  it.each(NEAR_MISSES)('lets %j through', (text) => {
    expect(scanForSecrets(text)).toEqual([]);
  });

  it('says where, and shows the secret masked', () => {
    const token = SECRET_SAMPLES.find((s) => s.kind === 'GitHub token')!.text.split(' ')[1]!;
    const [finding] = scanForSecrets(`first line\nuse ${token} please`);
    expect(finding).toMatchObject({ kind: 'GitHub token', line: 2, column: 5 });
    expect(finding!.masked).toBe(`${token.slice(0, 4)}…${token.slice(-2)}`);
  });

  it('redacts every sample and leaves near misses alone', () => {
    for (const { text } of SECRET_SAMPLES) {
      const out = redactSecrets(text);
      expect(out).toContain('[REDACTED');
      expect(scanForSecrets(out).filter((f) => f.kind !== 'private key')).toEqual([]);
    }
    for (const text of NEAR_MISSES) expect(redactSecrets(text)).toBe(text);
  });
});

describe('secret scanner: URL passwords that do not parse', () => {
  it.each(['https://bob:pa/ss-w0rd@example.com/x.git', 'https://bob:p@ss-w0rd@example.com/x.git'])('finds the password in %s', (text) => {
    expect(scanForSecrets(`clone ${text} now`).map((f) => f.kind)).toContain('URL with a password');
    expect(redactSecrets(`clone ${text} now`)).not.toMatch(/w0rd/);
  });
});
