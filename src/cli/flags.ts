import { UsageError } from '../shared/errors.js';
import { DEFAULT_OUT, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from '../options/generate-options.js';
import type { CliFlags } from '../options/resolve-options.js';
import { BOUNDS, describeBounds, type Bounds } from '../options/schema.js';
import { editDistance } from '../shared/edit-distance.js';

/**
 * The command line's flags, in one table that serves both the parser below and the help (yargs, loaded
 * only for --help). The parser is ours because every mistake must be a usage error that names the flag as
 * it was typed: yargs turns a repeated flag into an array (which crashed later), drops the dashes of an
 * unknown one and suggests nothing.
 */

type Kind = 'string' | 'number' | 'boolean' | 'choice';

interface FlagSpec {
  readonly name: string;
  readonly alias?: string;
  readonly kind: Kind;
  readonly describe: string;
  readonly group: 'Source:' | 'Output:' | 'Network:' | 'Other:';
  readonly choices?: readonly string[];
  readonly bounds?: Bounds;
  /** May be given more than once; the values are collected. */
  readonly repeatable?: boolean;
  /** A boolean whose `--no-` form is the documented one. */
  readonly negatedInHelp?: boolean;
}

export const FLAGS: readonly FlagSpec[] = [
  { name: 'webhook', kind: 'string', group: 'Source:', describe: 'Inbound webhook URL (env B24_WEBHOOK_URL)' },
  { name: 'portal', kind: 'string', group: 'Source:', describe: 'Portal origin for OAuth (env B24_PORTAL_URL)' },
  { name: 'token', kind: 'string', group: 'Source:', describe: 'OAuth access token (env B24_ACCESS_TOKEN)' },
  { name: 'input', kind: 'string', group: 'Source:', describe: 'Saved response or snapshot file (offline)' },
  { name: 'env-file', kind: 'string', group: 'Source:', describe: 'Read env vars from a dotenv file (the real environment wins)' },
  { name: 'out', alias: 'o', kind: 'string', group: 'Output:', describe: `Module to write [default: ${DEFAULT_OUT}]` },
  { name: 'check', kind: 'boolean', group: 'Output:', describe: 'Write nothing; exit 1 and say what changed if the file is stale or missing' },
  { name: 'snapshot', kind: 'string', group: 'Output:', describe: 'Also write the normalized response here, for --input' },
  {
    name: 'enum-style',
    kind: 'choice',
    choices: ['auto', 'enum', 'const'],
    group: 'Output:',
    describe: 'enum | const (as-const object + type) | auto: const when the tsconfig sets erasableSyntaxOnly [default: auto]',
  },
  { name: 'format', kind: 'boolean', negatedInHelp: true, group: 'Output:', describe: "Skip Prettier (on by default, with the project's config)" },
  { name: 'pipelines', kind: 'boolean', negatedInHelp: true, group: 'Output:', describe: 'Skip pipelines and stages: owner types only (config "pipelines": false)' },
  { name: 'drop-deprecated', kind: 'boolean', group: 'Output:', describe: 'Leave out the @deprecated aliases kept for renamed SPAs, pipelines and stages' },
  { name: 'only', kind: 'string', repeatable: true, group: 'Output:', describe: 'With "portals" in the config: only these portals (repeatable, or comma-separated)' },
  { name: 'timeout', kind: 'number', bounds: BOUNDS.timeout, group: 'Network:', describe: `Milliseconds per request attempt, ${BOUNDS.timeout.min}..${BOUNDS.timeout.max} [default: ${DEFAULT_TIMEOUT_MS}]` },
  { name: 'retries', kind: 'number', bounds: BOUNDS.retries, group: 'Network:', describe: `Retries for rate limits, 5xx and network faults, ${BOUNDS.retries.min}..${BOUNDS.retries.max} [default: ${DEFAULT_RETRIES}]` },
  { name: 'config', kind: 'string', group: 'Other:', describe: 'Config file [default: gen-ownertypes.config.json, or "gen-ownertypes" in package.json]' },
  { name: 'quiet', alias: 'q', kind: 'boolean', group: 'Other:', describe: 'Print only warnings and errors' },
  { name: 'verbose', kind: 'boolean', group: 'Other:', describe: 'Print details and stack traces' },
];

const HELP_HINT = 'Run gen-ownertypes --help for usage.';

/** What was parsed: the flags for resolution, plus the ones the CLI itself uses. */
export interface ParsedArgs {
  readonly flags: CliFlags;
  readonly envFile?: string;
  readonly config?: string;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

/** `--help`/`-h` or `--version` anywhere before `--`: shown whatever else was typed, as other tools do. */
export function wantsHelpOrVersion(argv: readonly string[]): 'help' | 'version' | undefined {
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--version') return 'version';
  }
  return undefined;
}

/** Every spelling a user may type, long form without dashes: `out`, `no-format`, `help`, … */
function spellings(): string[] {
  return [
    ...FLAGS.flatMap((flag) => (flag.kind === 'boolean' ? [flag.name, `no-${flag.name}`] : [flag.name])),
    'help',
    'version',
  ];
}

/** The closest known flag, when it is close enough to be what was meant. */
export function suggestFlag(typed: string): string | undefined {
  const name = typed.replace(/^-+/, '').toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of spellings()) {
    const distance = editDistance(name, candidate);
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  if (best === undefined) return undefined;
  // One typo in a short flag, two in a longer one; never a wild guess.
  const limit = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  return best.distance <= limit && best.distance < name.length ? `--${best.name}` : undefined;
}

function unknownOption(typed: string): UsageError {
  const suggestion = suggestFlag(typed);
  return new UsageError(`Unknown option ${typed}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`} ${HELP_HINT}`);
}

/** A printable form of what was typed, without echoing a value (it may be a secret). */
function shown(token: string): string {
  const equals = token.indexOf('=');
  return equals === -1 ? token : `${token.slice(0, equals)}=…`;
}

/** A value quoted for a message, unless it may be a secret pasted in the wrong place (a URL, a long token). */
function quoted(value: string): string {
  return value.includes('://') || value.length > 40 ? 'that value (not repeated here: it looks like a URL or a secret)' : JSON.stringify(value);
}

function parseNumber(flag: FlagSpec, typed: string, value: string): number {
  const bounds = flag.bounds!;
  // Digits only: Number() would take "1e3", "0x10" and " 5 ", parseInt "5abc".
  const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < bounds.min || parsed > bounds.max) {
    throw new UsageError(`${typed} must be ${describeBounds(bounds)}, not ${quoted(value)}. ${HELP_HINT}`);
  }
  return parsed;
}

/**
 * Parses the command line. Every option may be given once, except `--only`; `--format` and `--no-format`
 * count as the same option. Values are never empty. Throws `UsageError` naming the flag as typed.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const byName = new Map(FLAGS.map((flag) => [flag.name, flag]));
  const byAlias = new Map(FLAGS.filter((flag) => flag.alias !== undefined).map((flag) => [flag.alias!, flag]));
  const seen = new Map<string, string>();
  const values: Record<string, string | number | boolean | string[]> = {};

  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--' || token === '-' || !token.startsWith('-')) {
      const positional = token === '--' ? argv[index + 1] : token;
      if (token === '--' && positional === undefined) continue;
      throw new UsageError(
        `Unexpected argument ${quoted(positional!)}; gen-ownertypes takes only options (--name value${positional!.includes('://') ? ', and a webhook URL is best kept in B24_WEBHOOK_URL' : ''}). ${HELP_HINT}`,
      );
    }
    const long = token.startsWith('--');
    const equals = token.indexOf('=');
    const typed = equals === -1 ? token : token.slice(0, equals);
    const inline = equals === -1 ? undefined : token.slice(equals + 1);
    const bare = typed.slice(long ? 2 : 1);
    if (bare === '') throw new UsageError(`${JSON.stringify(shown(token))} is not an option: an option has a name, such as --out FILE. ${HELP_HINT}`);

    let flag: FlagSpec | undefined;
    let negated = false;
    if (long) {
      flag = byName.get(bare);
      if (flag === undefined && bare.startsWith('no-')) {
        const positive = byName.get(bare.slice(3));
        if (positive?.kind === 'boolean') {
          flag = positive;
          negated = true;
        }
      }
    } else {
      flag = byAlias.get(bare);
    }
    if (flag === undefined) throw unknownOption(typed);

    const previous = seen.get(flag.name);
    if (previous !== undefined && flag.repeatable !== true) {
      const as = previous === typed ? `${typed} is given twice` : `${typed} repeats ${previous}`;
      throw new UsageError(`${as}; give each option once (a script may already set it: check the npm script or the CI step). ${HELP_HINT}`);
    }
    seen.set(flag.name, typed);

    if (flag.kind === 'boolean') {
      if (inline !== undefined) {
        if (negated || (inline !== 'true' && inline !== 'false')) {
          throw new UsageError(`${typed} takes no value${negated ? '' : ' (or =true, =false)'}; got ${JSON.stringify(shown(token))}. ${HELP_HINT}`);
        }
        values[flag.name] = inline === 'true';
      } else {
        values[flag.name] = !negated;
      }
      continue;
    }
    if (negated) throw unknownOption(typed);

    let value = inline;
    if (value === undefined) {
      const next = argv[index + 1];
      // A following option is not a value, but a negative number is (so --retries -1 says what is wrong).
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new UsageError(`${typed} needs a value${flag.kind === 'choice' ? `: ${flag.choices!.join(', ')}` : ''}. ${HELP_HINT}`);
      }
      value = next;
      index++;
    }
    if (value.trim() === '') {
      throw new UsageError(`${typed} needs a value, not an empty string${flag.kind === 'choice' ? `: ${flag.choices!.join(', ')}` : ''}. ${HELP_HINT}`);
    }
    switch (flag.kind) {
      case 'number':
        values[flag.name] = parseNumber(flag, typed, value);
        break;
      case 'choice':
        if (!flag.choices!.includes(value)) {
          throw new UsageError(`${typed} must be one of ${flag.choices!.join(', ')}, not ${quoted(value)}. ${HELP_HINT}`);
        }
        values[flag.name] = value;
        break;
      default:
        if (flag.repeatable === true) ((values[flag.name] ??= []) as string[]).push(value);
        else values[flag.name] = value;
    }
  }

  if (values.quiet === true && values.verbose === true) {
    throw new UsageError(`--quiet and --verbose contradict each other; give one. ${HELP_HINT}`);
  }
  const text = (name: string) => values[name] as string | undefined;
  const flags: CliFlags = {
    webhook: text('webhook'),
    portal: text('portal'),
    token: text('token'),
    input: text('input'),
    out: text('out'),
    check: values.check as boolean | undefined,
    snapshot: text('snapshot'),
    enumStyle: values['enum-style'] as CliFlags['enumStyle'],
    timeout: values.timeout as number | undefined,
    retries: values.retries as number | undefined,
    format: values.format as boolean | undefined,
    pipelines: values.pipelines as boolean | undefined,
    dropDeprecated: values['drop-deprecated'] as boolean | undefined,
    only: values.only as string[] | undefined,
  };
  return {
    flags,
    ...(text('env-file') !== undefined && { envFile: text('env-file')! }),
    ...(text('config') !== undefined && { config: text('config')! }),
    quiet: values.quiet === true,
    verbose: values.verbose === true,
  };
}

const USAGE =
  "$0 [options]\n\nGenerates a typed TypeScript module of a Bitrix24 portal's CRM IDs: EntityTypeId,\nthe symbol-code maps, smart-process (SPA) constants, pipelines (Category) and stages (Stage).";

const EPILOGUE = `Sources, exactly one (a flag beats its env var):
  --webhook URL            or B24_WEBHOOK_URL: https://PORTAL/rest/USER_ID/CODE/ (crm scope)
  --portal URL --token T   or B24_PORTAL_URL + B24_ACCESS_TOKEN (OAuth)
  --input FILE             a saved crm.enum.ownertype response or a --snapshot file
  none, and the config's "snapshot" exists: regenerate offline from it
Secrets belong in env vars or --env-file: flags land in shell history and process lists.

Exit codes: 0 written or current · 1 --check: stale or missing, or the portals disagree
            2 usage, config or --input error · 3 portal, network or response error
            70 a defect of gen-ownertypes (please report it) · 130 interrupted

Config: gen-ownertypes.config.json or "gen-ownertypes" in package.json: out, enumStyle,
        format, timeout, retries, snapshot, portal, pipelines, aliases, portals, consistency.
        Precedence: flags > env > config > defaults.`;

/** The help text, by yargs (loaded here only: parsing never needs it). */
export async function helpText(version: string): Promise<string> {
  const { default: yargs } = await import('yargs');
  const options = Object.fromEntries(
    FLAGS.map((flag) => [
      flag.negatedInHelp === true ? `no-${flag.name}` : flag.name,
      {
        type: flag.kind === 'number' ? ('number' as const) : flag.kind === 'boolean' ? ('boolean' as const) : ('string' as const),
        describe: flag.describe,
        group: flag.group,
        ...(flag.alias !== undefined && { alias: flag.alias }),
        ...(flag.choices !== undefined && { choices: flag.choices }),
      },
    ]),
  );
  return yargs([])
    .scriptName('gen-ownertypes')
    .usage(USAGE)
    .options(options)
    .example('$0', 'read B24_WEBHOOK_URL, write src/generated/ownertypes.ts')
    .example('$0 --env-file .env.local', 'read the webhook from a dotenv file')
    .example('$0 --check', 'in CI: exit 1 if the committed module is stale')
    .example('$0 --snapshot b24/ownertypes.json', 'also save the response for offline builds')
    .example('$0 --input b24/ownertypes.json', 'regenerate offline from that snapshot')
    .example('$0 --only prod', 'with "portals" in the config: only the prod portal')
    .epilogue(EPILOGUE)
    .help('help')
    .alias('help', 'h')
    .version('version', 'Show the gen-ownertypes version', version)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .parserConfiguration({ 'boolean-negation': false })
    .getHelp();
}

const FLAG_BY_OPTION = new Map(FLAGS.map((flag) => [flag.name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()), `--${flag.name}`]));

/**
 * An error's message as the command line says it: the library names options in backticks as it knows them
 * (`timeout`, `enumStyle`), the CLI by its flags (`--timeout`, `--enum-style`). Only errors about an
 * option are rewritten, so portal text quoted in other messages is never touched.
 */
export function messageWithFlags(error: { readonly message: string; readonly option?: string }): string {
  if (error.option === undefined) return error.message;
  return error.message.replace(/`([a-z][A-Za-z]*)`/g, (whole, name: string) => FLAG_BY_OPTION.get(name) ?? whole);
}
