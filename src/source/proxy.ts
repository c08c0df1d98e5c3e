import { UsageError } from '../shared/errors.js';

/**
 * Proxies from the environment, decided the way undici's `EnvHttpProxyAgent` decides (which does the
 * sending): lower-case variables before upper-case ones, `https_proxy` for https origins and `http_proxy`
 * for http ones (and for https when no https proxy is set), `no_proxy` entries matching the host or a
 * parent domain, optionally with a port, `*` for everything. The decision is repeated here, pure, so
 * `--verbose` and the error messages can say which proxy a request went through.
 */
export interface ProxySettings {
  /** The proxy for http origins, as undici will use it (`http://` added when the value had no scheme); `''` when none. */
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly noProxy: string;
  /** The variables the values came from, for messages: `HTTPS_PROXY`, `http_proxy`… */
  readonly variables: { readonly http?: string; readonly https?: string; readonly noProxy?: string };
}

/** Where a request to one origin goes. `proxy` is `host:port`, never with credentials. */
export type ProxyRoute =
  | { readonly kind: 'direct' }
  | { readonly kind: 'bypass'; readonly proxy: string; readonly variable: string }
  | { readonly kind: 'proxy'; readonly proxy: string; readonly variable: string; readonly credentials: boolean };

export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks:', 'socks5:']);

/** `undici`'s precedence: the lower-case name wins, even when it is set to the empty string. */
function pick(env: ProxyEnvironment, name: string): { value: string; variable: string } | undefined {
  const lower = env[name.toLowerCase()];
  if (lower !== undefined) return { value: lower, variable: name.toLowerCase() };
  const upper = env[name];
  return upper === undefined ? undefined : { value: upper, variable: name };
}

/** `proxy.corp:3128` is taken as `http://proxy.corp:3128`, as curl takes it. */
function proxyUrl(value: string, variable: string): string {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${variable} is not a proxy URL. Set it to http://HOST:PORT (credentials as http://USER:PASSWORD@HOST:PORT), or unset it.`);
  }
  if (!PROXY_SCHEMES.has(url.protocol) || url.hostname === '') {
    throw new UsageError(
      `${variable} names a ${url.protocol.replace(/:$/, '')}:// proxy${url.hostname === '' ? ' without a host' : ''}; gen-ownertypes speaks to http, https and socks5 proxies. Set it to http://HOST:PORT, or unset it.`,
    );
  }
  return withScheme;
}

/**
 * The proxy settings of an environment, or `undefined` when no proxy variable is set at all (the run then
 * never loads the proxy agent). Throws a `UsageError` for a value that is not a proxy URL.
 */
export function proxySettingsFrom(env: ProxyEnvironment): ProxySettings | undefined {
  const http = pick(env, 'HTTP_PROXY');
  const https = pick(env, 'HTTPS_PROXY');
  if ((http?.value.trim() ?? '') === '' && (https?.value.trim() ?? '') === '') return undefined;
  const noProxy = pick(env, 'NO_PROXY');
  return {
    httpProxy: http !== undefined && http.value.trim() !== '' ? proxyUrl(http.value, http.variable) : '',
    httpsProxy: https !== undefined && https.value.trim() !== '' ? proxyUrl(https.value, https.variable) : '',
    noProxy: noProxy?.value ?? '',
    variables: {
      ...(http !== undefined && http.value.trim() !== '' && { http: http.variable }),
      ...(https !== undefined && https.value.trim() !== '' && { https: https.variable }),
      ...(noProxy !== undefined && { noProxy: noProxy.variable }),
    },
  };
}

/** `host:port` of a proxy URL, the port always shown: what a message may say of a proxy. */
export function describeProxy(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port === '' ? (DEFAULT_PORTS[parsed.protocol] ?? 1080) : parsed.port}`;
}

/** Does `no_proxy` exempt this host and port? The rules of undici's EnvHttpProxyAgent, entry for entry. */
export function bypassesProxy(noProxy: string, hostname: string, port: number): boolean {
  const value = noProxy;
  const entries = value
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const parsed = /^(.+):(\d+)$/.exec(entry);
      return { hostname: (parsed?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase(), port: parsed === null ? 0 : Number.parseInt(parsed[2]!, 10) };
    });
  if (entries.length === 0) return false;
  if (value === '*') return true;
  return entries.some(
    (entry) => (entry.port === 0 || entry.port === port) && (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)),
  );
}

/** Where a request to `origin` goes under `settings`. */
export function proxyRoute(origin: URL, settings: ProxySettings | undefined): ProxyRoute {
  if (settings === undefined) return { kind: 'direct' };
  const https = origin.protocol === 'https:';
  const chosen = https && settings.httpsProxy !== '' ? settings.httpsProxy : settings.httpProxy;
  const variable = https && settings.httpsProxy !== '' ? settings.variables.https : settings.variables.http;
  if (chosen === '' || variable === undefined) return { kind: 'direct' };
  // Like undici: the host with IPv6 brackets kept, the port made explicit.
  const hostname = origin.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(origin.port, 10) || DEFAULT_PORTS[origin.protocol] || 0;
  const proxy = describeProxy(chosen);
  if (bypassesProxy(settings.noProxy, hostname, port)) return { kind: 'bypass', proxy, variable: settings.variables.noProxy ?? 'NO_PROXY' };
  const parsed = new URL(chosen);
  return { kind: 'proxy', proxy, variable, credentials: parsed.username !== '' || parsed.password !== '' };
}

/** One line for `--verbose`: how requests to `host` travel. */
export function describeRoute(route: ProxyRoute, host: string, protocol: string): string {
  if (route.kind === 'proxy') return `connecting to ${host} through the proxy ${route.proxy} (${route.variable})`;
  if (route.kind === 'bypass') return `connecting to ${host} directly: ${route.variable} matches it, so the proxy ${route.proxy} is not used`;
  return `connecting to ${host} directly: no proxy is set for ${protocol.replace(/:$/, '')}`;
}

/**
 * The proxy credentials as they may show up in text: user and password, raw and decoded, and the
 * `Proxy-Authorization` value built from them. They are secrets like the webhook code.
 */
export function proxySecretsOf(settings: ProxySettings | undefined): string[] {
  if (settings === undefined) return [];
  const secrets = new Set<string>();
  for (const value of [settings.httpProxy, settings.httpsProxy]) {
    if (value === '') continue;
    const { username, password } = new URL(value);
    if (username === '' && password === '') continue;
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    for (const part of [username, password]) {
      if (part === '') continue;
      secrets.add(part);
      secrets.add(decode(part));
    }
    secrets.add(Buffer.from(`${decode(username)}:${decode(password)}`).toString('base64'));
  }
  return [...secrets];
}
