import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.js';
import { CONFIG_KEYS, loadConfig, validateConfig } from '../../src/options/load-config.js';
import { loadEnvFile } from '../../src/options/load-env-file.js';
import { renderJsonSchema } from '../../src/options/schema.js';
import { tempDir } from '../support/temp.js';

const BOM = '\uFEFF';

async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = tempDir('config');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

const FILE = 'gen-ownertypes.config.json';

describe('validateConfig', () => {
  it('accepts every documented key', () => {
    const config = {
      $schema: './node_modules/gen-ownertypes/gen-ownertypes.schema.json',
      out: 'src/b24/ownertypes.ts',
      enumStyle: 'const',
      format: false,
      timeout: 600000,
      retries: 0,
      snapshot: 'b24.json',
      portal: 'https://example.bitrix24.com',
      pipelines: false,
      consistency: 'error',
      aliases: { '177': 'Equipment', DYNAMIC_156: 'Purchase', rental_listing: 'Rental', RentalListing2: 'Rental2' },
    };
    const { $schema: _, ...expected } = config;
    expect(validateConfig(config, FILE)).toEqual(expected);
  });

  it('accepts portals, each with one source', () => {
    const config = {
      portals: {
        dev: { webhookEnv: 'B24_DEV_WEBHOOK_URL', out: 'dev.ts' },
        'prod-2': { portal: 'https://prod.bitrix24.com', tokenEnv: 'B24_PROD_TOKEN', out: 'prod.ts', snapshot: 'prod.json', aliases: { '177': 'Gear' } },
        demo: { input: 'demo.json', out: 'demo.ts' },
      },
      consistency: 'warn',
    };
    expect(validateConfig(config, FILE)).toEqual(config);
  });

  it.each([
    [{ outt: 'x' }, /unknown key "outt"; did you mean "out"\? Allowed: out, enumStyle/],
    [{ enum_style: 'const' }, /did you mean "enumStyle"\?/],
    [{ zzzzzzzzzz: 1 }, /unknown key "zzzzzzzzzz"\. Allowed: out/],
    [{ webhook: 'https://x/rest/1/y/' }, /"webhook" is a secret/],
    [{ token: 'abc' }, /"token" is a secret/],
    [{ enumStyle: 'union' }, /"enumStyle" must be "auto", "enum" or "const"/],
    [{ timeout: 'abc' }, /"timeout" must be a whole number from 1 to 600000 \(milliseconds\)/],
    [{ timeout: 0 }, /"timeout" must be/],
    [{ timeout: 600001 }, /"timeout" must be a whole number from 1 to 600000/],
    [{ retries: -1 }, /"retries" must be a whole number from 0 to 10/],
    [{ format: 'yes' }, /"format" must be true or false/],
    [{ pipelines: 'no' }, /"pipelines" must be true or false/],
    [{ consistency: 'fail' }, /"consistency" must be "warn" or "error"/],
    [{ out: '' }, /"out" must be a non-empty path/],
    [{ portal: 'https://x.bitrix24.com/rest/1/code/' }, /"portal" must be a portal origin/],
    [{ aliases: { 'Equipment Purchase': 'X' } }, /"aliases" must be keyed by entity type ID/],
    [{ aliases: { '0': 'X' } }, /must be keyed by/],
    [{ aliases: { '177': 'not an identifier' } }, /"aliases\.177" must be an identifier/],
    [{ aliases: [] }, /"aliases" must be an object/],
    [{ portals: { Dev: { input: 'a', out: 'a.ts' } } }, /"portals" must be keyed by portal names/],
    [{ portals: { dev: { out: 'a.ts' } } }, /"portals\.dev" needs one source/],
    [{ portals: { dev: { input: 'a', webhookEnv: 'X', out: 'a.ts' } } }, /"portals\.dev" must have one source, not webhookEnv and input/],
    [{ portals: { dev: { input: 'a' } } }, /"portals\.dev\.out" is required/],
    [{ portals: { dev: { input: 'a', out: 'a.ts', outt: 1 } } }, /unknown key "portals\.dev\.outt"; did you mean "out"\? Allowed in "portals\.dev": webhookEnv/],
    [{ portals: { dev: { portal: 'https://p.bitrix24.com', out: 'a.ts' } } }, /has "portal" but no "tokenEnv"/],
    [{ portals: { dev: { tokenEnv: 'T', out: 'a.ts' } } }, /has "tokenEnv" but no "portal"/],
    [{ portals: { dev: { webhook: 'https://p/rest/1/c/', out: 'a.ts' } } }, /"portals\.dev\.webhook" is a secret .*"webhookEnv"/],
    [{ portals: [] }, /"portals" must be an object/],
    [[], /must be a JSON object/],
  ])('refuses %j', (config, message) => {
    expect(() => validateConfig(config, FILE)).toThrow(ConfigError);
    expect(() => validateConfig(config, FILE)).toThrow(message);
  });

  it.each([
    ['a webhook URL', 'https://example.bitrix24.com/rest/1/q9w8e7r6t5y4u3i2/'],
    ['a token', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'],
    ['a token with dots', 'k1.b2-c3d4e5f6g7h8'],
  ])('a %s where a variable name belongs is refused without echoing it', (_what, value) => {
    for (const key of ['webhookEnv', 'tokenEnv']) {
      const entry = key === 'webhookEnv' ? { webhookEnv: value, out: 'a.ts' } : { portal: 'https://p.bitrix24.com', tokenEnv: value, out: 'a.ts' };
      let message = '';
      try {
        validateConfig({ portals: { prod: entry } }, FILE);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(new RegExp(`"portals\\.prod\\.${key}" must name an environment variable`));
      expect(message).not.toContain(value);
    }
  });

  it('accepts exactly the keys of the published JSON schema', async () => {
    const schema = JSON.parse(await readFile(new URL('../../gen-ownertypes.schema.json', import.meta.url), 'utf8')) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).filter((k) => k !== '$schema').sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('the committed gen-ownertypes.schema.json is what the schema gives (node scripts/write-schema.mjs)', async () => {
    expect(await readFile(new URL('../../gen-ownertypes.schema.json', import.meta.url), 'utf8')).toBe(renderJsonSchema());
  });
});

describe('loadConfig', () => {
  it('finds gen-ownertypes.config.json before the package.json key, searching up', async () => {
    const dir = await tempProject({
      'package.json': JSON.stringify({ name: 'x', 'gen-ownertypes': { out: 'from-package.ts' } }),
      [FILE]: JSON.stringify({ out: 'from-file.ts' }),
      'sub/dir/.keep': '',
    });
    const loaded = await loadConfig(path.join(dir, 'sub', 'dir'));
    expect(loaded.config.out).toBe('from-file.ts');
    expect(loaded.filepath).toBe(path.join(dir, FILE));
  });

  it('reads the "gen-ownertypes" key of package.json', async () => {
    const dir = await tempProject({ 'package.json': JSON.stringify({ name: 'x', 'gen-ownertypes': { enumStyle: 'const' } }) });
    expect((await loadConfig(dir)).config).toEqual({ enumStyle: 'const' });
  });

  it('names the file when its JSON is broken', async () => {
    const dir = await tempProject({ [FILE]: '{ "out": ' });
    await expect(loadConfig(dir)).rejects.toThrow(/gen-ownertypes\.config\.json is not valid JSON/);
  });

  it('reports a missing --config file as a config error', async () => {
    const dir = await tempProject({});
    await expect(loadConfig(dir, 'nope.json')).rejects.toThrow(/Cannot read config file .*nope\.json: ENOENT/);
    await expect(loadConfig(dir, '.')).rejects.toThrow(/EISDIR \(it is a folder\)/);
  });

  describe('a byte-order mark (Windows editors write one) is accepted', () => {
    it('in gen-ownertypes.config.json', async () => {
      const dir = await tempProject({ [FILE]: `${BOM}{"enumStyle":"const"}` });
      expect((await loadConfig(dir)).config).toEqual({ enumStyle: 'const' });
    });
    it('in package.json', async () => {
      const dir = await tempProject({ 'package.json': `${BOM}${JSON.stringify({ name: 'x', 'gen-ownertypes': { retries: 1 } })}` });
      expect((await loadConfig(dir)).config).toEqual({ retries: 1 });
    });
    it('in --config FILE, and in --config package.json', async () => {
      const dir = await tempProject({
        'cfg/my.json': `${BOM}{"format":false}`,
        'other/package.json': `${BOM}${JSON.stringify({ 'gen-ownertypes': { timeout: 5 } })}`,
      });
      expect((await loadConfig(dir, 'cfg/my.json')).config).toEqual({ format: false });
      expect((await loadConfig(dir, 'other/package.json')).config).toEqual({ timeout: 5 });
    });
    it('in --env-file', async () => {
      const dir = await tempProject({ '.env': `${BOM}B24_WEBHOOK_URL=https://x.bitrix24.com/rest/1/c/\nOTHER=1\n` });
      const env = await loadEnvFile('.env', dir, {});
      expect(env.B24_WEBHOOK_URL).toBe('https://x.bitrix24.com/rest/1/c/');
      expect(Object.keys(env).some((key) => key.startsWith(BOM))).toBe(false);
    });
  });
});
