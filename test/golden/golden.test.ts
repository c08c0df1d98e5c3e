import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { EnumStyle } from '../../src/model/owner-types.js';
import { readGeneratedModule } from '../../src/emit/read-generated-module.js';
import { renderModule } from '../../src/emit/render-module.js';
import { loadTemplates } from '../../src/emit/templates.js';
import { GOLDEN_CASES, GOLDEN_HEADER, loadNamedTypes } from './cases.js';

const update = process.env['UPDATE_GOLDEN'] === '1';
const styles: readonly EnumStyle[] = ['enum', 'const'];

describe.each(GOLDEN_CASES)('golden $fixture', (golden) => {
  it.each(styles)('renders the %s style exactly as committed', async (enumStyle) => {
    const types = await loadNamedTypes(golden);
    const text = renderModule({ types, enumStyle, header: GOLDEN_HEADER, templates: await loadTemplates() });
    const file = new URL(`expected/${golden.name}.${enumStyle}.ts`, import.meta.url);
    if (update) await writeFile(file, text);
    expect(text).toBe(await readFile(file, 'utf8'));
    expect(text).toBe(renderModule({ types, enumStyle, header: GOLDEN_HEADER, templates: await loadTemplates() }));
  });

  it.each(styles)('reads the %s style back', async (enumStyle) => {
    const types = await loadNamedTypes(golden);
    const text = await readFile(new URL(`expected/${golden.name}.${enumStyle}.ts`, import.meta.url), 'utf8');
    expect(readGeneratedModule(text)).toEqual(
      types.map(({ identifier, id, symbolCode, shortCode, name, isSpa }) => ({ identifier, id, symbolCode, shortCode, name, isSpa })),
    );
  });
});
