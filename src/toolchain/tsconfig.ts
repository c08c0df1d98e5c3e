import path from 'node:path';
import { ConfigError } from '../shared/errors.js';
import { stripBom } from '../shared/text-file.js';
import type { EnumStyle } from '../model/owner-types.js';

type TS = typeof import('ts-morph').ts;

export interface EnumStyleDecision {
  readonly style: EnumStyle;
  /** One line for `--verbose`: which tsconfig decided, and why. */
  readonly reason: string;
  /**
   * Every file that took part in the decision: each tsconfig looked at (up the folders and through
   * `references`), its `extends` chain (packages included), and referenced configs that do not exist, so
   * creating or editing any of them is noticed (see output/render-cache.ts).
   */
  readonly files: readonly string[];
  /** The tsconfig that governs the output file, if one includes it. */
  readonly governing?: string;
}

interface Project {
  readonly file: string;
  readonly erasable: boolean;
  readonly includesOut: boolean;
  readonly references: readonly string[];
}

/**
 * `auto`: `const` when the tsconfig that governs the output file sets `erasableSyntaxOnly` (TypeScript
 * 5.8+ and Node's type stripping reject `enum`), else `enum`.
 *
 * The governing tsconfig is found as tsc and editors find it: up the folders from the output file, the
 * first tsconfig.json whose files (`files`, `include`, `exclude`, after `extends`) include the output path;
 * a config that does not include it — a solution file with `"files": []`, as Vite's templates write —
 * is searched through its `references`, recursively, for the project that does. Matching uses TypeScript's
 * own parser and file matcher, against the output path alone (the file may not exist yet), so no folder is
 * listed. When no tsconfig includes the file, `const` is chosen if any config looked at sets
 * `erasableSyntaxOnly` (the const style compiles everywhere; an enum does not).
 */
export async function resolveEnumStyle(outFile: string, cwd: string): Promise<EnumStyleDecision> {
  const { ts } = await import('ts-morph');
  const out = path.resolve(cwd, outFile);
  const show = (file: string): string => shown(file, cwd);
  const files = new Set<string>();
  const seen = new Map<string, Project>();
  const examined: Project[] = [];

  const load = (configFile: string): Project | undefined => {
    const known = seen.get(configFile);
    if (known !== undefined) return known;
    files.add(configFile);
    if (!ts.sys.fileExists(configFile)) return undefined;
    const project = parseProject(ts, configFile, out, files, cwd);
    seen.set(configFile, project);
    examined.push(project);
    return project;
  };

  /** The project under `project` (itself, or one it references) that includes the output file. */
  const search = (project: Project, chain: readonly string[]): { project: Project; chain: readonly string[] } | undefined => {
    if (project.includesOut) return { project, chain };
    for (const reference of project.references) {
      if (chain.includes(reference)) continue; // a reference cycle
      const referenced = load(reference);
      const found = referenced === undefined ? undefined : search(referenced, [...chain, reference]);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  for (const dir of foldersUp(path.dirname(out))) {
    const candidate = path.join(dir, 'tsconfig.json');
    const project = load(candidate);
    if (project === undefined) continue;
    const found = search(project, [candidate]);
    if (found === undefined) continue;
    const via = found.chain.length > 1 ? ` (referenced from ${found.chain.slice(0, -1).map(show).join(' → ')})` : '';
    const where = `${show(out)} is in ${show(found.project.file)}${via}, which`;
    return {
      style: found.project.erasable ? 'const' : 'enum',
      reason: found.project.erasable
        ? `${where} sets erasableSyntaxOnly: using const (an as-const object and a type of the same name)`
        : `${where} does not set erasableSyntaxOnly: using enum`,
      files: [...files].sort(),
      governing: found.project.file,
    };
  }

  const erasable = examined.filter((project) => project.erasable);
  const none = examined.length === 0 ? 'no tsconfig.json above the output folder' : `no tsconfig includes ${show(out)}`;
  return {
    style: erasable.length > 0 ? 'const' : 'enum',
    reason:
      erasable.length > 0
        ? `${none}; ${show(erasable[0]!.file)} sets erasableSyntaxOnly, so using const, which compiles under any setting`
        : `${none}${examined.length === 0 ? '' : ` (looked at ${examined.map((p) => show(p.file)).join(', ')})`}: using enum`,
    files: [...files].sort(),
  };
}

function parseProject(ts: TS, configFile: string, out: string, files: Set<string>, cwd: string): Project {
  const readFile = (file: string): string | undefined => {
    const text = ts.sys.readFile(file);
    // Every file TypeScript reads for a config is part of the decision (extends chains, packages' package.json).
    if (text !== undefined) files.add(path.resolve(file));
    return text === undefined ? undefined : stripBom(text);
  };
  const read = ts.readConfigFile(configFile, readFile);
  if (read.error !== undefined) {
    throw new ConfigError(
      `Cannot read ${shown(configFile, cwd)} to choose the enum style: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}. Fix it, or set \`enumStyle\` to enum or const.`,
      { option: 'enumStyle' },
    );
  }
  const host: import('ts-morph').ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    fileExists: (file) => ts.sys.fileExists(file),
    readFile,
    readDirectory: (root, extensions, excludes, includes, depth) => matchOutput(ts, out, root, extensions, excludes, includes, depth),
  };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(configFile), undefined, configFile);
  const canonical = (file: string) => (ts.sys.useCaseSensitiveFileNames ? path.resolve(file) : path.resolve(file).toLowerCase());
  const target = canonical(out);
  return {
    file: configFile,
    erasable: parsed.options.erasableSyntaxOnly === true,
    includesOut: parsed.fileNames.some((file) => canonical(file) === target),
    references: (parsed.projectReferences ?? []).map((reference) => path.resolve(ts.resolveProjectReferencePath(reference))),
  };
}

interface FileMatcher {
  matchFiles(
    root: string,
    extensions: readonly string[] | undefined,
    excludes: readonly string[] | undefined,
    includes: readonly string[] | undefined,
    useCaseSensitiveFileNames: boolean,
    currentDirectory: string,
    depth: number | undefined,
    getFileSystemEntries: (dir: string) => { files: readonly string[]; directories: readonly string[] },
    realpath: (file: string) => string,
  ): string[];
}

/**
 * TypeScript's own include/exclude matcher (the one behind `ts.sys.readDirectory`), run over a file system
 * that holds only the output file: the answer is the output path when the config's patterns include it.
 */
function matchOutput(
  ts: TS,
  out: string,
  root: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  depth: number | undefined,
): string[] {
  const matcher = ts as unknown as Partial<FileMatcher>;
  if (typeof matcher.matchFiles !== 'function') throw new Error('the bundled TypeScript has no file matcher (ts.matchFiles)');
  const key = (dir: string) => {
    const normal = path.resolve(dir);
    return ts.sys.useCaseSensitiveFileNames ? normal : normal.toLowerCase();
  };
  const parts = new Map<string, { files: string[]; directories: string[] }>();
  for (let dir = path.dirname(out), child = path.basename(out), isFile = true; ; child = path.basename(dir), dir = path.dirname(dir), isFile = false) {
    parts.set(key(dir), isFile ? { files: [child], directories: [] } : { files: [], directories: [child] });
    if (path.dirname(dir) === dir) break;
  }
  const empty = { files: [], directories: [] };
  return matcher.matchFiles(
    root,
    extensions,
    excludes,
    includes,
    ts.sys.useCaseSensitiveFileNames,
    root,
    depth,
    (dir) => parts.get(key(dir)) ?? empty,
    (file) => file,
  );
}

/** `start` and every folder above it, up to the root. */
function foldersUp(start: string): string[] {
  const folders = [start];
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) folders.push(path.dirname(dir));
  return folders;
}

/** A path relative to the run's folder when inside it. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
