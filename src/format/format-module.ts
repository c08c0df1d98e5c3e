import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../shared/errors.js';
import type { NamedOwnerType } from '../model/owner-types.js';
import { locatePrettier } from '../toolchain/prettier.js';
import { entryStyleOf, isLargeModule, selectSample, spliceEntries } from './splice-entries.js';

type Prettier = typeof import('prettier');

export interface FormatResult {
  readonly text: string;
  /** `ignored`: `.prettierignore` matches the output file, so it is written as generated. */
  readonly status: 'formatted' | 'ignored';
  /** Which Prettier did the work: the project's own when it has Prettier 3, else the bundled one. */
  readonly prettier: { readonly version: string; readonly path: string };
  /**
   * When Prettier formatted only a sample of this many owner types and the other entries were spliced in by
   * its proven rules (splice-entries.ts).
   */
  readonly spliced?: number;
  /** Formatted on the formatter's own thread (formatter.ts) rather than the caller's. */
  readonly thread?: 'worker';
}

/**
 * A module that may be large enough to format by sample: its owner types and a way to render it for any
 * subset of them (with only their pipelines and stages).
 */
export interface LargeModule {
  readonly types: readonly NamedOwnerType[];
  render(types: readonly NamedOwnerType[]): string | Promise<string>;
}

/** The Prettier bundled with gen-ownertypes, used when the project has no Prettier 3 of its own. */
export function bundledPrettierPath(): string {
  return createRequire(import.meta.url).resolve('prettier');
}

/**
 * Loads the Prettier the project itself uses when it has version 3, so the output matches what the
 * project's own `prettier --check` expects; falls back to the bundled one. Imported lazily: it costs
 * about 0.1 s plus its parser, which an up-to-date run never pays.
 */
export async function loadPrettier(fromDir: string): Promise<{ prettier: Prettier; path: string }> {
  const located = locatePrettier(fromDir, bundledPrettierPath());
  // require.resolve finds Prettier's CommonJS entry, which only forwards to index.mjs (Prettier 3 ships
  // both side by side): import the ES module directly and save the detour.
  const esm = path.join(path.dirname(located.path), 'index.mjs');
  const loaded = (await import(pathToFileURL(existsSync(esm) ? esm : located.path).href)) as Prettier & { default?: Prettier };
  return { prettier: loaded.default ?? loaded, path: located.path };
}

/**
 * Formats the module as the project would: the config resolved for the output *file* (so overrides and
 * nested configs apply), `.editorconfig` honoured, and `.prettierignore` (at `cwd`, as the Prettier CLI
 * reads it) respected by leaving an ignored file unformatted.
 */
export async function formatModule(
  text: string,
  filePath: string,
  cwd: string,
  large?: LargeModule,
): Promise<FormatResult> {
  const { prettier, path: prettierPath } = await loadPrettier(path.dirname(filePath));
  const used = { version: prettier.version, path: prettierPath };
  let info: Awaited<ReturnType<Prettier['getFileInfo']>>;
  let options: Awaited<ReturnType<Prettier['resolveConfig']>>;
  try {
    info = await prettier.getFileInfo(filePath, { ignorePath: path.join(cwd, '.prettierignore') });
    if (info.ignored) return { text, status: 'ignored', prettier: used };
    // No cache: in a long-lived process (a watcher, a test runner) the config may change between runs.
    options = await prettier.resolveConfig(filePath, { editorconfig: true, useCache: false });
  } catch (error) {
    throw new ConfigError(
      `Prettier could not read the project's config for ${filePath}: ${firstLine(error)}. Fix the config, or pass --no-format.`,
      { cause: error },
    );
  }
  const formatOptions = { ...options, filepath: filePath, parser: options?.parser ?? 'typescript' };
  const format = (source: string) => prettier.format(source, formatOptions).catch((error: unknown) => blame(error, source));
  // Plugins can print anything; only plain Prettier is predictable enough for the splice.
  if (large !== undefined && isLargeModule(large.types, text) && (options?.plugins ?? []).length === 0) {
    const style = entryStyleOf(options as Record<string, unknown> | null, prettier.util.getStringWidth);
    const sample = selectSample(large.types, style, text);
    if (sample.length * 2 < large.types.length) {
      const rawSample = await large.render(sample);
      const spliced = spliceEntries(rawSample, await format(rawSample), text, style);
      if (spliced !== undefined) return { text: spliced, status: 'formatted', prettier: used, spliced: sample.length };
    }
  }
  return { text: await format(text), status: 'formatted', prettier: used };

  /**
   * Whose fault a failed format is. Prettier loads plugins and applies options only when it formats, so a
   * broken plugin or option fails there too: a tiny module formatted with the same options tells them
   * apart. If that works, the config is fine and the failure is ours — our text, or a limit (stack,
   * memory) reached on it — and is never blamed on the project.
   */
  async function blame(error: unknown, source: string): Promise<never> {
    const probe = await prettier.format(PROBE, formatOptions).then(
      () => undefined,
      (probeError: unknown) => probeError,
    );
    if (probe !== undefined) {
      throw new ConfigError(
        `Prettier failed to format ${filePath} with the project's config: ${firstLine(probe)}. Check the Prettier config and its plugins, or pass --no-format.`,
        { cause: error },
      );
    }
    const lines = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
    const size = `${lines} line${lines === 1 ? '' : 's'}, ${Math.round(Buffer.byteLength(source) / 1024)} KiB`;
    if (isResourceLimit(error)) {
      throw new Error(
        `Prettier ran out of resources formatting the generated module for ${filePath} (${size}): ${firstLine(error)}. This is not your Prettier config; pass --no-format, or run Node with more stack or memory (NODE_OPTIONS=--stack-size=… or --max-old-space-size=…).`,
        { cause: error },
      );
    }
    // A module Prettier cannot parse or print is a defect of gen-ownertypes.
    throw new Error(`Prettier could not format the generated module for ${filePath} (${size}): ${firstLine(error)}`, { cause: error });
  }
}

/** A module every Prettier setup for TypeScript can format: if it fails, the setup is what fails. */
const PROBE = 'export const probe = 1;\n';

function isResourceLimit(error: unknown): boolean {
  const message = String((error as Error)?.message ?? '');
  return error instanceof RangeError || /call stack|out of memory|heap|ENOMEM/i.test(message);
}

/** Prettier's messages can carry a code frame; one line is what a build log needs (the rest is in --verbose). */
function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]?.trim() ?? '';
}
