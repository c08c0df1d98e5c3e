import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnumStyle } from '../../../src/model/owner-types.js';
import type { PipelinesData } from '../../../src/model/portal.js';
import { loadTemplates, type ModuleTemplates } from '../../../src/emit/templates.js';
import { PORTAL_A_CASE, renderPortal, renderRenamedPortalA, renderOver, renamedPortalA } from './cases.js';

const update = process.env['UPDATE_GOLDEN'] === '1';
const styles: readonly EnumStyle[] = ['enum', 'const'];

let templates: ModuleTemplates;
beforeAll(async () => {
  templates = await loadTemplates();
});

/** The same portal with every list reversed: statuses, pipelines and owner types in another order. */
function reversed(data: PipelinesData): PipelinesData {
  return {
    types: [...data.types].reverse().map((entry) =>
      entry.kind === 'stages'
        ? { ...entry, stages: [...entry.stages].reverse() }
        : { ...entry, pipelines: [...entry.pipelines].reverse().map((p) => ({ ...p, stages: [...p.stages].reverse() })) },
    ),
  };
}

describe('golden: pipelines and stages of the reference portal', () => {
  it.each(styles)('renders the %s style exactly as committed', async (enumStyle) => {
    const text = renderPortal(PORTAL_A_CASE.ownerTypes, PORTAL_A_CASE.pipelines, enumStyle, templates);
    const file = new URL(`expected/${PORTAL_A_CASE.name}.${enumStyle}.ts`, import.meta.url);
    if (update) await writeFile(file, text);
    expect(text).toBe(await readFile(file, 'utf8'));
  });

  it.each(styles)('renders the %s style byte for byte the same for any input order', (enumStyle) => {
    const text = renderPortal(PORTAL_A_CASE.ownerTypes, PORTAL_A_CASE.pipelines, enumStyle, templates);
    expect(renderPortal([...PORTAL_A_CASE.ownerTypes].reverse(), reversed(PORTAL_A_CASE.pipelines), enumStyle, templates)).toBe(text);
  });
});

describe('golden: the reference portal after renames, over its earlier modules', () => {
  it.each(styles)('keeps every old name as a deprecated alias, in the %s style, exactly as committed', async (enumStyle) => {
    const { second: text } = renderRenamedPortalA(enumStyle, templates);
    const file = new URL(`expected/portal-a-renamed.${enumStyle}.ts`, import.meta.url);
    if (update) await writeFile(file, text);
    expect(text).toBe(await readFile(file, 'utf8'));
    for (const alias of ['EquipmentPurchase', 'Procurement']) {
      expect(text).toContain(`@deprecated Renamed to EntityTypeId.Sourcing (the same value)`);
      expect(text).toMatch(new RegExp(`^  ${alias}(: 177| = Sourcing),?$`, 'm'));
    }
    expect(text).toContain('@deprecated Renamed to Stage.Deal.BulkSales.Loading (the same value)');
    expect(text).toContain('@deprecated Renamed to Category.Deal.BulkSales (the same value)');
    expect(text).toContain('@deprecated Renamed to Stage.Lead.FreshApproach (the same value)');
  });

  it.each(styles)('is its own fixpoint in the %s style: regenerated over itself, the same bytes', (enumStyle) => {
    const { second } = renderRenamedPortalA(enumStyle, templates);
    const twice = renamedPortalA('Sourcing', { pipelines: { '2:3': 'Bulk sales' }, stages: { 'C3:UC_YYTFYG': 'Loading', UC_NJ6R1M: 'Fresh approach' } });
    expect(renderOver(second, twice.ownerTypes, twice.pipelines, enumStyle, templates).text).toBe(second);
  });

  it.each(styles)('without renames, regenerating over the module adds nothing (%s)', (enumStyle) => {
    const text = renderPortal(PORTAL_A_CASE.ownerTypes, PORTAL_A_CASE.pipelines, enumStyle, templates);
    const again = renderOver(text, PORTAL_A_CASE.ownerTypes, PORTAL_A_CASE.pipelines, enumStyle, templates);
    expect(again.kept.notes).toEqual([]);
    expect(again.text).toBe(text);
  });
});
