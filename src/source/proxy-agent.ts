import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { ProxySettings } from './proxy.js';

/**
 * The dispatcher for a run with a proxy variable set: undici's EnvHttpProxyAgent, given the settings read
 * once by proxy.ts so that what `--verbose` says and what is sent cannot disagree. https (and, as undici
 * does by default, http) goes through a CONNECT tunnel: the proxy sees `CONNECT host:port`, never the
 * webhook path. Credentials in the proxy URL are sent as `Proxy-Authorization`.
 *
 * Its own module, imported only when a proxy is set: the bundle keeps the proxy agent out of the start-up
 * of every other run (scripts/build.mjs).
 */
export function createProxyAgent(settings: ProxySettings, timeoutMs: number, keepAliveTimeout: number): Dispatcher {
  return new EnvHttpProxyAgent({
    httpProxy: settings.httpProxy,
    httpsProxy: settings.httpsProxy,
    noProxy: settings.noProxy,
    connect: { timeout: timeoutMs },
    proxyTls: { timeout: timeoutMs },
    requestTls: { timeout: timeoutMs },
    keepAliveTimeout,
  });
}
