import { describe, expect, it } from 'vitest';
import { InvalidResponseError, PortalError } from '../../src/shared/errors.js';
import {
  PORTAL_ERRORS,
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
    expect(message).toContain('B24_WEBHOOK_URL / --webhook (Developer resources → Other → Inbound webhook)');
  });

  it.each([
    ['insufficient_scope', '', 401, 'crm scope'],
    ['expired_token', 'The access token provided has expired.', 401, 'they live one hour'],
    ['expired_token', 'The access token provided has expired.', 401, 'B24_ACCESS_TOKEN'],
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
