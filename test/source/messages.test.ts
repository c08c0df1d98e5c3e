// What a user reads on stderr for source-side faults, through the CLI's own run() (secrets masked by
// the same redaction the CLI applies to every line).
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { startFakePortal, type FakePortal, type FaultStep } from '../support/fake-portal.mjs';
import { tempDir } from '../support/temp.js';

const portals: FakePortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

async function cli(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await run(['--retries', '0', '--timeout', '2000', '--no-format', ...args], {
    env,
    cwd: tempDir('messages'),
    stdout: () => undefined,
    stderr: (text) => (stderr += text),
  });
  return { code, stderr };
}

describe('source messages through the CLI', () => {
  it('a REST 3.0 webhook URL: named, with the classic form to paste, nothing masked but the code', async () => {
    const { code, stderr } = await cli({ B24_WEBHOOK_URL: 'https://x.bitrix24.com/rest/api/1/q1w2e3r4t5y6u7i8/' });
    expect(code).toBe(2);
    expect(stderr).toContain('is a REST 3.0 address (/rest/api/USER_ID/CODE/)');
    expect(stderr).toContain('without "api/": https://x.bitrix24.com/rest/1/***/');
    expect(stderr).not.toContain('q1w2e3r4t5y6u7i8');
    expect(stderr).not.toMatch(/x\.bitri\*\*\*|rest\/api\/\*\*\*|HTTP 4\*\*\*/);
  });

  it.each([['1'], ['401'], ['rest']])('a webhook code %j that collides with the message leaves the message readable', async (code) => {
    const portal = await startFakePortal({ code: 'the-real-code-1234' });
    portals.push(portal);
    const { code: exit, stderr } = await cli({ B24_WEBHOOK_URL: `${portal.origin}/rest/1/${code}/` });
    expect(exit).toBe(3);
    expect(stderr).toContain('Portal error INVALID_CREDENTIALS (HTTP 401)');
    // The CLI names where the webhook was set: here the variable.
    expect(stderr).toContain('Check B24_WEBHOOK_URL (Developer resources');
    expect(stderr).not.toContain('***');
  });

  it.each<[string, FaultStep, 'webhook' | 'oauth', RegExp, RegExp]>([
    ['insufficient_scope', { error: 'insufficient_scope' }, 'webhook', /tick the "CRM \(crm\)" permission/, /B24_ACCESS_TOKEN|--token/],
    ['insufficient_scope', { error: 'insufficient_scope' }, 'oauth', /Add the "crm" scope to the application/, /B24_WEBHOOK_URL|Inbound webhook/],
    ['no CRM access', { accessDenied: true }, 'webhook', /the webhook's user has no access to the CRM/, /token/],
    ['no CRM access', { accessDenied: true }, 'oauth', /the token's user has no access to the CRM/, /webhook/],
    ['a gzip answer', { status: 200, body: '\u001f\u008b\u0008\u0000\u0000', contentType: 'application/json', headers: { 'content-encoding': 'gzip' } }, 'webhook', /gzip-compressed body \(content-encoding: gzip, \d+ bytes/, /[\u0000-\u0008\u001f\u0080-\u009f\ufffd]/],
  ])('%s for a %s user', async (_name, step, kind, wanted, unwanted) => {
    const portal = await startFakePortal({ faults: [step] });
    portals.push(portal);
    const env: Record<string, string> =
      kind === 'webhook' ? { B24_WEBHOOK_URL: portal.webhookUrl } : { B24_PORTAL_URL: portal.origin, B24_ACCESS_TOKEN: portal.token };
    const { code, stderr } = await cli(env);
    expect(code).toBe(3);
    expect(stderr).toMatch(wanted);
    expect(stderr).not.toMatch(unwanted);
    expect(stderr).not.toContain(portal.code);
    expect(stderr).not.toContain(portal.token);
  });
});
