import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/shared/errors.js';
import { redact } from '../../src/source/redact.js';
import { bypassesProxy, describeProxy, proxyRoute, proxySecretsOf, proxySettingsFrom } from '../../src/source/proxy.js';

const PORTAL = new URL('https://example.bitrix24.com');

describe('proxySettingsFrom', () => {
  it('is undefined without a proxy variable, or with empty ones (no proxy agent is loaded)', () => {
    expect(proxySettingsFrom({})).toBeUndefined();
    expect(proxySettingsFrom({ NO_PROXY: 'localhost' })).toBeUndefined();
    expect(proxySettingsFrom({ HTTPS_PROXY: '', http_proxy: '  ' })).toBeUndefined();
  });

  it('reads the lower-case name first, as undici does, even when it is empty', () => {
    expect(proxySettingsFrom({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' })?.httpsProxy).toBe('http://a:1');
    expect(proxySettingsFrom({ https_proxy: '', HTTPS_PROXY: 'http://b:2', HTTP_PROXY: 'http://c:3' })?.httpsProxy).toBe('');
    expect(proxySettingsFrom({ HTTP_PROXY: 'http://c:3', no_proxy: 'x', NO_PROXY: 'y' })?.noProxy).toBe('x');
  });

  it('takes a value without a scheme as http, like curl', () => {
    expect(proxySettingsFrom({ HTTPS_PROXY: 'proxy.corp:3128' })?.httpsProxy).toBe('http://proxy.corp:3128');
  });

  it('refuses what is not a proxy URL, naming the variable and never the value', () => {
    expect(() => proxySettingsFrom({ HTTPS_PROXY: 'ftp://u:secret-pw@proxy:21' })).toThrow(UsageError);
    expect(() => proxySettingsFrom({ HTTPS_PROXY: 'http://u:secret-pw@' })).toThrow(/HTTPS_PROXY/);
    try {
      proxySettingsFrom({ HTTPS_PROXY: 'ftp://u:secret-pw@proxy:21' });
    } catch (error) {
      expect(String(error)).not.toContain('secret-pw');
    }
  });
});

describe('proxyRoute', () => {
  const settings = (env: Record<string, string>) => proxySettingsFrom(env);
  it.each([
    [{ HTTPS_PROXY: 'http://p:3128' }, 'https://example.bitrix24.com', 'proxy'],
    [{ HTTP_PROXY: 'http://p:3128' }, 'https://example.bitrix24.com', 'proxy'], // https falls back to the http proxy
    [{ HTTPS_PROXY: 'http://p:3128' }, 'http://127.0.0.1:8080', 'direct'], // but not the other way round
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'bitrix24.com' }, 'https://example.bitrix24.com', 'bypass'],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.bitrix24.com' }, 'https://example.bitrix24.com', 'bypass'],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*.bitrix24.com' }, 'https://example.bitrix24.com', 'bypass'],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'EXAMPLE.bitrix24.com:443' }, 'https://example.bitrix24.com', 'bypass'],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'example.bitrix24.com:8443' }, 'https://example.bitrix24.com', 'proxy'],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'ample.bitrix24.com' }, 'https://example.bitrix24.com', 'proxy'],
    [{ HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*' }, 'https://example.bitrix24.com', 'bypass'],
    [{ HTTP_PROXY: 'http://p:3128', NO_PROXY: 'localhost 127.0.0.1' }, 'http://127.0.0.1:8080', 'bypass'],
    [{ HTTP_PROXY: 'http://p:3128' }, 'http://127.0.0.1:8080', 'proxy'], // loopback is not exempt by itself, as in undici
  ])('%j: %s goes %s', (env, origin, kind) => {
    expect(proxyRoute(new URL(origin), settings(env)).kind).toBe(kind);
  });

  it('names the proxy by host:port, with the default port, and says whether it has credentials', () => {
    expect(proxyRoute(PORTAL, settings({ HTTPS_PROXY: 'http://u:p@proxy.corp' }))).toEqual({
      kind: 'proxy',
      proxy: 'proxy.corp:80',
      variable: 'HTTPS_PROXY',
      credentials: true,
    });
    expect(describeProxy('https://proxy.corp')).toBe('proxy.corp:443');
    expect(proxyRoute(PORTAL, undefined)).toEqual({ kind: 'direct' });
  });

  it('an empty NO_PROXY entry bypasses nothing', () => {
    expect(bypassesProxy(', ,', 'example.com', 443)).toBe(false);
  });
});

describe('proxy credentials are secrets', () => {
  const found = proxySettingsFrom({ HTTPS_PROXY: 'http://build%40corp:p%3Ass@proxy:3128' });
  it('in every form: as written, decoded, and as the Proxy-Authorization token', () => {
    const secrets = proxySecretsOf(found);
    expect(secrets).toEqual(expect.arrayContaining(['build%40corp', 'build@corp', 'p%3Ass', 'p:ss', Buffer.from('build@corp:p:ss').toString('base64')]));
  });

  it('a URL with credentials is masked in any text, whatever the secrets', () => {
    expect(redact('connect to http://u:hunter2@proxy:3128 failed', [])).toBe('connect to http://***@proxy:3128 failed');
    expect(redact('see http://USER:PASSWORD@proxy:3128', [])).toBe('see http://USER:PASSWORD@proxy:3128');
  });
});
