/**
 * gen-ownertypes as a library: `generate()` runs the whole pipeline; the stages are exported for build
 * scripts that want part of it (a custom source, their own writer, a check in a test).
 */
export {
  generate,
  generatePortals,
  inputsDigest,
  type ConsistencyEntry,
  type ConsistencyKind,
  type ConsistencyReport,
  type Drift,
  type FileResult,
  type FileStatus,
  type GeneratePortalsOptions,
  type GenerateResult,
  type PortalResult,
  type PortalsResult,
  type RunWarning,
} from './generate.js';
export { matchPortals, type GroupMember, type MatchInput, type MatchedBy, type OwnerTypeGroup } from './naming/match-portals.js';
export { nameOwnerTypesAcross, type PortalOwnerTypesInput, type PortalsNaming } from './naming/name-portal.js';
export { consistencyReport, renderConsistency, type ConsistencyInput } from './output/consistency-report.js';
export type { RunContext } from './cli/run.js';
export {
  DEFAULT_OUT,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type EnumStyleOption,
  type GenerateOptions,
  type Source,
} from './options/generate-options.js';
export { loadConfig, validateConfig, type ConfigFile, type LoadedConfig, type PortalConfig } from './options/load-config.js';
export {
  generateOptionsFor,
  resolveOptions,
  resolveRun,
  resolveSource,
  type CliFlags,
  type Environment,
  type PortalTarget,
  type ResolvedRun,
  type RunSettings,
} from './options/resolve-options.js';
export { BOUNDS, configSchema, renderJsonSchema } from './options/schema.js';
export { resolveEnumStyle, type EnumStyleDecision } from './toolchain/tsconfig.js';
export { fetchOwnerTypes, type FetchOptions, type FetchResult, type PortalSource } from './source/fetch-owner-types.js';
export { readOwnerTypes, type ReadOptions } from './source/read-owner-types.js';
export { parseOwnerTypes } from './model/parse-owner-types.js';
export { serializeSnapshot } from './model/snapshot.js';
export type { EnumStyle, NamedOwnerType, OwnerType, OwnerTypeModel } from './model/owner-types.js';
export { nameOwnerTypes, unusedAliasKeys } from './naming/name-owner-types.js';
export { buildHeader, readSeal, sealModule } from './emit/header.js';
export { commentText, propertyKey, stringLiteral } from './emit/literals.js';
export { formatModule, type FormatResult } from './format/format-module.js';
export { writeIfChanged } from './output/write-if-changed.js';
export { writeFiles, type PlannedFile, type WriteFilesOptions, type WriteStatus } from './output/write-files.js';
export { checkOutputPath, type OutputTarget } from './output/output-path.js';
export { describeDrift, type ModuleEntry } from './output/drift-report.js';
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
export { GENERATOR_VERSION } from './shared/version.js';

/**
 * The command line, in-process: `run(argv)` resolves to the exit code and never throws. Loaded on first
 * call, so `import { generate } from 'gen-ownertypes'` does not load the CLI.
 */
export async function run(argv: readonly string[], context?: import('./cli/run.js').RunContext): Promise<number> {
  const cli = await import('./cli/run.js');
  return cli.run(argv, context);
}
