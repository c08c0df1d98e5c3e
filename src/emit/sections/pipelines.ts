import { type CodeBlockWriter, type StatementStructures, type WriterFunction } from 'ts-morph';
import type { StageSemantics } from '../../model/portal.js';
import type { NamedOwnerTypeStages, NamedPipeline, NamedPipelines, NamedStage } from '../../naming/name-pipelines.js';
import type { DeprecatedAliases } from '../../naming/keep-renamed.js';
import { commentText, propertyKey, stringLiteral } from '../literals.js';
import { deprecatedDoc } from './deprecated.js';
import { templateFunctions } from './template-functions.js';

/** What the pipelines and stages section is built from. */
export interface PipelinesSectionInput {
  /** One portal's pipelines and stages with their identifiers (from `namePipelines`). */
  readonly pipelines: NamedPipelines;
  /** `templates/stages.ts`, as loaded by `loadTemplates`. */
  readonly template: string;
  /** Identifiers kept for renamed owner types, pipelines and stages; absent: none. */
  readonly deprecated?: DeprecatedAliases;
}

export type SectionStatement = WriterFunction | StatementStructures;

/** Code for one property of an object literal; `key` and `value` are code already, never raw portal text. */
interface Entry {
  readonly doc?: string;
  readonly key: string;
  /** A literal, or a nested object. */
  readonly value: string | readonly Entry[];
}

const SEMANTICS_TYPE = '"process" | "success" | "failure"';

/** An object-literal key that always makes an own property. */
function ownKey(key: string): string {
  // `__proto__: v` sets the prototype even when quoted; only a computed key defines a property of that name.
  return key === '__proto__' ? `[${stringLiteral(key)}]` : propertyKey(key);
}

/** A code bare when it is a plain identifier, escaped otherwise: `WON`, `"C3:WON"`. */
function codeText(value: string): string {
  return propertyKey(value) === value ? value : commentText(value);
}

function stageDoc(stage: NamedStage): string {
  return `${commentText(stage.name)} · ${codeText(stage.statusId)} · ${stage.semantics}`;
}

function pipelineDoc(pipeline: NamedPipeline): string {
  const parts = [pipeline.name === undefined ? 'name not given by the portal' : commentText(pipeline.name)];
  parts.push(`category ${pipeline.categoryId}`);
  if (pipeline.isDefault) parts.push('default');
  if (!pipeline.readable) parts.push("not readable by the webhook's user");
  return parts.join(' · ');
}

function ownerDoc(entry: NamedOwnerTypeStages): string {
  return `${commentText(entry.ownerType.name)} · ${codeText(entry.ownerType.symbolCode)} · ${entry.ownerType.id}`;
}

/** Pipelines that have a stage dictionary: contacts' and companies' pipelines have none. */
function stagedPipelines(entry: NamedOwnerTypeStages & { kind: 'pipelines' }): NamedPipeline[] {
  return byCategoryId(entry.pipelines).filter((pipeline) => pipeline.statusEntityId !== undefined);
}

/** The portal's order: SORT, then row ID (the model's order already; sorted again so no input order leaks out). */
function inPortalOrder(stages: readonly NamedStage[]): NamedStage[] {
  return [...stages].sort((a, b) => a.sort - b.sort || a.rowId - b.rowId || (a.statusId < b.statusId ? -1 : a.statusId > b.statusId ? 1 : 0));
}

function byCategoryId(pipelines: readonly NamedPipeline[]): NamedPipeline[] {
  return [...pipelines].sort((a, b) => a.categoryId - b.categoryId);
}

/** Deprecated alias identifiers, by the key of what they stand for, in the order keep-renamed gives. */
type AliasIndex = ReadonlyMap<string, readonly string[]>;

function indexAliases<T extends { identifier: string }>(aliases: readonly T[], key: (alias: T) => string): AliasIndex {
  const index = new Map<string, string[]>();
  for (const alias of aliases) index.set(key(alias), [...(index.get(key(alias)) ?? []), alias.identifier]);
  return index;
}

const ownerKey = (entityTypeId: number) => String(entityTypeId);
const pipelineKey = (entityTypeId: number, categoryId: number) => `${entityTypeId}:${categoryId}`;
const stageKey = (entityTypeId: number, statusId: string) => `${entityTypeId}\u0000${statusId}`;

interface SectionAliases {
  readonly categoryOwners: AliasIndex;
  readonly stageOwners: AliasIndex;
  readonly pipelines: AliasIndex;
  readonly stages: AliasIndex;
}

/**
 * An entry, then the deprecated aliases kept for it: each holds the same value under its old key. Right
 * after the live one, so the order of values stays as it was, with a repeat beside it.
 */
function withAliases(entry: Entry, aliases: readonly string[] | undefined, path: string): Entry[] {
  return [entry, ...(aliases ?? []).map((key) => ({ doc: deprecatedDoc(path), key, value: entry.value }))];
}

function stageEntries(stages: readonly NamedStage[], entityTypeId: number, path: string, aliases: SectionAliases): Entry[] {
  return inPortalOrder(stages).flatMap((stage) =>
    withAliases(
      { doc: stageDoc(stage), key: stage.identifier, value: stringLiteral(stage.statusId) },
      aliases.stages.get(stageKey(entityTypeId, stage.statusId)),
      `${path}.${stage.identifier}`,
    ),
  );
}

/** Every stage of one owner type, in the portal's order (pipeline by pipeline). */
function stagesOf(entry: NamedOwnerTypeStages): NamedStage[] {
  return entry.kind === 'stages' ? inPortalOrder(entry.stages) : stagedPipelines(entry).flatMap((pipeline) => inPortalOrder(pipeline.stages));
}

function hasStages(entry: NamedOwnerTypeStages): boolean {
  return entry.kind === 'stages' || stagedPipelines(entry).length > 0;
}

/** Aliases stand for something in the section, are usable keys, and never shadow a live key of their scope. */
function checkAliases(types: readonly NamedOwnerTypeStages[], aliases: DeprecatedAliases): void {
  const usable = (identifier: string): void => {
    if (propertyKey(identifier) !== identifier || identifier === '__proto__') {
      throw new Error(`${JSON.stringify(identifier)} cannot be a deprecated alias in the generated module.`);
    }
  };
  const ownerIds = new Set(types.map((entry) => entry.ownerType.id));
  const ownerNames = new Set(types.map((entry) => entry.ownerType.identifier));
  for (const alias of [...aliases.categoryOwners, ...aliases.stageOwners]) {
    usable(alias.identifier);
    if (ownerNames.has(alias.identifier) || !ownerIds.has(alias.id)) throw new Error(`Deprecated owner-type alias ${alias.identifier} clashes or stands for nothing.`);
  }
  const live = new Map<string, Set<string>>();
  for (const entry of types) {
    if (entry.kind === 'stages') {
      for (const stage of entry.stages) live.set(stageKey(entry.ownerType.id, stage.statusId), new Set(entry.stages.map((s) => s.identifier)));
      continue;
    }
    const names = new Set(entry.pipelines.map((pipeline) => pipeline.identifier));
    for (const pipeline of entry.pipelines) {
      live.set(pipelineKey(entry.ownerType.id, pipeline.categoryId), names);
      for (const stage of pipeline.stages) live.set(stageKey(entry.ownerType.id, stage.statusId), new Set(pipeline.stages.map((s) => s.identifier)));
    }
  }
  const scoped = [
    ...aliases.pipelines.map((alias) => ({ key: pipelineKey(alias.entityTypeId, alias.categoryId), identifier: alias.identifier })),
    ...aliases.stages.map((alias) => ({ key: stageKey(alias.entityTypeId, alias.statusId), identifier: alias.identifier })),
  ];
  for (const { key, identifier } of scoped) {
    usable(identifier);
    const names = live.get(key);
    if (names === undefined || names.has(identifier)) throw new Error(`Deprecated alias ${identifier} clashes or stands for nothing.`);
  }
}

function check(types: readonly NamedOwnerTypeStages[]): void {
  const unique = (what: string, values: readonly (string | number)[]): void => {
    const seen = new Set<string | number>();
    for (const value of values) {
      if (seen.has(value)) throw new Error(`Two ${what} share ${JSON.stringify(value)}.`);
      seen.add(value);
    }
  };
  const key = (identifier: string, what: string): void => {
    if (propertyKey(identifier) !== identifier || identifier === '__proto__') {
      throw new Error(`${JSON.stringify(identifier)} cannot name ${what} in the generated module.`);
    }
  };
  unique('owner types in the pipelines section', types.map((entry) => entry.ownerType.id));
  unique('owner types in the pipelines section', types.map((entry) => entry.ownerType.identifier));
  for (const entry of types) {
    key(entry.ownerType.identifier, 'an owner type');
    const of = `of ${entry.ownerType.identifier}`;
    const stageLists = entry.kind === 'stages' ? [entry.stages] : entry.pipelines.map((pipeline) => pipeline.stages);
    if (entry.kind === 'pipelines') {
      unique(`pipelines ${of}`, entry.pipelines.map((pipeline) => pipeline.identifier));
      unique(`pipelines ${of}`, entry.pipelines.map((pipeline) => pipeline.categoryId));
      for (const pipeline of entry.pipelines) {
        key(pipeline.identifier, 'a pipeline');
        if (!Number.isSafeInteger(pipeline.categoryId) || pipeline.categoryId < 0) {
          throw new Error(`${pipeline.categoryId} is not a category ID.`);
        }
      }
    }
    for (const stages of stageLists) {
      unique(`stages of one pipeline ${of}`, stages.map((stage) => stage.identifier));
      for (const stage of stages) key(stage.identifier, 'a stage');
    }
    unique(`stages ${of}`, stageLists.flat().map((stage) => stage.statusId));
  }
}

/**
 * The statements of the pipelines and stages section: `Category`, `Stage`, `StageIdOf`, `StageId`,
 * `categoryNames`, `stageNames`, `stageSemantics` and `isStageId`. Portal text enters only through
 * `stringLiteral`, `propertyKey` and `commentText`; identifiers come from the naming stage and are checked.
 *
 * The objects are written by writers, not as property structures: ts-morph's member printer looks back over
 * what it has written for every member (see build-module.ts), and a large portal has thousands of stages.
 */
export function pipelineStatements(input: PipelinesSectionInput): SectionStatement[] {
  const types = [...input.pipelines.types].sort((a, b) => a.ownerType.id - b.ownerType.id);
  check(types);
  const deprecated = input.deprecated;
  if (deprecated !== undefined) checkAliases(types, deprecated);
  const aliases: SectionAliases = {
    categoryOwners: indexAliases(deprecated?.categoryOwners ?? [], (alias) => ownerKey(alias.id)),
    stageOwners: indexAliases(deprecated?.stageOwners ?? [], (alias) => ownerKey(alias.id)),
    pipelines: indexAliases(deprecated?.pipelines ?? [], (alias) => pipelineKey(alias.entityTypeId, alias.categoryId)),
    stages: indexAliases(deprecated?.stages ?? [], (alias) => stageKey(alias.entityTypeId, alias.statusId)),
  };
  const withPipelines = types.flatMap((entry) => (entry.kind === 'pipelines' ? [entry] : []));
  const withStages = types.filter(hasStages);

  // An owner type's or a pipeline's alias holds a copy of the whole object, aliases inside included, so
  // that every old path (`Stage.OldSpa.OldPipeline.OldStage`) still reaches the same value.
  const category: Entry[] = withPipelines.flatMap((entry) => {
    const id = entry.ownerType.id;
    const path = `Category.${entry.ownerType.identifier}`;
    const value = byCategoryId(entry.pipelines).flatMap((pipeline) =>
      withAliases(
        { doc: pipelineDoc(pipeline), key: pipeline.identifier, value: String(pipeline.categoryId) },
        aliases.pipelines.get(pipelineKey(id, pipeline.categoryId)),
        `${path}.${pipeline.identifier}`,
      ),
    );
    return withAliases({ doc: ownerDoc(entry), key: entry.ownerType.identifier, value }, aliases.categoryOwners.get(ownerKey(id)), path);
  });

  const stage: Entry[] = withStages.flatMap((entry) => {
    const id = entry.ownerType.id;
    const path = `Stage.${entry.ownerType.identifier}`;
    const value =
      entry.kind === 'stages'
        ? stageEntries(entry.stages, id, path, aliases)
        : stagedPipelines(entry).flatMap((pipeline) =>
            withAliases(
              {
                doc: pipelineDoc(pipeline),
                key: pipeline.identifier,
                value: stageEntries(pipeline.stages, id, `${path}.${pipeline.identifier}`, aliases),
              },
              aliases.pipelines.get(pipelineKey(id, pipeline.categoryId)),
              `${path}.${pipeline.identifier}`,
            ),
          );
    return withAliases({ doc: ownerDoc(entry), key: entry.ownerType.identifier, value }, aliases.stageOwners.get(ownerKey(id)), path);
  });

  const stageIdsOf = (entry: NamedOwnerTypeStages): string => `StageIdOf<${stringLiteral(entry.ownerType.identifier)}>`;
  const namedPipelines = (entry: NamedOwnerTypeStages & { kind: 'pipelines' }): NamedPipeline[] =>
    byCategoryId(entry.pipelines).filter((pipeline) => pipeline.name !== undefined);

  return [
    objectStatement({
      doc: [
        "Pipeline (category) IDs of the portal, by owner type and pipeline: `categoryId` in `crm.item.*`.",
        'The default pipeline is `Default`. IDs differ from portal to portal.',
      ],
      name: 'Category',
      entries: category,
      asConst: true,
    }),
    objectStatement({
      doc: [
        "Stage IDs of the portal (`stageId` in `crm.item.*`, `STATUS_ID` in `crm.status.*`): by owner type and",
        'pipeline, or by owner type for types without pipelines; stages in the kanban order.',
      ],
      name: 'Stage',
      entries: stage,
      asConst: true,
    }),
    typeAlias(
      'The stage IDs of one owner type: `StageIdOf<"Deal">`.',
      'StageIdOf<K extends keyof typeof Stage>',
      // `infer T` makes the owner type's object a naked type parameter, so a union of owner types
      // distributes; the inner test tells stages (strings) from pipelines (objects of stages).
      [
        '(typeof Stage)[K] extends infer T',
        '  ? T extends { readonly [code: string]: string }',
        '    ? T[keyof T]',
        '    : { [P in keyof T]: T[P][keyof T[P]] }[keyof T]',
        '  : never',
      ].join('\n'),
    ),
    typeAlias("Any of the portal's stage IDs.", 'StageId', 'StageIdOf<keyof typeof Stage>'),
    // Names are typed `string`, not as literals: they are renamed on the portal at will, and code comparing
    // them at the type level would break on the next regeneration. IDs stay literal types.
    objectStatement({
      doc: ["The portal's name of each pipeline, verbatim, by entity type ID and category ID."],
      name: 'categoryNames',
      type: typeLiteral(
        withPipelines.map((entry) => {
          const ids = namedPipelines(entry).map((pipeline) => String(pipeline.categoryId));
          return { key: String(entry.ownerType.id), type: `Readonly<Record<${ids.length === 0 ? 'never' : ids.join(' | ')}, string>>` };
        }),
      ),
      entries: withPipelines.map((entry) => ({
        key: String(entry.ownerType.id),
        value: namedPipelines(entry).map((pipeline) => ({
          key: String(pipeline.categoryId),
          value: stringLiteral(pipeline.name ?? ''),
        })),
      })),
      asConst: false,
    }),
    namesByStage({
      doc: "The portal's NAME of each stage, verbatim, by entity type ID and stage ID.",
      name: 'stageNames',
      valueType: 'string',
      types: withStages,
      stageIdsOf,
      value: (item) => stringLiteral(item.name),
    }),
    namesByStage({
      doc: 'The group of each stage, by entity type ID and stage ID: in progress, won or lost (`SEMANTICS` `S`, `F`).',
      name: 'stageSemantics',
      valueType: SEMANTICS_TYPE,
      types: withStages,
      stageIdsOf,
      value: (item) => stringLiteral(item.semantics satisfies StageSemantics),
    }),
    ...templateFunctions(input.template, 'stages'),
  ];
}

function namesByStage(options: {
  doc: string;
  name: string;
  valueType: string;
  types: readonly NamedOwnerTypeStages[];
  stageIdsOf: (entry: NamedOwnerTypeStages) => string;
  value: (stage: NamedStage) => string;
}): WriterFunction {
  return objectStatement({
    doc: [options.doc],
    name: options.name,
    type: typeLiteral(
      options.types.map((entry) => ({
        key: String(entry.ownerType.id),
        type: `Readonly<Record<${options.stageIdsOf(entry)}, ${options.valueType}>>`,
      })),
    ),
    entries: options.types.map((entry) => ({
      key: String(entry.ownerType.id),
      value: stagesOf(entry).map((stage) => ({ key: ownKey(stage.statusId), value: options.value(stage) })),
    })),
    asConst: false,
  });
}

function typeLiteral(members: readonly { key: string; type: string }[]): string {
  // `{}` as a type trips typescript-eslint's no-empty-object-type in the consumer's lint.
  if (members.length === 0) return 'Readonly<Record<never, never>>';
  return `{\n${members.map(({ key, type }) => `  readonly ${key}: ${type};`).join('\n')}\n}`;
}

/** Written by a writer: a type-alias structure prints a multi-line type with hanging indentation. */
function typeAlias(doc: string, name: string, type: string): WriterFunction {
  return (writer) => {
    writer.blankLineIfLastNot();
    writer.writeLine(`/** ${doc} */`);
    writer.write(`export type ${name} = ${type};`).newLine();
  };
}

function writeDoc(writer: CodeBlockWriter, lines: readonly string[]): void {
  if (lines.length === 1) {
    writer.writeLine(`/** ${lines[0]} */`);
    return;
  }
  writer.writeLine('/**');
  for (const line of lines) writer.writeLine(` * ${line}`);
  writer.writeLine(' */');
}

function writeEntries(writer: CodeBlockWriter, entries: readonly Entry[]): void {
  if (entries.length === 0) {
    writer.write('{}');
    return;
  }
  writer.write('{').newLine();
  writer.indent(() => {
    entries.forEach((entry, index) => {
      if (entry.doc !== undefined) writer.writeLine(`/** ${entry.doc} */`);
      writer.write(`${entry.key}: `);
      if (typeof entry.value === 'string') writer.write(entry.value);
      else writeEntries(writer, entry.value);
      if (index < entries.length - 1) writer.write(',');
      writer.newLine();
    });
  });
  writer.write('}');
}

function objectStatement(options: {
  doc: readonly string[];
  name: string;
  type?: string;
  entries: readonly Entry[];
  asConst: boolean;
}): WriterFunction {
  return (writer) => {
    writer.blankLineIfLastNot();
    writeDoc(writer, options.doc);
    writer.write(`export const ${options.name}${options.type === undefined ? '' : `: ${options.type}`} = `);
    writeEntries(writer, options.entries);
    writer.write(options.asConst ? ' as const;' : ';').newLine();
  };
}
