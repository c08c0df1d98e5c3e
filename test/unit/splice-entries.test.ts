import fc from 'fast-check';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { buildHeader } from '../../src/emit/header.js';
import { renderModule } from '../../src/emit/render-module.js';
import { loadTemplates } from '../../src/emit/templates.js';
import { entryStyleOf, selectSample, spliceEntries } from '../../src/format/splice-entries.js';
import type { EnumStyle, NamedOwnerType } from '../../src/model/owner-types.js';
import { parseOwnerTypes } from '../../src/model/parse-owner-types.js';
import { nameOwnerTypes } from '../../src/naming/name-owner-types.js';
import { generateSpas, seedOwnerTypes } from '../support/fake-portal.mjs';

const templates = await loadTemplates();

function named(extra: unknown[] = [], spas = 300): NamedOwnerType[] {
  const seed = seedOwnerTypes();
  const taken = new Set(seed.map((t) => Number(t.ID)));
  return nameOwnerTypes(parseOwnerTypes({ result: [...seed, ...generateSpas(spas, taken), ...extra] }).types);
}

const HOSTILE = [
  { ID: 2000, NAME: 'Say "hi"', SYMBOL_CODE: 'DYNAMIC_2000', SYMBOL_CODE_SHORT: 'T7d0' },
  { ID: 2002, NAME: "It's here", SYMBOL_CODE: 'DYNAMIC_2002', SYMBOL_CODE_SHORT: 'T7d2' },
  { ID: 2004, NAME: 'back\\slash \u2028 "mixed" \'quotes\'', SYMBOL_CODE: 'DYNAMIC_2004', SYMBOL_CODE_SHORT: 'T7d4' },
  { ID: 2006, NAME: 'A very long title that goes on and on well past the print width of most projects', SYMBOL_CODE: 'DYNAMIC_2006', SYMBOL_CODE_SHORT: 'T7d6' },
  { ID: 2008, NAME: 'Odd codes', SYMBOL_CODE: 'DYNAMIC_2008', SYMBOL_CODE_SHORT: 'T-7d8' },
];

async function both(types: NamedOwnerType[], enumStyle: EnumStyle, options: prettier.Options) {
  const header = buildHeader({ portal: 'example.bitrix24.com', types, generatorVersion: '0.0.0', inputsDigest: 'x' });
  const render = (subset: readonly NamedOwnerType[]) => renderModule({ types: subset, enumStyle, header, templates });
  const full = { ...options, parser: 'typescript' };
  const style = entryStyleOf(options as Record<string, unknown>);
  const rawSample = render(selectSample(types, style));
  const spliced = spliceEntries(rawSample, await prettier.format(rawSample, full), render(types), style);
  return { spliced, expected: await prettier.format(render(types), full) };
}

const OPTION_SETS: prettier.Options[] = [
  {},
  { singleQuote: true },
  { useTabs: true },
  { tabWidth: 4 },
  { semi: false },
  { trailingComma: 'none' },
  { trailingComma: 'es5' },
  { printWidth: 120, singleQuote: true, semi: false, useTabs: true },
  { printWidth: 40 },
  { quoteProps: 'consistent' },
  { bracketSpacing: false, arrowParens: 'avoid' },
];

describe('formatting a large module by sample', () => {
  const types = named(HOSTILE);

  it.each(OPTION_SETS.flatMap((options) => (['enum', 'const'] as const).map((style) => [style, options] as const)))(
    '%s style with %j: byte-identical to Prettier on the whole module, or declined',
    async (enumStyle, options) => {
      const { spliced, expected } = await both(types, enumStyle, options);
      if (spliced !== undefined) expect(spliced).toBe(expected);
    },
  );

  it('covers most configs, declining only those its rules cannot prove', async () => {
    let spliced = 0;
    for (const options of OPTION_SETS) {
      for (const enumStyle of ['enum', 'const'] as const) if ((await both(types, enumStyle, options)).spliced !== undefined) spliced++;
    }
    console.log(`spliced ${spliced} of ${OPTION_SETS.length * 2}`);
    expect(spliced).toBeGreaterThanOrEqual(OPTION_SETS.length * 2 - 6);
  });

  it('is used, not declined, for ordinary configs', async () => {
    for (const options of [{}, { singleQuote: true, semi: false }, { useTabs: true, trailingComma: 'none' as const }]) {
      for (const enumStyle of ['enum', 'const'] as const) {
        const { spliced, expected } = await both(types, enumStyle, options);
        expect(spliced, JSON.stringify(options)).toBe(expected);
      }
    }
  });

  it('samples far fewer types than it formats', () => {
    expect(selectSample(types, entryStyleOf({})).length).toBeLessThan(types.length / 5);
  });

  it('holds for arbitrary titles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom<prettier.Options>({}, { singleQuote: true }, { semi: false, tabWidth: 4 }),
        fc.constantFrom<EnumStyle>('enum', 'const'),
        async (titles, options, enumStyle) => {
          const extra = titles.map((title, i) => ({ ID: 3000 + 2 * i, NAME: title, SYMBOL_CODE: `DYNAMIC_${3000 + 2 * i}`, SYMBOL_CODE_SHORT: `T${(3000 + 2 * i).toString(16)}` }));
          const { spliced, expected } = await both(named(extra, 160), enumStyle, options);
          if (spliced !== undefined) expect(spliced).toBe(expected);
        },
      ),
      { numRuns: 12 },
    );
  });
});
