// A fake Bitrix24 portal on 127.0.0.1 that answers crm.enum.ownertype the way real portals do: live error
// statuses, webhook and OAuth auth, unsorted results, a volatile `time` object, and scripted faults.
// Plain JavaScript so the demo and the benchmark can run it with node; test/support/fake-portal.d.mts types it.
import { randomBytes } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const METHOD = 'crm.enum.ownertype';

/** code → [live status (documented when none was seen), the portal's description]. */
export const ERROR_STATUSES = {
  QUERY_LIMIT_EXCEEDED: [503, 'Too many requests'],
  OPERATION_TIME_LIMIT: [429, 'Method is blocked due to operation time limit'],
  OVERLOAD_LIMIT: [503, 'REST API is blocked due to overload'],
  INTERNAL_SERVER_ERROR: [500, 'Internal server error'],
  ERROR_UNEXPECTED_ANSWER: [500, 'Server returned an unexpected response'],
  NO_AUTH_FOUND: [401, 'Wrong authorization data'],
  INVALID_CREDENTIALS: [401, 'Invalid request credentials'],
  INVALID_REQUEST: [401, 'Https required.'],
  ACCESS_DENIED: [403, 'REST API is available only on commercial plans'],
  insufficient_scope: [401, 'The request requires higher privileges than provided by the webhook token'],
  expired_token: [401, 'The access token provided has expired.'],
  invalid_token: [401, 'The access token provided is invalid.'],
  authorization_error: [401, 'Authorization error'],
  PAYMENT_REQUIRED: [402, 'Payment required'],
  WRONG_AUTH_TYPE: [403, 'Current authorization type is denied for this method'],
  user_access_error: [403, 'The user does not have access to the application.'],
  allowed_only_intranet_user: [403, 'Allowed only for intranet users'],
  ERROR_METHOD_NOT_FOUND: [404, 'Method not found!'],
  PORTAL_DELETED: [403, 'Portal was deleted'],
};

const GATEWAY_TEXT = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

const SEED = JSON.parse(readFileSync(new URL('../fixtures/seed-response.json', import.meta.url), 'utf8'));

/** The doc page's sample, in the portal's order (177 before 156). */
export function seedOwnerTypes() {
  return structuredClone(SEED.result);
}

const TITLES = [
  'Equipment Purchase',
  'Закупка оборудования',
  'Geräteeinkauf',
  'Purchase',
  'Договоры',
  'Verträge',
  'Service Requests',
  'Заявки на обслуживание',
  'Lieferungen & Rücksendungen',
  'Projects',
  'Проекты',
  'Übersetzungen',
  'Purchase',
  '🚚 Deliveries',
  'Отпуска сотрудников',
  'Straßenbau',
  'Support Tickets',
  'Склад',
  'Projects',
  'Lead',
  '2024 Budget',
  'Größenänderungen',
  'Partners / Agents',
  'Партнёры',
];

/**
 * `count` smart processes with realistic ids (128–191 not already taken, then even ids from 1030) and mixed
 * titles (English, Russian, German, emoji, duplicates, one that collides with a system type), in a
 * deterministic shuffled order, as a portal lists them.
 */
export function generateSpas(count, takenIds = new Set()) {
  const ids = [];
  for (let id = 128; id <= 191 && ids.length < count; id++) if (!takenIds.has(id)) ids.push(id);
  for (let id = 1030; ids.length < count; id += 2) if (!takenIds.has(id)) ids.push(id);
  const spas = ids.map((id, index) => ({
    ID: id,
    NAME: TITLES[index % TITLES.length],
    SYMBOL_CODE: `DYNAMIC_${id}`,
    SYMBOL_CODE_SHORT: `T${id.toString(16)}`,
  }));
  let seed = 0x2545f491;
  for (let i = spas.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [spas[i], spas[j]] = [spas[j], spas[i]];
  }
  return spas;
}

function randomCode(bytes) {
  return randomBytes(bytes).toString('hex');
}

function isoSeconds(ms) {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

/** The volatile `time` object every answer carries. */
function timeObject() {
  const startMs = Date.now();
  const start = startMs / 1000;
  const duration = 0.01 + Math.random() * 0.03;
  return {
    start,
    finish: start + duration,
    duration,
    processing: Math.random() * 0.002,
    date_start: isoSeconds(startMs),
    date_finish: isoSeconds(startMs + duration * 1000),
    operating_reset_at: Math.floor(start) + 600,
    operating: 0,
  };
}

function gatewayPage(status) {
  const text = `${status} ${GATEWAY_TEXT[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--spas') options.spas = Number(value());
    else if (flag === '--code') options.code = value();
    else if (flag === '--token') options.token = value();
    else if (flag === '--user-id') options.userId = Number(value());
    else throw new Error(`fake-portal: unknown argument ${arg}. Usage: fake-portal.mjs [--port N] [--spas N] [--code CODE] [--token TOKEN] [--user-id N]`);
  }
  return options;
}

/**
 * Starts the fake portal. See fake-portal.d.mts for the options and steps.
 * @param {import('./fake-portal.d.mts').FakePortalOptions} [options]
 * @returns {Promise<import('./fake-portal.d.mts').FakePortal>}
 */
export async function startFakePortal(options = {}) {
  const userId = String(options.userId ?? 1);
  const code = options.code ?? randomCode(8);
  const token = options.token ?? randomCode(35);
  const expiredTokens = new Set(options.expiredTokens ?? []);
  const scopes = new Set(options.scopes ?? ['crm']);
  let ownerTypes = options.ownerTypes !== undefined ? structuredClone(options.ownerTypes) : seedOwnerTypes();
  if (options.spas) ownerTypes = [...ownerTypes, ...generateSpas(options.spas, new Set(ownerTypes.map((t) => Number(t.ID))))];

  const queue = [...(options.faults ?? [])];
  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  const bucket = options.rateLimit ? { level: 0, at: Date.now(), ...options.rateLimit } : undefined;
  let closed = false;

  const later = (ms, fn) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const sendJson = (res, status, body, headers = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-powered-cms': 'Bitrix Site Manager',
      ...headers,
    });
    res.end(text);
  };
  const sendError = (res, error, description, extra = {}, status) => {
    const [liveStatus, known] = ERROR_STATUSES[error] ?? [400, ''];
    sendJson(res, status ?? liveStatus, { error, error_description: description ?? known, ...extra });
  };

  /** Leaky bucket: +1 per request, draining `drainPerSecond`; past `capacity`, 503 QUERY_LIMIT_EXCEEDED. */
  const overLimit = () => {
    if (bucket === undefined) return false;
    const now = Date.now();
    bucket.level = Math.max(0, bucket.level - ((now - bucket.at) / 1000) * bucket.drainPerSecond);
    bucket.at = now;
    if (bucket.level + 1 > bucket.capacity) return true;
    bucket.level += 1;
    return false;
  };

  const authFrom = (url, req, body) => {
    const fromQuery = url.searchParams.get('auth');
    if (fromQuery) return fromQuery;
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      try {
        const json = JSON.parse(body);
        if (json && typeof json.auth === 'string') return json.auth;
      } catch {
        // a portal ignores a body it cannot read
      }
    } else if (body !== '') {
      const form = new URLSearchParams(body);
      if (form.get('auth')) return form.get('auth');
    }
    return undefined;
  };

  const answer = (req, res, body) => {
    if (overLimit()) return sendError(res, 'QUERY_LIMIT_EXCEEDED');
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const segments = url.pathname.split('/').slice(1);
    if (segments[0] !== 'rest' || segments.length < 2) {
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
      return res.end('<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Page not found</h1></body></html>');
    }
    const rest = segments.slice(1).filter((s, i, all) => s !== '' || i < all.length - 1);
    let method;
    if (rest.length === 3) {
      const [id, key, name] = rest;
      if (id !== userId || key !== code) return sendError(res, 'INVALID_CREDENTIALS');
      if (!scopes.has('crm')) return sendError(res, 'insufficient_scope');
      method = name;
    } else if (rest.length === 1) {
      const auth = authFrom(url, req, body);
      if (auth === undefined || auth === '') return sendError(res, 'NO_AUTH_FOUND');
      if (expiredTokens.has(auth)) return sendError(res, 'expired_token');
      if (auth !== token) return sendError(res, 'invalid_token');
      method = rest[0];
    } else {
      return sendError(res, 'ERROR_METHOD_NOT_FOUND');
    }
    const name = String(method).toLowerCase().replace(/\.json$/, '');
    if (name !== METHOD) return sendError(res, 'ERROR_METHOD_NOT_FOUND');
    return sendJson(res, 200, { result: ownerTypes, time: timeObject() });
  };

  const apply = (step, req, res, body) => {
    if (step === undefined || step.ok) return answer(req, res, body);
    if (step.delayMs !== undefined) {
      const { delayMs, ...restOfStep } = step;
      return later(delayMs, () => {
        if (!res.destroyed) apply(Object.keys(restOfStep).length > 0 ? restOfStep : undefined, req, res, body);
      });
    }
    if (step.hang) return undefined;
    if (step.reset) return req.socket.destroy();
    if (step.accessDenied) return sendJson(res, 400, { error: '', error_description: 'Access denied.' });
    if (step.error !== undefined) return sendError(res, step.error, step.description, step.extra, step.status);
    if (step.html !== undefined) {
      const page = gatewayPage(step.html);
      res.writeHead(step.html, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page), server: 'nginx' });
      return res.end(page);
    }
    if (step.redirect !== undefined) {
      res.writeHead(step.status ?? 302, { location: step.redirect, 'content-type': 'text/html; charset=UTF-8' });
      return res.end('<html><body>Moved</body></html>');
    }
    if (step.stallBody) {
      const text = JSON.stringify({ result: ownerTypes, time: timeObject() });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      return res.write(text.slice(0, Math.floor(text.length / 2)));
    }
    if (step.trickleMs !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.write('{"result":[');
      const drip = () => {
        if (res.destroyed || closed) return;
        res.write(' ');
        later(step.trickleMs, drip);
      };
      return later(step.trickleMs, drip);
    }
    if (step.status !== undefined) {
      const text = typeof step.body === 'string' ? step.body : step.body === undefined ? '' : JSON.stringify(step.body);
      const type = step.contentType ?? (typeof step.body === 'string' ? 'text/plain' : 'application/json');
      res.writeHead(step.status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...step.headers });
      return res.end(text);
    }
    throw new Error(`fake-portal: unknown step ${JSON.stringify(step)}`);
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (closed) return;
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, body, time: Date.now() });
      try {
        apply(queue.shift(), req, res, body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const hostName = options.host ?? '127.0.0.1';
  const origin = `http://${hostName.includes(':') ? `[${hostName}]` : hostName}:${port}`;

  return {
    origin,
    webhookUrl: `${origin}/rest/${userId}/${code}/`,
    port,
    code,
    userId,
    token,
    requests,
    get ownerTypes() {
      return structuredClone(ownerTypes);
    },
    setOwnerTypes(list) {
      ownerTypes = structuredClone(list);
    },
    enqueue(...steps) {
      queue.push(...steps);
    },
    get pendingSteps() {
      return queue.length;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const done = new Promise((resolve) => server.close(() => resolve(undefined)));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections?.();
      await done;
    },
  };
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isMain()) {
  const portal = await startFakePortal(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ origin: portal.origin, webhookUrl: portal.webhookUrl, port: portal.port, token: portal.token })}\n`);
  const stop = () => {
    portal.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
