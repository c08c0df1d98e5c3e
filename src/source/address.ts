import { ConfigError } from '../shared/errors.js';

/** A parsed inbound webhook: `https://PORTAL/rest/USER_ID/CODE/`. `code` is a password. */
export interface WebhookAddress {
  /** `https://example.bitrix24.com` (with the port when it is not the default one). */
  readonly origin: string;
  /** `example.bitrix24.com` (plus `:port` when not the default). Never a secret. */
  readonly host: string;
  readonly userId: string;
  /** The webhook code. A secret: never print it. */
  readonly code: string;
  /** `https://PORTAL/rest/USER_ID/CODE/<method>`. Holds the code: never print it. */
  methodUrl(method: string): string;
}

/** A parsed portal origin, for OAuth calls (`https://PORTAL/rest/<method>`). */
export interface PortalAddress {
  readonly origin: string;
  readonly host: string;
  methodUrl(method: string): string;
}

const WEBHOOK_SHAPE = 'https://PORTAL/rest/USER_ID/CODE/ (an inbound webhook with the crm scope)';
const PORTAL_SHAPE = 'the portal origin, e.g. https://example.bitrix24.com';

/** 127.0.0.0/8, `localhost` and `::1`: the only hosts plain http may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * A URL as it may be shown: origin plus the path with the webhook code masked, no credentials, query or
 * fragment. Anything after `/rest/USER_ID/` is treated as secret.
 */
export function redactUrl(url: URL): string {
  const segments = url.pathname.split('/');
  let path = url.pathname === '/' || url.pathname === '' ? '/' : '/…';
  if (segments[1] === 'rest') {
    // ['', 'rest', ('api',) userId, code, method?]: only `api`, user IDs and method names are shown.
    const user = segments[2] === 'api' ? 3 : 2;
    path = segments
      .map((segment, index) => {
        if (index < user || segment === '') return segment;
        if (index === user && (/^\d+$/.test(segment) || segment.includes('.'))) return segment;
        if (index >= user + 2 && /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_.]+$/.test(segment)) return segment;
        return '***';
      })
      .join('/');
  }
  return `${url.protocol}//${url.host}${path}${url.search === '' ? '' : '?…'}`;
}

function describeInput(input: string): string {
  try {
    return redactUrl(new URL(input));
  } catch {
    return 'the value given';
  }
}

function parseUrl(input: string, shape: string, what: string): URL {
  const trimmed = input.trim();
  if (trimmed === '') throw new ConfigError(`The ${what} is empty. Expected ${shape}.`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    const guess = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? undefined : describeHttps(trimmed);
    throw new ConfigError(
      `The ${what} is not a valid URL${guess === undefined ? '' : ` (did you mean ${guess}?)`}. Expected ${shape}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`The ${what} ${describeInput(trimmed)} uses ${url.protocol.replace(/:$/, '')}://; Bitrix24 needs https://. Expected ${shape}.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `Plain http:// to ${url.host} refused before anything is sent: the credentials would travel unencrypted. ` +
        `Use ${redactUrl(new URL(`https://${url.host}${url.pathname}`))} (http is allowed only for localhost, 127.0.0.0/8 and ::1).`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(`The ${what} ${describeInput(trimmed)} must not contain a user name or password. Expected ${shape}.`);
  }
  return url;
}

/** The input with https:// in front, when that gives a plausible host; a bare code or token is never echoed. */
function describeHttps(input: string): string | undefined {
  try {
    const url = new URL(`https://${input}`);
    return url.hostname.includes('.') || url.hostname === 'localhost' ? redactUrl(url) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses an inbound webhook URL, `https://PORTAL/rest/USER_ID/CODE/`. The trailing slash is optional, and a
 * trailing method name as copied from the portal's webhook page (`…/CODE/profile`,
 * `…/CODE/crm.enum.ownertype.json`) is ignored: the base is what matters. A query string is refused.
 * Errors are `ConfigError`s (an option's value that cannot be used) that show the URL with the code masked.
 */
export function parseWebhookUrl(input: string): WebhookAddress {
  const url = parseUrl(input, WEBHOOK_SHAPE, 'webhook URL');
  const shown = redactUrl(url);
  if (url.search !== '') {
    throw new ConfigError(`The webhook URL ${shown} has a query string; remove it. Expected ${WEBHOOK_SHAPE}.`);
  }
  const segments = url.pathname.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  if (segments[0] === 'rest' && segments[1] === 'api') {
    // REST 3.0 webhooks (/rest/api/USER_ID/CODE/) are the same webhooks, called at a new path that does not
    // offer the classic methods or batch.
    const classic = redactUrl(new URL(`${url.origin}/rest/${segments.slice(2, 4).join('/')}/`));
    throw new ConfigError(
      `The webhook URL ${shown} is a REST 3.0 address (/rest/api/USER_ID/CODE/); gen-ownertypes calls the classic REST API. ` +
        `Paste the classic form of the same webhook instead, without "api/": ${classic}`,
    );
  }
  const [rest, userId, code, method, ...extra] = segments;
  if (rest !== 'rest' || userId === undefined || code === undefined || code === '' || extra.length > 0) {
    throw new ConfigError(`The webhook URL ${shown} does not look like an inbound webhook. Expected ${WEBHOOK_SHAPE}.`);
  }
  if (!/^[1-9]\d*$/.test(userId)) {
    throw new ConfigError(`The webhook URL ${shown} has "${userId}" where the user ID (a number) belongs. Expected ${WEBHOOK_SHAPE}.`);
  }
  if (!/^[A-Za-z0-9_%-]+$/.test(code)) {
    throw new ConfigError(`The webhook URL ${shown} has an invalid webhook code. Expected ${WEBHOOK_SHAPE}.`);
  }
  if (method !== undefined && !/^[A-Za-z][A-Za-z0-9_.]*$/.test(method)) {
    throw new ConfigError(`The webhook URL ${shown} has an unexpected path after the code. Expected ${WEBHOOK_SHAPE}.`);
  }
  const origin = url.origin;
  return {
    origin,
    host: url.host,
    userId,
    code,
    methodUrl: (name) => `${origin}/rest/${userId}/${code}/${name}`,
  };
}

/** Parses a portal origin for OAuth calls. The path may be empty or `/`; any other path, a query or a fragment is refused. */
export function parsePortalUrl(input: string): PortalAddress {
  const url = parseUrl(input, PORTAL_SHAPE, 'portal URL');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new ConfigError(
      `The portal URL ${redactUrl(url)} has a path; give only the origin, e.g. ${url.origin}. (A webhook is a source of its own: \`webhook\`.)`,
      { option: 'portal' },
    );
  }
  const origin = url.origin;
  return { origin, host: url.host, methodUrl: (name) => `${origin}/rest/${name}` };
}
