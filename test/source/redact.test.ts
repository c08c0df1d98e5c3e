import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.js';
import { parseWebhookUrl, redactUrl } from '../../src/source/address.js';
import { MIN_FREE_TEXT_SECRET, redact, scrubError, secretsOf } from '../../src/source/redact.js';

const CODE = 'k3y9x0abcd1234ef';

describe('redact', () => {
  it('replaces every occurrence, raw and URL-encoded', () => {
    const secret = 'a/b c+d&e=f';
    const text = `x ${secret} y ${encodeURIComponent(secret)} z ${secret}`;
    expect(redact(text, [secret])).toBe('x *** y *** z ***');
  });

  it('masks a longer secret whole even when it contains a shorter one', () => {
    expect(redact('token-ABCDEFGH12 and ABCDEFGH12', ['ABCDEFGH12', 'token-ABCDEFGH12'])).toBe('*** and ***');
  });

  it('ignores empty secrets', () => {
    expect(redact('text', [''])).toBe('text');
  });

  // Short secrets that collide with the rest of a message: the user ID, digits of a status or a port, parts
  // of the host, the path or a method name. They are masked where the credential stands, and nowhere else.
  const message = (host: string, code: string) =>
    `Portal error INVALID_CREDENTIALS (HTTP 401) from ${host} after 1 attempt, calling ` +
    `https://${host}/rest/1/${code}/crm.enum.ownertype (${encodeURIComponent(`/rest/1/${code}/`)}) with auth=${code}&x=1 and {"auth":"${code}"}`;
  it.each([
    ['1', 'the user ID and every digit 1'],
    ['401', 'the HTTP status'],
    ['rest', 'the path'],
    ['api', 'a REST 3.0 path segment'],
    ['crm', 'the method name'],
    ['bitrix', 'the host'],
    ['enum', 'the method name'],
  ])('a short code %j leaves %s readable and is masked where it stands', (code) => {
    expect(code.length).toBeLessThan(MIN_FREE_TEXT_SECRET);
    const host = 'x.bitrix24.com';
    const text = message(host, code);
    const masked = redact(text, [code]);
    expect(masked).toBe(
      `Portal error INVALID_CREDENTIALS (HTTP 401) from ${host} after 1 attempt, calling ` +
        `https://${host}/rest/1/***/crm.enum.ownertype (%2Frest%2F1%2F***%2F) with auth=***&x=1 and {"auth":"***"}`,
    );
  });

  it('masks a long secret anywhere, even inside other text', () => {
    expect(redact(`echo:${CODE}:echo ${CODE.toUpperCase()}`, [CODE])).toBe(`echo:***:echo ${CODE.toUpperCase()}`);
  });

  it('masks a short token in a REST 3.0 path', () => {
    expect(redact('https://x.bitrix24.com/rest/api/1/abc/tasks.task.get', ['abc'])).toBe(
      'https://x.bitrix24.com/rest/api/1/***/tasks.task.get',
    );
  });
});

describe('secretsOf', () => {
  it('returns the webhook code', () => {
    expect(secretsOf({ kind: 'webhook', url: `https://x.bitrix24.com/rest/1/${CODE}/` })).toEqual([CODE]);
  });
  it('still finds the code in a webhook URL that does not parse', () => {
    expect(secretsOf({ kind: 'webhook', url: `http://x.bitrix24.com/rest/1/${CODE}/` })).toEqual([CODE]);
  });
  it('returns the token', () => {
    expect(secretsOf({ kind: 'oauth', portal: 'https://x.bitrix24.com', token: 'tok' })).toEqual(['tok']);
  });
  it.each([
    [`https://x.bitrix24.com/rest/api/1/${CODE}/`, [CODE]],
    [`https://x.bitrix24.com/rest/api/12/${CODE}/tasks.task.get`, [CODE]],
    [`https://x.bitrix24.com/rest/admin/${CODE}/`, ['admin', CODE]],
    ['https://x.bitrix24.com/rest/1/', []],
  ])('never takes a user ID, "api" or a method name for the code: %s', (url, expected) => {
    expect(secretsOf({ kind: 'webhook', url })).toEqual(expected);
  });
});

describe('a REST 3.0 webhook URL', () => {
  const url = `https://x.bitrix24.com/rest/api/1/${CODE}/`;

  it('is recognized, named, and answered with the classic form to paste', () => {
    let error: unknown;
    try {
      parseWebhookUrl(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = redact((error as Error).message, secretsOf({ kind: 'webhook', url }));
    expect(message).toContain('REST 3.0');
    expect(message).toContain('https://x.bitrix24.com/rest/api/1/***/');
    expect(message).toContain('https://x.bitrix24.com/rest/1/***/');
    expect(message).not.toContain(CODE);
    // The mangled form this replaces masked every "1": "/rest/api/***/…", "USER_ID" intact but "HTTP 4***".
    expect(message).not.toMatch(/rest\/api\/\*\*\*\//);
  });

  it('shows `api` and the user ID when redacted', () => {
    expect(redactUrl(new URL(`${url}crm.enum.ownertype`))).toBe('https://x.bitrix24.com/rest/api/1/***/crm.enum.ownertype');
  });
});

describe('scrubError', () => {
  it('leaves an error readable when the secret is short and common', () => {
    const error = new Error('1 attempt, HTTP 401, /rest/1/1/crm.enum.ownertype');
    scrubError(error, ['1']);
    expect(error.message).toBe('1 attempt, HTTP 401, /rest/1/***/crm.enum.ownertype');
  });
});
