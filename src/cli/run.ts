import path from 'node:path';
import { ExitCode, UsageError, defectMessage, exitCodeFor, isGenOwnerTypesError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { GENERATOR_VERSION } from '../shared/version.js';
import { loadEnvFile } from '../options/load-env-file.js';
import { generateOptionsFor, resolveRun, type Environment } from '../options/resolve-options.js';
import { redact, secretsOf } from '../source/redact.js';
import { helpText, messageWithFlags, parseArgs, wantsHelpOrVersion } from './flags.js';
import { describePortalFiles, describeResult, describeSnapshot, formatStack, isStale } from './report.js';

export interface RunContext {
  readonly env?: Environment;
  readonly cwd?: string;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly signal?: AbortSignal;
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
    const shortcut = wantsHelpOrVersion(argv);
    if (shortcut === 'version') {
      stdout(`${GENERATOR_VERSION}\n`);
      return ExitCode.Ok;
    }
    if (shortcut === 'help') {
      stdout(`${await helpText(GENERATOR_VERSION)}\n`);
      return ExitCode.Ok;
    }
    const args = parseArgs(argv);
    // Secrets typed as flags are masked in everything printed from here on, even before they are used.
    for (const source of [
      args.flags.webhook !== undefined && ({ kind: 'webhook', url: args.flags.webhook } as const),
      args.flags.token !== undefined && ({ kind: 'oauth', portal: '', token: args.flags.token } as const),
    ]) {
      if (source !== false) secrets.push(...secretsOf(source));
    }

    // The pipeline (undici, lilconfig, naming…) is loaded only past the parse: usage errors stay cheap.
    const [{ generate }, { loadConfig }] = await Promise.all([import('../generate.js'), import('../options/load-config.js')]);
    const fullEnv = args.envFile === undefined ? env : await loadEnvFile(args.envFile, cwd, env);
    const loaded = await loadConfig(cwd, args.config);
    const resolved = resolveRun(args.flags, fullEnv, loaded, cwd);
    for (const target of resolved.targets) {
      if (target.source.kind !== 'input') secrets = [...secrets, ...secretsOf(target.source)];
    }

    const logger: Logger = {
      info: (message) => {
        if (!args.quiet) print(message);
      },
      warn: (message) => print(`warning: ${message}`),
      debug: (message) => {
        if (args.verbose) print(`debug: ${message}`);
      },
    };
    if (loaded.filepath !== undefined) logger.debug(`config: ${loaded.filepath}`);
    if (resolved.severalPortals) {
      const { generatePortals } = await import('../generate.js');
      const result = await generatePortals({
        ...resolved,
        logger,
        diff: true,
        ...(context.signal !== undefined && { signal: context.signal }),
      });
      let stale = false;
      for (const portal of result.portals) {
        for (const line of describePortalFiles(portal, cwd)) {
          stale ||= line.stale;
          if (line.stale) print(line.text);
          else logger.info(line.text);
        }
      }
      if (result.inconsistent) {
        const count = result.consistency.entries.length;
        print(
          `gen-ownertypes: the portals differ in ${count} thing${count === 1 ? '' : 's'} (listed above) and the config says "consistency": "error"` +
            `${resolved.settings.check ? '' : ', so no file was written'}. Make the portals agree, or set "consistency": "warn".`,
        );
      }
      return stale || result.inconsistent ? ExitCode.Stale : ExitCode.Ok;
    }
    if (resolved.offline !== undefined) {
      const file = path.relative(cwd, resolved.offline.snapshot) || resolved.offline.snapshot;
      logger.info(`No source given: regenerating offline from the snapshot ${file}. To read the portal, set B24_WEBHOOK_URL (or pass --webhook, --env-file).`);
    }
    const target = resolved.targets[0]!;
    const result = await generate({
      ...generateOptionsFor(target, resolved.settings),
      logger,
      ...(context.signal !== undefined && { signal: context.signal }),
    });
    const stale = isStale(result.status);
    if (stale) print(describeResult(result, cwd));
    else logger.info(describeResult(result, cwd));
    let snapshotStale = false;
    if (result.snapshot !== undefined) {
      const line = describeSnapshot(result.snapshot, cwd);
      snapshotStale = line.stale;
      if (line.stale) print(line.text);
      else logger.info(line.text);
    }
    return stale || snapshotStale ? ExitCode.Stale : ExitCode.Ok;
  } catch (error) {
    if (context.signal?.aborted === true) {
      print('gen-ownertypes: interrupted; no file was changed.');
      return ExitCode.Interrupted;
    }
    print(`gen-ownertypes: ${isGenOwnerTypesError(error) ? withUsageHint(error, messageWithFlags(error)) : defectMessage(error)}`);
    if (verbose) print(formatStack(error));
    return exitCodeFor(error);
  }
}

/** A usage error says where the usage is, unless it already does: the library's messages do not. */
function withUsageHint(error: Error, message: string): string {
  return error instanceof UsageError && !message.includes('--help') ? `${message} Run gen-ownertypes --help for usage.` : message;
}
