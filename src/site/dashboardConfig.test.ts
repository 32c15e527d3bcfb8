import { describe, expect, it } from 'vitest';
import { checkDashboardConfig, type DashboardConfig } from './dashboardConfig.js';
import { dashboardCsp, withCsp } from './dashboardCsp.js';

const github = (extra: Record<string, unknown>) => ({
  format: 'gitfleet-dashboard',
  version: 1,
  live: { type: 'github', owner: 'acme', repo: 'fleet', branch: 'main', ...extra },
});

describe('dashboard.json and the CSP built from it', () => {
  it('accepts https API hosts, and http only for a local stand-in', () => {
    for (const apiBase of ['https://github.example.com/api/v3', 'https://api.github.com', 'http://127.0.0.1:8123/api', 'http://localhost:9/api']) {
      expect(checkDashboardConfig(github({ apiBase })), apiBase).toHaveProperty('config');
    }
  });

  it('refuses hosts that could leak a token or rewrite the policy', () => {
    for (const apiBase of [
      'http://api.github.com',
      'https://x;script-src-elem *',
      "https://x/'unsafe-inline'",
      'javascript:alert(1)',
      'https://a b',
      `https://${'a'.repeat(300)}`,
    ]) {
      expect(checkDashboardConfig(github({ apiBase })), apiBase).toHaveProperty('error');
    }
    expect(checkDashboardConfig(github({ branch: '../x' }))).toHaveProperty('error');
    expect(checkDashboardConfig({ format: 'gitfleet-dashboard', version: 1, snapshot: '//evil.example/s.json' })).toHaveProperty('error');
    expect(checkDashboardConfig([])).toHaveProperty('error');
  });

  it('names exactly the hosts the live source reads in connect-src', () => {
    const config = checkDashboardConfig(github({ apiBase: 'https://ghe.example.com/api/v3', rawBase: 'https://raw.ghe.example.com' })) as {
      config: DashboardConfig;
    };
    expect(dashboardCsp(config.config)).toContain("connect-src 'self' https://ghe.example.com https://raw.ghe.example.com;");
    expect(dashboardCsp({ format: 'gitfleet-dashboard', version: 1, live: { type: 'serve' } })).toContain("connect-src 'self';");
    const html = '<head><meta http-equiv="Content-Security-Policy" content="old"></head>';
    expect(withCsp(html, "default-src 'none'; x $` $' $&")).toBe(
      '<head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; x $` $\' $&"></head>',
    );
    expect(() => withCsp('<head></head>', 'x')).toThrow(/no Content-Security-Policy/);
  });
});
