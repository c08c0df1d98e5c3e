import { IndentationText, NewLineKind, Project, QuoteKind, type SourceFileStructure } from 'ts-morph';

/** Prints the module structure once, in memory: `\n` line ends, 2-space indent, one trailing newline. */
export function printModule(structure: SourceFileStructure): string {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Double,
      useTrailingCommas: false,
    },
  });
  const text = project.createSourceFile('ownertypes.ts', structure).getFullText().replace(/\r\n?/g, '\n');
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end--;
  return `${text.slice(0, end)}\n`;
}
