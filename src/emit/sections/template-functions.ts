import { Project, type WriterFunction } from 'ts-morph';

/**
 * The exported functions of a template, with their JSDoc, as written in the template; its stand-in
 * declarations are left behind. Copied as text: a function structure printed back loses the indentation of
 * nested blocks.
 */
export function templateFunctions(text: string, what: string): WriterFunction[] {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const file = project.createSourceFile('template.ts', text);
  const functions = file
    .getFunctions()
    .filter((declaration) => declaration.isExported())
    .map((declaration): WriterFunction => {
      if (!declaration.hasBody()) throw new Error('Template functions must have a body.');
      const source = declaration.getText(true);
      return (writer) => {
        writer.blankLineIfLastNot();
        writer.write(source).newLine();
      };
    });
  if (functions.length === 0) throw new Error(`The ${what} template exports no function.`);
  return functions;
}
