import type { SourceNames } from './source.js';
import { InvalidResponseError, PortalError } from '../shared/errors.js';

/**
 * How an error may be retried: `rate-limit` (increasing delay), `operation-limit` (wait for the method's
 * time budget to reset, ~10 s or more), `server` (a few times with backoff), `never`.
 */
export type RetryClass = 'rate-limit' | 'operation-limit' | 'server' | 'never';

/** How the request was authorized: advice depends on it (a webhook user has no token to refresh). */
export type SourceKind = 'webhook' | 'oauth';

/** Text that differs by source kind; `any` when the kind is not known (a library caller's own message). */
type Advice = string | { readonly webhook: string; readonly oauth: string; readonly any: string };

/** What an error code means for someone running the generator. `{method}` stands for the method that failed. */
export interface PortalErrorInfo {
  /** Plain words: what happened. */
  readonly meaning: Advice;
  /** What to do next. */
  readonly action: Advice;
  readonly retry: RetryClass;
  /**
   * `run`: about the credentials, the plan or the portal, so every other call fails the same way (fatal,
   * also for one command of a batch); `method`: about the one method (a right the user lacks for it, a
   * method an older portal lacks), for the caller to judge.
   */
  readonly affects: 'run' | 'method';
  /** The HTTP status the documentation gives. */
  readonly documentedStatus: number;
  /** What live portals were seen to send, when it differs from the documentation. */
  readonly liveStatus?: number;
  /** The portal's usual `error_description` (English). */
  readonly description?: string;
}

// {webhook}, {portal} and {token} stand for where the caller sets each (SourceNames): the CLI's variables
// and flags, a named portal's config entry, or a library caller's own options.
const WEBHOOK_HINT = 'Check {webhook} (Developer resources → Other → Inbound webhook)';
const TOKEN_HINT = 'pass a fresh access token via {token}';
const FAILED = 'Run again later; if it persists, contact the portal administrator or Bitrix24 support';

/**
 * The REST error table, keyed on the `error` string: live portals do not always send the documented status,
 * so the status never decides what an error means. Generic: it serves every method.
 */
export const PORTAL_ERRORS: Readonly<Record<string, PortalErrorInfo>> = {
  QUERY_LIMIT_EXCEEDED: {
    meaning: 'too many requests to this portal right now (its REST rate limit)',
    action: 'Wait a little and run again; if it keeps happening, other integrations are using up the limit',
    retry: 'rate-limit',
    affects: 'run',
    documentedStatus: 503,
    description: 'Too many requests',
  },
  OPERATION_TIME_LIMIT: {
    meaning: '{method} used up its server-time budget on this portal (about 480 s in 10 minutes)',
    action: 'Wait about 10 minutes and run again',
    retry: 'operation-limit',
    affects: 'run',
    documentedStatus: 429,
    description: 'Method is blocked due to operation time limit',
  },
  OVERLOAD_LIMIT: {
    meaning: 'REST is blocked on this portal by a manual block, which does not lift by itself',
    action: 'Contact Bitrix24 support to have it lifted',
    retry: 'never',
    affects: 'run',
    documentedStatus: 503,
    description: 'REST API is blocked due to overload',
  },
  INTERNAL_SERVER_ERROR: {
    meaning: 'the portal failed internally',
    action: FAILED,
    retry: 'server',
    affects: 'run',
    documentedStatus: 500,
    description: 'Internal server error',
  },
  ERROR_UNEXPECTED_ANSWER: {
    meaning: 'the portal failed internally',
    action: FAILED,
    retry: 'server',
    affects: 'run',
    documentedStatus: 500,
    description: 'Server returned an unexpected response',
  },
  NO_AUTH_FOUND: {
    meaning: {
      webhook: 'the portal found no valid webhook code in the request',
      oauth: 'the portal found no access token in the request',
      any: 'the portal found no valid webhook code or access token in the request',
    },
    action: { webhook: WEBHOOK_HINT, oauth: `Set the portal's access token: ${TOKEN_HINT}`, any: `${WEBHOOK_HINT}, or ${TOKEN_HINT}` },
    retry: 'never',
    affects: 'run',
    documentedStatus: 401,
    description: 'Wrong authorization data',
  },
  INVALID_CREDENTIALS: {
    meaning: {
      webhook: 'the portal rejected the webhook code (wrong or deleted webhook, or its user lacks permission)',
      oauth: 'the portal rejected the credentials of the request',
      any: 'the portal rejected the webhook code (wrong or deleted webhook, or its user lacks permission)',
    },
    action: { webhook: WEBHOOK_HINT, oauth: `Check {portal}, and ${TOKEN_HINT}`, any: WEBHOOK_HINT },
    retry: 'never',
    affects: 'run',
    documentedStatus: 403,
    liveStatus: 401,
    description: 'Invalid request credentials',
  },
  INVALID_REQUEST: {
    meaning: 'the portal requires HTTPS',
    action: {
      webhook: 'Use the https:// address of the webhook in {webhook}',
      oauth: 'Use the https:// origin of the portal in {portal}',
      any: 'Use an https:// address for the webhook or portal',
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 400,
    liveStatus: 401,
    description: 'Https required.',
  },
  ACCESS_DENIED: {
    meaning: {
      webhook: "REST is available only on commercial Bitrix24 plans, or the webhook's user lacks permission for {method}",
      oauth: "REST is available only on commercial Bitrix24 plans, or the token's user lacks permission for {method}",
      any: 'REST is available only on commercial Bitrix24 plans, or the user lacks permission',
    },
    action: {
      webhook: "Check the portal plan, and that the webhook's user may use the CRM",
      oauth: "Check the portal plan, and that the token's user may use the CRM",
      any: 'Check the portal plan, and that the webhook or token user may use the CRM',
    },
    retry: 'never',
    affects: 'method',
    documentedStatus: 403,
    liveStatus: 403,
    description: 'REST API is available only on commercial plans',
  },
  insufficient_scope: {
    meaning: {
      webhook: 'the webhook lacks the crm scope',
      oauth: "the application's access token lacks the crm scope",
      any: 'the webhook or application lacks the crm scope',
    },
    action: {
      webhook: 'Edit the inbound webhook (Developer resources → Other → Inbound webhook) and tick the "CRM (crm)" permission',
      oauth: `Add the "crm" scope to the application, reinstall it on the portal, and ${TOKEN_HINT}`,
      any: 'Edit the inbound webhook (Developer resources → Other → Inbound webhook) and tick the "CRM (crm)" permission',
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 403,
    liveStatus: 401,
    description: 'The request requires higher privileges than provided by the webhook token',
  },
  expired_token: {
    meaning: {
      webhook: 'the portal took the request for an OAuth call with an expired token, which a webhook URL should never be',
      oauth: 'the OAuth access token expired (they live one hour)',
      any: 'the OAuth access token expired (they live one hour)',
    },
    action: {
      webhook: `${WEBHOOK_HINT}: it must be the whole URL, https://PORTAL/rest/USER_ID/CODE/`,
      oauth: `Refresh it and ${TOKEN_HINT}`,
      any: `Refresh it and ${TOKEN_HINT}`,
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 401,
    liveStatus: 401,
    description: 'The access token provided has expired.',
  },
  invalid_token: {
    meaning: {
      webhook: 'the portal does not recognise the credentials of the request',
      oauth: 'the portal does not recognise the OAuth access token',
      any: 'the portal does not recognise the OAuth access token',
    },
    action: {
      webhook: `${WEBHOOK_HINT}: it must be the whole URL, https://PORTAL/rest/USER_ID/CODE/`,
      oauth: `Check the token is for this portal and ${TOKEN_HINT}`,
      any: `Check the token is for this portal and ${TOKEN_HINT}`,
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 401,
    description: 'The access token provided is invalid.',
  },
  authorization_error: {
    meaning: 'the portal could not authorize the request',
    action: { webhook: WEBHOOK_HINT, oauth: `Check {portal}, and ${TOKEN_HINT}`, any: `${WEBHOOK_HINT}, or ${TOKEN_HINT}` },
    retry: 'never',
    affects: 'run',
    documentedStatus: 401,
  },
  PAYMENT_REQUIRED: {
    meaning: {
      webhook: 'the portal is not paid for',
      oauth: 'the portal or the application is not paid for',
      any: 'the portal or the application is not paid for',
    },
    action: {
      webhook: 'Check the subscription of the portal',
      oauth: 'Check the subscription of the portal or the application',
      any: 'Check the subscription of the portal or the application',
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 402,
  },
  WRONG_AUTH_TYPE: {
    meaning: {
      webhook: '{method} does not accept webhook authorization',
      oauth: '{method} does not accept OAuth authorization',
      any: 'this kind of authorization is not accepted for the method',
    },
    action: {
      webhook: 'Use OAuth instead of the webhook: {portal} and {token}',
      oauth: 'Use an inbound webhook instead of OAuth: {webhook}',
      any: 'Use an inbound webhook ({webhook}) or an OAuth token ({token})',
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 403,
  },
  user_access_error: {
    meaning: {
      webhook: "the webhook's user has no access to REST (the administrator restricted it to certain users)",
      oauth: 'the user has no access to the application (the administrator restricted it to certain users)',
      any: 'the user has no access to the application (the administrator restricted it to certain users)',
    },
    action: {
      webhook: 'Ask the portal administrator to give this user access, or use a webhook of a user who has it',
      oauth: 'Ask the portal administrator to give this user access to the application',
      any: 'Ask the portal administrator to give this user access to the application',
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 403,
  },
  allowed_only_intranet_user: {
    meaning: 'only intranet (employee) users may call REST; this user is an extranet or external user',
    action: {
      webhook: 'Use a webhook created by an employee user',
      oauth: 'Use an access token of an employee user',
      any: 'Use a webhook or token of an employee user',
    },
    retry: 'never',
    affects: 'run',
    documentedStatus: 403,
  },
  ERROR_METHOD_NOT_FOUND: {
    meaning: 'the portal does not know {method} (the CRM module may be missing or too old)',
    action: 'Check that the address points at a Bitrix24 portal with the CRM enabled',
    retry: 'never',
    affects: 'method',
    documentedStatus: 404,
    description: 'Method not found!',
  },
  ERROR_MANIFEST_IS_NOT_AVAILABLE: {
    meaning: 'the manifest is not available',
    action: 'Check the portal address',
    retry: 'never',
    affects: 'run',
    documentedStatus: 404,
  },
  ERROR_BATCH_METHOD_NOT_ALLOWED: {
    meaning: 'the portal does not allow {method} inside batch',
    action: 'This is a defect of gen-ownertypes: please report it, with the portal version if you know it',
    retry: 'never',
    affects: 'method',
    documentedStatus: 400,
  },
  ERROR_BATCH_LENGTH_EXCEEDED: {
    meaning: 'the batch held more commands than the portal allows',
    action: 'This is a defect of gen-ownertypes: please report it, with the portal version if you know it',
    retry: 'never',
    affects: 'method',
    documentedStatus: 400,
  },
  PORTAL_DELETED: {
    meaning: 'the portal was deleted, or (on-premise) its public part is closed',
    action: 'Check the portal address; on-premise, turn off "Temporary closure of the public part of the site" in the Main module settings',
    retry: 'never',
    affects: 'run',
    documentedStatus: 500,
    liveStatus: 403,
    description: 'Portal was deleted',
  },
};

/** `{"error": "", "error_description": "Access denied."}`: the old REST proxy's way of saying "no CRM access". */
const NO_CODE_ACCESS_DENIED: PortalErrorInfo = {
  meaning: {
    webhook: "the webhook's user has no access to the CRM",
    oauth: "the token's user has no access to the CRM",
    any: 'the webhook or token user has no access to the CRM',
  },
  action: {
    webhook: 'Give that user CRM access (or use a webhook of a user who has it)',
    oauth: 'Give that user CRM access (or use a token of a user who has it)',
    any: 'Give that user CRM access (or use a webhook of a user who has it)',
  },
  retry: 'never',
  affects: 'method',
  documentedStatus: 400,
  description: 'Access denied.',
};

/** The text of `advice` for a source kind, with `{method}` filled in. */
function adviceFor(advice: Advice, context: ErrorContext, method: string | undefined): string {
  const text = typeof advice === 'string' ? advice : advice[context.source ?? 'any'];
  return withNames(text, context.names).replaceAll('{method}', method ?? 'the method');
}

/**
 * How messages name where a source's values are set when the caller does not say: the fields of the
 * `source` option of `generate()` and `fetchOwnerTypes()`.
 */
export const DEFAULT_SOURCE_NAMES: SourceNames = { webhook: '`source.url`', portal: '`source.portal`', token: '`source.token`' };

/** Advice text with `{webhook}`, `{portal}` and `{token}` replaced by where the caller sets each. */
function withNames(text: string, names: SourceNames = DEFAULT_SOURCE_NAMES): string {
  return text.replace(/\{(webhook|portal|token)\}/g, (_whole, key: keyof SourceNames) => names[key]);
}

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
function cleanPortalText(text: string, max = 200): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** What a message about a portal error may know of the call. */
export interface ErrorContext {
  /** The method that failed (`crm.type.list`). */
  readonly method?: string | undefined;
  readonly source?: SourceKind | undefined;
  /** Where the caller sets the webhook, portal and token, for the advice. Default `DEFAULT_SOURCE_NAMES`. */
  readonly names?: SourceNames | undefined;
  /** The error is one command's answer inside a `batch` (which itself answered `status`). */
  readonly inBatch?: boolean | undefined;
}

/**
 * The message for a Bitrix error body, e.g. `Portal error INVALID_CREDENTIALS (HTTP 401): Invalid request
 * credentials — the portal rejected the webhook code (…). Check B24_WEBHOOK_URL (or --webhook) (…).`
 * The advice fits the source kind when `context.source` says it.
 */
export function describePortalError(error: string, description: string, status: number, context: ErrorContext = {}): string {
  const info = lookupPortalError(error, description);
  const code = error === '' ? 'with no code' : cleanPortalText(error, 80);
  const said = cleanPortalText(description);
  const method = context.method === undefined ? undefined : cleanPortalText(context.method, 80);
  const head =
    context.inBatch === true && method !== undefined
      ? `Portal error ${code} from ${method} (inside a batch, HTTP ${status})`
      : `Portal error ${code} (HTTP ${status})`;
  if (info === undefined) {
    const what = said === '' ? 'no description' : said;
    const next =
      status >= 500 && context.inBatch !== true
        ? 'The portal failed; run again later, and contact the portal administrator if it persists.'
        : `See the Bitrix24 REST documentation for ${method === undefined ? 'this code' : `${method} and this code`}, and check the ${
            context.source === 'webhook' ? "webhook and its user's" : context.source === 'oauth' ? "token and its user's" : 'webhook or token and its'
          } permissions.`;
    return `${head}: ${sentence(what)} ${next}`;
  }
  const lead = said === '' ? '' : `${said.replace(/[.!]+$/, '')} — `;
  return `${head}: ${lead}${adviceFor(info.meaning, context, method)}. ${sentence(adviceFor(info.action, context, method))}`;
}

/** A `PortalError` for a Bitrix error body. */
export function createPortalError(body: BitrixErrorBody, status: number, context: ErrorContext = {}): PortalError {
  return new PortalError(describePortalError(body.error, body.description, status, context), body.error, body.description, status);
}

/** Whether an error stops the whole run even when it is one command's answer: credentials, plan, portal. */
export function affectsRun(error: string, description = ''): boolean {
  return lookupPortalError(error, description)?.affects === 'run';
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

/** Where to look when an answer is not what a portal sends: the address the user gave, by source kind. */
export function checkAddress(source?: SourceKind, names?: SourceNames): string {
  if (source === 'webhook') return withNames('Check the webhook URL in {webhook}', names);
  if (source === 'oauth') return withNames('Check the portal address in {portal}', names);
  return 'Check the webhook URL or portal address';
}

/** What the transport knows of an answer's bytes, beyond its text. */
export interface BodyDetails {
  /** Which address the user gave, for the advice. */
  readonly source?: SourceKind | undefined;
  /** Where the caller sets it, for the advice. */
  readonly names?: SourceNames | undefined;
  /** The `Content-Encoding` header, when the portal sent one. */
  readonly contentEncoding?: string | undefined;
  /** The size of the body as received, in bytes. */
  readonly bytes?: number | undefined;
}

/** Text decoded from bytes that are not text: control characters or replacement characters early on. */
function looksBinary(text: string): boolean {
  return /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\ufffd]/.test(text.slice(0, 1024));
}

/** JSON that starts like JSON but ends inside a string, an object or an array: the answer was cut short. */
function looksCutShort(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < trimmed.length; i++) {
    const char = trimmed.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) depth++;
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return inString || depth > 0;
}

function sizeOf(bytes: number): string {
  return bytes >= 10_240 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/**
 * The message for an answer that is not a Bitrix JSON body (an HTML gateway page, an empty body, a login
 * page, compressed or binary bytes, JSON cut short): the status, the content type and, for text, at most a
 * short snippet; never raw bytes, never a parse error.
 */
export function describeNonJsonAnswer(status: number, contentType: string | undefined, text: string, details: BodyDetails = {}): string {
  const type = cleanPortalText(contentType?.split(';')[0] ?? '', 60) || 'no content type';
  const bytes = details.bytes ?? Buffer.byteLength(text);
  const encoding = cleanPortalText(details.contentEncoding ?? '', 40).toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    return (
      `The portal answered HTTP ${status} with a ${encoding}-compressed body (content-encoding: ${encoding}, ${sizeOf(bytes)}, ${type}) ` +
      `although gen-ownertypes asks for uncompressed JSON; a proxy in between may be compressing answers. Check the proxy; ${checkAddress(details.source, details.names).replace(/^C/, 'c')}.`
    );
  }
  if (looksBinary(text)) {
    return `The portal answered HTTP ${status} with ${sizeOf(bytes)} of binary data (${type}) instead of JSON. ${checkAddress(details.source, details.names)}.`;
  }
  const snippet = text.trim() === '' ? '' : snippetOf(text);
  const body = text.trim() === '' ? `an empty body (${type})` : `${type}${snippet === '' ? '' : ` ("${snippet}")`}`;
  const head = `The portal answered HTTP ${status} with ${body} instead of JSON`;
  if (looksCutShort(text)) {
    return `${head}: the answer is cut short after ${sizeOf(bytes)} (the connection or a proxy ended it early). Run again; if it persists, check the network between here and the portal.`;
  }
  if (status === 502 || status === 503 || status === 504) {
    return `${head}: a gateway in front of the portal failed. This is usually temporary; run again later.`;
  }
  if (status >= 500) return `${head}: the portal failed. Run again later.`;
  if (status === 404) return `${head}: nothing answers at that address. ${checkAddress(details.source, details.names)}.`;
  if (status >= 200 && status < 300) {
    return `${head}: the address does not look like a Bitrix24 REST endpoint (a login or landing page usually means a wrong URL). ${checkAddress(details.source, details.names)}.`;
  }
  return `${head}. ${checkAddress(details.source, details.names)}.`;
}

/** An `InvalidResponseError` for an answer that is not JSON. */
export function createNonJsonError(status: number, contentType: string | undefined, text: string, details: BodyDetails = {}): InvalidResponseError {
  return new InvalidResponseError(describeNonJsonAnswer(status, contentType, text, details));
}
