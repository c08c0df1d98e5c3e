import { Node, Project, type Expression, type PropertyName, type SourceFile } from 'ts-morph';
import type { NamedOwnerType } from '../model/owner-types.js';

/** One owner type as recorded in a generated module: everything the generator knew of it. */
export type GeneratedModuleEntry = NamedOwnerType;

/**
 * The owner types recorded in a module written by gen-ownertypes, sorted by ID, for the `--check` drift
 * report; `undefined` when the text is not such a module. Reads the syntax only, so either enum style works,
 * reformatted by Prettier or not (other quotes, widths, CRLF).
 */
export function readGeneratedModule(text: string): GeneratedModuleEntry[] | undefined {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const file = project.createSourceFile('generated.ts', text);
  const members = readEntityTypeIdMembers(file);
  if (members === undefined) return undefined;
  const idByIdentifier = new Map(members);
  const symbolCodes = readStringsById(file, 'symbolCodeByEntityTypeId', idByIdentifier);
  const names = readStringsById(file, 'entityTypeNames', idByIdentifier);
  const shortCodes = file.getVariableDeclaration('shortCodeByEntityTypeId')
    ? readStringsById(file, 'shortCodeByEntityTypeId', idByIdentifier)
    : new Map<number, string>();
  if (symbolCodes === undefined || names === undefined || shortCodes === undefined) return undefined;
  const spaIds = readSpaIds(file, idByIdentifier);

  const entries: GeneratedModuleEntry[] = [];
  for (const [identifier, id] of members) {
    const symbolCode = symbolCodes.get(id);
    const name = names.get(id);
    if (symbolCode === undefined || name === undefined) return undefined;
    entries.push({
      identifier,
      id,
      symbolCode,
      shortCode: shortCodes.get(id) ?? '',
      name,
      isSpa: spaIds?.has(id) ?? /^DYNAMIC_\d+$/.test(symbolCode),
    });
  }
  return entries.sort((a, b) => a.id - b.id);
}

/** `[identifier, id]` for each member of the `EntityTypeId` enum or `as const` object. */
function readEntityTypeIdMembers(file: SourceFile): Array<[string, number]> | undefined {
  const pairs: Array<[string, number]> = [];
  const enumDeclaration = file.getEnum('EntityTypeId');
  if (enumDeclaration !== undefined) {
    for (const member of enumDeclaration.getMembers()) {
      const name = propertyNameText(member.getNameNode());
      const id = numberValue(member.getInitializer());
      if (name === undefined || id === undefined) return undefined;
      pairs.push([name, id]);
    }
  } else {
    const object = objectLiteral(file, 'EntityTypeId');
    if (object === undefined) return undefined;
    for (const property of object.getProperties()) {
      if (!Node.isPropertyAssignment(property)) return undefined;
      const name = propertyNameText(property.getNameNode());
      const id = numberValue(property.getInitializer());
      if (name === undefined || id === undefined) return undefined;
      pairs.push([name, id]);
    }
  }
  const identifiers = new Set(pairs.map(([identifier]) => identifier));
  const ids = new Set(pairs.map(([, id]) => id));
  return identifiers.size === pairs.length && ids.size === pairs.length ? pairs : undefined;
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

/** The IDs listed in `Spa`; `undefined` when it is missing or unreadable (then the symbol codes decide). */
function readSpaIds(file: SourceFile, idByIdentifier: ReadonlyMap<string, number>): Set<number> | undefined {
  const object = objectLiteral(file, 'Spa');
  if (object === undefined) return undefined;
  const ids = new Set<number>();
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) return undefined;
    const id = idValue(property.getInitializer(), idByIdentifier);
    if (id === undefined) return undefined;
    ids.add(id);
  }
  return ids;
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

/** One member of `Category` or `Stage` as recorded in a module (see output/drift-report.ts). */
export interface GeneratedPipelineEntry {
  readonly kind: 'pipeline' | 'stage';
  readonly ownerType: string;
  readonly pipeline?: string | undefined;
  readonly identifier: string;
  readonly value: string;
}

/**
 * The members of `Category` and `Stage` in a module written by gen-ownertypes, for the `--check` drift
 * report; `[]` for a module of owner types only, `undefined` when they cannot be read.
 */
export function readGeneratedPipelines(text: string): GeneratedPipelineEntry[] | undefined {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const file = project.createSourceFile('generated.ts', text);
  const category = objectLiteral(file, 'Category');
  const stage = objectLiteral(file, 'Stage');
  if (category === undefined && stage === undefined) return [];
  if (category === undefined || stage === undefined) return undefined;
  const entries: GeneratedPipelineEntry[] = [];
  const members = (object: Node) =>
    Node.isObjectLiteralExpression(object)
      ? object.getProperties().map((property) =>
          Node.isPropertyAssignment(property) ? ([propertyNameText(property.getNameNode()), property.getInitializer()] as const) : undefined,
        )
      : undefined;
  for (const member of members(category) ?? []) {
    if (member === undefined || member[0] === undefined || member[1] === undefined) return undefined;
    const [ownerType, pipelines] = member;
    for (const pipeline of members(pipelines) ?? [undefined]) {
      const id = pipeline === undefined ? undefined : numberValue(pipeline[1]);
      if (pipeline === undefined || pipeline[0] === undefined || id === undefined) return undefined;
      entries.push({ kind: 'pipeline', ownerType, identifier: pipeline[0], value: String(id) });
    }
  }
  const stringValue = (node: Node | undefined) =>
    Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) ? node.getLiteralValue() : undefined;
  for (const member of members(stage) ?? []) {
    if (member === undefined || member[0] === undefined || member[1] === undefined) return undefined;
    const [ownerType, inner] = member;
    for (const entry of members(inner) ?? [undefined]) {
      if (entry === undefined || entry[0] === undefined || entry[1] === undefined) return undefined;
      const direct = stringValue(entry[1]);
      if (direct !== undefined) {
        entries.push({ kind: 'stage', ownerType, identifier: entry[0], value: direct });
        continue;
      }
      for (const stageMember of members(entry[1]) ?? [undefined]) {
        const value = stageMember === undefined ? undefined : stringValue(stageMember[1]);
        if (stageMember === undefined || stageMember[0] === undefined || value === undefined) return undefined;
        entries.push({ kind: 'stage', ownerType, pipeline: entry[0], identifier: stageMember[0], value });
      }
    }
  }
  return entries;
}
