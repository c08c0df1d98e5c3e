import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatModule } from '../../src/format/format-module.js';
import { ConfigError } from '../../src/shared/errors.js';
import { tempDir } from '../support/temp.js';

function project(files: Record<string, string>): string {
  const dir = tempDir('format');
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('formatModule: whose fault a failure is', () => {
  it('formats with the project config', async () => {
    const dir = project({ '.prettierrc.json': '{ "singleQuote": true }' });
    const result = await formatModule('export const a = "x"\n', path.join(dir, 'm.ts'), dir);
    expect(result.text).toBe("export const a = 'x';\n");
  });

  it.each([
    ['an unreadable config', { '.prettierrc': '{ "semi": ' }, /could not read the project's config/],
    ['a plugin that does not exist', { '.prettierrc': '{ "plugins": ["prettier-plugin-nowhere"] }' }, /Prettier .*project's config.*prettier-plugin-nowhere/],
    ['an option Prettier rejects', { '.prettierrc': '{ "trailingComma": "sometimes" }' }, /with the project's config: .*trailingComma/],
  ])('%s is the config: a config error', async (_name, files, message) => {
    const dir = project(files);
    const error = await formatModule('export const a = 1;\n', path.join(dir, 'm.ts'), dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('text Prettier cannot parse, under a valid config, is a defect of ours, not the config', async () => {
    const dir = project({ '.prettierrc.json': '{ "semi": false }' });
    const error = await formatModule('export const = ;\n', path.join(dir, 'm.ts'), dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Prettier could not format the generated module for .*m\.ts \(1 line, 0 KiB\)/);
    expect((error as Error).message).not.toMatch(/config/i);
  });

  it('a module deep enough to exhaust the stack is a resource limit, said as such', async () => {
    const dir = project({});
    const depth = 50_000;
    const error = await formatModule(`export const deep = ${'['.repeat(depth)}${']'.repeat(depth)};\n`, path.join(dir, 'm.ts'), dir).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/ran out of resources .*This is not your Prettier config; pass --no-format/);
  });
});
