import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedOwnerTypes, startFakePortal, type FakePortal, type FaultStep } from '../support/fake-portal.mjs';
import { BIN, runCli, tempProject } from '../support/run-cli.js';

const CODE = 'fault-webhook-code-5kq2';
const TOKEN = 'fault-oauth-token-8zz1';
const OUT = 'src/generated/ownertypes.ts';
const OLD = '// the committed module, which no failure may touch\n';

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal({ code: CODE, token: TOKEN, expiredTokens: ['expired-token-3x'] });
});
afterAll(async () => {
  await portal.close();
});
beforeEach(() => {
  portal.setOwnerTypes(seedOwnerTypes());
  portal.requests.length = 0;
});

interface Row {
  readonly name: string;
  readonly steps?: FaultStep[];
  readonly ownerTypes?: unknown[];
  /** Arguments besides the source; the source is the webhook unless `source` says otherwise. */
  readonly args?: string[];
  readonly source?: 'webhook' | 'oauth' | 'expired' | 'wrong-code' | 'insecure';
  readonly exit: number;
  readonly message: RegExp;
  /** HTTP requests: a successful run reads pipelines in a second batch, one more request after round 1. */
  readonly requests: number;
}

const rows: Row[] = [
  { name: 'wrong webhook code', source: 'wrong-code', exit: 3, message: /INVALID_CREDENTIALS \(HTTP 401\).*webhook code/, requests: 1 },
  { name: 'webhook without the crm scope', steps: [{ error: 'insufficient_scope' }], exit: 3, message: /insufficient_scope.*crm/, requests: 1 },
  { name: 'expired OAuth token', source: 'expired', exit: 3, message: /expired_token.*refresh/i, requests: 1 },
  { name: 'REST not on this plan', steps: [{ error: 'ACCESS_DENIED' }], exit: 3, message: /ACCESS_DENIED/, requests: 1 },
  { name: 'user without CRM access (empty code)', steps: [{ accessDenied: true }], exit: 3, message: /Access denied/, requests: 1 },
  { name: 'REST blocked by overload: never retried', steps: [{ error: 'OVERLOAD_LIMIT' }], exit: 3, message: /OVERLOAD_LIMIT.*support/, requests: 1 },
  { name: 'method not found', steps: [{ error: 'ERROR_METHOD_NOT_FOUND' }], exit: 3, message: /ERROR_METHOD_NOT_FOUND/, requests: 1 },
  { name: 'portal deleted', steps: [{ error: 'PORTAL_DELETED' }], exit: 3, message: /PORTAL_DELETED/, requests: 1 },
  { name: 'rate limit, then an answer', steps: [{ error: 'QUERY_LIMIT_EXCEEDED' }], exit: 0, message: /Wrote/, requests: 3 },
  { name: 'gateway pages, then an answer', steps: [{ html: 502 }, { html: 504 }], exit: 0, message: /Wrote/, requests: 4 },
  { name: 'a reset connection, then an answer', steps: [{ reset: true }], exit: 0, message: /Wrote/, requests: 3 },
  { name: 'a gateway that stays down', steps: [{ html: 502 }, { html: 502 }], args: ['--retries', '1'], exit: 3, message: /HTTP 502/, requests: 2 },
  { name: 'internal errors past the retries', steps: [{ error: 'INTERNAL_SERVER_ERROR' }, { error: 'INTERNAL_SERVER_ERROR' }], args: ['--retries', '1'], exit: 3, message: /INTERNAL_SERVER_ERROR/, requests: 2 },
  { name: 'a portal that never answers', steps: [{ hang: true }, { hang: true }], args: ['--timeout', '300', '--retries', '1'], exit: 3, message: /No answer from 127\.0\.0\.1:\d+ within 300 ms \(2 attempts\)/, requests: 2 },
  { name: 'a body that stalls', steps: [{ stallBody: true }], args: ['--timeout', '300', '--retries', '0'], exit: 3, message: /No complete answer|within 300 ms/, requests: 1 },
  {
    name: 'operation time limit that resets past the deadline',
    steps: [{ error: 'OPERATION_TIME_LIMIT', extra: { time: { operating_reset_at: Math.floor(Date.now() / 1000) + 3600 } } }],
    exit: 3,
    message: /OPERATION_TIME_LIMIT[\s\S]*(past the overall|[Gg]ave up)/,
    requests: 1,
  },
  { name: 'an HTML page with 200', steps: [{ status: 200, body: '<html><title>Maintenance</title></html>', contentType: 'text/html' }], exit: 3, message: /HTTP 200.*text\/html/, requests: 1 },
  { name: 'an empty body', steps: [{ status: 200, body: '', contentType: 'application/json' }], exit: 3, message: /HTTP 200/, requests: 1 },
  {
    name: 'duplicate IDs',
    ownerTypes: [...seedOwnerTypes(), { ID: 177, NAME: 'Twin', SYMBOL_CODE: 'DYNAMIC_178', SYMBOL_CODE_SHORT: 'Tb2' }],
    exit: 3,
    message: /same ID 177/,
    // The owner types are validated as soon as round 1 answers: no second round is asked for.
    requests: 1,
  },
  { name: 'an empty result', ownerTypes: [], exit: 3, message: /result/, requests: 1 },
  { name: 'a mistyped ID', ownerTypes: [{ ID: 1.5, NAME: 'x', SYMBOL_CODE: 'LEAD', SYMBOL_CODE_SHORT: 'L' }], exit: 3, message: /result\[0\].*ID/, requests: 1 },
  { name: 'plain http to a real host', source: 'insecure', exit: 2, message: /refused before anything is sent/, requests: 0 },
];

function sourceArgs(row: Row): { args: string[]; env: Record<string, string> } {
  switch (row.source) {
    case 'oauth':
      return { args: ['--portal', portal.origin], env: { B24_ACCESS_TOKEN: TOKEN } };
    case 'expired':
      return { args: ['--portal', portal.origin], env: { B24_ACCESS_TOKEN: 'expired-token-3x' } };
    case 'wrong-code':
      return { args: [], env: { B24_WEBHOOK_URL: portal.webhookUrl.replace(CODE, 'wrong-code-0000') } };
    case 'insecure':
      return { args: [], env: { B24_WEBHOOK_URL: `http://portal.example.com/rest/1/${CODE}/` } };
    default:
      return { args: [], env: { B24_WEBHOOK_URL: portal.webhookUrl } };
  }
}

describe('faults against the built CLI', () => {
  it.each(rows)('$name → exit $exit', async (row) => {
    if (row.ownerTypes !== undefined) portal.setOwnerTypes(row.ownerTypes);
    if (row.steps !== undefined) portal.enqueue(...row.steps);
    const cwd = await tempProject({ [OUT]: OLD });
    const { args, env } = sourceArgs(row);
    const run = await runCli([...args, ...(row.args ?? []), '--verbose'], { cwd, env });

    expect(run.code, run.stderr).toBe(row.exit);
    expect(run.stderr).toMatch(row.message);
    expect(portal.requests.length).toBe(row.requests);
    for (const secret of [CODE, TOKEN, 'expired-token-3x', 'wrong-code-0000']) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
    const after = await readFile(path.join(cwd, OUT), 'utf8');
    if (row.exit === 0) expect(after).toContain('export enum EntityTypeId');
    else expect(after).toBe(OLD);
    expect((await readdir(path.join(cwd, 'src/generated'))).sort()).toEqual(['ownertypes.ts']);
  });

  it('auth errors are stated without a stack unless --verbose', async () => {
    const cwd = await tempProject();
    const run = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl.replace(CODE, 'wrong-code-0000') } });
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('SIGTERM while the portal hangs: exit 130, the old file intact, no temp file left', async () => {
    portal.enqueue({ hang: true });
    const cwd = await tempProject({ [OUT]: OLD });
    const child = spawn(process.execPath, [BIN], { cwd, env: { ...process.env, B24_WEBHOOK_URL: portal.webhookUrl } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    while (portal.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted; no file was changed');
    expect(await readFile(path.join(cwd, OUT), 'utf8')).toBe(OLD);
    expect(await readdir(path.join(cwd, 'src/generated'))).toEqual(['ownertypes.ts']);
  });
});

describe('bad local input exits 2 with one line and no stack', () => {
  const cases: Array<[string, Record<string, string>, string[], RegExp]> = [
    ['invalid --input JSON', { 'in.json': '{ nope' }, ['--input', 'in.json'], /--input .*in\.json is not JSON/],
    ['a missing --input file', {}, ['--input', 'missing.json'], /Cannot read --input .*missing\.json: no such file/],
    ['an --input that is not a response', { 'in.json': '[1,2]' }, ['--input', 'in.json'], /--input .*in\.json: /],
    ['invalid config JSON', { 'gen-ownertypes.config.json': '{ "out": ' }, ['--input', 'x.json'], /not valid JSON/],
    ['an unknown config key', { 'gen-ownertypes.config.json': '{ "outFile": "x.ts" }' }, ['--input', 'x.json'], /unknown key "outFile"/],
    ['a secret in the config', { 'gen-ownertypes.config.json': '{ "webhook": "https://x/rest/1/y/" }' }, ['--input', 'x.json'], /secret/],
    ['a missing --env-file', {}, ['--env-file', '.env.nope'], /Cannot read env file .*\.env\.nope: it does not exist/],
    ['--timeout abc', {}, ['--input', 'x.json', '--timeout', 'abc'], /--timeout must be a whole number/],
    ['--retries -1', {}, ['--input', 'x.json', '--retries', '-1'], /--retries must be a whole number/],
    ['--enum-style wrong', {}, ['--input', 'x.json', '--enum-style', 'union'], /Invalid values|enum-style/],
    ['a broken Prettier config', { '.prettierrc': '{ "semi": ', 'in.json': JSON.stringify({ result: seedOwnerTypes() }) }, ['--input', 'in.json'], /Prettier could not read the project's config/],
    ['a missing Prettier plugin', { '.prettierrc': JSON.stringify({ plugins: ['prettier-plugin-does-not-exist'] }), 'in.json': JSON.stringify({ result: seedOwnerTypes() }) }, ['--input', 'in.json'], /Prettier .*prettier-plugin-does-not-exist/],
  ];
  it.each(cases)('%s', async (_name, files, args, message) => {
    const cwd = await tempProject({ ...files, [OUT]: OLD });
    const run = await runCli(args, { cwd });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readFile(path.join(cwd, OUT), 'utf8')).toBe(OLD);
  });

  it('a .prettierignore that matches the output: written unformatted', async () => {
    const cwd = await tempProject({
      '.prettierignore': 'src/generated/\n',
      '.prettierrc.json': JSON.stringify({ singleQuote: true }),
      'in.json': JSON.stringify({ result: seedOwnerTypes() }),
    });
    const run = await runCli(['--input', 'in.json'], { cwd });
    expect(run.code).toBe(0);
    const text = await readFile(path.join(cwd, OUT), 'utf8');
    expect(text).toContain('"Equipment Purchase"');
    expect(text).not.toContain("'Equipment Purchase'");
  });

  it('an --out that is a folder exits 2 and says so', async () => {
    const cwd = await tempProject({ 'in.json': JSON.stringify({ result: seedOwnerTypes() }), 'blocked/ownertypes.ts/.keep': '' });
    const run = await runCli(['--input', 'in.json', '-o', 'blocked/ownertypes.ts'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out blocked\/ownertypes\.ts is a folder/);
  });
});

describe('an OAuth run', () => {
  it('works and never prints the token, even with --verbose', async () => {
    const cwd = await tempProject();
    await writeFile(path.join(cwd, '.env'), `B24_ACCESS_TOKEN=${TOKEN}\nB24_PORTAL_URL=${portal.origin}\n`);
    const run = await runCli(['--env-file', '.env', '--verbose'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain(TOKEN);
    const request = portal.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect((JSON.parse(request?.body ?? '{}') as { auth?: unknown }).auth).toBe(TOKEN);
    expect(await readFile(path.join(cwd, OUT), 'utf8')).not.toContain(TOKEN);
  });
});

describe('an output inside node_modules', () => {
  it('is written, with a warning that installs replace it', async () => {
    const cwd = await tempProject({ 'in.json': JSON.stringify({ result: seedOwnerTypes() }) });
    const run = await runCli(['--input', 'in.json', '-o', 'node_modules/.b24/ownertypes.ts'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: .*inside node_modules/);
  });
});

