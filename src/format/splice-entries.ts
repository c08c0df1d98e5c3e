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
  /**
   * The width of a text as Prettier counts it (East Asian wide characters and emoji take two columns,
   * combining marks none): Prettier's own `util.getStringWidth` when formatting, so no table of ours drifts
   * from it. Without it, code points are counted, which is exact for ASCII only.
   */
  readonly measure: (text: string) => number;
}

/** Code points: Prettier's width for ASCII, and for the text of most Latin, Greek and Cyrillic titles. */
const countCodePoints = (text: string): number => {
  let count = 0;
  for (const _char of text) count++;
  return count;
};

/** Prettier 3's defaults for what the resolved config leaves out. */
export function entryStyleOf(
  options: Record<string, unknown> | null | undefined,
  measure: (text: string) => number = countCodePoints,
): EntryStyle {
  const o = options ?? {};
  return {
    measure,
    printWidth: typeof o.printWidth === 'number' ? o.printWidth : 80,
    tabWidth: typeof o.tabWidth === 'number' ? o.tabWidth : 2,
    useTabs: o.useTabs === true,
    semi: o.semi !== false,
    singleQuote: o.singleQuote === true,
    trailingComma: o.trailingComma === 'none' || o.trailingComma === 'es5' ? o.trailingComma : 'all',
  };
}

/** Below this many owner types and lines Prettier formats the whole module: it takes well under a second. */
const SPLICE_THRESHOLD = { types: 150, lines: 3000 };

/** Whether formatting by sample may pay: many owner types, or many lines (pipelines and stages). */
export function isLargeModule(types: readonly NamedOwnerType[], rawFull: string): boolean {
  if (types.length >= SPLICE_THRESHOLD.types) return true;
  let lines = 0;
  for (let at = rawFull.indexOf('\n'); at !== -1 && lines < SPLICE_THRESHOLD.lines; at = rawFull.indexOf('\n', at + 1)) lines++;
  return lines >= SPLICE_THRESHOLD.lines && types.length >= 8;
}

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
  const indent = indentWidth(1, style);
  return linesOf(type)
    .map((line) => (style.measure(line) + indent + 2 >= style.printWidth ? '1' : '0'))
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
 * The owner types the sample must hold: every one with unusual keys or strings; two of each pattern of long
 * lines, so the rule for each is proven; the first and last two of each block's entries (all types, SPAs,
 * types with a short code, types with pipelines or stages…), so the sample shows the first, middle and last
 * entry of every block; and enough SPAs that `spaEntityTypeIds` does not fit on one line, as it does not in
 * the full module. `rawFull`, the module as rendered, shows the lines of the nested sections (pipelines and
 * stages) each owner type contributes.
 */
export function selectSample(types: readonly NamedOwnerType[], style: EntryStyle, rawFull?: string): NamedOwnerType[] {
  const chosen = new Set<NamedOwnerType>();
  const ends = (list: readonly NamedOwnerType[]) => [...list.slice(0, 2), ...list.slice(-2)].forEach((t) => chosen.add(t));
  const spas = types.filter((t) => t.isSpa);
  ends(types);
  ends(spas);
  ends(types.filter((t) => t.shortCode !== ''));
  const nested = rawFull === undefined ? undefined : linesByOwnerType(rawFull, types);
  for (const list of nested?.blocks ?? []) ends(list);
  const seenShapes = new Map<string, number>();
  for (const type of types) {
    const lines = nested?.lines.get(type) ?? [];
    if (!isOrdinary(type) || lines.some((line) => !isPlainLine(line.content))) chosen.add(type);
    const nestedShapes = lines
      .filter((line) => style.measure(line.content) + indentWidth(line.level, style) + 2 >= style.printWidth)
      .map((line) => `${line.block}:${line.level}:${shapeOf(line.content, line.level, style)}`);
    // Quotes in a name decide which quote Prettier picks: proven on two of each block they appear in.
    for (const line of lines) {
      if ((line.content.match(STRING) ?? []).some((literal) => /'|\\"/.test(literal))) nestedShapes.push(`${line.block}:quotes`);
    }
    const long = longShapes(type, style);
    const shape = `${long}|${[...new Set(nestedShapes)].sort().join(',')}`;
    if (long.includes('1') || nestedShapes.length > 0) {
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

/** One code line of a block, unindented, with its nesting level and the block's index in the module. */
interface AttributedLine {
  readonly block: number;
  readonly level: number;
  readonly content: string;
}

/**
 * Every code line of every block, attributed to the owner type whose entry holds it: an entry at the first
 * level is keyed by the owner type's identifier (`Deal: {`, in `Category` and `Stage`) or by its entity
 * type ID (`2: {`, `readonly 2: …;`, in `categoryNames` and the like), and the lines nested below it are
 * its own. Also, per block, the owner types in the order their entries appear. Blocks without nesting or
 * generic members are left out.
 */
function linesByOwnerType(
  rawFull: string,
  types: readonly NamedOwnerType[],
): { lines: Map<NamedOwnerType, AttributedLine[]>; blocks: NamedOwnerType[][] } {
  const lines = rawFull.split('\n');
  const byKey = new Map<string, NamedOwnerType>();
  for (const type of types) {
    byKey.set(String(type.id), type);
    byKey.set(type.identifier, type);
  }
  const attributed = new Map<NamedOwnerType, AttributedLine[]>();
  const blocks: NamedOwnerType[][] = [];
  (blocksOf(lines) ?? []).forEach((block, index) => {
    // The flat blocks of owner types are linesOf's business; only nested sections (and members typed by a
    // generic, which break in their own way) are read here, which keeps a 5,000-SPA module cheap.
    const body = lines.slice(block.open + 1, block.close);
    if (!body.some((line) => line.startsWith('    ') || /^ {2}readonly \S+: [A-Za-z_$][\w$.]*</.test(line))) return;
    const order: NamedOwnerType[] = [];
    let current: NamedOwnerType | undefined;
    for (let i = block.open + 1; i < block.close; i++) {
      const line = lines[i] ?? '';
      const content = line.trimStart();
      if (/^(?:\/\*|\*|\/\/)/.test(content)) continue;
      const level = (line.length - content.length) / 2;
      if (level <= 1) {
        const key = /^(?:readonly )?(?:"([^"\\]*)"|([A-Za-z0-9_$]+))\??:/.exec(content);
        current = byKey.get(key?.[1] ?? key?.[2] ?? '');
        if (current !== undefined && order.at(-1) !== current) order.push(current);
      }
      if (current === undefined) continue;
      let list = attributed.get(current);
      if (list === undefined) attributed.set(current, (list = []));
      list.push({ block: index, level, content });
    }
    if (order.length > 0) blocks.push(order);
  });
  return { lines: attributed, blocks };
}

/**
 * No string of the line holds an escape other than of a quote (which the quote rule re-escapes, proven on
 * the sample's quoted names), and no object or array is empty.
 */
function isPlainLine(content: string): boolean {
  if (/[{[][}\]]/.test(content)) return false;
  const strings = content.match(STRING) ?? [];
  return strings.every((literal) => !/\\[^"]/.test(literal.slice(1, -1)) && !literal.includes('`'));
}

/**
 * What decides how a long line breaks: its kind, and for a member of an object type, the pattern of the
 * lines the rules break it into (names and literals blanked, a union's lines counted as one).
 */
function shapeOf(content: string, level: number, style: EntryStyle): string {
  if (content.startsWith('readonly ')) {
    const member = GENERIC_MEMBER.exec(content);
    const lines = member === null ? undefined : breakType(member[1] ?? '', member[2] ?? '', member[3] ?? '', indentOf(level, style), fitsIn(style), stepOf(style));
    if (lines === undefined) return 'member';
    const pattern = lines.map((line) => line.trim().replace(/"(?:[^"\\]|\\.)*"|[\w$.]+/g, 'x'));
    return `member:${pattern.filter((line, i) => !(line.startsWith('|') && pattern[i - 1]?.startsWith('|'))).join('/')}`;
  }
  if (/[{[]$/.test(content)) return 'open';
  const value = /^\S+: (.)/.exec(content)?.[1];
  return value === undefined ? 'other' : value === '"' ? 'string' : /\d/.test(value) ? 'number' : 'expression';
}

/** At least how wide `level` levels of indentation are, for choosing the sample (never less than 2 a level). */
function indentWidth(level: number, style: EntryStyle): number {
  return level * (style.useTabs ? style.tabWidth : Math.max(style.tabWidth, 2));
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

/** A property with a value that may move to the next line: a string, a number or a member access. */
const PROPERTY = /^("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s:'"]+):( (?:["'\d]|EntityTypeId\.).*)$/;

/** A member of an object type whose type is a generic: `readonly 2: Readonly<Record<0 | 3, string>>;`. */
const GENERIC_MEMBER = /^(readonly \S+: )([A-Za-z_$][\w$.]*<.*>)(;?)$/;

/** `Name<A, B>` → its name and its type arguments, split at the commas outside angle brackets and strings. */
function splitGeneric(type: string): { name: string; args: string[] } | undefined {
  const match = /^([A-Za-z_$][\w$.]*)<(.*)>$/.exec(type);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const args = splitTop(match[2], ',');
  return args === undefined ? undefined : { name: match[1], args: args.map((arg) => arg.trim()) };
}

/** `text` split at `separator` where it stands outside angle brackets and string literals. */
function splitTop(text: string, separator: ',' | '|'): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"' || char === "'") {
      const end = /^(["'])(?:(?!\1)[^\\]|\\.)*\1/.exec(text.slice(i));
      if (end === null) return undefined;
      i += end[0].length - 1;
    } else if (char === '<') depth++;
    else if (char === '>') depth--;
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return undefined;
  }
  parts.push(text.slice(start));
  return depth === 0 ? parts : undefined;
}

/**
 * A type too long for its line, broken as Prettier breaks type arguments: `Name<` alone, each argument on
 * a line of its own one level deeper (commas between, none after the last), then `>`. An argument still too
 * long breaks the same way if it is a generic of more than a lone literal; a union breaks before each `|`.
 * `undefined` for anything else, which these rules do not know.
 */
function breakType(head: string, type: string, tail: string, indent: string, fits: Fits, step: string): string[] | undefined {
  if (fits(indent, head + type + tail)) return [indent + head + type + tail];
  const generic = splitGeneric(type);
  if (generic === undefined || generic.args.length === 0) return undefined;
  const inner = indent + step;
  const out = [`${indent}${head}${generic.name}<`];
  for (const [index, arg] of generic.args.entries()) {
    const comma = index < generic.args.length - 1 ? ',' : '';
    if (fits(inner, arg + comma)) {
      out.push(inner + arg + comma);
      continue;
    }
    const members = splitTop(arg, '|')?.map((member) => member.trim());
    if (members !== undefined && members.length > 1) {
      const lines = members.map((member, i) => `| ${member}${i === members.length - 1 ? comma : ''}`);
      if (!lines.every((line) => fits(inner, line))) return undefined;
      out.push(...lines.map((line) => inner + line));
      continue;
    }
    const nested = splitGeneric(arg);
    if (nested === undefined || (nested.args.length === 1 && /^["'\d]/.test(nested.args[0] ?? ''))) return undefined;
    const lines = breakType('', arg, comma, inner, fits, step);
    if (lines === undefined) return undefined;
    out.push(...lines);
  }
  out.push(`${indent}>${tail}`);
  return out;
}

type Fits = (indent: string, text: string) => boolean;

/**
 * The entry lines of one block, as ts-morph printed them, in the given style; `undefined` when a line is
 * of a kind these rules do not know how Prettier breaks.
 */
function formatBody(lines: readonly string[], kind: Block['kind'], style: EntryStyle): string[] | undefined {
  const isCode = (line: string) => !/^\s*(?:\/\*\*|\/\/)/.test(line);
  const out: string[] = [];
  const step = stepOf(style);
  const fits = fitsIn(style);
  for (const [index, line] of lines.entries()) {
    const spaces = line.length - line.trimStart().length;
    if (spaces % 2 !== 0 || line.slice(0, spaces).trim() !== '') return undefined;
    const level = spaces / 2;
    const indent = indentOf(level, style);
    let content = line.slice(spaces);
    if (!isCode(content)) {
      out.push(indent + content);
      continue;
    }
    content = content.replace(STRING, (literal) => requote(literal, style.singleQuote));
    if (kind === 'statements') {
      if (!style.semi) content = content.replace(/;$/, '');
      if (fits(indent, content)) {
        out.push(indent + content);
        continue;
      }
      // A type alias too long for the line breaks after its `=`, the rest one level deeper.
      const alias = /^(export type \S+ =) (.*)$/.exec(content);
      if (alias?.[1] !== undefined && alias[2] !== undefined) {
        out.push(indent + alias[1], indent + step + alias[2]);
        continue;
      }
      // A member whose generic type is too long breaks inside its angle brackets.
      const member = GENERIC_MEMBER.exec(content);
      const broken = member === null ? undefined : breakType(member[1] ?? '', member[2] ?? '', member[3] ?? '', indent, fits, step);
      if (broken !== undefined) {
        out.push(...broken);
        continue;
      }
      // A member typed by a plain reference or literal has nowhere to break: Prettier leaves it long.
      if (/^readonly \S+: (?:[\w$.]+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*');?$/.test(content)) {
        out.push(indent + content);
        continue;
      }
      return undefined;
    }
    // The last entry of each object or array (the next code line closes it) gets the trailing comma.
    let next = index + 1;
    while (next < lines.length && !isCode(lines[next] ?? '')) next++;
    const closesNext = next >= lines.length || /^\s*[}\]]/.test(lines[next] ?? '');
    if (closesNext && style.trailingComma !== 'none' && !/[{[,]$/.test(content)) content += ',';
    // Openers, enum members and array elements have nowhere to break.
    if (fits(indent, content) || /[{[]$/.test(content) || /^\S+ = \S+$/.test(content) || /^[\w$.]+,?$/.test(content)) {
      out.push(indent + content);
      continue;
    }
    // A property too long for the line breaks after its colon, the value one level deeper (even if it is
    // still too long there) — unless its key is narrower than an indent plus 3, where Prettier never breaks.
    const property = PROPERTY.exec(content);
    if (property?.[1] === undefined || property[2] === undefined) return undefined;
    if (style.measure(property[1]) < style.tabWidth + 3) {
      out.push(indent + content);
      continue;
    }
    out.push(`${indent + property[1]}:`, indent + step + property[2].slice(1));
  }
  return out;
}

/** One level of indentation in the given style. */
function stepOf(style: EntryStyle): string {
  return style.useTabs ? '\t' : ' '.repeat(style.tabWidth);
}

/** The indentation of a line `level` levels deep. */
function indentOf(level: number, style: EntryStyle): string {
  return stepOf(style).repeat(level);
}

/** Whether a text fits the print width after an indentation, as Prettier measures both. */
function fitsIn(style: EntryStyle): Fits {
  return (indent, text) => width(indent, style) + style.measure(text) <= style.printWidth;
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
