import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.mjs';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { BIN, ROOT, runCli, tempProject, type CliRun } from '../support/run-cli.js';
import { makeTestCertificate, type TestCertificate } from '../support/tls.js';

// The built CLI behind a real forward proxy on 127.0.0.1: CONNECT tunnels to an https portal with a
// certificate made at test time (trusted through NODE_EXTRA_CA_CERTS), and to the plain-http loopback portal.

const CODE = 'proxy-webhook-code-7hq4x2';
const USER = 'builder';
const PASSWORD = 'p@ss:w0rd/%';
const ENCODED_PASSWORD = encodeURIComponent(PASSWORD);
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

const certificate: TestCertificate | undefined = makeTestCertificate();
let https: FakePortal | undefined;
let http: FakePortal;
let proxy: ConnectProxy;
let guarded: ConnectProxy;

beforeAll(async () => {
  if (certificate !== undefined) https = await startFakePortal({ code: CODE, tls: { key: certificate.key, cert: certificate.cert } });
  http = await startFakePortal({ code: CODE });
  proxy = await startConnectProxy();
  guarded = await startConnectProxy({ credentials: `${USER}:${PASSWORD}` });
});
afterAll(async () => {
  await Promise.all([https?.close(), http.close(), proxy.close(), guarded.close()]);
});
beforeEach(() => {
  for (const server of [proxy, guarded]) server.reset();
  for (const portal of [https, http]) portal?.requests.splice(0);
});

const withCredentials = (server: ConnectProxy, password = ENCODED_PASSWORD) => `http://${USER}:${password}@127.0.0.1:${server.port}`;

async function runThrough(portal: FakePortal, env: Record<string, string>, args: string[] = []): Promise<CliRun & { cwd: string }> {
  const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
  const run = await runCli(['--verbose', ...(args.includes('--retries') ? [] : ['--retries', '0']), ...args], {
    cwd,
    env: { B24_WEBHOOK_URL: portal.webhookUrl, ...(certificate !== undefined && { NODE_EXTRA_CA_CERTS: certificate.certFile }), ...env },
  });
  return { ...run, cwd };
}

/** Nothing secret in what the CLI printed: the webhook code, the proxy password in any form, the Basic token. */
function expectNoSecret(text: string): void {
  for (const secret of [CODE, PASSWORD, ENCODED_PASSWORD, BASIC]) expect(text).not.toContain(secret);
}

describe.skipIf(certificate === undefined)('an https portal behind a proxy', () => {
  it('goes through a CONNECT tunnel: the proxy sees host:port, never the webhook code', async () => {
    const run = await runThrough(https!, { HTTPS_PROXY: proxy.url });
    expect(run.stderr).toContain('Wrote');
    expect(run.code).toBe(0);
    expect(proxy.requests.length).toBeGreaterThan(0);
    for (const seen of proxy.requests) {
      expect(seen.method).toBe('CONNECT');
      expect(seen.target).toBe(`127.0.0.1:${https!.port}`);
    }
    expect(https!.requests.map((r) => r.path)).toEqual([`/rest/1/${CODE}/batch`, `/rest/1/${CODE}/batch`]);
    // Every byte the proxy relayed is TLS: neither the path nor the body is readable to it.
    expect(proxy.tunnelled.length).toBeGreaterThan(0);
    expect(proxy.log()).not.toContain(CODE);
    expect(proxy.log()).not.toContain('/rest/');
    expect(run.stderr).toContain(`debug: connecting to 127.0.0.1:${https!.port} through the proxy 127.0.0.1:${proxy.port} (HTTPS_PROXY)`);
    expectNoSecret(run.stderr + run.stdout);
  });

  it('sends the credentials of the proxy URL as Proxy-Authorization, and works', async () => {
    const run = await runThrough(https!, { https_proxy: withCredentials(guarded) });
    expect(run.code).toBe(0);
    expect(guarded.requests[0]?.headers['proxy-authorization']).toBe(`Basic ${BASIC}`);
    expect(guarded.log()).not.toContain(CODE);
    expect(run.stderr).toContain(`through the proxy 127.0.0.1:${guarded.port} (https_proxy)`);
    expectNoSecret(run.stderr + run.stdout);
  });

  it('wrong credentials: exit 3, the proxy named by host:port, no password anywhere', async () => {
    const run = await runThrough(https!, { HTTPS_PROXY: withCredentials(guarded, 'not-the-password') });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`The proxy 127\\.0\\.0\\.1:${guarded.port} \\(HTTPS_PROXY\\) rejected its credentials \\(HTTP 407`));
    expect(run.stderr).not.toContain('not-the-password');
    expect(run.stderr).not.toContain(Buffer.from(`${USER}:not-the-password`).toString('base64'));
    expect(https!.requests).toEqual([]);
    expectNoSecret(run.stderr);
  });

  it('a proxy that needs credentials and gets none says where to put them', async () => {
    const run = await runThrough(https!, { HTTPS_PROXY: guarded.url });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`The proxy 127.0.0.1:${guarded.port} (HTTPS_PROXY) requires credentials (HTTP 407`);
    expect(run.stderr).toContain(`http://USER:PASSWORD@127.0.0.1:${guarded.port}`);
  });

  it.each([
    ['NO_PROXY', '127.0.0.1'],
    ['no_proxy', 'example.com, 127.0.0.1'],
    ['NO_PROXY', '*'],
  ])('%s=%s bypasses the proxy: it sees nothing', async (variable, value) => {
    const portal = https!;
    const run = await runThrough(portal, { HTTPS_PROXY: proxy.url, [variable]: value.replace('PORT', String(portal.port)) });
    expect(run.code).toBe(0);
    expect(proxy.requests).toEqual([]);
    expect(proxy.tunnelled.length).toBe(0);
    expect(portal.requests.length).toBe(2);
    expect(run.stderr).toContain(`connecting to 127.0.0.1:${portal.port} directly: ${variable} matches it, so the proxy 127.0.0.1:${proxy.port} is not used`);
  });

  it('NO_PROXY for the host on another port does not bypass', async () => {
    const run = await runThrough(https!, { HTTPS_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${https!.port + 1 === 65536 ? 1 : https!.port + 1}` });
    expect(run.code).toBe(0);
    expect(proxy.requests.length).toBeGreaterThan(0);
  });

  it.each([
    [403, /refused to connect to 127\.0\.0\.1:\d+ \(HTTP 403 to CONNECT\)/],
    [502, /could not reach 127\.0\.0\.1:\d+ \(HTTP 502 to CONNECT\)/],
  ])('a proxy that answers CONNECT with %i: exit 3, named by host:port', async (status, message) => {
    proxy.refuse(status);
    try {
      const run = await runThrough(https!, { HTTPS_PROXY: proxy.url });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain(`The proxy 127.0.0.1:${proxy.port} (HTTPS_PROXY)`);
      expect(https!.requests).toEqual([]);
      expectNoSecret(run.stderr);
    } finally {
      proxy.refuse(null);
    }
  });

  it('a CONNECT 502 is retried like a gateway page, within --retries', async () => {
    proxy.refuse(502);
    try {
      const run = await runThrough(https!, { HTTPS_PROXY: proxy.url }, ['--retries', '1']);
      expect(run.code).toBe(3);
      expect(proxy.requests.length).toBe(2);
      expect(run.stderr).toContain('Tried 2 times');
    } finally {
      proxy.refuse(null);
    }
  });

  it('the portal retries and redirects work as always through the tunnel', async () => {
    https!.enqueue({ html: 502 }, { redirect: `${https!.origin}/rest/1/${CODE}/batch`, status: 307 });
    const run = await runThrough(https!, { HTTPS_PROXY: proxy.url }, ['--retries', '2']);
    expect(run.code).toBe(0);
    expect(https!.requests.length).toBe(4);
    expect(proxy.log()).not.toContain(CODE);
  });
});

describe('a loopback http portal behind a proxy', () => {
  it('is tunnelled with CONNECT too, as undici does by default', async () => {
    const run = await runThrough(http, { HTTP_PROXY: proxy.url });
    expect(run.code).toBe(0);
    expect(proxy.requests.map((r) => `${r.method} ${r.target}`)).toContain(`CONNECT 127.0.0.1:${http.port}`);
    expect(proxy.requests.every((r) => r.method === 'CONNECT')).toBe(true);
    expect(run.stderr).toContain(`through the proxy 127.0.0.1:${proxy.port} (HTTP_PROXY)`);
  });

  it('with credentials in HTTP_PROXY: works, and nothing secret is printed', async () => {
    const run = await runThrough(http, { HTTP_PROXY: withCredentials(guarded) });
    expect(run.code).toBe(0);
    expect(guarded.requests[0]?.headers['proxy-authorization']).toBe(`Basic ${BASIC}`);
    expectNoSecret(run.stderr + run.stdout);
  });

  it('from --env-file, as the source is: the file sets the proxy, and its password is never printed', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}', '.env.ci': `HTTP_PROXY=${withCredentials(guarded)}\n` });
    const run = await runCli(['--verbose', '--retries', '0', '--env-file', '.env.ci'], { cwd, env: { B24_WEBHOOK_URL: http.webhookUrl } });
    expect(run.code, run.stderr).toBe(0);
    expect(guarded.requests[0]?.headers['proxy-authorization']).toBe(`Basic ${BASIC}`);
    expect(run.stderr).toContain(`through the proxy 127.0.0.1:${guarded.port} (HTTP_PROXY)`);
    expectNoSecret(run.stderr + run.stdout);
  });

  it("the environment's own proxy variables win over the --env-file's, as every variable does", async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}', '.env.ci': `HTTP_PROXY=${withCredentials(guarded)}\n` });
    const run = await runCli(['--retries', '0', '--env-file', '.env.ci'], { cwd, env: { B24_WEBHOOK_URL: http.webhookUrl, HTTP_PROXY: proxy.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(guarded.requests).toEqual([]);
    expect(proxy.requests.length).toBeGreaterThan(0);
  });

  it('HTTPS_PROXY alone is not used for http', async () => {
    const run = await runThrough(http, { HTTPS_PROXY: proxy.url });
    expect(run.code).toBe(0);
    expect(proxy.requests).toEqual([]);
    expect(run.stderr).toContain('directly: no proxy is set for http');
  });

  it('NO_PROXY=localhost bypasses for a localhost portal', async () => {
    const portal = { ...http, webhookUrl: http.webhookUrl.replace('127.0.0.1', 'localhost') } as FakePortal;
    const run = await runThrough(portal, { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' });
    expect(run.code).toBe(0);
    expect(proxy.requests).toEqual([]);
  });

  it('a proxy that refuses connections: exit 3, named by host:port', async () => {
    const closed = await startConnectProxy();
    await closed.close();
    const run = await runThrough(http, { HTTP_PROXY: `http://${USER}:${ENCODED_PASSWORD}@127.0.0.1:${closed.port}` });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Cannot connect to the proxy 127.0.0.1:${closed.port} (HTTP_PROXY): connection refused`);
    expectNoSecret(run.stderr);
    expect(http.requests).toEqual([]);
  });

  it('a proxy variable that is not a URL is a usage error naming the variable, not its value', async () => {
    const run = await runThrough(http, { HTTP_PROXY: `ftp://${USER}:${ENCODED_PASSWORD}@proxy.example:21` });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HTTP_PROXY names a ftp:// proxy');
    expectNoSecret(run.stderr);
  });
});

describe('start-up cost', () => {
  const HOOK = path.join(ROOT, 'test/support/record-imports.mjs');
  async function loadsProxyAgent(env: Record<string, string>): Promise<boolean> {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const record = path.join(cwd, 'imports.txt');
    const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(https?_proxy|no_proxy)$/i.test(key)));
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', HOOK, BIN, '--retries', '0'], {
        cwd,
        env: { ...clean, B24_WEBHOOK_URL: http.webhookUrl, ...env, RECORD_IMPORTS_TO: record },
        stdio: 'ignore',
      });
      child.on('error', reject).on('close', resolve);
    });
    expect(code).toBe(0);
    const urls = (await readFile(record, 'utf8')).split('\n');
    expect(urls.some((url) => url.includes('/dist/'))).toBe(true);
    return urls.some((url) => /\/dist\/proxy-agent-[^/]*\.js$/.test(url));
  }

  it('the proxy agent is loaded only when a proxy variable is set', async () => {
    expect(await loadsProxyAgent({})).toBe(false);
    expect(await loadsProxyAgent({ HTTP_PROXY: proxy.url })).toBe(true);
  });
});
