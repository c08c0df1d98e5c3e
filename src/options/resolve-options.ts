import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import type { LoadedConfig } from './load-config.js';
import type { EnumStyleOption, GenerateOptions, Source } from './generate-options.js';

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
}

export type Environment = Readonly<Record<string, string | undefined>>;

const HELP_HINT = 'Run gen-ownertypes --help for usage.';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Picks the one source. Flags beat env vars; two sources given as flags is an error; with no flag, the
 * environment must name exactly one, so a stray variable never silently decides where the IDs come from.
 */
export function resolveSource(flags: CliFlags, env: Environment, config: LoadedConfig['config']): Source {
  const flagSources = [
    flags.input !== undefined && '--input',
    flags.webhook !== undefined && '--webhook',
    (flags.portal !== undefined || flags.token !== undefined) && '--portal/--token',
  ].filter((name): name is string => name !== false);
  if (flagSources.length > 1) {
    throw new UsageError(`Give one source, not ${flagSources.join(' and ')}. ${HELP_HINT}`);
  }
  if (flags.input !== undefined) return { kind: 'input', file: flags.input };
  if (flags.webhook !== undefined) return { kind: 'webhook', url: flags.webhook };

  const envWebhook = nonEmpty(env.B24_WEBHOOK_URL);
  const envToken = nonEmpty(env.B24_ACCESS_TOKEN);
  const envPortal = nonEmpty(env.B24_PORTAL_URL);
  if (flags.portal !== undefined || flags.token !== undefined) {
    const token = flags.token ?? envToken;
    const portal = flags.portal ?? envPortal ?? config.portal;
    if (token === undefined) {
      throw new UsageError(`--portal needs an access token: set B24_ACCESS_TOKEN (or pass --token). ${HELP_HINT}`);
    }
    if (portal === undefined) {
      throw new UsageError(`--token needs the portal: pass --portal https://PORTAL, set B24_PORTAL_URL, or "portal" in the config. ${HELP_HINT}`);
    }
    return { kind: 'oauth', portal, token };
  }

  if (envWebhook !== undefined && envToken !== undefined) {
    throw new UsageError(
      `Both B24_WEBHOOK_URL and B24_ACCESS_TOKEN are set; unset one, or choose with --webhook or --portal. ${HELP_HINT}`,
    );
  }
  if (envWebhook !== undefined) return { kind: 'webhook', url: envWebhook };
  if (envToken !== undefined) {
    const portal = envPortal ?? config.portal;
    if (portal === undefined) {
      throw new UsageError(`B24_ACCESS_TOKEN is set but the portal is not: set B24_PORTAL_URL or "portal" in the config. ${HELP_HINT}`);
    }
    return { kind: 'oauth', portal, token: envToken };
  }
  if (envPortal !== undefined) {
    throw new UsageError(`B24_PORTAL_URL is set but B24_ACCESS_TOKEN is not. ${HELP_HINT}`);
  }
  throw new UsageError(
    `No source: pass --webhook URL or set B24_WEBHOOK_URL (an inbound webhook with the crm scope), use --portal with B24_ACCESS_TOKEN, or --input FILE. ${HELP_HINT}`,
  );
}

/** Merges flags > env > config > defaults into the options of `generate()`. Pure: no I/O. */
export function resolveOptions(
  flags: CliFlags,
  env: Environment,
  loaded: LoadedConfig,
  cwd: string,
): GenerateOptions {
  const { config, filepath } = loaded;
  const configDir = filepath === undefined ? cwd : path.dirname(filepath);
  // A trailing slash says "a folder": kept, so the output stage can refuse it instead of writing a file there.
  const absolute = (base: string, file: string) => path.resolve(base, file) + (/[\\/]$/.test(file) ? path.sep : '');
  const fromConfig = (file: string | undefined) => (file === undefined ? undefined : absolute(configDir, file));
  const out = flags.out !== undefined ? absolute(cwd, flags.out) : fromConfig(config.out);
  const snapshot = flags.snapshot !== undefined ? absolute(cwd, flags.snapshot) : fromConfig(config.snapshot);
  const enumStyle = flags.enumStyle ?? config.enumStyle;
  const timeout = flags.timeout ?? config.timeout;
  const retries = flags.retries ?? config.retries;
  const format = flags.format ?? config.format;
  const portal = nonEmpty(env.B24_PORTAL_URL) ?? config.portal;
  return {
    source: resolveSource(flags, env, config),
    cwd,
    check: flags.check === true,
    ...(out !== undefined && { out }),
    ...(snapshot !== undefined && { snapshot }),
    ...(enumStyle !== undefined && { enumStyle }),
    ...(timeout !== undefined && { timeout }),
    ...(retries !== undefined && { retries }),
    ...(format !== undefined && { format }),
    ...(config.aliases !== undefined && { aliases: config.aliases }),
    ...(portal !== undefined && { portal }),
  };
}
