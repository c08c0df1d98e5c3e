import { printStructure, StructureKind, type SourceFileStructure } from 'ts-morph';

/**
 * Prints the module structure once: `\n` line ends, 2-space indent, one trailing newline. printStructure
 * writes the text straight from the structure; creating a source file would parse it all back (about half
 * a second at 5,000 SPAs) only to hand the same text out again.
 */
export function printModule(structure: SourceFileStructure): string {
  const text = printStructure({ ...structure, kind: StructureKind.SourceFile }, { indentNumberOfSpaces: 2, newLine: '\n' });
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end--;
  return `${text.slice(0, end)}\n`;
}
