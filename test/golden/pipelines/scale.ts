import type { NamedOwnerType } from '../../../src/model/owner-types.js';
import type { OwnerTypeStages, PipelinesData } from '../../../src/model/portal.js';
import { pipeline, stages } from './portals.js';

/** A large portal: `spas` SPAs with two pipelines of `perPipeline` stages each, plus deals and leads. */
export function largePortal(spas: number, perPipeline: number): { ownerTypes: NamedOwnerType[]; pipelines: PipelinesData } {
  const ownerTypes: NamedOwnerType[] = [
    { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: 'Lead', isSpa: false },
    { id: 2, identifier: 'Deal', symbolCode: 'DEAL', shortCode: 'D', name: 'Deal', isSpa: false },
  ];
  const rows = (count: number): [string, string][] =>
    Array.from({ length: count }, (_, index) => (index % 3 === 2 ? [`UC_${String(index).padStart(6, '0')}`, `Step ${index} "x"`] : [`STAGE_${index}`, `Stage ${index}`]));
  const types: OwnerTypeStages[] = [
    { kind: 'stages', entityTypeId: 1, statusEntityId: 'STATUS', stages: stages(undefined, rows(perPipeline)) },
    {
      kind: 'pipelines',
      entityTypeId: 2,
      pipelines: [
        pipeline(0, 'General', 'DEAL_STAGE', stages(undefined, rows(perPipeline)), { isDefault: true }),
        pipeline(1, 'Second', 'DEAL_STAGE_1', stages('C1', rows(perPipeline))),
      ],
    },
  ];
  for (let index = 0; index < spas; index++) {
    const id = 1030 + 2 * index;
    ownerTypes.push({ id, identifier: `Process${id}`, symbolCode: `DYNAMIC_${id}`, shortCode: `T${id.toString(16)}`, name: `Process ${index}`, isSpa: true });
    const first = 1000 + 2 * index;
    types.push({
      kind: 'pipelines',
      entityTypeId: id,
      pipelines: [
        pipeline(first, 'General', `DYNAMIC_${id}_STAGE_${first}`, stages(`DT${id}_${first}`, rows(perPipeline)), { isDefault: true }),
        pipeline(first + 1, `Pipeline ${index}`, `DYNAMIC_${id}_STAGE_${first + 1}`, stages(`DT${id}_${first + 1}`, rows(perPipeline))),
      ],
    });
  }
  return { ownerTypes, pipelines: { types } };
}
