import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import type { EnumStyleOption } from '../../src/options/generate-options.js';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { tempDir } from '../support/temp.js';

/**
 * A large module (over 150 SPAs) is formatted by a Prettier sample (format/splice-entries.ts). With
 * deprecated aliases in it, the result must still be exactly what Prettier gives for the whole module.
 */

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal({ spas: 170 });
});
afterAll(async () => {
  await portal.close();
});

const digestLine = /^ \* gen-ownertypes-digest: .*$/m;

describe.each(['enum', 'const'] as const)('a large module with deprecated aliases, %s style', (enumStyle: EnumStyleOption) => {
  it('is formatted byte for byte as Prettier formats all of it', async () => {
    const cwd = tempDir('renames-format');
    const debug: string[] = [];
    const logger = { info() {}, warn() {}, debug: (message: string) => debug.push(message) };
    const options = { source: { kind: 'webhook', url: portal.webhookUrl } as const, cwd, enumStyle, logger };
    await generate({ ...options, out: 'formatted.ts' });
    const spas = portal.ownerTypes.filter((type) => /^DYNAMIC_/.test(type.SYMBOL_CODE));
    expect(spas.length).toBeGreaterThan(150);
    const renamed = [spas[0]!, spas[80]!, spas[spas.length - 1]!];
    const titles = [
      'A title long enough that its identifier and the lines that name it pass the print width',
      'Procurement',
      'Sourcing "quoted"',
    ];
    try {
      renamed.forEach((type, index) => portal.renameSpa(Number(type.ID), titles[index]!));
      await copyFile(path.join(cwd, 'formatted.ts'), path.join(cwd, 'raw.ts'));
      await generate({ ...options, out: 'raw.ts', format: false });
      debug.length = 0;
      await generate({ ...options, out: 'formatted.ts' });
    } finally {
      renamed.forEach((type) => portal.renameSpa(Number(type.ID), type.NAME));
    }
    const formatted = await readFile(path.join(cwd, 'formatted.ts'), 'utf8');
    const raw = await readFile(path.join(cwd, 'raw.ts'), 'utf8');
    // Three renamed SPAs: their aliases in the enum, or in the object and its type namespace.
    expect(formatted.match(/@deprecated Renamed to EntityTypeId\./g)?.length).toBe(enumStyle === 'enum' ? 3 : 6);
    const filepath = path.join(cwd, 'formatted.ts');
    const expected = await format(raw, { ...(await resolveConfig(filepath)), filepath });
    // The digests differ (formatting is an input), nothing else may.
    expect(formatted.replace(digestLine, '')).toBe(expected.replace(digestLine, ''));
    // Which way it went, for the record: by a sample, or Prettier over all of it after a failed proof.
    console.log(`${enumStyle}: ${debug.find((line) => line.startsWith('formatted with Prettier')) ?? 'no format line'}`);
  });
});
