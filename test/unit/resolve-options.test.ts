import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageWithFlags } from '../../src/cli/flags.js';
import { ConfigError, UsageError } from '../../src/shared/errors.js';
import type { LoadedConfig } from '../../src/options/load-config.js';
import { resolveOptions, resolveRun, resolveSource, type CliFlags, type Environment, type ResolveProbe } from '../../src/options/resolve-options.js';

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
    ['two flag sources', { webhook: WEBHOOK, input: 'a.json' }, {}, /one source, not `input` and `webhook`/],
    ['webhook and token flags', { webhook: WEBHOOK, token: 't' }, {}, /one source/],
    ['nothing', {}, {}, /No source: pass `webhook` URL or set B24_WEBHOOK_URL/],
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

  it('leaves unset options out, so generate() applies its defaults; pipelines on, deprecated aliases kept', () => {
    const options = resolveOptions({}, env, { config: {}, filepath: undefined }, cwd);
    expect(Object.keys(options).sort()).toEqual(['check', 'cwd', 'dropDeprecated', 'out', 'pipelines', 'proxyEnv', 'source', 'sourceNames']);
    expect(options).toMatchObject({ out: path.join(cwd, 'src/generated/ownertypes.ts'), pipelines: true, dropDeprecated: false });
  });

  it("takes the proxy variables from the run's environment (an --env-file's included), in either case, and nothing else", () => {
    const proxies = { HTTPS_PROXY: 'http://proxy:3128', http_proxy: 'http://other:8080', No_Proxy: 'localhost', NO_PROXY_EXTRA: 'x' };
    expect(resolveOptions({}, { ...env, ...proxies, HOME: '/root' }, { config: {}, filepath: undefined }, cwd).proxyEnv).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      http_proxy: 'http://other:8080',
      No_Proxy: 'localhost',
    });
    // None set: none used, even when the process running the library has some.
    expect(resolveOptions({}, env, { config: {}, filepath: undefined }, cwd).proxyEnv).toEqual({});
  });

  it('names where each source value was set, for the advice of error messages: the flag, the variable, the config', () => {
    const names = (flags: CliFlags, environment: Environment, config: LoadedConfig['config'] = {}) =>
      resolveOptions(flags, environment, { config, filepath: undefined }, cwd).sourceNames;
    expect(names({}, { B24_WEBHOOK_URL: WEBHOOK })).toEqual({
      webhook: 'B24_WEBHOOK_URL',
      portal: 'B24_PORTAL_URL (or --portal)',
      token: 'B24_ACCESS_TOKEN (or --token)',
    });
    expect(names({ webhook: WEBHOOK }, {})?.webhook).toBe('--webhook');
    expect(names({ token: 't' }, {}, { portal: 'https://cfg.bitrix24.com' })).toEqual({
      webhook: 'B24_WEBHOOK_URL (or --webhook)',
      portal: '"portal" in the config',
      token: '--token',
    });
    expect(names({}, { B24_ACCESS_TOKEN: 't', B24_PORTAL_URL: 'https://env.bitrix24.com' }, { portal: 'https://cfg.bitrix24.com' })).toMatchObject({
      portal: 'B24_PORTAL_URL',
      token: 'B24_ACCESS_TOKEN',
    });
    expect(names({ input: 'saved.json' }, {})).toBeUndefined();
  });

  it('--no-pipelines beats "pipelines": true; "pipelines": false applies without the flag; --drop-deprecated', () => {
    const loaded = (pipelines: boolean) => ({ config: { pipelines }, filepath: undefined });
    expect(resolveOptions({ pipelines: false }, env, loaded(true), cwd).pipelines).toBe(false);
    expect(resolveOptions({}, env, loaded(false), cwd).pipelines).toBe(false);
    expect(resolveOptions({ dropDeprecated: true }, env, loaded(true), cwd).dropDeprecated).toBe(true);
  });
});

const existing = (...files: string[]): ResolveProbe => ({ isFile: (file) => files.includes(file) });

describe('offline fallback to the config snapshot', () => {
  const cwd = path.resolve('/work/project');
  const loaded: LoadedConfig = { config: { snapshot: 'b24/snap.json', out: 'gen.ts' }, filepath: path.join(cwd, 'gen-ownertypes.config.json') };
  const snap = path.join(cwd, 'b24', 'snap.json');

  it('no source and the snapshot exists: it is the input, and is not rewritten', () => {
    const run = resolveRun({}, {}, loaded, cwd, existing(snap));
    expect(run.offline).toEqual({ snapshot: snap });
    expect(run.targets).toEqual([{ name: undefined, source: { kind: 'input', file: snap }, out: path.join(cwd, 'gen.ts'), aliases: {} }]);
  });

  it('the snapshot missing: the usual "No source" error', () => {
    expect(() => resolveRun({}, {}, loaded, cwd, existing())).toThrow(/No source/);
  });

  it.each([
    ['a webhook in the env', {}, { B24_WEBHOOK_URL: WEBHOOK }],
    ['--input', { input: 'other.json' }, {}],
    ['--webhook', { webhook: WEBHOOK }, {}],
    ['a token in the env (even if incomplete)', {}, { B24_ACCESS_TOKEN: 't' }],
  ] as Array<[string, CliFlags, Environment]>)('%s: online as asked, never silently offline', (_name, flags, environment) => {
    let run;
    try {
      run = resolveRun(flags, environment, loaded, cwd, existing(snap));
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return;
    }
    expect(run.offline).toBeUndefined();
    expect(run.targets[0]!.snapshot).toBe(snap);
  });
});

describe('several portals', () => {
  const cwd = path.resolve('/work/project');
  const filepath = path.join(cwd, 'conf', 'gen-ownertypes.config.json');
  const portals = {
    dev: { webhookEnv: 'B24_DEV_WEBHOOK_URL', out: 'dev.ts', aliases: { '177': 'DevGear' } },
    prod: { portal: 'https://prod.bitrix24.com', tokenEnv: 'B24_PROD_TOKEN', out: 'prod.ts', snapshot: 'prod.json' },
    demo: { input: 'demo.json', out: 'demo.ts' },
  };
  const loaded: LoadedConfig = { config: { portals, aliases: { '177': 'Gear', '190': 'Orders' }, consistency: 'error' }, filepath };
  const fullEnv = { B24_DEV_WEBHOOK_URL: WEBHOOK, B24_PROD_TOKEN: 'tok' };
  const at = (file: string) => path.join(cwd, 'conf', file);

  it('resolves every portal, in config order, paths relative to the config file, aliases merged', () => {
    const run = resolveRun({ check: true, pipelines: false }, fullEnv, loaded, cwd);
    expect(run.severalPortals).toBe(true);
    expect(run.settings).toMatchObject({ check: true, pipelines: false, consistency: 'error', dropDeprecated: false });
    expect(run.targets).toEqual([
      {
        name: 'dev',
        source: { kind: 'webhook', url: WEBHOOK },
        out: at('dev.ts'),
        aliases: { '177': 'DevGear', '190': 'Orders' },
        sourceNames: { webhook: 'B24_DEV_WEBHOOK_URL (portals.dev.webhookEnv)', portal: 'portals.dev.portal', token: 'portals.dev.tokenEnv' },
      },
      {
        name: 'prod',
        source: { kind: 'oauth', portal: 'https://prod.bitrix24.com', token: 'tok' },
        out: at('prod.ts'),
        snapshot: at('prod.json'),
        aliases: { '177': 'Gear', '190': 'Orders' },
        sourceNames: { webhook: 'portals.prod.webhookEnv', token: 'B24_PROD_TOKEN (portals.prod.tokenEnv)', portal: 'portals.prod.portal' },
      },
      { name: 'demo', source: { kind: 'input', file: at('demo.json') }, out: at('demo.ts'), aliases: { '177': 'Gear', '190': 'Orders' } },
    ]);
  });

  it('--only picks portals (repeatable and comma-separated), and only their variables are needed', () => {
    const run = resolveRun({ only: ['demo', 'dev,demo'] }, { B24_DEV_WEBHOOK_URL: WEBHOOK }, loaded, cwd);
    expect(run.targets.map((t) => t.name)).toEqual(['dev', 'demo']);
  });

  it('--only with an unknown name lists the known ones', () => {
    expect(() => resolveRun({ only: ['staging'] }, fullEnv, loaded, cwd)).toThrow(/^`only`: no portal named "staging" .*Known portals: dev, prod, demo\.$/);
    expect(() => resolveRun({ only: ['staging'] }, fullEnv, loaded, cwd)).not.toThrow(/Did you mean/);
    expect(() => resolveRun({ only: ['dev,prdo'] }, fullEnv, loaded, cwd)).toThrow(/no portal named "prdo" .*\. Did you mean prod\? Known portals/);
    expect(() => resolveRun({ only: ['dev,'] }, fullEnv, loaded, cwd)).toThrow(/`only` needs portal names/);
  });

  it('names options as the library knows them and carries the option; the CLI says its flags', () => {
    let caught: unknown;
    try {
      resolveRun({ webhook: WEBHOOK, input: 'a.json' }, {}, { config: {}, filepath: undefined }, cwd);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).option).toBe('input');
    expect((caught as UsageError).message).not.toMatch(/--/);
    expect(messageWithFlags(caught as UsageError)).toBe('Give one source, not --input and --webhook.');
  });

  it('--only without portals is a usage error', () => {
    expect(() => resolveRun({ only: ['dev'] }, env0, { config: {}, filepath: undefined }, cwd)).toThrow(UsageError);
  });

  it.each(['webhook', 'portal', 'token', 'input', 'out', 'snapshot'] as const)('--%s is a usage error with portals', (flag) => {
    expect(() => resolveRun({ [flag]: 'x' }, fullEnv, loaded, cwd)).toThrow(new RegExp(`^\`${flag}\` cannot be used with "portals"`));
  });

  it('a missing or empty variable names the portal and the variable, never a value', () => {
    expect(() => resolveRun({}, { B24_DEV_WEBHOOK_URL: WEBHOOK }, loaded, cwd)).toThrow(/Portal "prod": the environment variable B24_PROD_TOKEN .* is not set or is empty/);
    expect(() => resolveRun({}, { ...fullEnv, B24_DEV_WEBHOOK_URL: ' ' }, loaded, cwd)).toThrow(/Portal "dev": the environment variable B24_DEV_WEBHOOK_URL/);
  });

  it('two portals writing one file is a config error, after resolving paths', () => {
    const clash = { a: { input: 'a.json', out: 'gen/x.ts' }, b: { input: 'b.json', out: './gen/../gen/x.ts' } };
    expect(() => resolveRun({}, {}, { config: { portals: clash }, filepath }, cwd)).toThrow(ConfigError);
    expect(() => resolveRun({}, {}, { config: { portals: clash }, filepath }, cwd)).toThrow(/"portals\.b\.out" is the same file as "portals\.a\.out"/);
    const snapOverOut = { a: { input: 'a.json', out: 'x.ts' }, b: { input: 'b.json', out: 'y.ts', snapshot: 'x.ts' } };
    expect(() => resolveRun({}, {}, { config: { portals: snapOverOut }, filepath }, cwd)).toThrow(ConfigError);
    const sharedInput = { a: { input: 'same.json', out: 'x.ts' }, b: { input: 'same.json', out: 'y.ts' } };
    expect(resolveRun({}, {}, { config: { portals: sharedInput }, filepath }, cwd).targets).toHaveLength(2);
  });

  it('top-level out, snapshot or portal beside portals is a config error; so is an empty portals', () => {
    for (const key of ['out', 'snapshot', 'portal'] as const) {
      const config = { portals, [key]: key === 'portal' ? 'https://p.bitrix24.com' : 'x' };
      expect(() => resolveRun({}, fullEnv, { config, filepath }, cwd)).toThrow(new RegExp(`"${key}" belongs inside each portal`));
    }
    expect(() => resolveRun({}, fullEnv, { config: { portals: {} }, filepath }, cwd)).toThrow(/names no portal/);
  });

  it('resolveOptions (one module) refuses a config with portals', () => {
    expect(() => resolveOptions({}, fullEnv, loaded, cwd)).toThrow(/several portals/);
  });
});

const env0: Environment = {};
