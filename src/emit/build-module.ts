import {
  Project,
  StructureKind,
  type CodeBlockWriter,
  type FunctionDeclarationStructure,
  type SourceFileStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type WriterFunction,
} from 'ts-morph';
import type { EnumStyle, NamedOwnerType } from '../model/owner-types.js';
import { moduleIdentifierProblem } from '../naming/identifiers.js';
import type { NamedPipelines } from '../naming/name-pipelines.js';
import type { DeprecatedAliases, OwnerKey } from '../naming/keep-renamed.js';
import { commentText, propertyKey, stringLiteral } from './literals.js';
import { deprecatedDoc } from './sections/deprecated.js';
import { pipelineStatements } from './sections/pipelines.js';
import type { ModuleTemplates } from './templates.js';

export interface BuildModuleInput {
  /** The owner types with their identifiers, sorted by entity type ID. */
  readonly types: readonly NamedOwnerType[];
  readonly enumStyle: EnumStyle;
  /** The banner: a complete comment block, already safe, written first and verbatim. */
  readonly header: string;
  readonly templates: ModuleTemplates;
  /** The pipelines and stages section; absent when the module holds owner types only. */
  readonly pipelines?: NamedPipelines;
  /** Identifiers kept for renamed SPAs, pipelines and stages (naming/keep-renamed.ts); absent: none. */
  readonly deprecated?: DeprecatedAliases;
}

type Statement = string | WriterFunction | StatementStructures;

/** Code for one property of an object literal; `key` and `value` are code already, never raw portal text. */
interface Property {
  readonly doc?: string;
  readonly key: string;
  readonly value: string;
}

const blankLine: WriterFunction = (writer) => {
  writer.blankLineIfLastNot();
};

/**
 * The statements of the generated module, built in one pass. Portal text enters only through
 * `stringLiteral`, `propertyKey` and `commentText`; identifiers come from the naming stage and are checked.
 */
export function buildModuleStructure(input: BuildModuleInput): SourceFileStructure {
  const types = [...input.types].sort((a, b) => a.id - b.id);
  checkTypes(types);
  const spas = types.filter((type) => type.isSpa);
  const withShortCode = types.filter((type) => type.shortCode !== '');
  const member = (type: NamedOwnerType): string => `EntityTypeId.${type.identifier}`;
  const entityTypeIdAliases = aliasesById(input.deprecated?.entityTypeId ?? []);
  const spaAliases = aliasesById(input.deprecated?.spa ?? []);
  checkAliases(types, entityTypeIdAliases, 'EntityTypeId');
  checkAliases(spas, spaAliases, 'Spa');
  // A deprecated alias goes right after the member it stands for, so the order of values (by ID) stays as
  // it was, with a repeat beside it.
  const withAliases = <T>(list: readonly NamedOwnerType[], aliases: ReadonlyMap<number, readonly string[]>, each: (type: NamedOwnerType, alias?: string) => T[]): T[] =>
    list.flatMap((type) => [...each(type), ...(aliases.get(type.id) ?? []).flatMap((alias) => each(type, alias))]);

  const statements: Statement[] = [];
  if (input.header !== '') statements.push(input.header);
  statements.push(
    ...(input.enumStyle === 'enum' ? entityTypeIdEnum(types, entityTypeIdAliases) : entityTypeIdConst(types, entityTypeIdAliases)),
    // The maps that hold `EntityTypeId.X` values carry explicit types: `isolatedDeclarations` cannot infer
    // a member access. Written out entry by entry: mapped types over the enum would say the same in one
    // line, but cost the consumer's type checker seconds at a few thousand SPAs.
    constStatement({
      doc: 'Entity type ID by `SYMBOL_CODE`.',
      name: 'entityTypeIdBySymbolCode',
      typeLines: types.map((type) => `readonly ${objectKey(type.symbolCode)}: ${member(type)};`),
      properties: types.map((type) => ({ key: objectKey(type.symbolCode), value: member(type) })),
    }),
    constStatement({
      doc: '`SYMBOL_CODE` by entity type ID.',
      name: 'symbolCodeByEntityTypeId',
      properties: types.map((type) => ({ key: String(type.id), value: stringLiteral(type.symbolCode) })),
      asConst: true,
    }),
    constStatement({
      doc: 'Entity type ID by `SYMBOL_CODE_SHORT`; types without a short code are left out.',
      name: 'entityTypeIdByShortCode',
      typeLines: withShortCode.map((type) => `readonly ${objectKey(type.shortCode)}: ${member(type)};`),
      properties: withShortCode.map((type) => ({ key: objectKey(type.shortCode), value: member(type) })),
    }),
    // Indexable by any entity type ID (a type without a short code gives `undefined`), each known key still
    // typed as its own literal.
    constStatement({
      doc: '`SYMBOL_CODE_SHORT` by entity type ID; types without a short code are left out.',
      name: 'shortCodeByEntityTypeId',
      typeLines: [
        'readonly [entityTypeId: number]: ShortCode | undefined;',
        ...withShortCode.map((type) => `readonly ${type.id}: ${stringLiteral(type.shortCode)};`),
      ],
      properties: withShortCode.map((type) => ({ key: String(type.id), value: stringLiteral(type.shortCode) })),
    }),
    // Typed `string`, not as literals: titles are renamed on the portal at will, and code comparing them
    // at the type level would break on the next regeneration.
    constStatement({
      doc: "The portal's NAME of each type, verbatim: localized for system types, free text for smart processes.",
      name: 'entityTypeNames',
      type: 'Readonly<Record<EntityTypeId, string>>',
      properties: types.map((type) => ({ key: String(type.id), value: stringLiteral(type.name) })),
    }),
    constStatement({
      doc: "Entity type IDs of the portal's smart processes (SPAs), by name. They differ from portal to portal.",
      name: 'Spa',
      // The aliases' type members carry the tag too: with an annotation, editors read the member from it.
      typeLines: withAliases(spas, spaAliases, (type, alias) =>
        alias === undefined
          ? [`readonly ${type.identifier}: ${member(type)};`]
          : [`/** ${deprecatedDoc(`Spa.${type.identifier}`)} */`, `readonly ${alias}: ${member(type)};`],
      ),
      properties: withAliases(spas, spaAliases, (type, alias) => [
        alias === undefined
          ? { key: type.identifier, value: member(type) }
          : { doc: deprecatedDoc(`Spa.${type.identifier}`), key: alias, value: member(type) },
      ]),
    }),
    typeAlias(
      "Entity type ID of one of the portal's smart processes.",
      'SpaEntityTypeId',
      '(typeof Spa)[keyof typeof Spa]',
    ),
    constArrayStatement({
      doc: "The smart processes' entity type IDs, ascending.",
      name: 'spaEntityTypeIds',
      type: 'readonly SpaEntityTypeId[]',
      elements: spas.map(member),
    }),
    typeAlias('Any `SYMBOL_CODE` of the portal.', 'SymbolCode', 'keyof typeof entityTypeIdBySymbolCode'),
    typeAlias('Any non-empty `SYMBOL_CODE_SHORT` of the portal.', 'ShortCode', 'keyof typeof entityTypeIdByShortCode'),
    ...templateFunctions(input.templates.guards),
    ...(input.pipelines === undefined
      ? []
      : pipelineStatements({
          pipelines: input.pipelines,
          template: input.templates.stages ?? '',
          ...(input.deprecated !== undefined && { deprecated: input.deprecated }),
        })),
  );
  return { kind: StructureKind.SourceFile, statements };
}

function checkTypes(types: readonly NamedOwnerType[]): void {
  for (const type of types) {
    if (moduleIdentifierProblem(type.identifier) !== undefined) {
      throw new Error(`${JSON.stringify(type.identifier)} cannot name an owner type in the generated module.`);
    }
    if (!Number.isSafeInteger(type.id) || type.id < 0) throw new Error(`${type.id} is not an entity type ID.`);
  }
  checkUnique('identifier', types.map((type) => type.identifier));
  checkUnique('entity type ID', types.map((type) => type.id));
  checkUnique('SYMBOL_CODE', types.map((type) => type.symbolCode));
  checkUnique('SYMBOL_CODE_SHORT', types.map((type) => type.shortCode).filter((code) => code !== ''));
}

function checkUnique(what: string, values: readonly (string | number)[]): void {
  const seen = new Set<string | number>();
  for (const value of values) {
    if (seen.has(value)) throw new Error(`Two owner types share the ${what} ${JSON.stringify(value)}.`);
    seen.add(value);
  }
}

/** Alias identifiers by entity type ID, in the order given (keep-renamed sorts them). */
function aliasesById(aliases: readonly OwnerKey[]): Map<number, string[]> {
  const byId = new Map<number, string[]>();
  for (const { id, identifier } of aliases) byId.set(id, [...(byId.get(id) ?? []), identifier]);
  return byId;
}

/** Aliases name owner types of the module, are usable identifiers, and never shadow a live identifier. */
function checkAliases(types: readonly NamedOwnerType[], aliases: ReadonlyMap<number, readonly string[]>, section: string): void {
  const ids = new Set(types.map((type) => type.id));
  const names = types.map((type) => type.identifier);
  for (const [id, list] of aliases) {
    if (!ids.has(id)) throw new Error(`A deprecated alias in ${section} names ${id}, which is not in the module.`);
    for (const alias of list) {
      if (moduleIdentifierProblem(alias) !== undefined) throw new Error(`${JSON.stringify(alias)} cannot be a deprecated alias in ${section}.`);
    }
    names.push(...list);
  }
  checkUnique(`identifier in ${section}`, names);
}

/** An object-literal key that always makes an own property. */
function objectKey(key: string): string {
  // `__proto__: v` sets the prototype even when quoted; only a computed key defines a property of that name.
  return key === '__proto__' ? `[${stringLiteral(key)}]` : propertyKey(key);
}

/** `"Equipment Purchase" · DYNAMIC_177 · Tb1` — codes bare when they are plain identifiers, escaped otherwise. */
function memberDoc(type: NamedOwnerType): string {
  const code = (value: string): string => (propertyKey(value) === value ? value : commentText(value));
  const parts = [commentText(type.name), code(type.symbolCode)];
  if (type.shortCode !== '') parts.push(code(type.shortCode));
  return parts.join(' · ');
}

/** The members of `EntityTypeId`: each owner type, then the deprecated aliases kept for it. */
function withAliasMembers(
  types: readonly NamedOwnerType[],
  aliases: ReadonlyMap<number, readonly string[]>,
): { doc: string; identifier: string; type: NamedOwnerType; alias: boolean }[] {
  return types.flatMap((type) => [
    { doc: memberDoc(type), identifier: type.identifier, type, alias: false },
    ...(aliases.get(type.id) ?? []).map((identifier) => ({ doc: deprecatedDoc(`EntityTypeId.${type.identifier}`), identifier, type, alias: true })),
  ]);
}

const ENTITY_TYPE_ID_DOC = "Entity type IDs of the portal's CRM owner types (`entityTypeId` in `crm.item.*`).";

/**
 * Written by a writer, not as enum-member structures: ts-morph's member printer looks back over what it
 * has written for every member, about ten times the cost (measured: 300 ms against 35 ms for 5,000).
 */
function entityTypeIdEnum(types: readonly NamedOwnerType[], aliases: ReadonlyMap<number, readonly string[]>): Statement[] {
  const members = withAliasMembers(types, aliases);
  return [
    (writer) => {
      writer.blankLineIfLastNot();
      writer.writeLine(`/** ${ENTITY_TYPE_ID_DOC} */`);
      writer.write('export enum EntityTypeId {').newLine();
      writer.indent(() => {
        members.forEach(({ doc, identifier, type, alias }, index) => {
          writer.writeLine(`/** ${doc} */`);
          // An alias refers to the live member (declared just before): the same value, said as such, and
          // no duplicate literal for typescript-eslint's recommended no-duplicate-enum-values.
          writer.write(`${identifier} = ${alias ? type.identifier : type.id}`);
          if (index < members.length - 1) writer.write(',');
          writer.newLine();
        });
      });
      writer.write('}').newLine();
    },
  ];
}

/**
 * The erasable form: an `as const` object, a type of the same name, and a type-only namespace so that
 * `EntityTypeId.Deal` also works as a type, as it does for an enum member. A declared namespace holding
 * only types emits nothing, so this passes `erasableSyntaxOnly` and Node's type stripping.
 */
function entityTypeIdConst(types: readonly NamedOwnerType[], aliases: ReadonlyMap<number, readonly string[]>): Statement[] {
  const members = withAliasMembers(types, aliases);
  const statements: Statement[] = [
    constStatement({
      doc: ENTITY_TYPE_ID_DOC,
      name: 'EntityTypeId',
      properties: members.map(({ doc, identifier, type }) => ({ doc, key: identifier, value: String(type.id) })),
      asConst: true,
    }),
    typeAlias("Any of the portal's entity type IDs.", 'EntityTypeId', '(typeof EntityTypeId)[keyof typeof EntityTypeId]'),
  ];
  if (types.length > 0) {
    // A writer for the same reason as the enum: one type alias per owner type.
    statements.push((writer) => {
      writer.blankLineIfLastNot();
      writer.writeLine('/** Each entity type ID as a type of its own, like the members of an enum. */');
      // typescript-eslint's recommended no-namespace flags even a declared, type-only namespace; this one is
      // the only erasable way to give `EntityTypeId.Deal` a type meaning, so the rule is disabled for it alone.
      writer.writeLine('// eslint-disable-next-line @typescript-eslint/no-namespace -- types only: erased at compile time');
      writer.write('export declare namespace EntityTypeId {').newLine();
      writer.indent(() => {
        for (const { doc, identifier, type } of members) {
          writer.writeLine(`/** ${doc} */`);
          writer.writeLine(`export type ${identifier} = typeof EntityTypeId.${type.identifier};`);
        }
      });
      writer.write('}').newLine();
    });
  }
  return statements;
}

function typeAlias(doc: string, name: string, type: string): TypeAliasDeclarationStructure {
  return { kind: StructureKind.TypeAlias, leadingTrivia: blankLine, docs: [doc], isExported: true, name, type };
}

// The exported `const`s are written as statements of their own: ts-morph prints a variable's multi-line
// initializer with hanging indentation (every line after the first one level too deep).
function constStatement(options: {
  doc: string;
  name: string;
  /** A one-line type annotation. */
  type?: string;
  /** The members of an object type written as the annotation, one per line (`{}` when there are none). */
  typeLines?: readonly string[];
  properties: readonly Property[];
  asConst?: boolean;
}): WriterFunction {
  return (writer) => {
    const typeLines = options.typeLines;
    if (typeLines === undefined) {
      writeConstHead(writer, options.doc, options.name, options.type);
    } else if (typeLines.length === 0) {
      writeConstHead(writer, options.doc, options.name, '{}');
    } else {
      writeConstHead(writer, options.doc, options.name, '{');
      writer.indent(() => typeLines.forEach((line) => writer.writeLine(line)));
      writer.write('} = ');
    }
    if (options.properties.length === 0) {
      writer.write('{}');
    } else {
      writer.write('{').newLine();
      writer.indent(() => {
        options.properties.forEach((property, index) => {
          if (property.doc !== undefined) writer.writeLine(`/** ${property.doc} */`);
          writer.write(`${property.key}: ${property.value}`);
          if (index < options.properties.length - 1) writer.write(',');
          writer.newLine();
        });
      });
      writer.write('}');
    }
    writer.write(options.asConst === true ? ' as const;' : ';').newLine();
  };
}

function constArrayStatement(options: { doc: string; name: string; type: string; elements: readonly string[] }): WriterFunction {
  return (writer) => {
    writeConstHead(writer, options.doc, options.name, options.type);
    if (options.elements.length === 0) {
      // Without strictNullChecks a bare `[]` is `undefined[]`, which `never[]` (no SPAs) does not accept.
      writer.write('[] as never[]');
    } else {
      writer.write('[').newLine();
      writer.indent(() => {
        options.elements.forEach((element, index) => {
          writer.write(element);
          if (index < options.elements.length - 1) writer.write(',');
          writer.newLine();
        });
      });
      writer.write(']');
    }
    writer.write(';').newLine();
  };
}

function writeConstHead(writer: CodeBlockWriter, doc: string, name: string, type: string | undefined): void {
  writer.blankLineIfLastNot();
  writer.writeLine(`/** ${doc} */`);
  const head = `export const ${name}`;
  // A type that opens a block ends the line; the caller writes its members and the `} = `.
  if (type?.endsWith('{') === true) writer.write(`${head}: ${type}`).newLine();
  else writer.write(`${head}${type === undefined ? '' : `: ${type}`} = `);
}

/** The exported functions of a template, with their JSDoc; its stand-in declarations are left behind. */
function templateFunctions(text: string): FunctionDeclarationStructure[] {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const file = project.createSourceFile('template.ts', text);
  const functions = file
    .getFunctions()
    .filter((declaration) => declaration.isExported())
    .map((declaration) => {
      const structure = declaration.getStructure();
      if (structure.kind !== StructureKind.Function) throw new Error('Template functions must have a body.');
      structure.leadingTrivia = blankLine;
      return structure;
    });
  if (functions.length === 0) throw new Error('The guards template exports no function.');
  return functions;
}
