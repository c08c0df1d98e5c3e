import { describe, expect, it } from 'vitest';
import { InvalidResponseError, PortalError } from '../../src/shared/errors.js';
import {
  PORTAL_ERRORS,
  checkAddress,
  createNonJsonError,
  createPortalError,
  describeNonJsonAnswer,
  describePortalError,
  lookupPortalError,
  readBitrixError,
  retryClassOf,
} from '../../src/source/portal-errors.js';

describe('the error table', () => {
  it('covers every code of the reference', () => {
    const reference = [
      'QUERY_LIMIT_EXCEEDED',
      'OPERATION_TIME_LIMIT',
      'OVERLOAD_LIMIT',
      'INTERNAL_SERVER_ERROR',
      'ERROR_UNEXPECTED_ANSWER',
      'NO_AUTH_FOUND',
      'INVALID_CREDENTIALS',
      'INVALID_REQUEST',
      'ACCESS_DENIED',
      'insufficient_scope',
      'expired_token',
      'invalid_token',
      'authorization_error',
      'PAYMENT_REQUIRED',
      'WRONG_AUTH_TYPE',
      'user_access_error',
      'allowed_only_intranet_user',
      'ERROR_METHOD_NOT_FOUND',
      'PORTAL_DELETED',
    ];
    for (const code of reference) expect(PORTAL_ERRORS[code], code).toBeDefined();
  });

  it.each([
    ['QUERY_LIMIT_EXCEEDED', 'rate-limit'],
    ['OPERATION_TIME_LIMIT', 'operation-limit'],
    ['OVERLOAD_LIMIT', 'never'],
    ['INTERNAL_SERVER_ERROR', 'server'],
    ['ERROR_UNEXPECTED_ANSWER', 'server'],
    ['INVALID_CREDENTIALS', 'never'],
    ['expired_token', 'never'],
    ['PORTAL_DELETED', 'never'],
  ])('%s is retried as %s', (code, retry) => {
    expect(PORTAL_ERRORS[code]?.retry).toBe(retry);
  });

  it('records the live statuses that differ from the documentation', () => {
    expect(PORTAL_ERRORS.INVALID_CREDENTIALS).toMatchObject({ documentedStatus: 403, liveStatus: 401 });
    expect(PORTAL_ERRORS.insufficient_scope).toMatchObject({ documentedStatus: 403, liveStatus: 401 });
    expect(PORTAL_ERRORS.INVALID_REQUEST).toMatchObject({ documentedStatus: 400, liveStatus: 401 });
  });
});

describe('retryClassOf keys on the code, not the status', () => {
  it.each([
    ['QUERY_LIMIT_EXCEEDED', 200, 'rate-limit'],
    ['OVERLOAD_LIMIT', 503, 'never'],
    ['INVALID_CREDENTIALS', 500, 'never'],
    ['query_limit_exceeded', 503, 'rate-limit'],
    ['SOMETHING_NEW', 502, 'server'],
    ['SOMETHING_NEW', 429, 'rate-limit'],
    ['SOMETHING_NEW', 400, 'never'],
    ['', 400, 'never'],
  ] as const)('%s with HTTP %i → %s', (code, status, expected) => {
    expect(retryClassOf(code, status)).toBe(expected);
  });
});

describe('readBitrixError', () => {
  it.each([
    [{ error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' }, 'INVALID_CREDENTIALS', 'Invalid request credentials'],
    [{ error: '', error_description: 'Access denied.' }, '', 'Access denied.'],
    [{ error: 0, error_description: 'Access denied.' }, '', 'Access denied.'],
    [{ error: 'X', extra: { a: 1 } }, 'X', ''],
    [{ error: 42, error_description: 7 }, '42', '7'],
  ])('reads %j', (body, error, description) => {
    expect(readBitrixError(body)).toEqual({ error, description });
  });

  it.each([[null], [[]], ['error'], [{ result: [] }], [{ error: { code: 1 } }], [{ error: null }]])('rejects %j', (body) => {
    expect(readBitrixError(body)).toBeUndefined();
  });
});

describe('describePortalError', () => {
  it('explains a wrong webhook code and where to fix it', () => {
    const message = describePortalError('INVALID_CREDENTIALS', 'Invalid request credentials', 401);
    expect(message).toMatch(/^Portal error INVALID_CREDENTIALS \(HTTP 401\): Invalid request credentials — the portal rejected the webhook code/);
    expect(message).toContain('Check `source.url` (Developer resources → Other → Inbound webhook)');
  });

  it('names where the caller sets each value, for the kind in use and for the other kind it suggests', () => {
    const names = { webhook: 'MY_HOOK', portal: 'MY_PORTAL', token: 'MY_TOKEN' };
    expect(describePortalError('INVALID_CREDENTIALS', '', 401, { source: 'webhook', names })).toContain('Check MY_HOOK (Developer resources');
    expect(describePortalError('INVALID_CREDENTIALS', '', 401, { source: 'oauth', names })).toContain('Check MY_PORTAL, and pass a fresh access token via MY_TOKEN');
    expect(describePortalError('WRONG_AUTH_TYPE', '', 403, { source: 'webhook', names, method: 'crm.type.list' })).toContain('Use OAuth instead of the webhook: MY_PORTAL and MY_TOKEN');
    expect(describePortalError('WRONG_AUTH_TYPE', '', 403, { source: 'oauth', names, method: 'crm.type.list' })).toContain('Use an inbound webhook instead of OAuth: MY_HOOK');
    expect(checkAddress('oauth', names)).toBe('Check the portal address in MY_PORTAL');
    for (const code of Object.keys(PORTAL_ERRORS)) {
      for (const source of ['webhook', 'oauth', undefined] as const) {
        expect(describePortalError(code, '', 400, { source, names, method: 'crm.type.list' })).not.toMatch(/\{(webhook|portal|token)\}|B24_|--webhook|--token|--portal|source\./);
      }
    }
  });

  it.each([
    ['insufficient_scope', '', 401, 'crm scope'],
    ['expired_token', 'The access token provided has expired.', 401, 'they live one hour'],
    ['expired_token', 'The access token provided has expired.', 401, 'via `source.token`'],
    ['ACCESS_DENIED', 'REST API is available only on commercial plans', 403, 'commercial'],
    ['OVERLOAD_LIMIT', 'REST API is blocked due to overload', 503, 'Contact Bitrix24 support'],
    ['', 'Access denied.', 400, 'no access to the CRM'],
    ['', 'Доступ запрещён', 400, 'Portal error with no code (HTTP 400): Доступ запрещён.'],
    ['NEW_CODE', 'Something new', 418, 'Portal error NEW_CODE (HTTP 418): Something new.'],
    ['NEW_CODE', '', 500, 'Portal error NEW_CODE (HTTP 500): No description. The portal failed'],
    ['invalid_credentials', 'Неверные данные', 401, 'the portal rejected the webhook code'],
  ])('%s %j (HTTP %i) mentions %j', (code, description, status, fragment) => {
    expect(describePortalError(code, description, status)).toContain(fragment);
  });

  it('keeps a hostile description on one bounded line', () => {
    const message = describePortalError('X', `line1\nline2\u0007${'a'.repeat(1000)}`, 400);
    expect(message).not.toMatch(/[\n\u0007]/);
    expect(message.length).toBeLessThan(500);
  });

  it('createPortalError carries the fields verbatim', () => {
    const error = createPortalError({ error: 'INVALID_CREDENTIALS', description: 'Invalid request credentials' }, 401);
    expect(error).toBeInstanceOf(PortalError);
    expect(error).toMatchObject({ error: 'INVALID_CREDENTIALS', errorDescription: 'Invalid request credentials', status: 401, exitCode: 3 });
  });
});

describe('describeNonJsonAnswer', () => {
  const nginx502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>';

  it('names the status, the content type and the page title for a gateway page', () => {
    const message = describeNonJsonAnswer(502, 'text/html; charset=utf-8', nginx502);
    expect(message).toBe(
      'The portal answered HTTP 502 with text/html ("502 Bad Gateway") instead of JSON: a gateway in front of the portal failed. This is usually temporary; run again later.',
    );
  });

  it('says so for an empty body', () => {
    expect(describeNonJsonAnswer(500, undefined, '')).toContain('HTTP 500 with an empty body (no content type)');
  });

  it('points at the URL for a 200 HTML page', () => {
    expect(describeNonJsonAnswer(200, 'text/html', '<html><title>Authorization</title></html>')).toContain('Check the webhook URL');
  });

  it('shows at most a short snippet, never a parse error', () => {
    const message = describeNonJsonAnswer(500, 'text/plain', `{"result": [${'1,'.repeat(5000)}`);
    expect(message.length).toBeLessThan(400);
    expect(message).not.toMatch(/JSON\.parse|Unexpected token|SyntaxError/);
  });

  it('createNonJsonError is an InvalidResponseError', () => {
    expect(createNonJsonError(504, 'text/html', nginx502)).toBeInstanceOf(InvalidResponseError);
  });
});

describe('lookupPortalError', () => {
  it('treats "" with another description as unknown', () => {
    expect(lookupPortalError('', 'Something else')).toBeUndefined();
  });
});

describe('advice fits the source kind', () => {
  const oauthWords = /B24_ACCESS_TOKEN|--token|B24_PORTAL_URL|--portal\b|source\.token|source\.portal|access token|refresh/i;
  const webhookWords = /B24_WEBHOOK_URL|--webhook|source\.url|inbound webhook|webhook code|webhook's/i;
  const either = /webhook or (the )?token|token or webhook|webhook or application|webhook or portal/i;
  // WRONG_AUTH_TYPE is the one row whose right advice is the other kind of source.
  const rows = [...Object.keys(PORTAL_ERRORS).filter((code) => code !== 'WRONG_AUTH_TYPE'), ''];

  it.each(rows.flatMap((code) => [[code, 'webhook'] as const, [code, 'oauth'] as const]))(
    '%j for a %s user',
    (code, source) => {
      // The portal's own description may speak of tokens ("The access token provided has expired."): only
      // what gen-ownertypes adds is checked.
      const description = code === '' ? 'Access denied.' : '';
      const message = describePortalError(code, description, 400, { source, method: 'crm.status.list' });
      expect(message).not.toMatch(either);
      expect(message).not.toMatch(source === 'webhook' ? oauthWords : webhookWords);
      expect(message).not.toContain('{method}');
    },
  );

  it.each<[string, string, number]>([
    ['text/html', '<html><title>Login</title></html>', 200],
    ['text/html', '<html><title>Not Found</title></html>', 404],
    ['application/octet-stream', '\u0000\u0001', 200],
    ['text/plain', 'teapot', 418],
  ])('non-JSON answers point at the address of the source kind (%s, HTTP %i)', (type, text, status) => {
    expect(describeNonJsonAnswer(status, type, text, { source: 'webhook' })).toMatch(/Check the webhook URL in `source\.url`\.$/);
    expect(describeNonJsonAnswer(status, type, text, { source: 'oauth' })).toMatch(/Check the portal address in `source\.portal`\.$/);
  });

  it('WRONG_AUTH_TYPE points each kind at the other', () => {
    expect(describePortalError('WRONG_AUTH_TYPE', '', 403, { source: 'webhook' })).toContain('Use OAuth instead of the webhook');
    expect(describePortalError('WRONG_AUTH_TYPE', '', 403, { source: 'oauth' })).toContain('Use an inbound webhook instead of OAuth');
  });

  it('names the method that failed, never crm.enum.ownertype for another', () => {
    for (const info of Object.values(PORTAL_ERRORS)) {
      for (const text of [info.meaning, info.action].flatMap((advice) => (typeof advice === 'string' ? [advice] : Object.values(advice)))) {
        expect(text).not.toContain('crm.enum.ownertype');
      }
    }
    expect(describePortalError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404, { method: 'crm.type.getByEntityTypeId' })).toContain(
      'the portal does not know crm.type.getByEntityTypeId',
    );
    expect(describePortalError('NEW_CODE', 'x', 400, { method: 'crm.category.list', inBatch: true, source: 'webhook' })).toBe(
      "Portal error NEW_CODE from crm.category.list (inside a batch, HTTP 400): X. See the Bitrix24 REST documentation for crm.category.list and this code, and check the webhook and its user's permissions.",
    );
  });
});

describe('answers that are not text are described in words', () => {
  it('a compressed body', () => {
    const gzip = '\u001f\ufffd\b\u0000\u0000\u0000\u0000\u0000\u0000\u0003\ufffdV*J-.\ufffd)Q';
    const message = describeNonJsonAnswer(200, 'application/json', gzip, { contentEncoding: 'gzip', bytes: 734 });
    expect(message).toBe(
      'The portal answered HTTP 200 with a gzip-compressed body (content-encoding: gzip, 734 bytes, application/json) although gen-ownertypes asks for uncompressed JSON; a proxy in between may be compressing answers. Check the proxy; check the webhook URL or portal address.',
    );
  });

  it.each([
    ['gzip bytes without a header', '\u001f\ufffd\b\u0000\u0003\ufffdV*J-'],
    ['a NUL byte', 'PK\u0003\u0004\u0000\u0000'],
    ['replacement characters', '\ufffd\ufffd\ufffd\ufffd'],
  ])('binary data: %s', (_name, text) => {
    const message = describeNonJsonAnswer(200, 'application/octet-stream', text, { bytes: 4096 });
    expect(message).toBe('The portal answered HTTP 200 with 4096 bytes of binary data (application/octet-stream) instead of JSON. Check the webhook URL or portal address.');
    expect(message).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
  });

  it.each([
    ['inside an array', '{"result":[{"ID":1'],
    ['inside a string', '{"result":[{"NAME":"Equip'],
    ['after a key', '{"result":{"result":{"ownerTypes":'],
  ])('JSON cut short %s', (_name, text) => {
    const message = describeNonJsonAnswer(200, 'application/json', text);
    expect(message).toContain(`cut short after ${Buffer.byteLength(text)} bytes`);
  });

  it('large sizes in KiB', () => {
    expect(describeNonJsonAnswer(200, undefined, '\u0000', { bytes: 1_048_576 })).toContain('1024 KiB of binary data');
  });
});
