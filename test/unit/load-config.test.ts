import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.js';
import { tempDir } from '../support/temp.js';
import { CONFIG_KEYS, loadConfig, validateConfig } from '../../src/options/load-config.js';

async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = tempDir('config');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

describe('validateConfig', () => {
  it('accepts every documented key', () => {
    const config = {
      $schema: './node_modules/gen-ownertypes/gen-ownertypes.schema.json',
      out: 'src/b24/ownertypes.ts',
      enumStyle: 'const',
      format: false,
      timeout: 1000,
      retries: 0,
      snapshot: 'b24.json',
      portal: 'https://example.bitrix24.com',
      aliases: { '177': 'Equipment', DYNAMIC_156: 'Purchase' },
    };
    expect(validateConfig(config, 'gen-ownertypes.config.json')).toMatchObject({ out: 'src/b24/ownertypes.ts', aliases: { '177': 'Equipment' } });
  });

  it.each([
    [{ outt: 'x' }, /unknown key "outt"/],
    [{ webhook: 'https://x/rest/1/y/' }, /"webhook" is a secret/],
    [{ enumStyle: 'union' }, /"enumStyle" must be "auto", "enum" or "const"/],
    [{ timeout: 'abc' }, /"timeout" must be a whole number/],
    [{ timeout: 0 }, /"timeout" must be/],
    [{ retries: -1 }, /"retries" must be a whole number from 0 to 10/],
    [{ format: 'yes' }, /"format" must be true or false/],
    [{ aliases: { Equipment: 'X' } }, /keyed by entity type ID/],
    [{ aliases: { '177': 'not an identifier' } }, /not one/],
    [{ aliases: [] }, /"aliases" must be an object/],
    [[], /must be a JSON object/],
  ])('refuses %j', (config, message) => {
    expect(() => validateConfig(config, 'gen-ownertypes.config.json')).toThrow(ConfigError);
    expect(() => validateConfig(config, 'gen-ownertypes.config.json')).toThrow(message);
  });

  it('accepts exactly the keys of the published JSON schema', async () => {
    const schema = JSON.parse(await readFile(new URL('../../gen-ownertypes.schema.json', import.meta.url), 'utf8')) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).filter((k) => k !== '$schema').sort()).toEqual([...CONFIG_KEYS].sort());
  });
});

describe('loadConfig', () => {
  it('finds gen-ownertypes.config.json before the package.json key, searching up', async () => {
    const dir = await tempProject({
      'package.json': JSON.stringify({ name: 'x', 'gen-ownertypes': { out: 'from-package.ts' } }),
      'gen-ownertypes.config.json': JSON.stringify({ out: 'from-file.ts' }),
      'sub/dir/.keep': '',
    });
    const loaded = await loadConfig(path.join(dir, 'sub', 'dir'));
    expect(loaded.config.out).toBe('from-file.ts');
    expect(loaded.filepath).toBe(path.join(dir, 'gen-ownertypes.config.json'));
  });

  it('reads the "gen-ownertypes" key of package.json', async () => {
    const dir = await tempProject({ 'package.json': JSON.stringify({ name: 'x', 'gen-ownertypes': { enumStyle: 'const' } }) });
    expect((await loadConfig(dir)).config).toEqual({ enumStyle: 'const' });
  });

  it('names the file when its JSON is broken', async () => {
    const dir = await tempProject({ 'gen-ownertypes.config.json': '{ "out": ' });
    await expect(loadConfig(dir)).rejects.toThrow(/gen-ownertypes\.config\.json is not valid JSON/);
  });

  it('reports a missing --config file as a config error', async () => {
    const dir = await tempProject({});
    await expect(loadConfig(dir, 'nope.json')).rejects.toThrow(/Cannot read config file .*nope\.json: ENOENT/);
  });
});
