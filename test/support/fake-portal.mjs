// A fake Bitrix24 portal on 127.0.0.1 that answers the way real portals do: crm.enum.ownertype, the pipeline
// and stage methods and batch (portal-answers.mjs, from a dataset of portal-datasets.mjs), live error
// statuses, webhook and OAuth auth, unsorted results, a volatile `time` object, and scripted faults.
// Plain JavaScript so the demo and the benchmark can run it with node; test/support/fake-portal.d.mts types it.
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pathToFileURL } from 'node:url';
import { callMethod, derivePortal, parseStr, phpArray } from './portal-answers.mjs';
import { defaultStages, generateSpas, namedDataset } from './portal-datasets.mjs';

const BATCH_MAX_LENGTH = 50;

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

export { generateSpas, seedOwnerTypes, seedDataset, twinDataset, largeDataset, namedDataset, renumberDataset, defaultStages } from './portal-datasets.mjs';

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

const USAGE =
  'Usage: fake-portal.mjs [--port N] [--dataset seed|twin|large] [--spas N] [--pipelines N] [--code CODE] [--token TOKEN] ' +
  '[--user-id N] [--non-admin] [--old-core] [--no-crm-access] [--ignore-status-filter]';

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--spas') options.spas = Number(value());
    else if (flag === '--pipelines') options.pipelines = Number(value());
    else if (flag === '--dataset') options.dataset = value();
    else if (flag === '--code') options.code = value();
    else if (flag === '--token') options.token = value();
    else if (flag === '--user-id') options.userId = Number(value());
    else if (flag === '--non-admin') options.admin = false;
    else if (flag === '--old-core') options.oldCore = true;
    else if (flag === '--no-crm-access') options.crmAccess = false;
    else if (flag === '--ignore-status-filter') options.ignoreStatusFilter = true;
    else throw new Error(`fake-portal: unknown argument ${arg}. ${USAGE}`);
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
  let dataset = structuredClone(
    typeof options.dataset === 'object' && options.dataset !== null
      ? options.dataset
      : namedDataset(options.dataset ?? 'seed', { spas: options.spas, pipelines: options.pipelines }),
  );
  let ownerTypes = options.ownerTypes !== undefined ? structuredClone(options.ownerTypes) : dataset.ownerTypes;
  if (options.spas && options.dataset !== 'large') {
    ownerTypes = [...ownerTypes, ...generateSpas(options.spas, new Set(ownerTypes.map((t) => Number(t?.ID))))];
  }
  const lowerKeys = (object) => Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const admin = options.admin ?? true;
  const scenario = {
    admin,
    oldCore: options.oldCore ?? false,
    crmAccess: options.crmAccess ?? true,
    ignoreStatusFilter: options.ignoreStatusFilter ?? false,
    hiddenCategories: options.hiddenCategories ?? (admin ? {} : { 2: [9] }),
    deniedSpas: options.deniedSpas ?? (admin ? [] : [156]),
    commandErrors: lowerKeys(options.commandErrors),
    defaultStages,
    ownerTypes: () => ownerTypes,
  };
  let view;
  const portalView = () => (view ??= derivePortal({ ...dataset, ownerTypes }, scenario));

  const queue = [...(options.faults ?? [])];
  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  const bucket = options.rateLimit ? { level: 0, at: Date.now(), ...options.rateLimit } : undefined;
  let closed = false;
  let oneBatchErrors;

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
    const params = paramsFrom(url, req, body);
    if (name === 'batch') return sendJson(res, 200, { result: runBatch(params), time: timeObject() });
    const outcome = callMethod(portalView(), name, params, scenario);
    if ('error' in outcome) return sendError(res, outcome.error, outcome.description, {}, outcome.status);
    return sendJson(res, 200, {
      result: outcome.result,
      ...(outcome.next !== undefined ? { next: outcome.next } : {}),
      ...(outcome.total !== undefined ? { total: outcome.total } : {}),
      time: timeObject(),
    });
  };

  /** The request's parameters as PHP sees them: the query, then a JSON or form body over it. */
  const paramsFrom = (url, req, body) => {
    const params = parseStr(url.search.slice(1));
    if (body === '') return params;
    if (String(req.headers['content-type'] ?? '').includes('application/json')) {
      try {
        const json = JSON.parse(body);
        if (json && typeof json === 'object' && !Array.isArray(json)) Object.assign(params, json);
      } catch {
        // a portal ignores a body it cannot read
      }
      return params;
    }
    return Object.assign(params, parseStr(body));
  };

  /** `batch`: each command parsed like PHP's parse_url + parse_str, answered with PHP array semantics. */
  const runBatch = (params) => {
    const halt = params.halt === true || params.halt === 1 || params.halt === '1' || params.halt === 'true';
    const cmd = params.cmd && typeof params.cmd === 'object' ? params.cmd : {};
    const injected = { ...scenario.commandErrors, ...lowerKeys(oneBatchErrors ?? {}) };
    oneBatchErrors = undefined;
    const members = { result: {}, result_error: {}, result_total: {}, result_next: {}, result_time: {} };
    let count = 0;
    for (const [key, command] of Object.entries(cmd)) {
      if (typeof command !== 'string') continue;
      count++;
      let outcome;
      if (count > BATCH_MAX_LENGTH) outcome = { error: 'ERROR_BATCH_LENGTH_EXCEEDED', description: 'Max batch length exceeded' };
      else {
        const question = command.indexOf('?');
        const path = (question === -1 ? command : command.slice(0, question)).split('#')[0];
        const query = question === -1 ? '' : command.slice(question + 1).split('#')[0];
        const name = decodeURIComponent(path).trim().toLowerCase().replace(/\.json$/, '');
        if (name === 'batch') outcome = { error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', description: 'Method is not allowed for batch usage' };
        else outcome = callMethod(portalView(), name, parseStr(query), { ...scenario, commandErrors: injected });
      }
      if ('error' in outcome) {
        members.result_error[key] = { error: outcome.error, error_description: outcome.description };
        if (halt) break;
        continue;
      }
      members.result[key] = outcome.result;
      if (outcome.total !== undefined) members.result_total[key] = outcome.total;
      if (outcome.next !== undefined) members.result_next[key] = outcome.next;
      const { operating_reset_at: _reset, ...time } = timeObject();
      members.result_time[key] = time;
    }
    return Object.fromEntries(Object.entries(members).map(([member, entries]) => [member, phpArray(entries)]));
  };

  const apply = (step, req, res, body) => {
    if (step === undefined || step.ok) return answer(req, res, body);
    if (step.delayMs !== undefined) {
      const { delayMs, ...restOfStep } = step;
      return later(delayMs, () => {
        if (!res.destroyed) apply(Object.keys(restOfStep).length > 0 ? restOfStep : undefined, req, res, body);
      });
    }
    if (step.commandErrors !== undefined) {
      oneBatchErrors = step.commandErrors;
      return answer(req, res, body);
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

  const handle = (req, res) => {
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
  };
  // Over https when given a key and certificate (test/support/tls.ts makes a self-signed pair).
  const server = options.tls === undefined ? http.createServer(handle) : https.createServer(options.tls, handle);
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
  const origin = `${options.tls === undefined ? 'http' : 'https'}://${hostName.includes(':') ? `[${hostName}]` : hostName}:${port}`;

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
      view = undefined;
    },
    get dataset() {
      return structuredClone({ ...dataset, ownerTypes });
    },
    setDataset(next) {
      dataset = structuredClone(next);
      ownerTypes = dataset.ownerTypes;
      view = undefined;
    },
    renameSpa(entityTypeId, title) {
      const type = ownerTypes.find((t) => Number(t?.ID) === entityTypeId);
      if (type === undefined) throw new Error(`fake-portal: no owner type ${entityTypeId}`);
      type.NAME = title;
      view = undefined;
    },
    renamePipeline(entityTypeId, categoryId, name) {
      const pipeline = dataset.pipelines.find((p) => p.entityTypeId === entityTypeId && p.categoryId === categoryId);
      if (pipeline === undefined) throw new Error(`fake-portal: no pipeline ${categoryId} of ${entityTypeId}`);
      pipeline.name = name;
      view = undefined;
    },
    renameStage(statusId, name, entityTypeId) {
      const lists = [
        ...dataset.stageLists.filter((l) => entityTypeId === undefined || l.entityTypeId === entityTypeId).map((l) => ({ prefix: '', stages: l.stages })),
        ...dataset.pipelines
          .filter((p) => entityTypeId === undefined || p.entityTypeId === entityTypeId)
          .map((p) => ({ prefix: p.entityTypeId === 2 ? (p.categoryId === 0 ? '' : `C${p.categoryId}:`) : `DT${p.entityTypeId}_${p.categoryId}:`, stages: p.stages })),
      ];
      const found = lists.flatMap((l) => l.stages.filter((s) => l.prefix + s.code === statusId));
      if (found.length !== 1) throw new Error(`fake-portal: ${found.length} stages with ID ${statusId}; pass the entity type ID`);
      found[0].name = name;
      view = undefined;
    },
    setCommandErrors(errors) {
      scenario.commandErrors = lowerKeys(errors);
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

/**
 * Several portals at once, each its own server, port, webhook code, token, dataset and request log.
 * @param {Record<string, import('./fake-portal.d.mts').FakePortalOptions>} specs
 */
export async function startFakePortals(specs) {
  const entries = [];
  try {
    for (const [name, options] of Object.entries(specs)) entries.push([name, await startFakePortal(options)]);
  } catch (error) {
    await Promise.all(entries.map(([, portal]) => portal.close()));
    throw error;
  }
  const portals = Object.fromEntries(entries);
  return {
    portals,
    async close() {
      await Promise.all(entries.map(([, portal]) => portal.close()));
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
