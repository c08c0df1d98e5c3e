// A forward proxy on 127.0.0.1 for the proxy tests: CONNECT tunnels (node:http 'connect' + node:net) and
// absolute-form http requests, as corporate proxies (squid) serve them. It records every request line and
// header it sees, and every byte that passes through a tunnel, so a test can assert what a proxy learns.
// Plain JavaScript, like the fake portal; connect-proxy.d.mts types it.
import http from 'node:http';
import net from 'node:net';

/**
 * @param {import('./connect-proxy.d.mts').ConnectProxyOptions} [options]
 * @returns {Promise<import('./connect-proxy.d.mts').ConnectProxy>}
 */
export async function startConnectProxy(options = {}) {
  const seen = [];
  const sockets = new Set();
  let tunnelled = Buffer.alloc(0);
  let mode = options.refuse ?? null;
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`;

  /** `undefined` when the request may pass, else the status to answer. */
  const verdict = (headers) => {
    if (mode !== null) return mode;
    if (expected !== undefined && headers['proxy-authorization'] !== expected) return 407;
    return undefined;
  };
  const statusLine = (status) => `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Refused'}\r\n`;
  const record = (req) => seen.push({ method: req.method ?? '', target: req.url ?? '', headers: { ...req.headers } });

  const server = http.createServer((req, res) => {
    record(req);
    const refused = verdict(req.headers);
    if (refused !== undefined) {
      res.writeHead(refused, refused === 407 ? { 'proxy-authenticate': 'Basic realm="test"' } : {});
      return res.end();
    }
    // Absolute-form: `POST http://127.0.0.1:port/rest/… HTTP/1.1`, forwarded as is.
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('connect', (req, client, head) => {
    record(req);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const refused = verdict(req.headers);
    if (refused !== undefined) {
      client.end(`${statusLine(refused)}${refused === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : ''}Content-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = splitHostPort(req.url ?? '');
    const upstream = net.connect(Number(port), host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (!client.writableEnded) client.end(`${statusLine(502)}Content-Length: 0\r\n\r\n`);
    });
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      const tap = (chunk) => {
        tunnelled = Buffer.concat([tunnelled, chunk]);
      };
      client.on('data', tap);
      upstream.on('data', tap);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests: seen,
    get tunnelled() {
      return tunnelled;
    },
    /** Everything the proxy saw, as text: request lines, headers and tunnelled bytes. */
    log() {
      const lines = seen.map((r) => `${r.method} ${r.target}\n${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}`);
      return `${lines.join('\n')}\n${tunnelled.toString('latin1')}`;
    },
    reset() {
      seen.length = 0;
      tunnelled = Buffer.alloc(0);
    },
    refuse(status) {
      mode = status;
    },
    async close() {
      const done = new Promise((resolve) => server.close(() => resolve(undefined)));
      for (const socket of sockets) socket.destroy();
      await done;
    },
  };
}

/** `host:port` of a CONNECT target, IPv6 brackets removed. */
function splitHostPort(target) {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return match === null ? [target, '443'] : [match[1], match[2]];
}
