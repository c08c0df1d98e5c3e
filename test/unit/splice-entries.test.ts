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
import { namePipelines, type NamedPipelines } from '../../src/naming/name-pipelines.js';
import type { OwnerTypeStages, PipelinesData } from '../../src/model/portal.js';
import { generateSpas, seedOwnerTypes } from '../support/fake-portal.mjs';
import { largePortal } from '../golden/pipelines/scale.js';
import { HOSTILE_PIPELINES, HOSTILE_TEXT } from '../golden/pipelines/cases.js';
import { pipeline, stages } from '../golden/pipelines/portals.js';

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

async function both(types: NamedOwnerType[], enumStyle: EnumStyle, options: prettier.Options, pipelines?: NamedPipelines) {
  const header = buildHeader({ portal: 'example.bitrix24.com', types, generatorVersion: '0.0.0', inputsDigest: 'x' });
  // As generate.ts renders a sample: only the sampled owner types' pipelines and stages.
  const render = (subset: readonly NamedOwnerType[]) => {
    const ids = new Set(subset.map((t) => t.id));
    const some = pipelines === undefined ? undefined : { ...pipelines, types: pipelines.types.filter((entry) => ids.has(entry.ownerType.id)) };
    return renderModule({ types: subset, enumStyle, header, templates, ...(some !== undefined && { pipelines: some }) });
  };
  const full = { ...options, parser: 'typescript' };
  const style = entryStyleOf(options as Record<string, unknown>, prettier.util.getStringWidth);
  const rawFull = render(types);
  const sample = selectSample(types, style, rawFull);
  const rawSample = render(sample);
  const spliced = spliceEntries(rawSample, await prettier.format(rawSample, full), rawFull, style);
  return { spliced, expected: await prettier.format(rawFull, full), sample };
}

/** A large portal with pipelines, plus SPAs whose pipelines and stages have hostile, long and wide names. */
function withPipelines(extra: ReadonlyArray<{ id: number; title: string; pipelineNames: readonly string[]; stageNames: readonly string[] }> = []) {
  const base = largePortal(170, 5);
  const ownerTypes = [...base.ownerTypes];
  const types: OwnerTypeStages[] = [...base.pipelines.types];
  for (const spa of extra) {
    ownerTypes.push({ id: spa.id, identifier: `Odd${spa.id}`, symbolCode: `DYNAMIC_${spa.id}`, shortCode: `T${spa.id.toString(16)}`, name: spa.title, isSpa: true });
    types.push({
      kind: 'pipelines',
      entityTypeId: spa.id,
      pipelines: spa.pipelineNames.map((name, index) =>
        pipeline(
          spa.id * 10 + index,
          name,
          `DYNAMIC_${spa.id}_STAGE_${spa.id * 10 + index}`,
          stages(`DT${spa.id}_${spa.id * 10 + index}`, spa.stageNames.map((stage, s): [string, string] => [`UC_${String(s).padStart(6, '0')}`, stage])),
          { isDefault: index === 0 },
        ),
      ),
    });
  }
  ownerTypes.sort((a, b) => a.id - b.id);
  const data: PipelinesData = { types: types.sort((a, b) => a.entityTypeId - b.entityTypeId) };
  return { ownerTypes, pipelines: namePipelines([{ ownerTypes, pipelines: data }]).portals[0]! };
}

const ODD_SPAS = [
  { id: 5000, title: 'Quotes', pipelineNames: ['General', 'Say "hi"', "It's"], stageNames: ['a "quoted" stage', "it's", 'back\\slash'] },
  {
    id: 5002,
    title: 'Long names',
    pipelineNames: ['General', 'A pipeline whose name goes on and on well past the print width of most projects'],
    stageNames: ['A stage whose name goes on and on well past the print width of most projects, and on', 'x'.repeat(70)],
  },
  { id: 5004, title: 'Wide', pipelineNames: ['General', '日本語のパイプライン'], stageNames: ['商談の段階'.repeat(8), '🚀'.repeat(30), 'e\u0301'.repeat(40)] },
  { id: 5006, title: 'Hostile', pipelineNames: ['General', ...HOSTILE_TEXT.slice(0, 4)], stageNames: [...HOSTILE_TEXT] },
];

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

  describe('with pipelines and stages', () => {
    const portal = withPipelines(ODD_SPAS);
    const outcomes: string[] = [];
    const PIPELINE_OPTION_SETS: prettier.Options[] = [
      {},
      { singleQuote: true, semi: false },
      { useTabs: true, trailingComma: 'none' },
      { tabWidth: 4, trailingComma: 'es5' },
      { printWidth: 40 },
      { printWidth: 120, quoteProps: 'consistent' },
    ];

    it.each(PIPELINE_OPTION_SETS.map((options, index) => [index % 2 === 0 ? 'enum' : 'const', options] as const))(
      '%s style with %j: byte-identical to Prettier on the whole module, or declined',
      async (enumStyle, options) => {
        const { spliced, expected } = await both(portal.ownerTypes, enumStyle, options, portal.pipelines);
        if (spliced !== undefined) expect(spliced).toBe(expected);
        outcomes.push(spliced === undefined ? `declined ${JSON.stringify(options)}` : 'spliced');
      },
    );

    it('covers most of those configs', () => {
      console.log(outcomes.join('; '));
      expect(outcomes.filter((o) => o === 'spliced').length).toBeGreaterThanOrEqual(PIPELINE_OPTION_SETS.length - 2);
    });

    it('is used, not declined, for ordinary configs, with a sample of a few owner types', async () => {
      for (const [enumStyle, options] of [['enum', {}], ['const', { singleQuote: true, semi: false }]] as const) {
        const { spliced, expected, sample } = await both(portal.ownerTypes, enumStyle, options, portal.pipelines);
        expect(spliced, JSON.stringify(options)).toBe(expected);
        expect(sample.length).toBeLessThan(portal.ownerTypes.length / 4);
        // The unusual ones are always in the sample, so their lines are Prettier's own.
        for (const spa of ODD_SPAS) expect(sample.some((t) => t.id === spa.id)).toBe(true);
      }
    });

    it('holds for the hostile pipelines of the goldens', async () => {
      const ownerTypes = [...portal.ownerTypes.filter((t) => t.id > 2)];
      const named = namePipelines([
        {
          ownerTypes: [...ownerTypes, ...HOSTILE_LEAD_DEAL],
          pipelines: { types: [...HOSTILE_PIPELINES.types.filter((t) => t.entityTypeId <= 2), ...portal.pipelines.types.filter((t) => t.ownerType.id > 2).map(unname)] },
        },
      ]).portals[0]!;
      const all = [...HOSTILE_LEAD_DEAL, ...ownerTypes];
      const { spliced, expected } = await both(all, 'enum', {}, named);
      expect(spliced).toBe(expected);
    });

    it('holds for arbitrary stage and pipeline names', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 90 }), fc.string({ unit: 'grapheme', maxLength: 60 })), { minLength: 2, maxLength: 6 }),
          fc.constantFrom<prettier.Options>({}, { singleQuote: true }, { tabWidth: 4, printWidth: 60 }),
          async (names, options) => {
            const odd = withPipelines([{ id: 5010, title: names[0]!, pipelineNames: ['General', names[1]!], stageNames: names.slice(1) }]);
            const { spliced, expected } = await both(odd.ownerTypes, 'enum', options, odd.pipelines);
            if (spliced !== undefined) expect(spliced).toBe(expected);
          },
        ),
        { numRuns: 6 },
      );
    });
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

const HOSTILE_LEAD_DEAL: NamedOwnerType[] = [
  { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: 'Lead', isSpa: false },
  { id: 2, identifier: 'Deal', symbolCode: 'DEAL', shortCode: 'D', name: 'Deal', isSpa: false },
];

/** Named pipelines back to the portal's data, to be named again with other owner types. */
function unname(entry: NamedPipelines['types'][number]): OwnerTypeStages {
  const strip = <T extends { identifier: string }>({ identifier: _identifier, ...rest }: T) => rest;
  if (entry.kind === 'stages') {
    return { kind: 'stages', entityTypeId: entry.ownerType.id, statusEntityId: entry.statusEntityId, stages: entry.stages.map(strip) };
  }
  return {
    kind: 'pipelines',
    entityTypeId: entry.ownerType.id,
    pipelines: entry.pipelines.map((p) => ({ ...strip(p), stages: p.stages.map(strip) })),
  };
}
