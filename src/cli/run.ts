import path from 'node:path';
import yargs from 'yargs';
import { ExitCode, UsageError, exitCodeFor, isGenOwnerTypesError } from '../shared/errors.js';
import type { GenerateResult } from '../generate.js';
import type { Logger } from '../shared/logger.js';
import { DEFAULT_OUT, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from '../options/generate-options.js';
import { loadEnvFile } from '../options/load-env-file.js';
import { resolveOptions, type CliFlags, type Environment } from '../options/resolve-options.js';
import { redact, secretsOf } from '../source/redact.js';
import { GENERATOR_VERSION } from '../shared/version.js';

export interface RunContext {
  readonly env?: Environment;
  readonly cwd?: string;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly signal?: AbortSignal;
}

const EPILOGUE = `Sources, exactly one (a flag beats its env var):
  --webhook URL            or B24_WEBHOOK_URL: https://PORTAL/rest/USER_ID/CODE/ (crm scope)
  --portal URL --token T   or B24_PORTAL_URL + B24_ACCESS_TOKEN (OAuth)
  --input FILE             a saved crm.enum.ownertype response or a --snapshot file
Secrets belong in env vars or --env-file: flags land in shell history and process lists.

Exit codes: 0 written or current · 1 --check: stale or missing · 2 usage, config or --input error
            3 portal, network or response error · 130 interrupted

Config: gen-ownertypes.config.json or "gen-ownertypes" in package.json
        (out, enumStyle, format, timeout, retries, snapshot, portal, aliases).
        Precedence: flags > env > config > defaults.`;

function integerFlag(name: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}. Run gen-ownertypes --help for usage.`);
  }
  return value;
}

function describeResult(result: GenerateResult, cwd: string): string {
  const file = path.relative(cwd, result.outFile) || result.outFile;
  const spas = result.types.filter((t) => t.isSpa).length;
  const what = `${result.types.length} owner types, ${spas} SPA${spas === 1 ? '' : 's'}${result.portal === undefined ? '' : ` from ${result.portal}`}`;
  switch (result.status) {
    case 'written':
      return `Wrote ${file} (${what}).`;
    case 'unchanged':
      return `${file} is up to date (${what}).`;
    case 'current':
      return `${file} is current (${what}).`;
    default:
      return result.report ?? `${file} is ${result.status}.`;
  }
}

/** The command line: parses flags, runs `generate`, prints to stderr, returns the exit code. Never throws. */
export async function run(argv: readonly string[], context: RunContext = {}): Promise<number> {
  const env = context.env ?? process.env;
  const cwd = context.cwd ?? process.cwd();
  const stdout = context.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = context.stderr ?? ((text: string) => process.stderr.write(text));
  const verbose = argv.includes('--verbose');
  let secrets: string[] = [];
  const print = (text: string) => stderr(`${redact(text, secrets)}\n`);

  try {
    let helpOrVersion = false;
    const parser = yargs([...argv])
      .scriptName('gen-ownertypes')
      .usage(
        "$0 [options]\n\nGenerates a typed TypeScript module of a Bitrix24 portal's CRM owner types (crm.enum.ownertype):\nthe EntityTypeId enum, symbol-code maps and smart-process (SPA) constants.",
      )
      .options({
        webhook: { type: 'string', describe: 'Inbound webhook URL (env B24_WEBHOOK_URL)', group: 'Source:' },
        portal: { type: 'string', describe: 'Portal origin for OAuth (env B24_PORTAL_URL)', group: 'Source:' },
        token: { type: 'string', describe: 'OAuth access token (env B24_ACCESS_TOKEN)', group: 'Source:' },
        input: { type: 'string', describe: 'Saved response or snapshot file (offline)', group: 'Source:' },
        'env-file': { type: 'string', describe: 'Read env vars from a dotenv file (the real environment wins)', group: 'Source:' },
        out: { alias: 'o', type: 'string', describe: `Module to write [default: ${DEFAULT_OUT}]`, group: 'Output:' },
        check: { type: 'boolean', describe: 'Write nothing; exit 1 and say what changed if the file is stale or missing', group: 'Output:' },
        snapshot: { type: 'string', describe: 'Also write the normalized response here, for --input', group: 'Output:' },
        'enum-style': {
          choices: ['auto', 'enum', 'const'] as const,
          describe: 'enum | const (as-const object + type) | auto: const when the tsconfig sets erasableSyntaxOnly [default: auto]',
          group: 'Output:',
        },
        format: { type: 'boolean', describe: "Format with the project's Prettier config; --no-format skips [default: true]", group: 'Output:' },
        timeout: { type: 'number', requiresArg: true, describe: `Milliseconds per request attempt [default: ${DEFAULT_TIMEOUT_MS}]`, group: 'Network:' },
        retries: { type: 'number', requiresArg: true, describe: `Retries for rate limits, 5xx and network faults [default: ${DEFAULT_RETRIES}]`, group: 'Network:' },
        config: { type: 'string', describe: 'Config file [default: gen-ownertypes.config.json, or "gen-ownertypes" in package.json]', group: 'Other:' },
        quiet: { alias: 'q', type: 'boolean', describe: 'Print only warnings and errors', group: 'Other:' },
        verbose: { type: 'boolean', describe: 'Print details and stack traces', group: 'Other:' },
      })
      .conflicts('quiet', 'verbose')
      .example('$0', 'read B24_WEBHOOK_URL, write src/generated/ownertypes.ts')
      .example('$0 --env-file .env.local', 'read the webhook from a dotenv file')
      .example('$0 --check', 'in CI: exit 1 if the committed module is stale')
      .example('$0 --snapshot b24/ownertypes.json', 'also save the response for offline builds')
      .example('$0 --input b24/ownertypes.json', 'regenerate offline from that snapshot')
      .epilogue(EPILOGUE)
      .help('help')
      .alias('help', 'h')
      .version('version', 'Show the gen-ownertypes version', GENERATOR_VERSION)
      .strict()
      .wrap(Math.min(110, process.stdout.columns || 100))
      .exitProcess(false)
      .showHelpOnFail(false)
      .fail((message, error) => {
        throw error ?? new UsageError(`${message.replace(/\s*\n\s*/g, ' ')}. Run gen-ownertypes --help for usage.`);
      });
    const flags = await parser.parseAsync([...argv], {}, (_error, parsed, output) => {
      if (output !== '' && (parsed.help === true || parsed.version === true)) {
        helpOrVersion = true;
        stdout(`${output}\n`);
      }
    });
    if (helpOrVersion) return ExitCode.Ok;
    if (flags._.length > 0) {
      throw new UsageError(`Unexpected argument ${JSON.stringify(String(flags._[0]))}; gen-ownertypes takes only options. Run gen-ownertypes --help for usage.`);
    }

    const cliFlags: CliFlags = {
      webhook: flags.webhook,
      portal: flags.portal,
      token: flags.token,
      input: flags.input,
      out: flags.out,
      check: flags.check,
      snapshot: flags.snapshot,
      enumStyle: flags['enum-style'],
      timeout: integerFlag('timeout', flags.timeout, 1, 600_000),
      retries: integerFlag('retries', flags.retries, 0, 10),
      format: flags.format,
    };
    // The pipeline (undici, lilconfig, naming…) is loaded only past the parse: --help, --version and usage
    // errors stay at the cost of yargs alone.
    const [{ generate }, { loadConfig }] = await Promise.all([import('../generate.js'), import('../options/load-config.js')]);
    const fullEnv = flags['env-file'] === undefined ? env : await loadEnvFile(flags['env-file'], cwd, env);
    const loaded = await loadConfig(cwd, flags.config);
    const options = resolveOptions(cliFlags, fullEnv, loaded, cwd);
    if (options.source.kind !== 'input') secrets = secretsOf(options.source);

    const logger: Logger = {
      info: (message) => {
        if (flags.quiet !== true) print(message);
      },
      warn: (message) => print(`warning: ${message}`),
      debug: (message) => {
        if (flags.verbose === true) print(`debug: ${message}`);
      },
    };
    if (loaded.filepath !== undefined) logger.debug(`config: ${loaded.filepath}`);
    const result = await generate({ ...options, logger, ...(context.signal !== undefined && { signal: context.signal }) });
    const stale = isStale(result.status);
    if (stale) print(describeResult(result, cwd));
    else logger.info(describeResult(result, cwd));
    let snapshotStale = false;
    if (result.snapshot !== undefined) {
      const file = path.relative(cwd, result.snapshot.file) || result.snapshot.file;
      const status = result.snapshot.status;
      snapshotStale = isStale(status);
      if (snapshotStale) print(`Snapshot ${file} is ${status}.`);
      else logger.info(`Snapshot ${file} ${status === 'written' ? 'written' : `is ${status === 'unchanged' ? 'up to date' : status}`}.`);
    }
    return stale || snapshotStale ? ExitCode.Stale : ExitCode.Ok;
  } catch (error) {
    if (context.signal?.aborted === true) {
      print('gen-ownertypes: interrupted; no file was changed.');
      return 130;
    }
    const code = exitCodeFor(error);
    if (isGenOwnerTypesError(error)) {
      print(`gen-ownertypes: ${error.message}`);
    } else {
      print(`gen-ownertypes: unexpected error: ${(error as Error)?.message ?? String(error)}. Please report it with the output of --verbose.`);
    }
    if (verbose) print(formatStack(error));
    return code;
  }
}

function isStale(status: GenerateResult['status']): boolean {
  return status === 'stale' || status === 'missing';
}

function formatStack(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(depth === 0 ? String((current as Error)?.stack ?? current) : `caused by: ${String((current as Error)?.stack ?? current)}`);
    current = (current as Error)?.cause;
  }
  return lines.join('\n');
}
