import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnumStyle } from '../../../src/model/owner-types.js';
import type { PipelinesData } from '../../../src/model/portal.js';
import { loadTemplates, type ModuleTemplates } from '../../../src/emit/templates.js';
import { PORTAL_A_CASE, renderPortal } from './cases.js';

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
