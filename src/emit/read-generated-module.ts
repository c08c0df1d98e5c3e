import { Node, Project, type Expression, type PropertyName, type SourceFile } from 'ts-morph';
import type { NamedOwnerType } from '../model/owner-types.js';
import type { ModuleSection, PreviousIdentifiers, OwnerKey } from '../naming/keep-renamed.js';

/** One owner type as recorded in a generated module: everything the generator knew of it. */
export type GeneratedModuleEntry = NamedOwnerType;

/**
 * The owner types recorded in a module written by gen-ownertypes, sorted by ID, for the `--check` drift
 * report; `undefined` when the text is not such a module. Reads the syntax only, so either enum style works,
 * reformatted by Prettier or not (other quotes, widths, CRLF). Deprecated aliases (`@deprecated` members
 * kept for renames) are not owner types of their own and are left out.
 */
export function readGeneratedModule(text: string): GeneratedModuleEntry[] | undefined {
  return ownerTypesOf(parse(text));
}

function parse(text: string): SourceFile {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  return project.createSourceFile('generated.ts', text);
}

function ownerTypesOf(file: SourceFile): GeneratedModuleEntry[] | undefined {
  const members = readEntityTypeIdMembers(file);
  if (members === undefined) return undefined;
  const idByIdentifier = new Map(members.map(({ identifier, id }) => [identifier, id]));
  const symbolCodes = readStringsById(file, 'symbolCodeByEntityTypeId', idByIdentifier);
  const names = readStringsById(file, 'entityTypeNames', idByIdentifier);
  const shortCodes = file.getVariableDeclaration('shortCodeByEntityTypeId')
    ? readStringsById(file, 'shortCodeByEntityTypeId', idByIdentifier)
    : new Map<number, string>();
  if (symbolCodes === undefined || names === undefined || shortCodes === undefined) return undefined;
  const spaIds = readSpaMembers(file, idByIdentifier)?.map(({ id }) => id);

  const entries: GeneratedModuleEntry[] = [];
  for (const { identifier, id, deprecated } of members) {
    if (deprecated) continue;
    const symbolCode = symbolCodes.get(id);
    const name = names.get(id);
    if (symbolCode === undefined || name === undefined) return undefined;
    entries.push({
      identifier,
      id,
      symbolCode,
      shortCode: shortCodes.get(id) ?? '',
      name,
      isSpa: spaIds?.includes(id) ?? /^DYNAMIC_\d+$/.test(symbolCode),
    });
  }
  return entries.sort((a, b) => a.id - b.id);
}

interface ReadMember extends OwnerKey {
  /** Marked `@deprecated`: an alias kept for a rename, beside the live member of the same ID. */
  readonly deprecated: boolean;
}

/**
 * Whether a member carries our `@deprecated` tag. Portal text in doc comments has its `@` escaped
 * (literals.ts), so a tag is never a title's doing.
 */
function isDeprecated(node: Node): boolean {
  return node.getLeadingCommentRanges().some((range) => /(?<![\\\w])@deprecated\b/.test(range.getText()));
}

/**
 * Each member of the `EntityTypeId` enum or `as const` object. Identifiers are unique; an ID is live under
 * one identifier only, whatever deprecated aliases it has.
 */
function readEntityTypeIdMembers(file: SourceFile): ReadMember[] | undefined {
  const members: ReadMember[] = [];
  const enumDeclaration = file.getEnum('EntityTypeId');
  if (enumDeclaration !== undefined) {
    for (const member of enumDeclaration.getMembers()) {
      const identifier = propertyNameText(member.getNameNode());
      // A deprecated alias refers to the live member declared before it: `Purchase = Procurement`.
      const initializer = member.getInitializer();
      const id = Node.isIdentifier(initializer)
        ? members.find((earlier) => earlier.identifier === initializer.getText())?.id
        : numberValue(initializer);
      if (identifier === undefined || id === undefined) return undefined;
      members.push({ identifier, id, deprecated: isDeprecated(member) });
    }
  } else {
    const object = objectLiteral(file, 'EntityTypeId');
    if (object === undefined) return undefined;
    for (const property of object.getProperties()) {
      if (!Node.isPropertyAssignment(property)) return undefined;
      const identifier = propertyNameText(property.getNameNode());
      const id = numberValue(property.getInitializer());
      if (identifier === undefined || id === undefined) return undefined;
      members.push({ identifier, id, deprecated: isDeprecated(property) });
    }
  }
  const live = members.filter((member) => !member.deprecated);
  const identifiers = new Set(members.map(({ identifier }) => identifier));
  const ids = new Set(live.map(({ id }) => id));
  return identifiers.size === members.length && ids.size === live.length ? members : undefined;
}

/** An ID-keyed map of string literals (`{ 1: "LEAD" }`, `{ "1": 'LEAD' }`, `{ [EntityTypeId.Lead]: … }`). */
function readStringsById(
  file: SourceFile,
  variable: string,
  idByIdentifier: ReadonlyMap<string, number>,
): Map<number, string> | undefined {
  const object = objectLiteral(file, variable);
  if (object === undefined) return undefined;
  const values = new Map<number, string>();
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) return undefined;
    const id = idKey(property.getNameNode(), idByIdentifier);
    const initializer = property.getInitializer();
    if (id === undefined || !Node.isStringLiteral(initializer) && !Node.isNoSubstitutionTemplateLiteral(initializer)) {
      return undefined;
    }
    if (values.has(id)) return undefined;
    values.set(id, initializer.getLiteralValue());
  }
  return values;
}

/** The members of `Spa`, deprecated ones too; `undefined` when it is missing or unreadable (then the symbol codes decide). */
function readSpaMembers(file: SourceFile, idByIdentifier: ReadonlyMap<string, number>): ReadMember[] | undefined {
  const object = objectLiteral(file, 'Spa');
  if (object === undefined) return undefined;
  const members: ReadMember[] = [];
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) return undefined;
    const identifier = propertyNameText(property.getNameNode());
    const id = idValue(property.getInitializer(), idByIdentifier);
    if (identifier === undefined || id === undefined) return undefined;
    members.push({ identifier, id, deprecated: isDeprecated(property) });
  }
  return members;
}

function objectLiteral(file: SourceFile, variable: string) {
  let expression: Node | undefined = file.getVariableDeclaration(variable)?.getInitializer();
  while (
    Node.isAsExpression(expression) ||
    Node.isSatisfiesExpression(expression) ||
    Node.isParenthesizedExpression(expression) ||
    Node.isTypeAssertion(expression)
  ) {
    expression = expression.getExpression();
  }
  return Node.isObjectLiteralExpression(expression) ? expression : undefined;
}

function propertyNameText(name: PropertyName): string | undefined {
  if (Node.isIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
  if (Node.isComputedPropertyName(name)) {
    const expression = name.getExpression();
    if (Node.isStringLiteral(expression) || Node.isNoSubstitutionTemplateLiteral(expression)) {
      return expression.getLiteralValue();
    }
  }
  return undefined;
}

function idKey(name: PropertyName, idByIdentifier: ReadonlyMap<string, number>): number | undefined {
  if (Node.isComputedPropertyName(name)) return idValue(name.getExpression(), idByIdentifier);
  if (Node.isNumericLiteral(name)) return numberValue(name);
  if (Node.isStringLiteral(name) && /^(?:0|[1-9]\d*)$/.test(name.getLiteralValue())) {
    return Number(name.getLiteralValue());
  }
  return undefined;
}

/** A numeric literal, or `EntityTypeId.Member`. */
function idValue(expression: Expression | undefined, idByIdentifier: ReadonlyMap<string, number>): number | undefined {
  if (Node.isPropertyAccessExpression(expression)) {
    const target = expression.getExpression();
    return Node.isIdentifier(target) && target.getText() === 'EntityTypeId'
      ? idByIdentifier.get(expression.getName())
      : undefined;
  }
  return numberValue(expression);
}

function numberValue(expression: Node | undefined): number | undefined {
  if (!Node.isNumericLiteral(expression)) return undefined;
  const value = expression.getLiteralValue();
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** An identifier that the existing module gave one ID and the new one gives another. */
export interface MovedIdentifier {
  readonly identifier: string;
  readonly previousId: number;
  readonly id: number;
  /** The owner type the identifier now names. */
  readonly type: NamedOwnerType;
}

/**
 * Identifiers present in both modules that point to another ID now (two SPAs swapped titles, an SPA was
 * re-created): code using them still compiles but means another owner type. Sorted by identifier.
 */
export function movedIdentifiers(
  previous: readonly GeneratedModuleEntry[],
  current: readonly NamedOwnerType[],
): MovedIdentifier[] {
  const previousIds = new Map(previous.map((entry) => [entry.identifier, entry.id]));
  const moved: MovedIdentifier[] = [];
  for (const type of current) {
    const previousId = previousIds.get(type.identifier);
    if (previousId !== undefined && previousId !== type.id) {
      moved.push({ identifier: type.identifier, previousId, id: type.id, type });
    }
  }
  return moved.sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
}

/** A `Category` or `Stage` member that the existing module gave one value and the new one gives another. */
export interface MovedPipelineIdentifier {
  /** `Category.Deal.Wholesale`, `Stage.Deal.Default.Signed`. */
  readonly path: string;
  readonly kind: 'pipeline' | 'stage';
  /** The category ID as text, or the stage ID. */
  readonly previousValue: string;
  readonly value: string;
}

function placeOf(entry: GeneratedPipelineEntry): string {
  const scope = entry.pipeline === undefined ? entry.ownerType : `${entry.ownerType}.${entry.pipeline}`;
  return `${entry.kind === 'pipeline' ? 'Category' : 'Stage'}.${scope}.${entry.identifier}`;
}

/**
 * Pipeline and stage identifiers present in both modules (live) that point to another value now: a
 * pipeline re-created, two stages that swapped names. A stage of a moved pipeline is left out: its
 * pipeline's line says it. Sorted by path.
 */
export function movedPipelineIdentifiers(
  previous: readonly GeneratedPipelineEntry[],
  current: readonly GeneratedPipelineEntry[],
): MovedPipelineIdentifier[] {
  const before = new Map(previous.filter((entry) => entry.deprecated !== true).map((entry) => [placeOf(entry), entry]));
  const moved: MovedPipelineIdentifier[] = [];
  const movedPipelines = new Set<string>();
  for (const entry of current) {
    const was = entry.deprecated === true ? undefined : before.get(placeOf(entry));
    if (was === undefined || was.value === entry.value) continue;
    if (entry.kind === 'pipeline') movedPipelines.add(`${entry.ownerType}.${entry.identifier}`);
    moved.push({ path: placeOf(entry), kind: entry.kind, previousValue: was.value, value: entry.value });
  }
  return moved
    .filter((item) => item.kind === 'pipeline' || !movedPipelines.has(item.path.split('.').slice(1, 3).join('.')))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One member of `Category` or `Stage` as recorded in a module (see output/drift-report.ts). */
export interface GeneratedPipelineEntry {
  readonly kind: 'pipeline' | 'stage';
  readonly ownerType: string;
  readonly pipeline?: string | undefined;
  readonly identifier: string;
  readonly value: string;
  /** Reached through a deprecated alias: the entry's own key, its pipeline's or its owner type's. */
  readonly deprecated?: boolean;
}

type SectionEntries = GeneratedPipelineEntry[] | 'absent' | undefined;

interface Member {
  readonly key: string;
  readonly value: Node;
  readonly deprecated: boolean;
}

/** The members of an object literal; `undefined` when one is not a plain `key: value`. */
function membersOf(object: Node | undefined): Member[] | undefined {
  if (!Node.isObjectLiteralExpression(object)) return undefined;
  const members: Member[] = [];
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) return undefined;
    const key = propertyNameText(property.getNameNode());
    const value = property.getInitializer();
    if (key === undefined || value === undefined) return undefined;
    members.push({ key, value, deprecated: isDeprecated(property) });
  }
  return members;
}

function stringValue(node: Node | undefined): string | undefined {
  return Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) ? node.getLiteralValue() : undefined;
}

/** `Category` and `Stage`, each read on its own, so that one unreadable section leaves the other. */
function pipelineSectionsOf(file: SourceFile): { category: SectionEntries; stage: SectionEntries } {
  return { category: readCategory(objectLiteral(file, 'Category')), stage: readStage(objectLiteral(file, 'Stage')) };
}

function readCategory(object: Node | undefined): SectionEntries {
  if (object === undefined) return 'absent';
  const entries: GeneratedPipelineEntry[] = [];
  for (const owner of membersOf(object) ?? [undefined]) {
    if (owner === undefined) return undefined;
    for (const pipeline of membersOf(owner.value) ?? [undefined]) {
      const id = pipeline === undefined ? undefined : numberValue(pipeline.value);
      if (pipeline === undefined || id === undefined) return undefined;
      const deprecated = owner.deprecated || pipeline.deprecated;
      entries.push({ kind: 'pipeline', ownerType: owner.key, identifier: pipeline.key, value: String(id), ...(deprecated && { deprecated }) });
    }
  }
  return entries;
}

function readStage(object: Node | undefined): SectionEntries {
  if (object === undefined) return 'absent';
  const entries: GeneratedPipelineEntry[] = [];
  for (const owner of membersOf(object) ?? [undefined]) {
    if (owner === undefined) return undefined;
    for (const inner of membersOf(owner.value) ?? [undefined]) {
      if (inner === undefined) return undefined;
      const direct = stringValue(inner.value);
      if (direct !== undefined) {
        const deprecated = owner.deprecated || inner.deprecated;
        entries.push({ kind: 'stage', ownerType: owner.key, identifier: inner.key, value: direct, ...(deprecated && { deprecated }) });
        continue;
      }
      for (const stage of membersOf(inner.value) ?? [undefined]) {
        const value = stageValue(stage);
        if (stage === undefined || value === undefined) return undefined;
        const deprecated = owner.deprecated || inner.deprecated || stage.deprecated;
        entries.push({ kind: 'stage', ownerType: owner.key, pipeline: inner.key, identifier: stage.key, value, ...(deprecated && { deprecated }) });
      }
    }
  }
  return entries;
}

function stageValue(member: Member | undefined): string | undefined {
  return member === undefined ? undefined : stringValue(member.value);
}

/** What one parse of the existing module gives a run: its owner types and pipelines (live), and every identifier it holds. */
export interface PreviousModule {
  /** As `readGeneratedModule` reads them; `undefined` when the module cannot be read back. */
  readonly ownerTypes: GeneratedModuleEntry[] | undefined;
  /** The members of `Category` and `Stage`, deprecated entries included (marked). */
  readonly pipelines: GeneratedPipelineEntry[] | undefined;
  /** Live and deprecated identifiers, for naming/keep-renamed.ts. */
  readonly identifiers: PreviousIdentifiers;
}

/**
 * Reads the existing module once for everything a run takes from it. A module written by an older version
 * or edited by hand is read as well as it can be: a section that cannot be read is listed in
 * `identifiers.unreadable`, and the others still count.
 */
export function readPreviousModule(text: string): PreviousModule {
  // A --check that finds the module stale reads it for the render and again for the report: one parse.
  if (lastRead?.text === text) return lastRead.module;
  const module = readPreviousModuleOnce(text);
  lastRead = { text, module };
  return module;
}

let lastRead: { readonly text: string; readonly module: PreviousModule } | undefined;

function readPreviousModuleOnce(text: string): PreviousModule {
  const file = parse(text);
  const ownerTypes = ownerTypesOf(file);
  const members = readEntityTypeIdMembers(file);
  const { category, stage } = pipelineSectionsOf(file);
  const pipelines =
    category === 'absent' && stage === 'absent'
      ? []
      : category === undefined || stage === undefined || category === 'absent' || stage === 'absent'
        ? undefined
        : [...category, ...stage];
  if (members === undefined) {
    const none: PreviousIdentifiers = { entityTypeId: [], spa: [], categoryOwners: [], pipelines: [], stageOwners: [], stages: [], unreadable: ['EntityTypeId'] };
    return { ownerTypes, pipelines, identifiers: none };
  }
  const idByIdentifier = new Map(members.map(({ identifier, id }) => [identifier, id]));
  const unreadable = new Set<ModuleSection>();
  const spa = objectLiteral(file, 'Spa') === undefined ? [] : readSpaMembers(file, idByIdentifier);
  if (spa === undefined) unreadable.add('Spa');

  // Owner-type keys of Category and Stage are identifiers of EntityTypeId (live or deprecated); a key that
  // is not makes its section unreadable, as the owner type it meant cannot be known.
  const owners = (section: 'Category' | 'Stage', entries: SectionEntries): { owners: OwnerKey[]; entries: (GeneratedPipelineEntry & { id: number })[] } => {
    if (entries === 'absent') return { owners: [], entries: [] };
    const resolved = entries?.map((entry) => ({ ...entry, id: idByIdentifier.get(entry.ownerType) ?? -1 }));
    if (resolved === undefined || resolved.some((entry) => entry.id === -1)) {
      unreadable.add(section);
      return { owners: [], entries: [] };
    }
    const keys = new Map(resolved.map((entry) => [entry.ownerType, entry.id]));
    return { owners: [...keys].map(([identifier, id]) => ({ identifier, id })), entries: resolved };
  };
  const categoryRead = owners('Category', category);
  const stageRead = owners('Stage', stage);
  return {
    ownerTypes,
    pipelines,
    identifiers: {
      entityTypeId: members.map(({ identifier, id }) => ({ identifier, id })),
      spa: (spa ?? []).map(({ identifier, id }) => ({ identifier, id })),
      categoryOwners: categoryRead.owners,
      pipelines: categoryRead.entries.map(({ id, identifier, value }) => ({ entityTypeId: id, identifier, categoryId: Number(value) })),
      stageOwners: stageRead.owners,
      stages: stageRead.entries.map(({ id, identifier, value }) => ({ entityTypeId: id, identifier, statusId: value })),
      unreadable: [...unreadable].sort(),
    },
  };
}
