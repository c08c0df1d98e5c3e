import { statSync } from 'node:fs';
import path from 'node:path';
import { editDistance } from '../shared/edit-distance.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import type { LoadedConfig } from './load-config.js';
import { DEFAULT_OUT, type EnumStyleOption, type GenerateOptions, type Source, type SourceNames } from './generate-options.js';

/** What the command line said; `undefined` means "not given", so config and env can fill in. */
export interface CliFlags {
  readonly webhook?: string | undefined;
  readonly portal?: string | undefined;
  readonly token?: string | undefined;
  readonly input?: string | undefined;
  readonly out?: string | undefined;
  readonly check?: boolean | undefined;
  readonly snapshot?: string | undefined;
  readonly enumStyle?: EnumStyleOption | undefined;
  readonly timeout?: number | undefined;
  readonly retries?: number | undefined;
  readonly format?: boolean | undefined;
  /** `--no-pipelines` gives `false`. */
  readonly pipelines?: boolean | undefined;
  readonly dropDeprecated?: boolean | undefined;
  /** `--only` values as given: each may hold several comma-separated names. */
  readonly only?: readonly string[] | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** One module to produce: where its owner types come from and where it goes. */
export interface PortalTarget {
  /** The portal's name in the config's `portals`; `undefined` for the one portal of a config without them. */
  readonly name: string | undefined;
  readonly source: Source;
  /** Absolute path of the module. */
  readonly out: string;
  /** Absolute path of the snapshot to write, if any. */
  readonly snapshot?: string;
  /** The top-level aliases with the portal's own over them. */
  readonly aliases: Readonly<Record<string, string>>;
  /**
   * Where the source's values are set, for the advice of error messages: the variables and flags of the
   * command line, or a named portal's entry (`B24_PROD_WEBHOOK_URL (portals.prod.webhookEnv)`). Names only,
   * never values; absent for a saved input.
   */
  readonly sourceNames?: SourceNames;
}

/** Settings shared by every target of a run. */
export interface RunSettings {
  readonly cwd: string;
  readonly check: boolean;
  readonly enumStyle?: EnumStyleOption;
  readonly timeout?: number;
  readonly retries?: number;
  readonly format?: boolean;
  readonly pipelines: boolean;
  readonly dropDeprecated: boolean;
  /** What disagreeing portals do: print the report, or exit 1 with nothing written. */
  readonly consistency: 'warn' | 'error';
  /** Portal origin for the banner of a raw `--input` (B24_PORTAL_URL or the config's `portal`). */
  readonly portal?: string;
  /**
   * The proxy variables of the run's environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, either case), so that
   * `--env-file` and an in-process `run(argv, { env })` set them as they set the source. Empty: no proxy;
   * absent: `process.env`'s.
   */
  readonly proxyEnv?: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedRun {
  /** One unnamed target without `portals`; the selected named portals, in config order, with them. */
  readonly targets: readonly PortalTarget[];
  readonly settings: RunSettings;
  /** Whether the config names `portals` (even when `--only` selected one). */
  readonly severalPortals: boolean;
  /** Set when no source was given and the config's snapshot stands in for one. */
  readonly offline?: { readonly snapshot: string };
}

/** The file-system question resolution asks (whether the offline snapshot exists); a seam for tests. */
export interface ResolveProbe {
  isFile(file: string): boolean;
}

const defaultProbe: ResolveProbe = {
  isFile: (file) => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  },
};

/**
 * Messages here name options as the library knows them, in backticks (`input`, `only`), and carry the
 * option; the CLI says its flags (`--input`, `--only`) and adds where to find the usage.
 */
const usage = (message: string, option: string) => new UsageError(message, { option });

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A source value and where it is set, as messages name the place (`--token`, `B24_ACCESS_TOKEN`). */
interface Place {
  readonly value: string;
  readonly name: string;
}

/**
 * Where each value of a source is set, the first place that holds it winning: the flag, then the variable,
 * then (the portal only) the config. `resolveSource` takes the values from here, and `cliSourceNames` the
 * names, so the two cannot disagree on which place won.
 */
function sourcePlaces(flags: CliFlags, env: Environment, config: LoadedConfig['config']) {
  const first = (...places: ReadonlyArray<readonly [string | undefined, string]>): Place | undefined => {
    const found = places.find(([value]) => value !== undefined);
    return found === undefined ? undefined : { value: found[0]!, name: found[1] };
  };
  return {
    webhook: first([flags.webhook, '--webhook'], [nonEmpty(env.B24_WEBHOOK_URL), 'B24_WEBHOOK_URL']),
    token: first([flags.token, '--token'], [nonEmpty(env.B24_ACCESS_TOKEN), 'B24_ACCESS_TOKEN']),
    portal: first([flags.portal, '--portal'], [nonEmpty(env.B24_PORTAL_URL), 'B24_PORTAL_URL'], [config.portal, '"portal" in the config']),
  };
}

/**
 * Picks the one source. Flags beat env vars; two sources given as flags is an error; with no flag, the
 * environment must name exactly one, so a stray variable never silently decides where the IDs come from.
 */
export function resolveSource(flags: CliFlags, env: Environment, config: LoadedConfig['config']): Source {
  const flagSources = [
    flags.input !== undefined && '`input`',
    flags.webhook !== undefined && '`webhook`',
    (flags.portal !== undefined || flags.token !== undefined) && '`portal`/`token`',
  ].filter((name): name is string => name !== false);
  if (flagSources.length > 1) {
    throw usage(`Give one source, not ${flagSources.join(' and ')}.`, flags.input !== undefined ? 'input' : 'webhook');
  }
  if (flags.input !== undefined) return { kind: 'input', file: flags.input };
  if (flags.webhook !== undefined) return { kind: 'webhook', url: flags.webhook };

  const places = sourcePlaces(flags, env, config);
  if (flags.portal !== undefined || flags.token !== undefined) {
    const token = places.token?.value;
    const portal = places.portal?.value;
    if (token === undefined) {
      throw usage('`portal` needs an access token: set B24_ACCESS_TOKEN (or pass `token`).', 'portal');
    }
    if (portal === undefined) {
      throw usage('`token` needs the portal: pass `portal` https://PORTAL, set B24_PORTAL_URL, or "portal" in the config.', 'token');
    }
    return { kind: 'oauth', portal, token };
  }

  // No source flag from here on: a value is one the environment (or, for the portal, the config) holds.
  const envWebhook = places.webhook?.value;
  const envToken = places.token?.value;
  if (envWebhook !== undefined && envToken !== undefined) {
    throw usage('Both B24_WEBHOOK_URL and B24_ACCESS_TOKEN are set; unset one, or choose with `webhook` or `portal`.', 'webhook');
  }
  if (envWebhook !== undefined) return { kind: 'webhook', url: envWebhook };
  if (envToken !== undefined) {
    const portal = places.portal?.value;
    if (portal === undefined) {
      throw new UsageError('B24_ACCESS_TOKEN is set but the portal is not: set B24_PORTAL_URL or "portal" in the config.');
    }
    return { kind: 'oauth', portal, token: envToken };
  }
  if (places.portal?.name === 'B24_PORTAL_URL') {
    throw new UsageError('B24_PORTAL_URL is set but B24_ACCESS_TOKEN is not.');
  }
  throw usage(
    'No source: pass `webhook` URL or set B24_WEBHOOK_URL (an inbound webhook with the crm scope), use `portal` with B24_ACCESS_TOKEN, or `input` FILE.',
    'webhook',
  );
}

/**
 * Where the command line's source values are set, as `resolveSource` picks them: the flag or the variable
 * a value came from, and both for a value not given (advice may suggest the other kind of source).
 */
function cliSourceNames(flags: CliFlags, env: Environment, config: LoadedConfig['config']): SourceNames {
  const places = sourcePlaces(flags, env, config);
  return {
    webhook: places.webhook?.name ?? 'B24_WEBHOOK_URL (or --webhook)',
    token: places.token?.name ?? 'B24_ACCESS_TOKEN (or --token)',
    portal: places.portal?.name ?? 'B24_PORTAL_URL (or --portal)',
  };
}

/** The variables the HTTP client reads for a proxy (src/source/proxy.ts), in either case. */
const PROXY_VARIABLE = /^(?:https?_proxy|no_proxy)$/i;

/** Whether the command line or the environment names any source at all (the offline fallback's test). */
function anySourceGiven(flags: CliFlags, env: Environment): boolean {
  return (
    flags.input !== undefined ||
    flags.webhook !== undefined ||
    flags.portal !== undefined ||
    flags.token !== undefined ||
    nonEmpty(env.B24_WEBHOOK_URL) !== undefined ||
    nonEmpty(env.B24_ACCESS_TOKEN) !== undefined ||
    nonEmpty(env.B24_PORTAL_URL) !== undefined
  );
}

/** `--only a,b --only c` → `['a', 'b', 'c']`, without duplicates. */
function onlyNames(only: readonly string[]): string[] {
  const names = only.flatMap((value) => value.split(',')).map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw usage('`only` needs portal names, such as `only` dev,prod (an empty name was given).', 'only');
  }
  return [...new Set(names)];
}

/** The flags a config with `portals` leaves no room for: each portal names its own source, out and snapshot. */
const PER_PORTAL_FLAGS = ['webhook', 'portal', 'token', 'input', 'out', 'snapshot'] as const;

/**
 * Merges flags > env > config > defaults into the targets of a run and its shared settings. No writes;
 * the only file-system question is whether the config's snapshot exists (the offline fallback).
 */
export function resolveRun(
  flags: CliFlags,
  env: Environment,
  loaded: LoadedConfig,
  cwd: string,
  probe: ResolveProbe = defaultProbe,
): ResolvedRun {
  const { config, filepath } = loaded;
  const configDir = filepath === undefined ? cwd : path.dirname(filepath);
  // A trailing slash says "a folder": kept, so the output stage can refuse it instead of writing a file there.
  const absolute = (base: string, file: string) => path.resolve(base, file) + (/[\\/]$/.test(file) ? path.sep : '');
  const fromConfig = (file: string) => absolute(configDir, file);
  const enumStyle = flags.enumStyle ?? config.enumStyle;
  const timeout = flags.timeout ?? config.timeout;
  const retries = flags.retries ?? config.retries;
  const format = flags.format ?? config.format;
  const portal = nonEmpty(env.B24_PORTAL_URL) ?? config.portal;
  const settings: RunSettings = {
    cwd,
    check: flags.check === true,
    pipelines: flags.pipelines ?? config.pipelines ?? true,
    dropDeprecated: flags.dropDeprecated === true,
    consistency: config.consistency ?? 'warn',
    proxyEnv: Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => PROXY_VARIABLE.test(entry[0]) && entry[1] !== undefined),
    ),
    ...(enumStyle !== undefined && { enumStyle }),
    ...(timeout !== undefined && { timeout }),
    ...(retries !== undefined && { retries }),
    ...(format !== undefined && { format }),
    ...(portal !== undefined && config.portals === undefined && { portal }),
  };
  const topAliases = config.aliases ?? {};

  if (config.portals === undefined) {
    if (flags.only !== undefined) {
      throw usage(
        `\`only\` picks portals from "portals" in the config, and ${filepath ?? 'no config file was found, so there are none'}${filepath === undefined ? '' : ' names none'}.`,
        'only',
      );
    }
    const out = flags.out !== undefined ? absolute(cwd, flags.out) : config.out !== undefined ? fromConfig(config.out) : path.resolve(cwd, DEFAULT_OUT);
    const snapshotFlag = flags.snapshot !== undefined ? absolute(cwd, flags.snapshot) : undefined;
    const configSnapshot = config.snapshot !== undefined ? fromConfig(config.snapshot) : undefined;
    if (!anySourceGiven(flags, env) && configSnapshot !== undefined && probe.isFile(configSnapshot)) {
      // Offline: the committed snapshot stands in for the portal, and is read, not rewritten.
      const snapshot = snapshotFlag !== undefined && snapshotFlag !== configSnapshot ? snapshotFlag : undefined;
      return {
        targets: [{ name: undefined, source: { kind: 'input', file: configSnapshot }, out, ...(snapshot !== undefined && { snapshot }), aliases: topAliases }],
        settings,
        severalPortals: false,
        offline: { snapshot: configSnapshot },
      };
    }
    const source = resolveSource(flags, env, config);
    const snapshot = snapshotFlag ?? configSnapshot;
    return {
      targets: [
        {
          name: undefined,
          source,
          out,
          ...(snapshot !== undefined && { snapshot }),
          aliases: topAliases,
          ...(source.kind !== 'input' && { sourceNames: cliSourceNames(flags, env, config) }),
        },
      ],
      settings,
      severalPortals: false,
    };
  }

  const where = filepath ?? 'the config';
  for (const key of PER_PORTAL_FLAGS) {
    if (flags[key] !== undefined) {
      throw usage(
        `\`${key}\` cannot be used with "portals" in ${where}: each portal names its own source, out and snapshot. Use \`only\` NAME to pick portals.`,
        key,
      );
    }
  }
  for (const key of ['out', 'snapshot', 'portal'] as const) {
    if (config[key] !== undefined) {
      throw new ConfigError(`${where}: "${key}" belongs inside each portal when "portals" is set.`);
    }
  }
  const entries = Object.entries(config.portals);
  if (entries.length === 0) throw new ConfigError(`${where}: "portals" names no portal; remove it or add one.`);

  // Every file of every portal (selected or not) is distinct: two portals writing one module would race.
  const owners = new Map<string, string>();
  for (const [name, entry] of entries) {
    for (const [key, file] of [['out', entry.out], ['snapshot', entry.snapshot], ['input', entry.input]] as const) {
      if (file === undefined) continue;
      const resolved = fromConfig(file);
      const owner = owners.get(resolved);
      if (owner !== undefined && (key !== 'input' || !owner.endsWith('.input'))) {
        throw new ConfigError(`${where}: "portals.${name}.${key}" is the same file as "portals.${owner}" (${resolved}); each portal writes its own files.`);
      }
      owners.set(resolved, `${name}.${key}`);
    }
  }

  let selected = entries;
  if (flags.only !== undefined) {
    const names = onlyNames(flags.only);
    const known = entries.map(([name]) => name);
    const unknown = names.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      // A typo is the usual cause: the closest known name, within two edits (a swap is two) or a third of its length.
      const guesses = unknown.flatMap((name) => {
        const [best] = known
          .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
          .filter(({ candidate, distance }) => distance <= Math.max(2, Math.floor(candidate.length / 3)))
          .sort((a, b) => a.distance - b.distance);
        return best === undefined ? [] : [best.candidate];
      });
      const hint = guesses.length === 0 ? '' : ` Did you mean ${[...new Set(guesses)].join(', ')}?`;
      throw usage(
        `\`only\`: no portal named ${unknown.map((name) => JSON.stringify(name)).join(', ')} in ${where}.${hint} Known portals: ${known.join(', ')}.`,
        'only',
      );
    }
    selected = entries.filter(([name]) => names.includes(name));
  }

  const targets = selected.map(([name, entry]): PortalTarget => {
    const variable = (variableName: string, what: string) => {
      const value = nonEmpty(env[variableName]);
      if (value === undefined) {
        throw usage(
          `Portal "${name}": the environment variable ${variableName} (${what}) is not set or is empty. Set it, or add it to \`envFile\`${entries.length > 1 ? ', or leave this portal out with `only`' : ''}.`,
          'envFile',
        );
      }
      return value;
    };
    let source: Source;
    if (entry.webhookEnv !== undefined) source = { kind: 'webhook', url: variable(entry.webhookEnv, 'its webhook URL') };
    else if (entry.input !== undefined) source = { kind: 'input', file: fromConfig(entry.input) };
    else source = { kind: 'oauth', portal: entry.portal!, token: variable(entry.tokenEnv!, 'its access token') };
    return {
      name,
      source,
      out: fromConfig(entry.out),
      ...(entry.snapshot !== undefined && { snapshot: fromConfig(entry.snapshot) }),
      aliases: { ...topAliases, ...entry.aliases },
      ...(source.kind !== 'input' && {
        // The place of the value in use with its variable; the others as the keys that would set them.
        sourceNames: {
          webhook: entry.webhookEnv === undefined ? `portals.${name}.webhookEnv` : `${entry.webhookEnv} (portals.${name}.webhookEnv)`,
          portal: `portals.${name}.portal`,
          token: entry.tokenEnv === undefined ? `portals.${name}.tokenEnv` : `${entry.tokenEnv} (portals.${name}.tokenEnv)`,
        },
      }),
    };
  });
  return { targets, settings, severalPortals: true };
}

/** The options of `generate()` for one target of a run. */
export function generateOptionsFor(target: PortalTarget, settings: RunSettings): GenerateOptions {
  const aliases = Object.keys(target.aliases).length > 0 ? target.aliases : undefined;
  return {
    source: target.source,
    ...(target.sourceNames !== undefined && { sourceNames: target.sourceNames }),
    cwd: settings.cwd,
    check: settings.check,
    out: target.out,
    ...(target.snapshot !== undefined && { snapshot: target.snapshot }),
    ...(settings.enumStyle !== undefined && { enumStyle: settings.enumStyle }),
    ...(settings.timeout !== undefined && { timeout: settings.timeout }),
    ...(settings.retries !== undefined && { retries: settings.retries }),
    ...(settings.format !== undefined && { format: settings.format }),
    ...(aliases !== undefined && { aliases }),
    ...(settings.portal !== undefined && { portal: settings.portal }),
    pipelines: settings.pipelines,
    dropDeprecated: settings.dropDeprecated,
    ...(settings.proxyEnv !== undefined && { proxyEnv: settings.proxyEnv }),
  };
}

/**
 * Merges flags > env > config > defaults into the options of `generate()`, for a config without
 * `portals` (use `resolveRun` for those).
 */
export function resolveOptions(flags: CliFlags, env: Environment, loaded: LoadedConfig, cwd: string, probe?: ResolveProbe): GenerateOptions {
  const run = resolveRun(flags, env, loaded, cwd, probe);
  if (run.severalPortals) throw new UsageError(`This config names several portals: resolve it with resolveRun(), one target per portal.`);
  return generateOptionsFor(run.targets[0]!, run.settings);
}
