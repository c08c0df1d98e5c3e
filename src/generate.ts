import path from 'node:path';
import { buildHeader, digest, readOrigin, readSeal, sealModule, splitModule } from './emit/header.js';
import { bundledPrettierPath } from './format/format-module.js';
import { startFormatter, type Formatter } from './format/formatter.js';
import { silentLogger, type Logger } from './shared/logger.js';
import { isGenOwnerTypesError } from './shared/errors.js';
import { renderDrift } from './shared/drift-text.js';
import type { EnumStyle, NamedOwnerType, OwnerTypeModel } from './model/owner-types.js';
import { serializeSnapshot } from './model/snapshot.js';
import type { MovedIdentifier, MovedPipelineIdentifier } from './emit/read-generated-module.js';
import { stringLiteral } from './emit/literals.js';
import { keepRenamed, type DeprecatedAliases, type KeepRenamedNote, type ModuleSection } from './naming/keep-renamed.js';
import { unusedAliasKeys, type PortalSpecificName } from './naming/name-owner-types.js';
import { aliasesByCode, nameOwnerTypesAcross } from './naming/name-portal.js';
import {
  DEFAULT_OUT,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type EnumStyleOption,
  type GenerateOptions,
  type Source,
  type SourceNames,
} from './options/generate-options.js';
import type { PortalTarget, RunSettings } from './options/resolve-options.js';
import { readSource } from './source/read-source.js';
import type { PortalModel } from './model/portal.js';
import { namePipelines, type IdCarryingName, type NamedPipelines, type PortalPipelines } from './naming/name-pipelines.js';
import { pipelineBannerLines } from './emit/sections/banner.js';
import {
  cacheDir,
  environmentUnchanged,
  fingerprintFormatting,
  fingerprintTsconfig,
  readRenderRecord,
  writeRenderRecord,
  type RenderRecord,
} from './output/render-cache.js';
import { checkOutputPaths } from './output/output-path.js';
import type { Drift } from './shared/drift-text.js';
import { consistencyReport, renderConsistency, type ConsistencyReport } from './output/consistency-report.js';
import { pipelineEntries } from './output/drift-report.js';
import { locatePrettier } from './toolchain/prettier.js';
import { readExisting, sameContent, writeFiles, type PlannedFile } from './output/write-files.js';
import { GENERATOR_VERSION, USER_AGENT } from './shared/version.js';

export type FileStatus = 'written' | 'unchanged' | 'current' | 'stale' | 'missing';
export type { Drift, DriftChange } from './shared/drift-text.js';
export type { ConsistencyEntry, ConsistencyKind, ConsistencyReport } from './output/consistency-report.js';

/** What a run did with one file, or found of it under `--check`. */
export interface FileResult {
  /** Absolute path. */
  readonly file: string;
  readonly kind: 'module' | 'snapshot';
  /** The portal's name in the config's `portals`; `undefined` for a run of one unnamed portal. */
  readonly portal: string | undefined;
  /** Write mode: `written` or `unchanged`. Check mode: `current`, `stale` or `missing`. */
  readonly status: FileStatus;
  /** Check mode, a module that is stale or missing: what changed, in the portal's terms. */
  readonly drift?: Drift;
  /** Check mode, a stale module, when asked for (`diff: true`): a short unified diff. */
  readonly diff?: string;
}

/** A warning of a run: something worth acting on that did not stop it. Also sent to the logger. */
export interface RunWarning {
  /** The portal it is about; `undefined` for a run of one unnamed portal, or the whole run. */
  readonly portal: string | undefined;
  readonly message: string;
}

export interface GenerateResult {
  /** Absolute path of the module. */
  readonly outFile: string;
  /** Write mode: `written` or `unchanged`. Check mode: `current`, `stale` or `missing`. */
  readonly status: FileStatus;
  /** The owner types with their identifiers, sorted by ID. */
  readonly types: readonly NamedOwnerType[];
  /** How many pipelines and stages the module holds; absent when it holds owner types only. */
  readonly counts?: PipelineCounts;
  /** Host of the portal, when known. */
  readonly portal: string | undefined;
  /** The snapshot file and what happened to it, when one was asked for. */
  readonly snapshot?: { readonly file: string; readonly status: FileStatus };
  /** Check mode, when stale: what changed, in the portal's terms, then a short unified diff. */
  readonly report?: string;
  /** The module, then the snapshot if any, as data. */
  readonly files: readonly FileResult[];
  readonly warnings: readonly RunWarning[];
}

/** Options of `generatePortals()`: what `resolveRun()` gives, plus what the caller adds. */
export interface GeneratePortalsOptions {
  /** The portals of the run, in config order: the first names what they share. */
  readonly targets: readonly PortalTarget[];
  readonly settings: RunSettings;
  /** Where progress and warnings go, each prefixed with its portal's name. Default: nowhere. */
  readonly logger?: Logger;
  /** Aborts every request and leaves every file as it was. */
  readonly signal?: AbortSignal;
  /** Check mode: add a short unified diff to each stale module's result. Default `false`. */
  readonly diff?: boolean;
}

/** The size of a module's pipelines and stages section. */
export interface PipelineCounts {
  readonly pipelines: number;
  readonly stages: number;
}

function countsOf(pipelines: NamedPipelines | undefined): { counts?: PipelineCounts } {
  if (pipelines === undefined) return {};
  let categories = 0;
  let stages = 0;
  for (const type of pipelines.types) {
    if (type.kind === 'stages') {
      stages += type.stages.length;
      continue;
    }
    categories += type.pipelines.length;
    for (const pipeline of type.pipelines) stages += pipeline.stages.length;
  }
  return { counts: { pipelines: categories, stages } };
}

/** One portal of a several-portals run. */
export interface PortalResult {
  /** The portal's name in the config (`undefined` only for an unnamed target). */
  readonly name: string | undefined;
  /** Host of the portal, when known. */
  readonly host: string | undefined;
  /** Its owner types with their identifiers (the same identifiers on every portal), sorted by ID. */
  readonly types: readonly NamedOwnerType[];
  /** How many pipelines and stages its module holds; absent when it holds owner types only. */
  readonly counts?: PipelineCounts;
  /** Its module's result; absent when nothing was written because the portals disagree. */
  readonly module?: FileResult;
  readonly snapshot?: FileResult;
}

export interface PortalsResult {
  readonly portals: readonly PortalResult[];
  /** Every module and snapshot of the run, portal by portal. */
  readonly files: readonly FileResult[];
  readonly warnings: readonly RunWarning[];
  /** What exists on some portals but not on others; empty entries when they agree. */
  readonly consistency: ConsistencyReport;
  /**
   * `"consistency": "error"` and the portals disagree: the run failed (exit 1). In write mode nothing was
   * rendered or written (`files` is empty); under `--check` every file was still checked.
   */
  readonly inconsistent: boolean;
}

/** What the module is generated from, as one digest; see emit/header.ts for how it is used. */
export function inputsDigest(
  model: OwnerTypeModel,
  settings: { enumStyle: string; format: boolean; aliases: Readonly<Record<string, string>>; dropDeprecated?: boolean },
  sections?: Pick<PortalModel, 'pipelines' | 'spaDetails'>,
  /** With several portals, the identifiers settled across them: another portal's change can rename things here. */
  names?: unknown,
): string {
  // The existing module is an input too (its identifiers are kept across renames), but needs no place here:
  // the fast path takes a module only when its body is exactly what these inputs rendered, and such a
  // module, read back, gives itself again (its aliases are kept, no new rename is found).
  const aliases = Object.entries(settings.aliases).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return digest(
    JSON.stringify({
      generator: GENERATOR_VERSION,
      portal: model.portal ?? null,
      types: model.types.map((t) => [t.id, t.symbolCode, t.shortCode, t.name]),
      enumStyle: settings.enumStyle,
      format: settings.format,
      aliases,
      // Absent unless set, so the digest of every module written before the option stays what it was.
      ...(settings.dropDeprecated === true && { dropDeprecated: true }),
      // Absent for owner types only, so such a module's digest stays what it was.
      ...(sections !== undefined && { pipelines: sections.pipelines, spaDetails: sections.spaDetails }),
      ...(names !== undefined && { names }),
    }),
  );
}

/** The warning for a pipeline named with its portal's category ID. */
function describeIdCarrying(note: IdCarryingName): string {
  const why = note.reason === 'unnamed' ? 'nothing usable is left of its name, or the portal does not say it' : 'its name is shared with another pipeline';
  return (
    `pipeline ${note.categoryId} of ${note.ownerType} is named Category.${note.ownerType}.${note.identifier} (${why}); ` +
    'a name with the ID differs from portal to portal. Rename the pipeline on the portal, or use Category by ID with care.'
  );
}

/** The warning for an SPA named with its portal's ID. */
function describePortalSpecificName(note: PortalSpecificName): string {
  const why =
    note.reason === 'untitled'
      ? 'nothing usable is left of its title'
      : note.reason === 'collision'
        ? `its title gives ${note.base ?? ''}, which another owner type also has`
        : `its title gives ${note.base ?? ''}, which cannot be an identifier of the module`;
  return (
    `smart process ${note.id} is named ${note.identifier} (${why}); a name with the ID differs from portal to portal. ` +
    `Name it in the config: ${note.aliasLine}`
  );
}

/** The warning for an identifier that now means another owner type than in the existing module. */
function describeMovedIdentifier(moved: MovedIdentifier): string {
  return (
    `EntityTypeId.${moved.identifier} is now ${moved.id} (${moved.type.symbolCode}, ${JSON.stringify(moved.type.name)}), ` +
    `not ${moved.previousId} as in the existing module: code using it still compiles but now means another owner type. ` +
    'Check its uses, or keep the old meaning with an alias in the config.'
  );
}

/** Warnings of one kind printed one by one up to this many; the rest are summed up (and listed at debug). */
export const WARNINGS_PER_KIND = 10;

/**
 * A portal with thousands of colliding titles would otherwise print thousands of lines into a build log,
 * burying every other message: the first few are shown, the rest counted, and all listed with --verbose.
 */
function warnEach(
  messages: ReadonlyArray<readonly [portal: number, message: string]>,
  more: string,
  warn: (portal: number | undefined, message: string) => void,
  logs: readonly Logger[],
): void {
  messages.slice(0, WARNINGS_PER_KIND).forEach(([portal, message]) => warn(portal, message));
  if (messages.length <= WARNINGS_PER_KIND) return;
  const portals = new Set(messages.map(([portal]) => portal));
  warn(portals.size === 1 ? [...portals][0] : undefined, `… and ${messages.length - WARNINGS_PER_KIND} ${more} (--verbose lists them all).`);
  messages.slice(WARNINGS_PER_KIND).forEach(([portal, message]) => logs[portal]?.debug(message));
}

/** The pipelines and stages of some of the owner types only: a sample module for the formatter. */
function pipelinesOf(pipelines: NamedPipelines, subset: readonly NamedOwnerType[]): NamedPipelines {
  const ids = new Set(subset.map((t) => t.id));
  return { ...pipelines, types: pipelines.types.filter((entry) => ids.has(entry.ownerType.id)) };
}

/** The warning for a pipeline or stage identifier that now means another pipeline or stage than in the existing module. */
function describeMovedPipelineIdentifier(moved: MovedPipelineIdentifier): string {
  const show = (value: string) => (moved.kind === 'pipeline' ? value : stringLiteral(value));
  return (
    `${moved.path} is now ${show(moved.value)}, not ${show(moved.previousValue)} as in the existing module: code using it still compiles ` +
    `but now means another ${moved.kind}. Check its uses.`
  );
}

const UNREADABLE_CONSEQUENCE: Record<ModuleSection, string> = {
  EntityTypeId: 'no identifier renamed on the portal is kept as a deprecated alias',
  Spa: 'renamed SPAs keep no deprecated alias in Spa',
  Category: 'renamed pipelines (and owner types) keep no deprecated alias in Category',
  Stage: 'renamed stages (and pipelines, owner types) keep no deprecated alias in Stage',
};

/** The warning (or, for `kept`, the debug line) for what became of an identifier the existing module holds. */
function describeKeepNote(note: KeepRenamedNote, outFile: string): string {
  switch (note.kind) {
    case 'kept':
      return `${note.alias} is kept as a deprecated alias of ${note.renamedTo} (renamed on the portal; --drop-deprecated removes it)`;
    case 'collision':
      return (
        `${note.alias} is not kept as a deprecated alias of ${note.renamedTo}: the name is now ${note.takenBy}, and the live identifier wins. ` +
        `Code using ${note.alias} now means something else; check its uses.`
      );
    case 'ambiguous':
      return `${note.alias} is not kept as a deprecated alias of ${note.renamedTo}: the existing module gives that name to two values (edited by hand?).`;
    case 'unusable':
      return `${note.alias} is not kept as a deprecated alias of ${note.renamedTo}: it is not an identifier the module can hold (edited by hand?).`;
    case 'unreadable':
      return (
        `${path.basename(outFile)}: ${note.section === 'EntityTypeId' ? 'the existing module' : `the ${note.section} section of the existing module`} ` +
        `cannot be read back (edited by hand, or written by an older gen-ownertypes), so ${UNREADABLE_CONSEQUENCE[note.section]}. ` +
        'Code using old names may stop compiling: restore the file from version control and run again to keep them.'
      );
  }
}

/** What `--check` says of a file on disk against what a write would produce. */
function compareFile(existing: string | undefined, expected: string): FileStatus {
  if (existing === undefined) return 'missing';
  return sameContent(existing, expected) ? 'current' : 'stale';
}

/** One module of a run: where it comes from and where its files go. */
interface Job {
  readonly name: string | undefined;
  readonly source: Source;
  readonly out: string;
  readonly snapshot?: string | undefined;
  readonly aliases: Readonly<Record<string, string>>;
  /** Where the source's values are set, for the advice of its errors. */
  readonly sourceNames?: Partial<SourceNames> | undefined;
}

/** How a problem with a job's file is named in messages: the option `out` (the CLI says `--out`), or `portals.dev.out`. */
function optionOf(job: Job, key: 'out' | 'snapshot'): string {
  return job.name === undefined ? key : `portals.${job.name}.${key}`;
}

/** Settings every module of a run shares. */
interface Shared {
  readonly cwd: string;
  readonly check: boolean;
  readonly enumStyle: EnumStyleOption;
  readonly timeout: number;
  readonly retries: number;
  readonly format: boolean;
  readonly pipelines: boolean;
  /** Leave out the deprecated aliases kept for renames. */
  readonly dropDeprecated: boolean;
  readonly consistency: 'warn' | 'error';
  readonly portal: string | undefined;
  /** Where the proxy variables are read; `undefined`: `process.env`. */
  readonly proxyEnv: Readonly<Record<string, string | undefined>> | undefined;
  readonly diff: boolean;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
}

/** A portal named across the run, ready to render: the step between naming and text. */
interface NamedPortal {
  readonly job: Job;
  readonly outFile: string;
  readonly snapshotFile: string | undefined;
  readonly model: PortalModel;
  readonly host: string | undefined;
  readonly types: readonly NamedOwnerType[];
  readonly pipelines: NamedPipelines | undefined;
  /** Pipelines and stages as the banner and digest see them; `undefined` for `--no-pipelines`. */
  readonly sections: PortalModel | undefined;
  readonly inputsDigest: string;
}

/** A module's text, or `undefined` when the one on disk is known current; the render record to keep after writing. */
interface RenderedModule {
  readonly text: string | undefined;
  readonly record?: Omit<RenderRecord, 'version'>;
  /** The deprecated aliases the text holds (check mode), for the drift report. */
  readonly deprecated?: DeprecatedAliases;
}

/**
 * The whole pipeline for one portal: source → model → names → (module structure → text → format) → write
 * or check. ts-morph and Prettier are loaded only when the module has to be rendered.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const job: Job = {
    name: undefined,
    source: options.source,
    out: options.out ?? DEFAULT_OUT,
    snapshot: options.snapshot,
    aliases: options.aliases ?? {},
    sourceNames: options.sourceNames,
  };
  const shared = sharedSettings({ ...options, check: options.check ?? false }, options.logger, options.signal, false);
  const result = await runJobs([job], shared);
  const portal = result.portals[0]!;
  const module = portal.module!;
  const snapshot = portal.snapshot;
  const report = module.drift === undefined ? undefined : result.reports.get(module.file);
  return {
    outFile: module.file,
    status: module.status,
    types: portal.types,
    ...(portal.counts !== undefined && { counts: portal.counts }),
    portal: portal.host,
    ...(snapshot !== undefined && { snapshot: { file: snapshot.file, status: snapshot.status } }),
    ...(report !== undefined && { report }),
    files: result.files,
    warnings: result.warnings,
  };
}

/**
 * Several portals in one run (the config's `portals`, as `resolveRun()` gives them): every portal read at
 * once, one set of identifiers across them, one module per portal, and every file written in one
 * all-or-nothing step — a failure on any portal writes nothing for any of them.
 */
export async function generatePortals(run: GeneratePortalsOptions): Promise<PortalsResult> {
  const jobs = run.targets.map(
    (target): Job => ({
      name: target.name,
      source: target.source,
      out: target.out,
      snapshot: target.snapshot,
      aliases: target.aliases,
      sourceNames: target.sourceNames,
    }),
  );
  const shared = sharedSettings(
    { ...run.settings, ...(run.diff !== undefined && { diff: run.diff }) },
    run.logger,
    run.signal,
    run.targets.length > 1 || run.targets.some((t) => t.name !== undefined),
  );
  const { reports: _reports, ...result } = await runJobs(jobs, shared);
  return result;
}

function sharedSettings(
  settings: Partial<Omit<RunSettings, 'cwd' | 'check'>> & { cwd?: string; check: boolean; diff?: boolean },
  logger: Logger | undefined,
  signal: AbortSignal | undefined,
  named: boolean,
): Shared & { readonly named: boolean } {
  return {
    cwd: settings.cwd ?? process.cwd(),
    check: settings.check,
    enumStyle: settings.enumStyle ?? 'auto',
    timeout: settings.timeout ?? DEFAULT_TIMEOUT_MS,
    retries: settings.retries ?? DEFAULT_RETRIES,
    format: settings.format ?? true,
    pipelines: settings.pipelines ?? true,
    dropDeprecated: settings.dropDeprecated ?? false,
    consistency: settings.consistency ?? 'warn',
    portal: settings.portal,
    proxyEnv: settings.proxyEnv,
    diff: settings.diff ?? false,
    logger: logger ?? silentLogger,
    signal,
    named,
  };
}

/** A portal's logger: every line starts with its name when the run names portals. */
function portalLogger(log: Logger, name: string | undefined): Logger {
  if (name === undefined) return log;
  return {
    info: (message) => log.info(`${name}: ${message}`),
    warn: (message) => log.warn(`${name}: ${message}`),
    debug: (message) => log.debug(`${name}: ${message}`),
  };
}

/**
 * Says which portal failed (a named one: a portal of the config's `portals`), keeping the error's class and
 * so its exit code. Its advice already names where that portal's values are set (`Job.sourceNames`).
 */
function blamePortal(error: unknown, name: string | undefined): unknown {
  if (name === undefined || !isGenOwnerTypesError(error)) return error;
  error.message = `portal "${name}": ${error.message}`;
  return error;
}

async function runJobs(
  jobs: readonly Job[],
  shared: Shared & { readonly named: boolean },
): Promise<PortalsResult & { reports: Map<string, string> }> {
  const log = shared.logger;
  const { cwd } = shared;
  const warnings: RunWarning[] = [];
  const logs = jobs.map((job) => portalLogger(log, shared.named ? job.name : undefined));
  const warn = (index: number | undefined, message: string) => {
    const name = index === undefined ? undefined : jobs[index]!.name;
    warnings.push({ portal: name, message });
    (index === undefined ? log : logs[index]!).warn(message);
  };

  // Every file the run may write is a regular file or absent, checked before any portal is asked anything.
  const paths = jobs.flatMap((job) => [
    { raw: job.out, option: optionOf(job, 'out') },
    ...(job.snapshot === undefined ? [] : [{ raw: job.snapshot, option: optionOf(job, 'snapshot') }]),
  ]);
  const targets = await checkOutputPaths(paths, cwd);
  let cursor = 0;
  const files = jobs.map((job) => {
    const out = targets[cursor++]!;
    const snapshot = job.snapshot === undefined ? undefined : targets[cursor++]!;
    return { out, snapshot };
  });
  files.forEach(({ out, snapshot }, index) => {
    if (out.file.split(path.sep).includes('node_modules')) {
      warn(index, `${out.file} is inside node_modules, which package managers replace on every install; keep the module under src/ and commit it.`);
    }
    for (const target of [out, snapshot]) {
      if (target?.viaLink === true) logs[index]!.debug(`${target.file} is a symbolic link: writing through to ${target.target}, the link kept`);
    }
  });

  const models = await readAll(jobs, shared, logs, warn);
  models.forEach((model, index) => {
    for (const notice of model.notices) warn(index, notice);
  });

  // One set of names across every portal of the run.
  const portalsInput = models.map((model, index) => ({
    types: model.ownerTypes,
    aliases: jobs[index]!.aliases,
    spaDetails: model.spaDetails.status === 'ok' ? model.spaDetails.data : [],
  }));
  const naming = nameOwnerTypesAcross(portalsInput);
  warnEach(
    naming.portalSpecific.map((note) => [note.portal, describePortalSpecificName(note)] as const),
    "more smart processes are named with their portal's ID",
    warn,
    logs,
  );
  portalsInput.forEach(({ types, aliases, spaDetails }, index) => {
    for (const key of unusedAliasKeys(types, aliasesByCode(aliases, types, spaDetails))) {
      warn(index, `alias "${key}" matches no smart process on this portal; it is ignored.`);
    }
  });
  const withPipelines: number[] = [];
  const pipelineInputs: PortalPipelines[] = [];
  models.forEach((model, index) => {
    if (model.pipelines.status !== 'ok') return;
    withPipelines.push(index);
    pipelineInputs.push({ ownerTypes: naming.portals[index]!, pipelines: model.pipelines.data });
  });
  const pipelineNames = pipelineInputs.length === 0 ? undefined : namePipelines(pipelineInputs);
  warnEach(
    (pipelineNames?.idCarrying ?? []).map((note) => [withPipelines[note.portal]!, describeIdCarrying(note)] as const),
    "more pipelines are named with their portal's category ID",
    warn,
    logs,
  );
  // Named portals (even one picked with --only) record their settled names: another portal can rename things here.
  const several = shared.named;

  const ownerTypesOnly: Array<[number, string]> = [];
  const sayOwnerTypesOnly = () => ownerTypesOnly.forEach(([index, message]) => logs[index]!.info(message));
  const named: NamedPortal[] = models.map((model, index) => {
    const job = jobs[index]!;
    const types = naming.portals[index]!;
    const at = withPipelines.indexOf(index);
    const pipelines = at === -1 ? undefined : pipelineNames!.portals[at];
    if (pipelines === undefined && shared.pipelines) {
      // Said on every run that succeeds, not only with --verbose: code that imports Stage or Category
      // will not compile. Said at the end, so that a failure stays one line.
      ownerTypesOnly.push([
        index,
        `The module holds owner types only: pipelines and stages are not in it (${model.pipelines.status === 'unavailable' ? model.pipelines.reason : ''}). ` +
          'Regenerate from the portal, or from a snapshot written by this version, to have them.',
      ]);
    }
    const sections = shared.pipelines ? model : undefined;
    const ownerModel: OwnerTypeModel = { portal: model.host, types: model.ownerTypes };
    const names = several
      ? {
          types: types.map((t) => [t.id, t.identifier]),
          pipelines: pipelines === undefined ? [] : pipelineEntries(pipelines).map((e) => [e.ownerType, e.pipeline ?? null, e.identifier, e.value]),
        }
      : undefined;
    const spaCount = types.filter((t) => t.isSpa).length;
    logs[index]!.debug(`${types.length} owner types (${spaCount} SPA) from ${model.host ?? 'a saved response'}`);
    return {
      job,
      outFile: files[index]!.out.file,
      snapshotFile: files[index]!.snapshot?.file,
      model,
      host: model.host,
      types,
      pipelines,
      sections,
      inputsDigest: inputsDigest(
        ownerModel,
        { enumStyle: shared.enumStyle, format: shared.format, aliases: job.aliases, dropDeprecated: shared.dropDeprecated },
        sections,
        names,
      ),
    };
  });

  const consistency = consistencyReport(
    named.map((portal) => ({ name: portal.job.name ?? '', types: portal.types, pipelines: portal.pipelines })),
  );
  const reasons = Object.fromEntries(
    named.flatMap((portal) =>
      portal.model.pipelines.status === 'unavailable' ? [[portal.job.name ?? '', portal.model.pipelines.reason]] : [],
    ),
  );
  for (const line of renderConsistency(consistency, reasons)) warn(undefined, `portals differ: ${line}`);
  const inconsistent = shared.consistency === 'error' && consistency.entries.length > 0;
  shared.signal?.throwIfAborted();
  if (inconsistent && !shared.check) {
    return {
      portals: named.map((portal) => ({ name: portal.job.name, host: portal.host, types: portal.types, ...countsOf(portal.pipelines) })),
      files: [],
      warnings,
      consistency,
      inconsistent,
      reports: new Map(),
    };
  }

  // Each module on its own: (named portal, existing file) → text.
  const existing = await Promise.all(named.map((portal) => readExisting(portal.outFile)));
  const rendered: RenderedModule[] = [];
  // One formatter thread for every module of the run, started by the first module that renders.
  let formatter: Formatter | undefined;
  const formatterFor = (outFile: string) => (formatter ??= startFormatter(outFile));
  try {
    for (const [index, portal] of named.entries()) {
      rendered.push(await renderPortalModule(portal, existing[index], shared, logs[index]!, formatterFor));
    }
  } finally {
    await formatter?.close();
  }
  const snapshots = named.map((portal) => (portal.snapshotFile === undefined ? undefined : serializeSnapshot(portal.model)));
  shared.signal?.throwIfAborted();

  const results: PortalResult[] = [];
  const reports = new Map<string, string>();
  if (shared.check) {
    const { driftOf, shortDiff } = await import('./output/check-module.js');
    for (const [index, portal] of named.entries()) {
      const text = rendered[index]!.text;
      const before = existing[index];
      const status = text === undefined ? 'current' : compareFile(before, text);
      const name = portal.job.name;
      let module: FileResult = { file: portal.outFile, kind: 'module', portal: name, status };
      if (status !== 'current' && text !== undefined) {
        const label = path.relative(shared.cwd, portal.outFile) || portal.outFile;
        const drift = await driftOf(before, portal.types, portal.pipelines, rendered[index]!.deprecated, {
          before: before === undefined ? undefined : readOrigin(before),
          after: readOrigin(text),
        });
        const diff = before === undefined ? undefined : shortDiff(label, before, text);
        reports.set(portal.outFile, renderDrift(label, drift, portal.types.length, diff));
        module = { ...module, drift, ...(shared.diff && diff !== undefined && { diff }) };
      }
      let snapshot: FileResult | undefined;
      const snapshotText = snapshots[index];
      if (portal.snapshotFile !== undefined && snapshotText !== undefined) {
        const status = compareFile(await readExisting(portal.snapshotFile), snapshotText);
        snapshot = { file: portal.snapshotFile, kind: 'snapshot', portal: name, status };
      }
      results.push({ name, host: portal.host, types: portal.types, ...countsOf(portal.pipelines), module, ...(snapshot !== undefined && { snapshot }) });
    }
    sayOwnerTypesOnly();
    return { portals: results, files: filesOf(results), warnings, consistency, inconsistent, reports };
  }

  // One write for every file of the run: all of them, or none.
  const planned: PlannedFile[] = [];
  named.forEach((portal, index) => {
    const text = rendered[index]!.text;
    if (text !== undefined) planned.push({ file: portal.outFile, content: text, existing: existing[index] });
    const snapshotText = snapshots[index];
    if (portal.snapshotFile !== undefined && snapshotText !== undefined) planned.push({ file: portal.snapshotFile, content: snapshotText });
  });
  const written = await writeFiles(planned, shared.signal === undefined ? {} : { signal: shared.signal });
  // The render records describe files now on disk: kept only once every file is written.
  const cache = cacheDir(cwd);
  for (const { record } of rendered) if (record !== undefined) await writeRenderRecord(cache, record);
  for (const [index, portal] of named.entries()) {
    const name = portal.job.name;
    const status = rendered[index]!.text === undefined ? 'unchanged' : written.shift()!;
    const module: FileResult = { file: portal.outFile, kind: 'module', portal: name, status };
    const snapshot: FileResult | undefined =
      portal.snapshotFile === undefined ? undefined : { file: portal.snapshotFile, kind: 'snapshot', portal: name, status: written.shift()! };
    results.push({ name, host: portal.host, types: portal.types, ...countsOf(portal.pipelines), module, ...(snapshot !== undefined && { snapshot }) });
  }
  sayOwnerTypesOnly();
  return { portals: results, files: filesOf(results), warnings, consistency, inconsistent, reports };
}

function filesOf(results: readonly PortalResult[]): FileResult[] {
  return results.flatMap((result) => [result.module, result.snapshot].filter((file): file is FileResult => file !== undefined));
}

/**
 * Every portal read at once, each with its own retries and deadline, under one signal: the first failure
 * aborts the others, and is the one reported, naming its portal.
 */
async function readAll(
  jobs: readonly Job[],
  shared: Shared,
  logs: readonly Logger[],
  warn: (index: number, message: string) => void,
): Promise<PortalModel[]> {
  const controller = new AbortController();
  const signal = shared.signal === undefined ? controller.signal : AbortSignal.any([shared.signal, controller.signal]);
  let failure: { error: unknown } | undefined;
  const settled = await Promise.allSettled(
    jobs.map(async (job, index) => {
      try {
        return await readSource(job.source, {
          cwd: shared.cwd,
          pipelines: shared.pipelines,
          portal: shared.portal,
          timeoutMs: shared.timeout,
          retries: shared.retries,
          userAgent: USER_AGENT,
          logger: logs[index]!,
          signal,
          onRetry: ({ attempt, delayMs, reason }) =>
            logs[index]!.debug(`attempt ${attempt} failed (${reason}); retrying in ${Math.round(delayMs)} ms`),
          onNotice: (message) => warn(index, message),
          names: job.sourceNames,
          ...(shared.proxyEnv !== undefined && { env: shared.proxyEnv }),
        });
      } catch (error) {
        // The first failure is the cause; the others are (mostly) the abort it set off.
        if (failure === undefined) {
          failure = { error: blamePortal(error, job.name) };
          controller.abort();
        }
        throw error;
      }
    }),
  );
  shared.signal?.throwIfAborted();
  if (failure !== undefined) throw failure.error;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<PortalModel>).value);
}

/** One module's text from its named portal and the file on disk; `undefined` text when that file is known current. */
async function renderPortalModule(
  portal: NamedPortal,
  existing: string | undefined,
  shared: Shared,
  log: Logger,
  formatterFor: (outFile: string) => Formatter,
): Promise<RenderedModule> {
  const { outFile, types, pipelines, sections } = portal;
  const { cwd, format } = shared;
  const requestedStyle = shared.enumStyle;
  const prettier = format ? locatePrettier(path.dirname(outFile), bundledPrettierPath()) : undefined;
  const cache = cacheDir(cwd);
  if (existing !== undefined && (await isKnownCurrent(existing))) {
    log.debug(`${outFile} was generated from the same inputs and not edited since: nothing to render`);
    return { text: undefined };
  }
  // Prettier loads on its own thread while ts-morph loads and renders here.
  const formatter = format ? formatterFor(outFile) : undefined;

  let enumStyle: EnumStyle;
  let tsconfigFiles: readonly string[] = [];
  if (requestedStyle === 'auto') {
    const { resolveEnumStyle } = await import('./toolchain/tsconfig.js');
    const decision = await resolveEnumStyle(outFile, cwd);
    log.debug(`enum style: ${decision.reason}`);
    enumStyle = decision.style;
    tsconfigFiles = decision.files;
  } else {
    enumStyle = requestedStyle;
  }
  const [{ renderModule }, { loadTemplates }] = await Promise.all([import('./emit/render-module.js'), import('./emit/templates.js')]);
  const header = buildHeader({
    portal: portal.host,
    types,
    generatorVersion: GENERATOR_VERSION,
    inputsDigest: portal.inputsDigest,
    ...(sections !== undefined && { sections: pipelineBannerLines(sections) }),
  });
  const templates = await loadTemplates();
  /** The deprecated aliases kept for renames, for the `--check` report too. */
  let deprecated: DeprecatedAliases | undefined;
  if (existing !== undefined) {
    const { movedIdentifiers, movedPipelineIdentifiers, readPreviousModule } = await import('./emit/read-generated-module.js');
    const previous = readPreviousModule(existing);
    // A name said to have moved is not said again as an alias the live identifier beat.
    const movedPaths = new Set<string>();
    for (const moved of previous.ownerTypes === undefined ? [] : movedIdentifiers(previous.ownerTypes, types)) {
      log.warn(describeMovedIdentifier(moved));
      for (const section of ['EntityTypeId', 'Spa', 'Category', 'Stage']) movedPaths.add(`${section}.${moved.identifier}`);
    }
    if (previous.pipelines !== undefined && pipelines !== undefined) {
      for (const moved of movedPipelineIdentifiers(previous.pipelines, pipelineEntries(pipelines))) {
        log.warn(describeMovedPipelineIdentifier(moved));
        movedPaths.add(moved.path);
      }
    }
    if (!shared.dropDeprecated) {
      const kept = keepRenamed(previous.identifiers, { types, pipelines });
      // A file without our banner is not a generated module: it had no identifiers to keep, and it is
      // replaced as before without a warning.
      const ours = splitModule(existing) !== undefined;
      for (const note of kept.notes) {
        const quiet =
          note.kind === 'kept' ||
          (note.kind === 'collision' && movedPaths.has(note.alias)) ||
          (note.kind === 'unreadable' && note.section === 'EntityTypeId' && !ours);
        if (quiet) log.debug(describeKeepNote(note, outFile));
        else log.warn(describeKeepNote(note, outFile));
      }
      deprecated = kept.aliases;
    }
  }
  // The sample of a large module (format/splice-entries.ts) always holds the owner types that have
  // aliases, so Prettier itself formats an alias line of every shape the full module has; and only the
  // pipelines and stages of the owner types it holds.
  const aliased = new Set(
    deprecated === undefined
      ? []
      : [
          ...[...deprecated.entityTypeId, ...deprecated.spa, ...deprecated.categoryOwners, ...deprecated.stageOwners].map((alias) => alias.id),
          ...[...deprecated.pipelines, ...deprecated.stages].map((alias) => alias.entityTypeId),
        ],
  );
  const renderFor = (subset: readonly NamedOwnerType[]) => {
    const chosen = new Set(subset);
    const shown = subset === types ? types : types.filter((type) => chosen.has(type) || aliased.has(type.id));
    return renderModule({
      types: shown,
      enumStyle,
      header,
      templates,
      ...(pipelines !== undefined && { pipelines: shown === types ? pipelines : pipelinesOf(pipelines, shown) }),
      ...(deprecated !== undefined && { deprecated }),
    });
  };
  let rendered = renderFor(types);
  if (format) {
    const formatted = await formatter!.format(rendered, outFile, cwd, { types, render: renderFor });
    log.debug(
      formatted.status === 'ignored'
        ? `.prettierignore matches ${outFile}: not formatted`
        : `formatted with Prettier ${formatted.prettier.version} (${formatted.prettier.path})${formatted.spliced === undefined ? '' : `, by a sample of ${formatted.spliced} of ${types.length} owner types`}${formatted.thread === 'worker' ? ', on its own thread' : ''}`,
    );
    rendered = formatted.text;
  }
  rendered = sealModule(rendered);
  if (shared.check) return { text: rendered, ...(deprecated !== undefined && { deprecated }) };
  return {
    text: rendered,
    record: {
      outFile,
      inputsDigest: portal.inputsDigest,
      bodyDigest: readSeal(rendered)?.actualBodyDigest ?? '',
      enumStyle,
      tsconfig: requestedStyle === 'auto' ? fingerprintTsconfig(outFile, tsconfigFiles) : null,
      formatting: prettier === undefined ? null : fingerprintFormatting(outFile, cwd, prettier),
    },
  };

  /** The fast path: true only when the banner, the body and the recorded environment all still match. */
  async function isKnownCurrent(current: string): Promise<boolean> {
    const seal = readSeal(current);
    if (seal === undefined || seal.inputsDigest !== portal.inputsDigest || seal.recordedBodyDigest !== seal.actualBodyDigest) {
      return false;
    }
    if (requestedStyle !== 'auto' && prettier === undefined) return true;
    const record = await readRenderRecord(cache, outFile);
    return (
      record !== undefined &&
      record.inputsDigest === portal.inputsDigest &&
      record.bodyDigest === seal.actualBodyDigest &&
      environmentUnchanged(record, { outFile, cwd, autoStyle: requestedStyle === 'auto', prettier })
    );
  }
}
