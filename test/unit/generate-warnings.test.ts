import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARNINGS_PER_KIND, generate } from '../../src/generate.js';
import { movedIdentifiers } from '../../src/emit/read-generated-module.js';
import type { NamedOwnerType } from '../../src/model/owner-types.js';
import { tempDir } from '../support/temp.js';

const response = (spas: ReadonlyArray<[number, string]>) => ({
  result: [
    { ID: 1, NAME: 'Lead', SYMBOL_CODE: 'LEAD', SYMBOL_CODE_SHORT: 'L' },
    { ID: 2, NAME: 'Deal', SYMBOL_CODE: 'DEAL', SYMBOL_CODE_SHORT: 'D' },
    ...spas.map(([id, name]) => ({ ID: id, NAME: name, SYMBOL_CODE: `DYNAMIC_${id}`, SYMBOL_CODE_SHORT: `T${id.toString(16)}` })),
  ],
});

async function run(dir: string, spas: ReadonlyArray<[number, string]>, extra: { check?: boolean } = {}) {
  const input = path.join(dir, 'input.json');
  await writeFile(input, JSON.stringify(response(spas)));
  const warnings: string[] = [];
  const logger = { info() {}, debug() {}, warn: (message: string) => warnings.push(message) };
  const result = await generate({
    source: { kind: 'input', file: input },
    cwd: dir,
    out: 'ownertypes.ts',
    enumStyle: 'enum',
    format: false,
    logger,
    ...extra,
  });
  return { warnings, result };
}

describe('warnings of a run', () => {
  it('warns for each name that carries the portal ID, with the alias line, on every run', async () => {
    const dir = tempDir('warn-ids');
    const spas: Array<[number, string]> = [[150, '🚀'], [156, 'Orders'], [190, 'Orders'], [200, 'Equipment']];
    const first = await run(dir, spas);
    expect(first.warnings).toEqual([
      expect.stringMatching(/^smart process 150 is named Dynamic150 \(nothing usable is left of its title\).*"aliases": \{ "150": "<Identifier>" \}$/),
      expect.stringMatching(/^smart process 156 is named Orders156 .*"aliases": \{ "156": "<Identifier>" \}$/),
      expect.stringMatching(/^smart process 190 is named Orders190 .*"aliases": \{ "190": "<Identifier>" \}$/),
    ]);
    // The up-to-date fast path warns too: the names still differ from portal to portal.
    expect((await run(dir, spas)).warnings).toEqual(first.warnings);
  });

  it('says on every run that a module from an input without pipelines holds owner types only, unless they were not wanted', async () => {
    const dir = tempDir('owner-types-only');
    const input = path.join(dir, 'input.json');
    await writeFile(input, JSON.stringify(response([[156, 'Orders']])));
    const said = async (pipelines: boolean) => {
      const info: string[] = [];
      const logger = { info: (message: string) => info.push(message), debug() {}, warn() {} };
      await generate({ source: { kind: 'input', file: input }, cwd: dir, out: 'ownertypes.ts', format: false, enumStyle: 'enum', pipelines, logger });
      return info;
    };
    expect(await said(true)).toEqual([expect.stringMatching(/^The module holds owner types only: pipelines and stages are not in it \(the input holds owner types only\)/)]);
    // The up-to-date run says it too.
    expect(await said(true)).toHaveLength(1);
    expect(await said(false)).toEqual([]);
  });

  it('shows the first few warnings of a kind, sums up the rest, and lists them all at debug', async () => {
    const dir = tempDir('warn-many');
    const input = path.join(dir, 'input.json');
    // 30 SPAs titled alike: every one of them collides and carries its ID.
    const spas = Array.from({ length: 30 }, (_, i): [number, string] => [1000 + 2 * i, 'Orders']);
    await writeFile(input, JSON.stringify(response(spas)));
    const warnings: string[] = [];
    const debug: string[] = [];
    const logger = { info() {}, debug: (message: string) => debug.push(message), warn: (message: string) => warnings.push(message) };
    await generate({ source: { kind: 'input', file: input }, cwd: dir, out: 'ownertypes.ts', format: false, enumStyle: 'enum', logger });
    expect(warnings).toHaveLength(WARNINGS_PER_KIND + 1);
    expect(warnings.slice(0, WARNINGS_PER_KIND).every((w) => /^smart process \d+ is named Orders\d+ /.test(w))).toBe(true);
    expect(warnings.at(-1)).toBe(`… and ${30 - WARNINGS_PER_KIND} more smart processes are named with their portal's ID (--verbose lists them all).`);
    const listed = debug.filter((m) => /^smart process \d+ is named Orders\d+ /.test(m));
    expect(listed).toHaveLength(30 - WARNINGS_PER_KIND);
    expect(new Set([...warnings.slice(0, WARNINGS_PER_KIND), ...listed]).size).toBe(30);
  });

  it('keeps a renamed SPA silently; warns for a module of ours it cannot read, not for a file that is not one', async () => {
    const dir = tempDir('warn-unreadable');
    const file = path.join(dir, 'ownertypes.ts');
    expect((await run(dir, [[156, 'Purchase']])).warnings).toEqual([]);
    const renamed = await run(dir, [[156, 'Procurement']]);
    expect(renamed.warnings).toEqual([]);
    expect(await readFile(file, 'utf8')).toContain('Purchase = Procurement');
    const ours = await readFile(file, 'utf8');
    await writeFile(file, ours.replace('export enum EntityTypeId {', 'export enum EntityTypeId {\n  Broken = 1 + 1,'));
    expect((await run(dir, [[156, 'Sourcing']])).warnings).toEqual([
      expect.stringMatching(/^ownertypes\.ts: the existing module cannot be read back .*no identifier renamed on the portal is kept/),
    ]);
    await writeFile(file, '// not generated\n');
    expect((await run(dir, [[156, 'Sourcing']])).warnings).toEqual([]);
  });

  it('warns when an identifier of the existing module now points to another ID, and only then', async () => {
    const dir = tempDir('warn-moved');
    expect((await run(dir, [[156, 'Purchase'], [177, 'Equipment']])).warnings).toEqual([]);
    const before = await readFile(path.join(dir, 'ownertypes.ts'), 'utf8');
    // The two SPAs swap titles: both identifiers still compile, each now names the other SPA.
    const swapped = await run(dir, [[156, 'Equipment'], [177, 'Purchase']], { check: true });
    expect(swapped.result.status).toBe('stale');
    expect(swapped.warnings).toEqual([
      expect.stringMatching(/^EntityTypeId\.Equipment is now 156 \(DYNAMIC_156, "Equipment"\), not 177 as in the existing module/),
      expect.stringMatching(/^EntityTypeId\.Purchase is now 177 \(DYNAMIC_177, "Purchase"\), not 156 as in the existing module/),
    ]);
    expect(await readFile(path.join(dir, 'ownertypes.ts'), 'utf8')).toBe(before);
    // Written, the new module is the record: the next run has nothing to say.
    expect((await run(dir, [[156, 'Equipment'], [177, 'Purchase']])).warnings).toHaveLength(2);
    expect((await run(dir, [[156, 'Equipment'], [177, 'Purchase']])).warnings).toEqual([]);
  });

  it('compares identifiers, not positions: added, removed and renamed types are not moves', () => {
    const type = (id: number, identifier: string): NamedOwnerType => ({
      id,
      identifier,
      name: identifier,
      symbolCode: `DYNAMIC_${id}`,
      shortCode: '',
      isSpa: true,
    });
    const previous = [type(156, 'Purchase'), type(177, 'Equipment'), type(180, 'Gone')];
    expect(movedIdentifiers(previous, [type(156, 'Purchase'), type(177, 'Tools'), type(190, 'New')])).toEqual([]);
    expect(movedIdentifiers(previous, [type(190, 'Purchase')])).toEqual([
      { identifier: 'Purchase', previousId: 156, id: 190, type: type(190, 'Purchase') },
    ]);
  });
});
