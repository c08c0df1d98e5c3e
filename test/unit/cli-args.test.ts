import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { FLAGS, parseArgs, suggestFlag } from '../../src/cli/flags.js';
import { ExitCode, InternalError, defectMessage, exitCodeFor } from '../../src/shared/errors.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp.js';

// A project folder with no config, no B24_* variables: nothing here may reach the network.
const cwd = tempDir('cli-args');

async function runIn(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const code = await run(argv, { cwd, env, stderr: (t) => (stderr += t), stdout: (t) => (stdout += t) });
  return { code, stderr, stdout };
}

function expectUsage(result: { code: number; stderr: string }, names: string | RegExp): void {
  expect(result.stderr).not.toMatch(/unexpected error|internal error|Please report/i);
  expect(result.code, result.stderr).toBe(ExitCode.Usage);
  if (typeof names === 'string') expect(result.stderr).toContain(names);
  else expect(result.stderr).toMatch(names);
}

const valueFlags = FLAGS.filter((flag) => flag.kind !== 'boolean' && flag.repeatable !== true);
const sample: Record<string, string> = {
  webhook: 'https://example.bitrix24.com/rest/1/abc/',
  portal: 'https://example.bitrix24.com',
  token: 'tok',
  input: 'in.json',
  'env-file': '.env',
  out: 'x.ts',
  snapshot: 's.json',
  'enum-style': 'const',
  timeout: '1000',
  retries: '2',
  config: 'c.json',
};

describe('flags: every mistake is a usage error naming the flag', () => {
  it.each([
    [['--out', 'a.ts', '-o', 'b.ts'], '-o repeats --out'],
    [['-o', 'a.ts', '--out', 'b.ts'], '--out repeats -o'],
    [['--out', 'a.ts', '--out=b.ts'], '--out is given twice'],
    [['--check', '--check'], '--check is given twice'],
    [['--no-format', '--format'], '--format repeats --no-format'],
    [['--quiet', '-q'], '-q repeats --quiet'],
    [['--out', ''], '--out needs a value'],
    [['--out='], '--out needs a value'],
    [['--out'], '--out needs a value'],
    [['--out', '--check'], '--out needs a value'],
    [['--timeout', ''], '--timeout needs a value'],
    [['--timeout', 'abc'], '--timeout must be a whole number from 1 to 600000'],
    [['--timeout', '1e3'], '--timeout must be a whole number'],
    [['--timeout', '0x10'], '--timeout must be a whole number'],
    [['--timeout', '600001'], '--timeout must be a whole number from 1 to 600000'],
    [['--retries', '-1'], '--retries must be a whole number from 0 to 10'],
    [['--retries', '1.5'], '--retries must be a whole number'],
    [['--config', ''], '--config needs a value'],
    [['--env-file', ''], '--env-file needs a value'],
    [['--enum-style', ''], '--enum-style needs a value'],
    [['--enum-style', 'union'], '--enum-style must be one of auto, enum, const'],
    [['--webhook', ''], '--webhook needs a value'],
    [['--only', ''], '--only needs a value'],
    [['--=x'], '"--=…" is not an option'],
    [['-'], 'Unexpected argument "-"'],
    [['--', 'x'], 'Unexpected argument "x"'],
    [['out.ts'], 'Unexpected argument "out.ts"'],
    [['--check=yes'], '--check takes no value'],
    [['--no-format=true'], '--no-format takes no value'],
    [['--no-out'], 'Unknown option --no-out'],
    [['--ot'], 'Unknown option --ot; did you mean --out?'],
    [['--chek'], 'did you mean --check?'],
    [['--enumStyle', 'const'], 'did you mean --enum-style?'],
    [['--no-pipeline'], 'did you mean --no-pipelines?'],
    [['-x'], 'Unknown option -x'],
    [['--quiet', '--verbose'], '--quiet and --verbose'],
  ])('%j', async (argv, message) => {
    expectUsage(await runIn(argv), message);
  });

  it('does not guess when nothing is close', () => {
    expect(suggestFlag('--zzzzzz')).toBeUndefined();
    expect(suggestFlag('--x')).toBeUndefined();
  });

  it('never repeats a value that may be a secret', async () => {
    const secret = 'https://example.bitrix24.com/rest/1/s3cr3tc0de/';
    for (const argv of [[secret], ['--timeout', secret], ['--enum-style', secret], ['--webhook', secret, '--webhook', secret]]) {
      const result = await runIn(argv);
      expectUsage(result, /gen-ownertypes:/);
      expect(result.stderr).not.toContain('s3cr3tc0de');
    }
  });

  it('property: any value flag given twice, in any spelling, is exit 2 naming the second spelling', async () => {
    const spelled = fc.constantFrom(...valueFlags.flatMap((flag) => [`--${flag.name}`, ...(flag.alias === undefined ? [] : [`-${flag.alias}`])]));
    await fc.assert(
      fc.asyncProperty(spelled, fc.boolean(), fc.boolean(), async (spelling, firstInline, secondInline) => {
        const flag = valueFlags.find((f) => spelling === `--${f.name}` || spelling === `-${f.alias}`)!;
        const other = flag.alias === undefined ? `--${flag.name}` : spelling.startsWith('--') ? `-${flag.alias}` : `--${flag.name}`;
        const value = sample[flag.name]!;
        const give = (typed: string, inline: boolean) => (inline ? [`${typed}=${value}`] : [typed, value]);
        const result = await runIn([...give(other, firstInline), '--check', ...give(spelling, secondInline)]);
        expectUsage(result, spelling);
      }),
      { numRuns: 60 },
    );
  });

  it('property: an empty or blank value of any value flag is exit 2 naming the flag', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FLAGS.filter((f) => f.kind !== 'boolean')), fc.constantFrom('', ' ', '\t'), fc.boolean(), async (flag, blank, inline) => {
        const argv = inline ? [`--${flag.name}=${blank}`] : [`--${flag.name}`, blank];
        expectUsage(await runIn(argv), `--${flag.name}`);
      }),
      { numRuns: 40 },
    );
  });

  it('property: no argument vector reaches an internal error', async () => {
    const token = fc.oneof(
      fc.constantFrom(...FLAGS.flatMap((f) => [`--${f.name}`, `--no-${f.name}`, `--${f.name}=`, ...(f.alias === undefined ? [] : [`-${f.alias}`])])),
      fc.constantFrom('-', '--', '--=', '=', '-1', '1e3', 'abc', '', ' ', '--help=1', '-qo'),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (argv) => {
        const result = await runIn(argv);
        expect(result.stderr).not.toMatch(/internal error|unexpected error/i);
        expect([ExitCode.Ok, ExitCode.Usage]).toContain(result.code);
      }),
      { numRuns: 150 },
    );
  });

  it('--only is repeatable; its values are collected', () => {
    expect(parseArgs(['--only', 'dev', '--only=prod,demo']).flags.only).toEqual(['dev', 'prod,demo']);
    expect(parseArgs(['--no-pipelines', '--drop-deprecated']).flags).toMatchObject({ pipelines: false, dropDeprecated: true });
    expect(parseArgs(['--retries', '0', '--timeout=600000']).flags).toMatchObject({ retries: 0, timeout: 600000 });
  });
});

describe('a defect of ours', () => {
  it('exits 70 and asks for a bug report, never 3', () => {
    expect(exitCodeFor(new TypeError('x is undefined'))).toBe(ExitCode.Defect);
    expect(exitCodeFor(new InternalError('invariant'))).toBe(70);
    expect(defectMessage(new TypeError('boom'))).toMatch(/internal error .*TypeError: boom.*report it.*--verbose/);
  });

  it('run() turns an error no stage expected into exit 70 with a bug report request; --verbose adds the stack', async () => {
    const broken = new Proxy({}, {
      get() {
        throw new TypeError('env exploded');
      },
    }) as Record<string, string>;
    for (const verbose of [false, true]) {
      let stderr = '';
      const code = await run(['--input', 'x.json', ...(verbose ? ['--verbose'] : [])], { cwd, env: broken, stderr: (t) => (stderr += t) });
      expect(code).toBe(70);
      expect(stderr).toMatch(/^gen-ownertypes: internal error \(a defect of gen-ownertypes, exit 70\): TypeError: env exploded\. Please report it/);
      expect(stderr.includes('    at ')).toBe(verbose);
    }
  });

  it('a broken config file is a config error, not a defect', async () => {
    const dir = tempDir('cli-args-config');
    writeFileSync(path.join(dir, 'gen-ownertypes.config.json'), '{"timeout": 700000}');
    let stderr = '';
    const code = await run(['--input', 'x.json'], { cwd: dir, env: {}, stderr: (t) => (stderr += t) });
    expect(code).toBe(2);
    expect(stderr).toContain('"timeout" must be a whole number from 1 to 600000');
  });
});

describe('the built bin', () => {
  it.each([
    [['--out', 'a.ts', '-o', 'b.ts'], '-o repeats --out'],
    [['--ot', 'x'], 'Unknown option --ot; did you mean --out?'],
    [['--timeout', ''], '--timeout needs a value'],
    [['--env-file', ''], '--env-file needs a value'],
  ])('%j exits 2', async (argv, message) => {
    const result = await runCli(argv, { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/unexpected error|internal error/i);
  });
});

describe('messageWithFlags', () => {
  it('names the flags where the library named its options, only in errors about an option', async () => {
    const { messageWithFlags } = await import('../../src/cli/flags.js');
    const { ConfigError, OutputError, PortalError } = await import('../../src/shared/errors.js');
    expect(messageWithFlags(new ConfigError('`timeout` must be a positive number of milliseconds, not 0.', { option: 'timeout' }))).toBe(
      '--timeout must be a positive number of milliseconds, not 0.',
    );
    expect(messageWithFlags(new OutputError('`out` a.ts and `snapshot` a.ts are the same file; `enumStyle` stays, `crm` too.', { option: 'snapshot' }))).toBe(
      '--out a.ts and --snapshot a.ts are the same file; --enum-style stays, `crm` too.',
    );
    // Portal text is quoted verbatim: an error about no option is never rewritten.
    expect(messageWithFlags(new PortalError('The portal said: `timeout`', 'X', '`timeout`', 400))).toBe('The portal said: `timeout`');
  });
});
