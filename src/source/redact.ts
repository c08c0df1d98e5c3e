import { parseWebhookUrl } from './address.js';
import type { RemoteSource } from './source.js';

/**
 * Below this length a secret is masked only where credentials sit (a webhook path segment, an `auth`
 * value), never as a bare substring: a code of `1` or `api` must not turn every `1` of a message, the user
 * ID or the method name into `***`. Real webhook codes are 16 characters and tokens about 70.
 */
export const MIN_FREE_TEXT_SECRET = 8;

const MASK = '***';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret takes on the wire and in error texts: raw, URL-encoded and form-encoded. */
function formsOf(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), encodeURI(secret)]);
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  return [...forms].filter((form) => form !== '');
}

/**
 * Where a credential stands in a URL, a query, a form or a JSON body: after `/rest/USER_ID/` (or the
 * REST 3.0 `/rest/api/USER_ID/`), raw or URL-encoded, or as the value of `auth` / `access_token`.
 */
const CREDENTIAL_PREFIX = [
  String.raw`/rest/(?:api/)?[^/?#\s]*/`,
  String.raw`%2Frest%2F(?:api%2F)?(?:(?!%2F)[^/?#\s])*%2F`,
  String.raw`\b(?:auth|access_token)=`,
  String.raw`\b(?:auth|access_token)%3D`,
  String.raw`"(?:auth|access_token)"\s*:\s*"`,
].join('|');
/** The `user:password@` of a URL; the placeholder of our own advice stays. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)(?!USER:PASSWORD@)[^\s/?#@]+@/gi;
/** A credential ends where a path segment, a query value or a JSON string does. */
const CREDENTIAL_END = String.raw`(?=$|[/?#&"'\s<>)\],;]|%2F|%26|%22)`;

/**
 * Replaces each secret with `***`, raw and URL-encoded. Secrets of at least `MIN_FREE_TEXT_SECRET`
 * characters are masked wherever they occur (longest first, so a secret containing another is masked
 * whole); shorter ones only where a credential stands, so short or common strings are left readable.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const long = new Set<string>();
  const short = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of formsOf(secret)) (secret.length >= MIN_FREE_TEXT_SECRET ? long : short).add(form);
  }
  // Credentials in a URL (`http://user:pass@proxy:3128`) are masked whatever the secrets: a proxy URL
  // can reach a message through an error of the network stack.
  let result = text.replace(USERINFO, '$1***@');
  for (const form of [...long].sort((a, b) => b.length - a.length)) result = result.split(form).join(MASK);
  if (short.size > 0) {
    const alternatives = [...short].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
    const pattern = new RegExp(`(${CREDENTIAL_PREFIX})(?:${alternatives})${CREDENTIAL_END}`, 'g');
    result = result.replace(pattern, (_match, prefix: string) => `${prefix}${MASK}`);
  }
  return result;
}

/** Path segments of a webhook URL that are never secret: `api` (REST 3.0), user IDs and method names. */
function isPublicSegment(segment: string): boolean {
  return segment === '' || segment === 'api' || /^\d+$/.test(segment) || /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_.]+$/.test(segment);
}

/** The secrets a source carries: the webhook code, or the OAuth token. */
export function secretsOf(source: RemoteSource): string[] {
  if (source.kind === 'oauth') return source.token === '' ? [] : [source.token];
  try {
    return [parseWebhookUrl(source.url).code];
  } catch {
    // A URL that is not a valid webhook still must not leak what may be its code: every path segment after
    // /rest/ that is not a user ID, `api` or a method name.
    const path = /\/rest\/([^?#]*)/.exec(source.url)?.[1] ?? '';
    return path.split('/').filter((segment) => !isPublicSegment(segment));
  }
}

function containsSecret(value: unknown, secrets: readonly string[]): boolean {
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    return true;
  }
  return redact(text, secrets) !== text;
}

function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  try {
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
  } catch {
    // A frozen or non-configurable property stays; the walk is best effort on foreign objects.
  }
}

/**
 * Masks secrets in an error and everything it links to (`cause`, `errors`, string properties): undici and
 * Node errors can embed the request URL, which holds the webhook code.
 */
export function scrubError<T>(error: T, secrets: readonly string[]): T {
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(value)) {
      let current: unknown;
      try {
        current = record[key];
      } catch {
        continue;
      }
      if (typeof current === 'string') {
        const clean = redact(current, secrets);
        if (clean !== current) setProperty(record, key, clean);
      } else if (current instanceof Error || Array.isArray(current)) {
        visit(current, depth + 1);
      } else if (typeof current === 'object' && current !== null && containsSecret(current, secrets)) {
        setProperty(record, key, undefined);
      }
    }
  };
  if (secrets.some((secret) => secret !== '')) visit(error, 0);
  return error;
}
