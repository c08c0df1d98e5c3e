import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.js';
import {
  isLoopbackHost,
  parsePortalUrl,
  parseWebhookUrl,
  redactUrl,
} from '../../src/source/address.js';

const CODE = 'k3y9x0abcd1234ef';

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseWebhookUrl', () => {
  it.each([
    [`https://x.bitrix24.com/rest/1/${CODE}/`],
    [`https://x.bitrix24.com/rest/1/${CODE}`],
    [`  https://x.bitrix24.com/rest/1/${CODE}/  `],
    [`https://x.bitrix24.com/rest/1/${CODE}/profile`],
    [`https://x.bitrix24.com/rest/1/${CODE}/crm.enum.ownertype.json`],
    [`https://x.bitrix24.com/rest/1/${CODE}/crm.enum.ownertype/`],
    [`https://X.Bitrix24.com/rest/1/${CODE}/#frag`],
  ])('accepts %s', (input) => {
    const address = parseWebhookUrl(input);
    expect(address).toMatchObject({ origin: 'https://x.bitrix24.com', host: 'x.bitrix24.com', userId: '1', code: CODE });
    expect(address.methodUrl('crm.enum.ownertype')).toBe(`https://x.bitrix24.com/rest/1/${CODE}/crm.enum.ownertype`);
  });

  it('keeps a non-default port and the user ID', () => {
    const address = parseWebhookUrl(`https://b24.example.org:8443/rest/17/${CODE}/`);
    expect(address.host).toBe('b24.example.org:8443');
    expect(address.origin).toBe('https://b24.example.org:8443');
    expect(address.userId).toBe('17');
  });

  it.each([
    [`http://127.0.0.1:3000/rest/1/${CODE}/`, 'http://127.0.0.1:3000'],
    [`http://127.8.9.10/rest/1/${CODE}/`, 'http://127.8.9.10'],
    [`http://localhost:8080/rest/1/${CODE}/`, 'http://localhost:8080'],
    [`http://[::1]:9000/rest/1/${CODE}/`, 'http://[::1]:9000'],
  ])('allows plain http on loopback: %s', (input, origin) => {
    expect(parseWebhookUrl(input).origin).toBe(origin);
  });

  it.each([
    [`http://x.bitrix24.com/rest/1/${CODE}/`, 'refused before anything is sent'],
    [`http://10.0.0.5/rest/1/${CODE}/`, 'refused before anything is sent'],
    [`http://128.0.0.1/rest/1/${CODE}/`, 'refused before anything is sent'],
    [`http://localhost.evil.com/rest/1/${CODE}/`, 'refused before anything is sent'],
    [`ftp://x.bitrix24.com/rest/1/${CODE}/`, 'needs https://'],
    [`https://x.bitrix24.com/rest/${CODE}/`, 'does not look like an inbound webhook'],
    [`https://x.bitrix24.com/rest/1/`, 'does not look like an inbound webhook'],
    [`https://x.bitrix24.com/api/1/${CODE}/`, 'does not look like an inbound webhook'],
    [`https://x.bitrix24.com/rest/1/${CODE}/crm.enum.ownertype/extra`, 'does not look like an inbound webhook'],
    [`https://x.bitrix24.com/rest/admin/${CODE}/`, 'user ID'],
    [`https://x.bitrix24.com/rest/1/${CODE}/?auth=1`, 'query string'],
    [`https://user:${CODE}@x.bitrix24.com/rest/1/${CODE}/`, 'user name or password'],
    [`x.bitrix24.com/rest/1/${CODE}/`, 'did you mean https://x.bitrix24.com/rest/1/***/'],
    ['', 'empty'],
    ['not a url', 'not a valid URL'],
  ])('refuses %s with a ConfigError that never shows the code', (input, fragment) => {
    const error = configErrorOf(() => parseWebhookUrl(input));
    expect(error.message).toContain(fragment);
    if (!fragment.startsWith('refused')) expect(error.message).toContain('https://PORTAL/rest/USER_ID/CODE/');
    expect(error.message).not.toContain(CODE);
    expect(error.stack ?? '').not.toContain(CODE);
  });

  it('never echoes a bare code given instead of a URL', () => {
    const error = configErrorOf(() => parseWebhookUrl(CODE));
    expect(error.message).toContain('not a valid URL');
    expect(error.message).not.toContain(CODE);
  });

  it('shows the URL redacted in the message', () => {
    const error = configErrorOf(() => parseWebhookUrl(`https://x.bitrix24.com/rest/abc/${CODE}/`));
    expect(error.message).toContain('https://x.bitrix24.com/rest/***/***/');
  });

  it('suggests https when refusing plain http', () => {
    const error = configErrorOf(() => parseWebhookUrl(`http://x.bitrix24.com/rest/1/${CODE}/`));
    expect(error.message).toContain('https://x.bitrix24.com/rest/1/***/');
    expect(error.message).not.toContain(CODE);
  });
});

describe('parsePortalUrl', () => {
  it.each([['https://x.bitrix24.com'], ['https://x.bitrix24.com/'], [' https://x.bitrix24.com/ ']])('accepts %s', (input) => {
    const address = parsePortalUrl(input);
    expect(address).toMatchObject({ origin: 'https://x.bitrix24.com', host: 'x.bitrix24.com' });
    expect(address.methodUrl('crm.enum.ownertype')).toBe('https://x.bitrix24.com/rest/crm.enum.ownertype');
  });

  it('allows http on loopback only', () => {
    expect(parsePortalUrl('http://localhost:4000').origin).toBe('http://localhost:4000');
    expect(configErrorOf(() => parsePortalUrl('http://x.bitrix24.com')).message).toContain('refused before anything is sent');
  });

  it.each([
    ['https://x.bitrix24.com/rest/', 'has a path'],
    ['https://x.bitrix24.com/?a=1', 'has a path'],
    ['https://x.bitrix24.com/#x', 'has a path'],
    ['x.bitrix24.com', 'did you mean https://x.bitrix24.com/'],
    ['file:///etc/passwd', 'needs https://'],
  ])('refuses %s', (input, fragment) => {
    expect(configErrorOf(() => parsePortalUrl(input)).message).toContain(fragment);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.255.0.3', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['localhost.example', false],
    ['127.0.0.1.nip.io', false],
    ['[::2]', false],
    ['0.0.0.0', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('redactUrl', () => {
  it.each([
    [`https://x.bitrix24.com/rest/1/${CODE}/crm.enum.ownertype`, 'https://x.bitrix24.com/rest/1/***/crm.enum.ownertype'],
    ['https://x.bitrix24.com/rest/crm.enum.ownertype?auth=t', 'https://x.bitrix24.com/rest/crm.enum.ownertype?…'],
    [`https://x.bitrix24.com/other/${CODE}`, 'https://x.bitrix24.com/…'],
    ['https://x.bitrix24.com/', 'https://x.bitrix24.com/'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(new URL(input))).toBe(expected);
  });
});
