import path from 'node:path';
import { buildHeader, digest, readSeal, sealModule, splitModule } from './emit/header.js';
import { bundledPrettierPath, formatModule } from './format/format-module.js';
import { silentLogger, type Logger } from './shared/logger.js';
import type { EnumStyle, NamedOwnerType, OwnerTypeModel } from './model/owner-types.js';
import { serializeSnapshot } from './model/snapshot.js';
import type { MovedIdentifier, MovedPipelineIdentifier } from './emit/read-generated-module.js';
import { stringLiteral } from './emit/literals.js';
import { keepRenamed, type DeprecatedAliases, type KeepRenamedNote, type ModuleSection } from './naming/keep-renamed.js';
import { pipelineEntries } from './output/drift-report.js';
import { nameOwnerTypesWithNotes, unusedAliasKeys, type PortalSpecificName } from './naming/name-owner-types.js';
import {
  DEFAULT_OUT,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type GenerateOptions,
} from './options/generate-options.js';
import { readSource } from './source/read-source.js';
import type { PortalModel } from './model/portal.js';
import { namePipelines, type IdCarryingName, type NamedPipelines } from './naming/name-pipelines.js';
import { pipelineBannerLines } from './emit/sections/banner.js';
import {
  cacheDir,
  environmentUnchanged,
  fingerprintFormatting,
  fingerprintTsconfig,
  readRenderRecord,
  writeRenderRecord,
} from './output/render-cache.js';
import { checkOutputPaths } from './output/output-path.js';
import { locatePrettier } from './toolchain/prettier.js';
import { readExisting, sameContent, writeFiles, type PlannedFile } from './output/write-files.js';
import { GENERATOR_VERSION, USER_AGENT } from './shared/version.js';

export type FileStatus = 'written' | 'unchanged' | 'current' | 'stale' | 'missing';

export interface GenerateResult {
  /** Absolute path of the module. */
  readonly outFile: string;
  /** Write mode: `written` or `unchanged`. Check mode: `current`, `stale` or `missing`. */
  readonly status: FileStatus;
  /** The owner types with their identifiers, sorted by ID. */
  readonly types: readonly NamedOwnerType[];
  /** Host of the portal, when known. */
  readonly portal: string | undefined;
  /** The snapshot file and what happened to it, when one was asked for. */
  readonly snapshot?: { readonly file: string; readonly status: FileStatus };
  /** Check mode, when stale: what changed, in the portal's terms, then a short unified diff. */
  readonly report?: string;
}

/** What the module is generated from, as one digest; see emit/header.ts for how it is used. */
export function inputsDigest(
  model: OwnerTypeModel,
  settings: { enumStyle: string; format: boolean; aliases: Readonly<Record<string, string>>; dropDeprecated?: boolean },
  sections?: Pick<PortalModel, 'pipelines' | 'spaDetails'>,
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
function warnEach(log: Logger, messages: readonly string[], more: string): void {
  messages.slice(0, WARNINGS_PER_KIND).forEach((message) => log.warn(message));
  if (messages.length <= WARNINGS_PER_KIND) return;
  log.warn(`… and ${messages.length - WARNINGS_PER_KIND} ${more} (--verbose lists them all).`);
  messages.slice(WARNINGS_PER_KIND).forEach((message) => log.debug(message));
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

/**
 * The whole pipeline: source → model → names → (module structure → text → format) → write or check.
 * ts-morph and Prettier are loaded only when the module has to be rendered.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const log = options.logger ?? silentLogger;
  const cwd = options.cwd ?? process.cwd();
  // Every file the run may write is a regular file or absent, checked before the portal is asked anything.
  const [outTarget, snapshotTarget] = await checkOutputPaths(
    [
      { raw: options.out ?? DEFAULT_OUT, option: 'out' },
      ...(options.snapshot === undefined ? [] : [{ raw: options.snapshot, option: 'snapshot' }]),
    ],
    cwd,
  );
  const outFile = outTarget!.file;
  const format = options.format ?? true;
  const aliases = options.aliases ?? {};
  const requestedStyle = options.enumStyle ?? 'auto';
  if (outFile.split(path.sep).includes('node_modules')) {
    log.warn(`${outFile} is inside node_modules, which package managers replace on every install; keep the module under src/ and commit it.`);
  }
  for (const target of [outTarget, snapshotTarget]) {
    if (target?.viaLink === true) log.debug(`${target.file} is a symbolic link: writing through to ${target.target}, the link kept`);
  }

  const pipelinesWanted = options.pipelines ?? true;
  const portalModel = await readSource(options.source, {
    cwd,
    pipelines: pipelinesWanted,
    portal: options.portal,
    timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_RETRIES,
    userAgent: USER_AGENT,
    logger: log,
    ...(options.signal !== undefined && { signal: options.signal }),
    onRetry: ({ attempt, delayMs, reason }) =>
      log.debug(`attempt ${attempt} failed (${reason}); retrying in ${Math.round(delayMs)} ms`),
    onNotice: (message) => log.warn(message),
  });
  for (const notice of portalModel.notices) log.warn(notice);
  const model: OwnerTypeModel = { portal: portalModel.host, types: portalModel.ownerTypes };
  const { types, portalSpecific } = nameOwnerTypesWithNotes(model.types, aliases);
  warnEach(log, portalSpecific.map(describePortalSpecificName), 'more smart processes are named with their portal\'s ID');
  for (const key of unusedAliasKeys(model.types, aliases)) {
    log.warn(`alias "${key}" matches no smart process on this portal; it is ignored.`);
  }
  let pipelines: NamedPipelines | undefined;
  if (portalModel.pipelines.status === 'ok') {
    const named = namePipelines([{ ownerTypes: types, pipelines: portalModel.pipelines.data }]);
    pipelines = named.portals[0];
    warnEach(log, named.idCarrying.map(describeIdCarrying), 'more pipelines are named with their portal\'s category ID');
  } else if (pipelinesWanted) {
    // Said on every run, not only with --verbose: code that imports Stage or Category will not compile.
    log.info(
      `The module holds owner types only: pipelines and stages are not in it (${portalModel.pipelines.reason}). ` +
        'Regenerate from the portal, or from a snapshot written by this version, to have them.',
    );
  }
  const sections = pipelinesWanted ? portalModel : undefined;
  const spaCount = types.filter((t) => t.isSpa).length;
  log.debug(`${types.length} owner types (${spaCount} SPA) from ${model.portal ?? 'a saved response'}`);

  const existing = await readExisting(outFile);
  const dropDeprecated = options.dropDeprecated ?? false;
  const digestOfInputs = inputsDigest(model, { enumStyle: requestedStyle, format, aliases, dropDeprecated }, sections);
  /** The deprecated aliases the render kept, for the `--check` report. */
  let deprecated: DeprecatedAliases | undefined;
  const cache = cacheDir(cwd);
  const prettier = format ? locatePrettier(path.dirname(outFile), bundledPrettierPath()) : undefined;

  let text: string | undefined;
  if (existing !== undefined && (await isKnownCurrent(existing))) {
    log.debug(`${outFile} was generated from the same inputs and not edited since: nothing to render`);
  } else {
    text = await render();
  }

  const snapshotFile = snapshotTarget?.file;
  const snapshotText = snapshotFile === undefined ? undefined : serializeSnapshot(portalModel);
  const base = { outFile, types, portal: model.portal };
  options.signal?.throwIfAborted();

  if (options.check === true) {
    const status = text === undefined ? 'current' : compareFile(existing, text);
    let snapshot: GenerateResult['snapshot'];
    if (snapshotFile !== undefined && snapshotText !== undefined) {
      snapshot = { file: snapshotFile, status: compareFile(await readExisting(snapshotFile), snapshotText) };
    }
    let report: string | undefined;
    if (status !== 'current' && text !== undefined) {
      const { describeChanges } = await import('./output/check-module.js');
      report = await describeChanges(existing, text, types, outFile, cwd, pipelines, deprecated);
    }
    return { ...base, status, ...(snapshot !== undefined && { snapshot }), ...(report !== undefined && { report }) };
  }

  // One write for every file of the run: all of them, or none.
  const planned: PlannedFile[] = [];
  if (text !== undefined) planned.push({ file: outFile, content: text, existing });
  if (snapshotFile !== undefined && snapshotText !== undefined) planned.push({ file: snapshotFile, content: snapshotText });
  const written = await writeFiles(planned, options.signal === undefined ? {} : { signal: options.signal });
  const status = text === undefined ? 'unchanged' : written.shift()!;
  let snapshot: GenerateResult['snapshot'];
  if (snapshotFile !== undefined) snapshot = { file: snapshotFile, status: written.shift()! };
  return { ...base, status, ...(snapshot !== undefined && { snapshot }) };

  /** The fast path: true only when the banner, the body and the recorded environment all still match. */
  async function isKnownCurrent(current: string): Promise<boolean> {
    const seal = readSeal(current);
    if (seal === undefined || seal.inputsDigest !== digestOfInputs || seal.recordedBodyDigest !== seal.actualBodyDigest) {
      return false;
    }
    if (requestedStyle !== 'auto' && prettier === undefined) return true;
    const record = await readRenderRecord(cache, outFile);
    return (
      record !== undefined &&
      record.inputsDigest === digestOfInputs &&
      record.bodyDigest === seal.actualBodyDigest &&
      environmentUnchanged(record, { outFile, cwd, autoStyle: requestedStyle === 'auto', prettier })
    );
  }

  async function render(): Promise<string> {
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
    const [{ renderModule }, { loadTemplates }] = await Promise.all([
      import('./emit/render-module.js'),
      import('./emit/templates.js'),
    ]);
    const header = buildHeader({
      portal: model.portal,
      types,
      generatorVersion: GENERATOR_VERSION,
      inputsDigest: digestOfInputs,
      ...(sections !== undefined && { sections: pipelineBannerLines(sections) }),
    });
    const templates = await loadTemplates();
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
      if (!dropDeprecated) {
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
      const rendered = subset === types ? types : types.filter((type) => chosen.has(type) || aliased.has(type.id));
      return renderModule({
        types: rendered,
        enumStyle,
        header,
        templates,
        ...(pipelines !== undefined && { pipelines: rendered === types ? pipelines : pipelinesOf(pipelines, rendered) }),
        ...(deprecated !== undefined && { deprecated }),
      });
    };
    let rendered = renderFor(types);
    if (format) {
      const formatted = await formatModule(rendered, outFile, cwd, { types, render: renderFor });
      log.debug(
        formatted.status === 'ignored'
          ? `.prettierignore matches ${outFile}: not formatted`
          : `formatted with Prettier ${formatted.prettier.version} (${formatted.prettier.path})${formatted.spliced === undefined ? '' : `, by a sample of ${formatted.spliced} of ${types.length} owner types`}`,
      );
      rendered = formatted.text;
    }
    rendered = sealModule(rendered);
    if (options.check !== true) {
      await writeRenderRecord(cache, {
        outFile,
        inputsDigest: digestOfInputs,
        bodyDigest: readSeal(rendered)?.actualBodyDigest ?? '',
        enumStyle,
        tsconfig: requestedStyle === 'auto' ? fingerprintTsconfig(outFile, tsconfigFiles) : null,
        formatting: prettier === undefined ? null : fingerprintFormatting(outFile, cwd, prettier),
      });
    }
    return rendered;
  }
}
