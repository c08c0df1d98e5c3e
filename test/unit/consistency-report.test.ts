import { describe, expect, it } from 'vitest';
import type { NamedOwnerType } from '../../src/model/owner-types.js';
import type { NamedPipelines } from '../../src/naming/name-pipelines.js';
import { consistencyReport, renderConsistency } from '../../src/output/consistency-report.js';

const type = (id: number, identifier: string, name = identifier): NamedOwnerType => ({
  id,
  identifier,
  name,
  symbolCode: id > 100 ? `DYNAMIC_${id}` : identifier.toUpperCase(),
  shortCode: '',
  isSpa: id > 100,
});
const stage = (statusId: string, identifier: string) => ({
  statusId,
  code: statusId.split(':').at(-1)!,
  name: identifier,
  sort: 10,
  rowId: 1,
  semantics: 'process' as const,
  identifier,
});
function deals(ownerType: NamedOwnerType, pipelines: Array<[number, string, string[]]>): NamedPipelines['types'][number] {
  return {
    kind: 'pipelines',
    ownerType,
    pipelines: pipelines.map(([categoryId, identifier, stages]) => ({
      categoryId,
      name: identifier,
      sort: 10,
      isDefault: categoryId === 0,
      readable: true,
      statusEntityId: categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`,
      identifier,
      stages: stages.map((code) => stage(categoryId === 0 ? code : `C${categoryId}:${code}`, code === 'WON' ? 'Won' : code)),
    })),
  };
}

describe('consistency report', () => {
  it('is empty when the portals have the same things under other IDs', () => {
    const deal = type(2, 'Deal');
    const report = consistencyReport([
      { name: 'dev', types: [deal, type(177, 'Equipment')], pipelines: { types: [deals(deal, [[0, 'Default', ['NEW', 'WON']], [3, 'Wholesale', ['WON']]])] } },
      { name: 'prod', types: [deal, type(1046, 'Equipment')], pipelines: { types: [deals(deal, [[0, 'Default', ['NEW', 'WON']], [4, 'Wholesale', ['WON']]])] } },
    ]);
    expect(report).toEqual({ portals: ['dev', 'prod'], entries: [] });
  });

  it('lists an SPA, a pipeline and a stage some portals lack, with each portal\'s ID, and not what they hold', () => {
    const deal = type(2, 'Deal');
    const report = consistencyReport([
      {
        name: 'dev',
        types: [deal, type(177, 'Equipment'), type(190, 'Rental', 'Rental "cars"')],
        pipelines: { types: [deals(deal, [[0, 'Default', ['NEW', 'WON', 'UC_X']], [3, 'Wholesale', ['WON']], [9, 'Service', ['WON']]])] },
      },
      { name: 'prod', types: [deal, type(1046, 'Equipment')], pipelines: { types: [deals(deal, [[0, 'Default', ['NEW', 'WON']], [4, 'Wholesale', ['WON']]])] } },
      { name: 'demo', types: [deal, type(1046, 'Equipment'), type(1050, 'Rental')], pipelines: undefined },
    ]);
    expect(report.entries.map((e) => [e.kind, e.place, e.on, e.missingOn])).toEqual([
      ['section', 'Category, Stage', [{ portal: 'dev', id: '' }, { portal: 'prod', id: '' }], ['demo']],
      ['SPA', 'Spa.Rental', [{ portal: 'dev', id: 190 }, { portal: 'demo', id: 1050 }], ['prod']],
      ['pipeline', 'Category.Deal.Service', [{ portal: 'dev', id: 9 }], ['prod']],
      ['stage', 'Stage.Deal.Default.UC_X', [{ portal: 'dev', id: 'UC_X' }], ['prod']],
    ]);
    expect(renderConsistency(report, { demo: 'not read' })).toEqual([
      'pipelines and stages (Category, Stage) are in the modules of dev, prod but not of demo (not read)',
      'SPA Spa.Rental "Rental \\"cars\\"" is on dev (ID 190), demo (ID 1050), not on prod',
      'pipeline Category.Deal.Service "Service" is on dev (ID 9), not on prod',
      'stage Stage.Deal.Default.UC_X "UC_X" is on dev ("UC_X"), not on prod',
    ]);
  });
});
