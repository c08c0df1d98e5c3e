import { InvalidResponseError, PortalError } from '../shared/errors.js';

/**
 * How an error may be retried: `rate-limit` (increasing delay), `operation-limit` (wait for the method's
 * time budget to reset, ~10 s or more), `server` (a few times with backoff), `never`.
 */
export type RetryClass = 'rate-limit' | 'operation-limit' | 'server' | 'never';

/** What an error code means for someone running the generator. */
export interface PortalErrorInfo {
  /** Plain words: what happened. */
  readonly meaning: string;
  /** What to do next. */
  readonly action: string;
  readonly retry: RetryClass;
  /** The HTTP status the documentation gives. */
  readonly documentedStatus: number;
  /** What live portals were seen to send, when it differs from the documentation. */
  readonly liveStatus?: number;
  /** The portal's usual `error_description` (English). */
  readonly description?: string;
}

const WEBHOOK_HINT = 'Check B24_WEBHOOK_URL / --webhook (Developer resources → Other → Inbound webhook)';
const TOKEN_HINT = 'pass a fresh access token via B24_ACCESS_TOKEN (or --token)';

/**
 * The REST error table, keyed on the `error` string: live portals do not always send the documented status,
 * so the status never decides what an error means.
 */
export const PORTAL_ERRORS: Readonly<Record<string, PortalErrorInfo>> = {
  QUERY_LIMIT_EXCEEDED: {
    meaning: 'too many requests to this portal right now (its REST rate limit)',
    action: 'Wait a little and run again; if it keeps happening, other integrations are using up the limit',
    retry: 'rate-limit',
    documentedStatus: 503,
    description: 'Too many requests',
  },
  OPERATION_TIME_LIMIT: {
    meaning: 'the method used up its server-time budget on this portal (about 480 s in 10 minutes)',
    action: 'Wait about 10 minutes and run again',
    retry: 'operation-limit',
    documentedStatus: 429,
    description: 'Method is blocked due to operation time limit',
  },
  OVERLOAD_LIMIT: {
    meaning: 'REST is blocked on this portal by a manual block, which does not lift by itself',
    action: 'Contact Bitrix24 support to have it lifted',
    retry: 'never',
    documentedStatus: 503,
    description: 'REST API is blocked due to overload',
  },
  INTERNAL_SERVER_ERROR: {
    meaning: 'the portal failed internally',
    action: 'Run again later; if it persists, contact the portal administrator or Bitrix24 support',
    retry: 'server',
    documentedStatus: 500,
    description: 'Internal server error',
  },
  ERROR_UNEXPECTED_ANSWER: {
    meaning: 'the portal failed internally',
    action: 'Run again later; if it persists, contact the portal administrator or Bitrix24 support',
    retry: 'server',
    documentedStatus: 500,
    description: 'Server returned an unexpected response',
  },
  NO_AUTH_FOUND: {
    meaning: 'the portal found no valid webhook code or access token in the request',
    action: `${WEBHOOK_HINT}, or ${TOKEN_HINT}`,
    retry: 'never',
    documentedStatus: 401,
    description: 'Wrong authorization data',
  },
  INVALID_CREDENTIALS: {
    meaning: 'the portal rejected the webhook code (wrong or deleted webhook, or its user lacks permission)',
    action: WEBHOOK_HINT,
    retry: 'never',
    documentedStatus: 403,
    liveStatus: 401,
    description: 'Invalid request credentials',
  },
  INVALID_REQUEST: {
    meaning: 'the portal requires HTTPS',
    action: 'Use an https:// address for the webhook or portal',
    retry: 'never',
    documentedStatus: 400,
    liveStatus: 401,
    description: 'Https required.',
  },
  ACCESS_DENIED: {
    meaning: 'REST is available only on commercial Bitrix24 plans, or the user lacks permission',
    action: 'Check the portal plan, and that the webhook or token user may use the CRM',
    retry: 'never',
    documentedStatus: 403,
    liveStatus: 403,
    description: 'REST API is available only on commercial plans',
  },
  insufficient_scope: {
    meaning: 'the webhook or application lacks the crm scope',
    action: 'Edit the inbound webhook (Developer resources → Other → Inbound webhook) and tick the "CRM (crm)" permission',
    retry: 'never',
    documentedStatus: 403,
    liveStatus: 401,
    description: 'The request requires higher privileges than provided by the webhook token',
  },
  expired_token: {
    meaning: 'the OAuth access token expired (they live one hour)',
    action: `Refresh it and ${TOKEN_HINT}`,
    retry: 'never',
    documentedStatus: 401,
    liveStatus: 401,
    description: 'The access token provided has expired.',
  },
  invalid_token: {
    meaning: 'the portal does not recognise the OAuth access token',
    action: `Check the token is for this portal and ${TOKEN_HINT}`,
    retry: 'never',
    documentedStatus: 401,
    description: 'The access token provided is invalid.',
  },
  authorization_error: {
    meaning: 'the portal could not authorize the request',
    action: `${WEBHOOK_HINT}, or ${TOKEN_HINT}`,
    retry: 'never',
    documentedStatus: 401,
  },
  PAYMENT_REQUIRED: {
    meaning: 'the portal or the application is not paid for',
    action: 'Check the subscription of the portal or the application',
    retry: 'never',
    documentedStatus: 402,
  },
  WRONG_AUTH_TYPE: {
    meaning: 'this kind of authorization is not accepted for the method',
    action: 'Use an inbound webhook (B24_WEBHOOK_URL) or an OAuth token (B24_ACCESS_TOKEN)',
    retry: 'never',
    documentedStatus: 403,
  },
  user_access_error: {
    meaning: 'the user has no access to the application (the administrator restricted it to certain users)',
    action: 'Ask the portal administrator to give this user access to the application',
    retry: 'never',
    documentedStatus: 403,
  },
  allowed_only_intranet_user: {
    meaning: 'only intranet (employee) users may call REST; this user is an extranet or external user',
    action: 'Use a webhook or token of an employee user',
    retry: 'never',
    documentedStatus: 403,
  },
  ERROR_METHOD_NOT_FOUND: {
    meaning: 'the portal does not know crm.enum.ownertype (the CRM module may be missing or too old)',
    action: 'Check that the address points at a Bitrix24 portal with the CRM enabled',
    retry: 'never',
    documentedStatus: 404,
    description: 'Method not found!',
  },
  ERROR_MANIFEST_IS_NOT_AVAILABLE: {
    meaning: 'the manifest is not available',
    action: 'Check the portal address',
    retry: 'never',
    documentedStatus: 404,
  },
  ERROR_BATCH_METHOD_NOT_ALLOWED: {
    meaning: 'the method may not be called inside batch',
    action: 'Call crm.enum.ownertype directly',
    retry: 'never',
    documentedStatus: 400,
  },
  ERROR_BATCH_LENGTH_EXCEEDED: {
    meaning: 'the batch parameters are too long',
    action: 'Call crm.enum.ownertype directly',
    retry: 'never',
    documentedStatus: 400,
  },
  PORTAL_DELETED: {
    meaning: 'the portal was deleted, or (on-premise) its public part is closed',
    action: 'Check the portal address; on-premise, turn off "Temporary closure of the public part of the site" in the Main module settings',
    retry: 'never',
    documentedStatus: 500,
    liveStatus: 403,
    description: 'Portal was deleted',
  },
};

const NO_CODE_ACCESS_DENIED: PortalErrorInfo = {
  meaning: 'the webhook or token user has no access to the CRM',
  action: 'Give that user CRM access (or use a webhook of a user who has it)',
  retry: 'never',
  documentedStatus: 400,
  description: 'Access denied.',
};

/** The `error` and `error_description` of a Bitrix error body, or `undefined` when `body` is not one. */
export interface BitrixErrorBody {
  /** The code as sent; the number 0 and a missing code become `""`. */
  readonly error: string;
  readonly description: string;
}

/**
 * Reads a Bitrix error body: an object with an `error` key that is a string or a number (extra keys are
 * allowed). An OAuth-style `{ error: { … } }` object is not one.
 */
export function readBitrixError(body: unknown): BitrixErrorBody | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('error' in body)) return undefined;
  const { error, error_description: description } = body as { error: unknown; error_description?: unknown };
  if (typeof error !== 'string' && typeof error !== 'number') return undefined;
  return {
    error: error === 0 ? '' : String(error),
    description: typeof description === 'string' ? description : description === undefined || description === null ? '' : String(description),
  };
}

/** The table entry for a code: exact match first, then case-insensitive (descriptions and case vary by portal). */
export function lookupPortalError(error: string, description = ''): PortalErrorInfo | undefined {
  if (error === '') {
    return /^\s*access denied\.?\s*$/i.test(description) ? NO_CODE_ACCESS_DENIED : undefined;
  }
  const exact = PORTAL_ERRORS[error];
  if (exact !== undefined) return exact;
  const lower = error.toLowerCase();
  for (const [code, info] of Object.entries(PORTAL_ERRORS)) {
    if (code.toLowerCase() === lower) return info;
  }
  return undefined;
}

/** How to retry an error: by its code when known, else by the HTTP status (5xx → server, 429 → rate-limit). */
export function retryClassOf(error: string, status: number, description = ''): RetryClass {
  const info = lookupPortalError(error, description);
  if (info !== undefined) return info.retry;
  if (status === 429) return 'rate-limit';
  return status >= 500 ? 'server' : 'never';
}

/** Portal text as it may appear in a message: one line, printable, bounded. */
export function cleanPortalText(text: string, max = 200): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/**
 * The message for a Bitrix error body, e.g. `Portal error INVALID_CREDENTIALS (HTTP 401): Invalid request
 * credentials — the portal rejected the webhook code (…). Check B24_WEBHOOK_URL / --webhook (…).`
 */
export function describePortalError(error: string, description: string, status: number): string {
  const info = lookupPortalError(error, description);
  const code = error === '' ? 'with no code' : cleanPortalText(error, 80);
  const said = cleanPortalText(description);
  const head = `Portal error ${code} (HTTP ${status})`;
  if (info === undefined) {
    const what = said === '' ? 'no description' : said;
    const next =
      status >= 500
        ? 'The portal failed; run again later, and contact the portal administrator if it persists.'
        : 'See the Bitrix24 REST documentation for this code, and check the webhook or token and its permissions.';
    return `${head}: ${sentence(what)} ${next}`;
  }
  const lead = said === '' ? '' : `${said.replace(/[.!]+$/, '')} — `;
  return `${head}: ${lead}${info.meaning}. ${sentence(info.action)}`;
}

/** A `PortalError` for a Bitrix error body. */
export function createPortalError(body: BitrixErrorBody, status: number): PortalError {
  return new PortalError(describePortalError(body.error, body.description, status), body.error, body.description, status);
}

function snippetOf(text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
  const source = title ?? h1 ?? text;
  const stripped = source
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  return cleanPortalText(stripped, 80);
}

/**
 * The message for an answer that is not a Bitrix JSON body (an HTML gateway page, an empty body, a login
 * page): the status, the content type and at most a short snippet, never a parse error.
 */
export function describeNonJsonAnswer(status: number, contentType: string | undefined, text: string): string {
  const type = cleanPortalText(contentType?.split(';')[0] ?? '', 60) || 'no content type';
  const snippet = text.trim() === '' ? '' : snippetOf(text);
  const body = text.trim() === '' ? `an empty body (${type})` : `${type}${snippet === '' ? '' : ` ("${snippet}")`}`;
  const head = `The portal answered HTTP ${status} with ${body} instead of JSON`;
  if (status === 502 || status === 503 || status === 504) {
    return `${head}: a gateway in front of the portal failed. This is usually temporary; run again later.`;
  }
  if (status >= 500) return `${head}: the portal failed. Run again later.`;
  if (status === 404) return `${head}: nothing answers at that address. Check the webhook URL or portal address.`;
  if (status >= 200 && status < 300) {
    return `${head}: the address does not look like a Bitrix24 REST endpoint (a login or landing page usually means a wrong URL). Check the webhook URL or portal address.`;
  }
  return `${head}. Check the webhook URL or portal address.`;
}

/** An `InvalidResponseError` for an answer that is not JSON. */
export function createNonJsonError(status: number, contentType: string | undefined, text: string): InvalidResponseError {
  return new InvalidResponseError(describeNonJsonAnswer(status, contentType, text));
}
