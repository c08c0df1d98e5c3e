/**
 * gen-ownertypes as a library: `generate()` runs the whole pipeline; the stages are exported for build
 * scripts that want part of it (a custom source, their own writer, a check in a test). What is exported
 * here is what the README's "Programmatic API" documents.
 */
export {
  generate,
  generatePortals,
  type ConsistencyEntry,
  type ConsistencyKind,
  type ConsistencyReport,
  type Drift,
  type DriftChange,
  type FileResult,
  type FileStatus,
  type GeneratePortalsOptions,
  type GenerateResult,
  type PipelineCounts,
  type PortalResult,
  type PortalsResult,
  type RunWarning,
} from './generate.js';
export { renderModule, type RenderOptions } from './render.js';
export type { RunContext } from './cli/run.js';
export type { EnumStyleOption, GenerateOptions, Source, SourceNames } from './options/generate-options.js';
export { loadConfig, type ConfigFile, type LoadedConfig, type PortalConfig } from './options/load-config.js';
export {
  generateOptionsFor,
  resolveRun,
  type CliFlags,
  type Environment,
  type PortalTarget,
  type ResolvedRun,
  type RunSettings,
} from './options/resolve-options.js';
export { fetchOwnerTypes, type FetchOptions, type FetchResult, type PortalSource } from './source/fetch-owner-types.js';
export { parseOwnerTypes } from './model/parse-owner-types.js';
export { serializeSnapshot } from './model/snapshot.js';
export type { EnumStyle, NamedOwnerType, OwnerType, OwnerTypeModel } from './model/owner-types.js';
export { nameOwnerTypes } from './naming/name-owner-types.js';
export { formatModule, type FormatResult } from './format/format-module.js';
export { writeIfChanged } from './output/write-if-changed.js';
export { writeFiles, type PlannedFile, type WriteFilesOptions, type WriteStatus } from './output/write-files.js';
export {
  ConfigError,
  ExitCode,
  InputError,
  InvalidResponseError,
  NetworkError,
  OutputError,
  PortalError,
  InternalError,
  UsageError,
  exitCodeFor,
} from './shared/errors.js';
export { silentLogger, type Logger } from './shared/logger.js';

/**
 * The command line, in-process: `run(argv)` resolves to the exit code and never throws. Loaded on first
 * call, so `import { generate } from 'gen-ownertypes'` does not load the CLI.
 */
export async function run(argv: readonly string[], context?: import('./cli/run.js').RunContext): Promise<number> {
  const cli = await import('./cli/run.js');
  return cli.run(argv, context);
}
