import type { NamedOwnerType } from '../model/owner-types.js';
import { propertyKey, stringLiteral } from '../emit/literals.js';

/**
 * Formatting a large module without running Prettier over all of it.
 *
 * A module of thousands of SPAs is the same handful of blocks (the enum or object, the maps, the names…)
 * with one line per owner type in each, and Prettier spends seconds on those lines only to re-indent them
 * and change their quotes. So for a large portal Prettier formats a *sample* module — the same skeleton
 * with a few owner types, including every one whose lines are in any way unusual — and the lines of the
 * remaining owner types are formatted here by the same few rules. The rules are proven on every run: the
 * sample's own entry lines, formatted by those rules, must come out exactly as Prettier printed them, and
 * the skeleton must match line for line; otherwise (an unusual Prettier config, a plugin, a changed
 * Prettier) the caller formats the whole module with Prettier as usual. Pure: no I/O.
 */

/** The Prettier options that decide how an entry line is printed. */
export interface EntryStyle {
  readonly printWidth: number;
  readonly tabWidth: number;
  readonly useTabs: boolean;
  readonly semi: boolean;
  readonly singleQuote: boolean;
  readonly trailingComma: 'all' | 'es5' | 'none';
}

/** Prettier 3's defaults for what the resolved config leaves out. */
export function entryStyleOf(options: Record<string, unknown> | null | undefined): EntryStyle {
  const o = options ?? {};
  return {
    printWidth: typeof o.printWidth === 'number' ? o.printWidth : 80,
    tabWidth: typeof o.tabWidth === 'number' ? o.tabWidth : 2,
    useTabs: o.useTabs === true,
    semi: o.semi !== false,
    singleQuote: o.singleQuote === true,
    trailingComma: o.trailingComma === 'none' || o.trailingComma === 'es5' ? o.trailingComma : 'all',
  };
}

/** Below this many owner types Prettier formats the whole module: it takes well under a second. */
export const SPLICE_THRESHOLD = 150;

/** What an ordinary title looks like: no quote or backslash (nothing Prettier would re-escape). */
const PLAIN_TITLE = /^[^"'\\`]*$/;

/** The code lines an owner type contributes, unindented, in the module as ts-morph prints it. */
function linesOf(type: NamedOwnerType): string[] {
  const id = type.identifier;
  return [
    `export type ${id} = typeof EntityTypeId.${id};`,
    `${type.symbolCode}: EntityTypeId.${id},`,
    `${type.shortCode}: EntityTypeId.${id},`,
    `${type.id}: ${stringLiteral(type.name)},`,
    `${id}: EntityTypeId.${id},`,
    `readonly ${id}: EntityTypeId.${id};`,
    `readonly ${type.symbolCode}: EntityTypeId.${id};`,
    `readonly ${type.shortCode}: EntityTypeId.${id};`,
    `readonly ${type.id}: ${stringLiteral(type.shortCode)};`,
    `${id} = ${type.id},`,
  ];
}

/** Which of its lines could reach the print width: a pattern of flags, one per line shape. */
function longShapes(type: NamedOwnerType, style: EntryStyle): string {
  const indent = style.useTabs ? style.tabWidth : Math.max(style.tabWidth, 2);
  return linesOf(type)
    .map((line) => (line.length + indent + 2 >= style.printWidth ? '1' : '0'))
    .join('');
}

/** A key the module writes without quotes, which Prettier leaves as it is. */
const isBareKey = (key: string) => propertyKey(key) === key;

/** Keys and a title Prettier would print as they are, apart from indent and quotes. */
function isOrdinary(type: NamedOwnerType): boolean {
  return (
    isBareKey(type.symbolCode) &&
    (type.shortCode === '' || isBareKey(type.shortCode)) &&
    PLAIN_TITLE.test(stringLiteral(type.name).slice(1, -1))
  );
}

/**
 * The owner types the sample must hold: every one with unusual keys or title; two of each pattern of long
 * lines, so the rule for each is proven; the first and last two of each kind of block (all types, SPAs,
 * types with a short code), so the sample shows the first, middle and last entry of every block; and
 * enough SPAs that `spaEntityTypeIds` does not fit on one line, as it does not in the full module.
 */
export function selectSample(types: readonly NamedOwnerType[], style: EntryStyle): NamedOwnerType[] {
  const chosen = new Set<NamedOwnerType>();
  const ends = (list: readonly NamedOwnerType[]) => [...list.slice(0, 2), ...list.slice(-2)].forEach((t) => chosen.add(t));
  const spas = types.filter((t) => t.isSpa);
  ends(types);
  ends(spas);
  ends(types.filter((t) => t.shortCode !== ''));
  const seenShapes = new Map<string, number>();
  for (const type of types) {
    if (!isOrdinary(type)) chosen.add(type);
    const shape = longShapes(type, style);
    if (shape.includes('1')) {
      const seen = seenShapes.get(shape) ?? 0;
      if (seen < 2) chosen.add(type);
      seenShapes.set(shape, seen + 1);
    }
  }
  let arrayWidth = 0;
  for (const type of chosen) if (type.isSpa) arrayWidth += type.identifier.length + 15;
  for (const type of spas) {
    if (arrayWidth > style.printWidth * 2) break;
    if (!chosen.has(type)) {
      chosen.add(type);
      arrayWidth += type.identifier.length + 15;
    }
  }
  return types.filter((t) => chosen.has(t));
}

interface Block {
  /** Line index of the opening line (`export const X = {`, or `} = {` after a type annotation's block). */
  readonly open: number;
  /** Line index of the closing line (`} as const;`, `} = {`). */
  readonly close: number;
  /** `statements`: a namespace or an object type (lines end in `;`); `entries`: comma-separated members. */
  readonly kind: 'statements' | 'entries';
}

const BLOCK_OPEN = /^(?:export )?(?:const|enum|declare namespace) .*[{[]$/;

/** A block opener whose block holds values (`= {`, `= [`, an enum) rather than a namespace or an object type. */
const holdsEntries = (line: string) => /= [{[]$/.test(line) || line.startsWith('export enum ');

function blocksOf(lines: readonly string[]): Block[] | undefined {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    let open = lines[i] ?? '';
    if (!BLOCK_OPEN.test(open)) continue;
    // A type annotation's block closes on `} = {`, which opens the value's block.
    for (;;) {
      let close = i + 1;
      while (close < lines.length && !/^[}\]]/.test(lines[close] ?? '')) close++;
      if (close >= lines.length) return undefined;
      blocks.push({ open: i, close, kind: holdsEntries(open) ? 'entries' : 'statements' });
      i = close;
      open = lines[close] ?? '';
      if (!/[{[]$/.test(open)) break;
    }
  }
  return blocks;
}

/** A string literal as Prettier prints it: its preferred quote unless that needs more escapes, then re-escaped. */
function requote(literal: string, singleQuote: boolean): string {
  const content = literal.slice(1, -1);
  const preferred = singleQuote ? "'" : '"';
  const alternate = singleQuote ? '"' : "'";
  let preferredCount = 0;
  let alternateCount = 0;
  for (const char of content) {
    if (char === preferred) preferredCount++;
    else if (char === alternate) alternateCount++;
  }
  const quote = preferredCount > alternateCount ? alternate : preferred;
  const other = quote === '"' ? "'" : '"';
  const body = content.replace(/\\(.)|(["'])/gs, (_match, escaped: string | undefined, bare: string | undefined) => {
    if (escaped === other) return escaped;
    if (bare === quote) return `\\${bare}`;
    if (bare !== undefined) return bare;
    return `\\${escaped ?? ''}`;
  });
  return quote + body + quote;
}

const STRING = /"(?:[^"\\]|\\.)*"/g;

/** The entry lines of one block, as ts-morph printed them, in the given style. */
function formatBody(lines: readonly string[], kind: Block['kind'], style: EntryStyle): string[] | undefined {
  let lastCode = -1;
  lines.forEach((line, index) => {
    if (!/^\s*(?:\/\*\*|\/\/)/.test(line)) lastCode = index;
  });
  const out: string[] = [];
  for (const [index, line] of lines.entries()) {
    const spaces = line.length - line.trimStart().length;
    if (spaces % 2 !== 0 || line.slice(0, spaces).trim() !== '') return undefined;
    const level = spaces / 2;
    const indent = style.useTabs ? '\t'.repeat(level) : ' '.repeat(level * style.tabWidth);
    let content = line.slice(spaces);
    if (/^(?:\/\*\*|\/\/)/.test(content)) {
      out.push(indent + content);
      continue;
    }
    content = content.replace(STRING, (literal) => requote(literal, style.singleQuote));
    if (kind === 'statements') {
      if (!style.semi) content = content.replace(/;$/, '');
      // A type alias too long for the line breaks after its `=`, the rest one level deeper.
      const split = /^(export type \S+ =) (.*)$/.exec(content);
      if (split?.[1] !== undefined && split[2] !== undefined && width(indent, style) + content.length > style.printWidth) {
        out.push(indent + split[1], indent + (style.useTabs ? '\t' : ' '.repeat(style.tabWidth)) + split[2]);
        continue;
      }
    } else {
      if (index === lastCode && style.trailingComma !== 'none' && !content.endsWith(',')) content += ',';
      // A property whose value is a member access breaks after its colon when too long — unless its key is
      // shorter than an indent plus 3, where Prettier never breaks; a string value never breaks.
      const split = /^(\S+):( EntityTypeId\.\S+)$/.exec(content);
      if (
        split?.[1] !== undefined &&
        split[2] !== undefined &&
        split[1].length >= style.tabWidth + 3 &&
        width(indent, style) + content.length > style.printWidth
      ) {
        out.push(`${indent + split[1]}:`, indent + (style.useTabs ? '\t' : ' '.repeat(style.tabWidth)) + split[2].slice(1));
        continue;
      }
    }
    out.push(indent + content);
  }
  return out;
}

function width(indent: string, style: EntryStyle): number {
  return indent.startsWith('\t') ? indent.length * style.tabWidth : indent.length;
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, i) => line === b[i]);

/**
 * The full module in Prettier's style, from the sample (raw and as Prettier formatted it) and the full raw
 * module; `undefined` when the rules cannot be proven on this sample, and Prettier must format it all.
 */
export function spliceEntries(
  rawSample: string,
  formattedSample: string,
  rawFull: string,
  style: EntryStyle,
): string | undefined {
  const rs = rawSample.split('\n');
  const fs = formattedSample.split('\n');
  const rf = rawFull.split('\n');
  const rsBlocks = blocksOf(rs);
  const fsBlocks = blocksOf(fs);
  const rfBlocks = blocksOf(rf);
  if (rsBlocks === undefined || fsBlocks === undefined || rfBlocks === undefined) return undefined;
  if (rsBlocks.length === 0 || rsBlocks.length !== fsBlocks.length || rsBlocks.length !== rfBlocks.length) return undefined;

  // The skeleton (everything outside the blocks' bodies) of the sample and the full module must be the same.
  const skeleton = (lines: readonly string[], blocks: readonly Block[]) =>
    lines.filter((_line, i) => !blocks.some((b) => i > b.open && i < b.close));
  if (!same(skeleton(rs, rsBlocks), skeleton(rf, rfBlocks))) return undefined;

  const out: string[] = [];
  let from = 0;
  for (const [index, fsBlock] of fsBlocks.entries()) {
    const rsBlock = rsBlocks[index];
    const rfBlock = rfBlocks[index];
    if (rsBlock === undefined || rfBlock === undefined || rsBlock.kind !== fsBlock.kind) return undefined;
    const rsBody = rs.slice(rsBlock.open + 1, rsBlock.close);
    const rfBody = rf.slice(rfBlock.open + 1, rfBlock.close);
    if (same(rsBody, rfBody)) {
      // Not per owner type (a mapped type, or the same few entries): the same text, formatted as in the sample.
      out.push(...fs.slice(from, fsBlock.close));
      from = fsBlock.close;
      continue;
    }
    const proof = formatBody(rsBody, rsBlock.kind, style);
    if (proof === undefined || !same(proof, fs.slice(fsBlock.open + 1, fsBlock.close))) return undefined;
    const body = formatBody(rfBody, rfBlock.kind, style);
    if (body === undefined) return undefined;
    out.push(...fs.slice(from, fsBlock.open + 1), ...body);
    from = fsBlock.close;
  }
  out.push(...fs.slice(from));
  return out.join('\n');
}
