import path from 'node:path';
import { ConfigError } from '../shared/errors.js';
import type { EnumStyle } from '../model/owner-types.js';

export interface EnumStyleDecision {
  readonly style: EnumStyle;
  /** One line for `--verbose`: which tsconfig decided, and why. */
  readonly reason: string;
  /** Every tsconfig file read to decide (the nearest one and its `extends` chain). */
  readonly files: readonly string[];
}

/**
 * `auto`: `const` when the tsconfig that governs the output file sets `erasableSyntaxOnly` (TypeScript
 * 5.8+ and Node's type stripping reject `enum`), else `enum`. The tsconfig is found the way tsc finds it
 * (nearest tsconfig.json up from the output folder) and read through the TypeScript API bundled with
 * ts-morph, so `extends` chains, including packages such as `@tsconfig/strictest`, resolve as tsc does.
 */
export async function resolveEnumStyle(outFile: string): Promise<EnumStyleDecision> {
  const { ts } = await import('ts-morph');
  const configPath = ts.findConfigFile(path.dirname(outFile), ts.sys.fileExists, 'tsconfig.json');
  if (configPath === undefined) {
    return { style: 'enum', reason: 'no tsconfig.json governs the output folder: using enum', files: [] };
  }
  const files = new Set<string>([path.resolve(configPath)]);
  const host: import('ts-morph').ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    fileExists: (file) => ts.sys.fileExists(file),
    readDirectory: () => [],
    readFile: (file) => {
      const text = ts.sys.readFile(file);
      if (text !== undefined && /\.json$/i.test(file)) files.add(path.resolve(file));
      return text;
    },
  };
  const read = ts.readConfigFile(configPath, (file) => host.readFile(file));
  if (read.error !== undefined) {
    throw new ConfigError(
      `Cannot read ${configPath} to choose the enum style: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}. Fix it, or pass --enum-style enum|const.`,
    );
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(configPath), undefined, configPath);
  const erasable = parsed.options.erasableSyntaxOnly === true;
  const shown = path.relative(process.cwd(), configPath) || configPath;
  return {
    style: erasable ? 'const' : 'enum',
    reason: erasable
      ? `${shown} sets erasableSyntaxOnly: using const (an as-const object and a type of the same name)`
      : `${shown} does not set erasableSyntaxOnly: using enum`,
    files: [...files].sort(),
  };
}
