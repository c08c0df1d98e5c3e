import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/shared/errors.js';
import { resolveOptions, resolveSource, type CliFlags, type Environment } from '../../src/options/resolve-options.js';

const WEBHOOK = 'https://example.bitrix24.com/rest/1/abc123/';

describe('resolveSource', () => {
  const cases: Array<[string, CliFlags, Environment, object | RegExp]> = [
    ['--webhook flag', { webhook: WEBHOOK }, {}, { kind: 'webhook', url: WEBHOOK }],
    ['B24_WEBHOOK_URL', {}, { B24_WEBHOOK_URL: WEBHOOK }, { kind: 'webhook', url: WEBHOOK }],
    ['a flag beats its env var', { webhook: WEBHOOK }, { B24_WEBHOOK_URL: 'https://other/rest/1/x/' }, { kind: 'webhook', url: WEBHOOK }],
    ['--input beats env', { input: 'a.json' }, { B24_WEBHOOK_URL: WEBHOOK }, { kind: 'input', file: 'a.json' }],
    ['oauth from env', {}, { B24_ACCESS_TOKEN: 't0k', B24_PORTAL_URL: 'https://p.bitrix24.com' }, { kind: 'oauth', portal: 'https://p.bitrix24.com', token: 't0k' }],
    ['--portal with env token', { portal: 'https://p' }, { B24_ACCESS_TOKEN: 't' }, { kind: 'oauth', portal: 'https://p', token: 't' }],
    ['--portal beats webhook env', { portal: 'https://p', token: 't' }, { B24_WEBHOOK_URL: WEBHOOK }, { kind: 'oauth', portal: 'https://p', token: 't' }],
    ['two flag sources', { webhook: WEBHOOK, input: 'a.json' }, {}, /one source, not --input and --webhook/],
    ['webhook and token flags', { webhook: WEBHOOK, token: 't' }, {}, /one source/],
    ['nothing', {}, {}, /No source: pass --webhook URL or set B24_WEBHOOK_URL/],
    ['empty env counts as unset', {}, { B24_WEBHOOK_URL: '  ' }, /No source/],
    ['both env sources', {}, { B24_WEBHOOK_URL: WEBHOOK, B24_ACCESS_TOKEN: 't' }, /Both B24_WEBHOOK_URL and B24_ACCESS_TOKEN/],
    ['token without portal', {}, { B24_ACCESS_TOKEN: 't' }, /B24_PORTAL_URL/],
    ['portal without token', { portal: 'https://p' }, {}, /needs an access token/],
    ['portal env alone', {}, { B24_PORTAL_URL: 'https://p' }, /B24_ACCESS_TOKEN is not/],
  ];
  it.each(cases)('%s', (_name, flags, env, expected) => {
    if (expected instanceof RegExp) {
      expect(() => resolveSource(flags, env, {})).toThrow(UsageError);
      expect(() => resolveSource(flags, env, {})).toThrow(expected);
    } else {
      expect(resolveSource(flags, env, {})).toEqual(expected);
    }
  });

  it('takes the portal from the config for an env token', () => {
    expect(resolveSource({}, { B24_ACCESS_TOKEN: 't' }, { portal: 'https://cfg.bitrix24.com' })).toEqual({
      kind: 'oauth',
      portal: 'https://cfg.bitrix24.com',
      token: 't',
    });
  });

  it('never puts a secret in its messages', () => {
    try {
      resolveSource({ webhook: WEBHOOK, input: 'x' }, { B24_ACCESS_TOKEN: 'sekret-token' }, {});
    } catch (error) {
      expect(String(error)).not.toContain('abc123');
      expect(String(error)).not.toContain('sekret-token');
    }
  });
});

describe('resolveOptions', () => {
  const cwd = path.resolve('/work/project');
  const env = { B24_WEBHOOK_URL: WEBHOOK };

  it('flags > config > defaults, config paths relative to the config file', () => {
    const loaded = {
      config: { out: 'gen/types.ts', enumStyle: 'const' as const, timeout: 5000, retries: 1, format: false, snapshot: 'snap.json' },
      filepath: path.join(cwd, 'config', 'gen-ownertypes.config.json'),
    };
    const fromConfig = resolveOptions({}, env, loaded, cwd);
    expect(fromConfig).toMatchObject({
      out: path.join(cwd, 'config', 'gen', 'types.ts'),
      snapshot: path.join(cwd, 'config', 'snap.json'),
      enumStyle: 'const',
      timeout: 5000,
      retries: 1,
      format: false,
      check: false,
    });
    const fromFlags = resolveOptions(
      { out: 'x.ts', enumStyle: 'enum', timeout: 1, retries: 0, format: true, check: true },
      env,
      loaded,
      cwd,
    );
    expect(fromFlags).toMatchObject({ out: path.join(cwd, 'x.ts'), enumStyle: 'enum', timeout: 1, retries: 0, format: true, check: true });
  });

  it('leaves unset options out, so generate() applies its defaults', () => {
    const options = resolveOptions({}, env, { config: {}, filepath: undefined }, cwd);
    expect(Object.keys(options).sort()).toEqual(['check', 'cwd', 'source']);
  });
});
