import { describe, expect, it } from 'vitest';
import { describePipelineDrift as pipelineDrift, type PipelineEntry } from '../../src/output/drift-report.js';

/** The lines the report prints: the data of each change is checked on its own below. */
const describePipelineDrift = (...args: Parameters<typeof pipelineDrift>) => pipelineDrift(...args).map((change) => change.text);

const pipeline = (ownerType: string, identifier: string, id: number): PipelineEntry => ({ kind: 'pipeline', ownerType, identifier, value: String(id) });
const stage = (ownerType: string, pipelineName: string | undefined, identifier: string, id: string): PipelineEntry => ({
  kind: 'stage',
  ownerType,
  pipeline: pipelineName,
  identifier,
  value: id,
});

describe('describePipelineDrift', () => {
  it('is empty when nothing changed', () => {
    const entries = [pipeline('Deal', 'Default', 0), stage('Deal', 'Default', 'Won', 'WON'), stage('Lead', undefined, 'Converted', 'CONVERTED')];
    expect(describePipelineDrift(entries, [...entries].reverse())).toEqual([]);
  });

  it('names IDs that moved, as between a portal and its export/import twin', () => {
    const before = [pipeline('Deal', 'Wholesale', 3), stage('Deal', 'Wholesale', 'Won', 'C3:WON')];
    const after = [pipeline('Deal', 'Wholesale', 4), stage('Deal', 'Wholesale', 'Won', 'C4:WON')];
    expect(describePipelineDrift(before, after)).toEqual([
      'pipeline ID moved: Category.Deal.Wholesale 3 → 4',
      'stage ID moved: Stage.Deal.Wholesale.Won "C3:WON" → "C4:WON"',
    ]);
  });

  it('names renames by the kept ID, and what was added or removed', () => {
    const before = [pipeline('Deal', 'Service', 9), stage('Lead', undefined, 'NewApproach', 'UC_NJ6R1M'), stage('Lead', undefined, 'Junk', 'JUNK')];
    const after = [pipeline('Deal', 'Repairs', 9), stage('Lead', undefined, 'FreshApproach', 'UC_NJ6R1M'), stage('Lead', undefined, 'Call', 'UC_AB12CD')];
    expect(describePipelineDrift(before, after)).toEqual([
      'pipeline renamed: Category.Deal.Service → Category.Deal.Repairs (9)',
      'stage renamed: Stage.Lead.NewApproach → Stage.Lead.FreshApproach ("UC_NJ6R1M")',
      'stage added: Stage.Lead.Call = "UC_AB12CD"',
      'stage removed: Stage.Lead.Junk = "JUNK"',
    ]);
  });

  it('says a pipeline rename once: its stages went with it, and a stage renamed inside it is its own line', () => {
    const before = [
      pipeline('Deal', 'Wholesale', 3),
      stage('Deal', 'Wholesale', 'New', 'C3:NEW'),
      stage('Deal', 'Wholesale', 'Won', 'C3:WON'),
      stage('Deal', 'Wholesale', 'Loading', 'C3:UC_YYTFYG'),
    ];
    const after = [
      pipeline('Deal', 'BulkSales', 3),
      stage('Deal', 'BulkSales', 'New', 'C3:NEW'),
      stage('Deal', 'BulkSales', 'Won', 'C3:WON'),
      stage('Deal', 'BulkSales', 'Shipping', 'C3:UC_YYTFYG'),
    ];
    expect(describePipelineDrift(before, after)).toEqual([
      'pipeline renamed: Category.Deal.Wholesale → Category.Deal.BulkSales (3); its 2 stages with it',
      'stage renamed: Stage.Deal.Wholesale.Loading → Stage.Deal.BulkSales.Shipping ("C3:UC_YYTFYG")',
    ]);
  });

  it('says nothing of the pipelines and stages of a renamed owner type that did not change themselves', () => {
    const before = [pipeline('Purchase', 'Default', 7), stage('Purchase', 'Default', 'New', 'DT156_7:NEW'), stage('Purchase', 'Default', 'Odd', 'DT156_7:UC_A')];
    const after = [pipeline('Procurement', 'Default', 7), stage('Procurement', 'Default', 'New', 'DT156_7:NEW'), stage('Procurement', 'Default', 'Even', 'DT156_7:UC_A')];
    expect(describePipelineDrift(before, after, new Map([['Purchase', 'Procurement']]))).toEqual([
      'stage renamed: Stage.Purchase.Default.Odd → Stage.Procurement.Default.Even ("DT156_7:UC_A")',
    ]);
    // Without the owner type's rename, every path is new.
    expect(describePipelineDrift(before, after)).toHaveLength(6);
  });

  it('escapes stage IDs as the module does', () => {
    const lines = describePipelineDrift([], [stage('Deal', 'Default', 'Odd', 'C1:\u202Eevil')]);
    expect(lines).toEqual(['stage added: Stage.Deal.Default.Odd = "C1:\\u202Eevil"']);
  });
});

describe('describePipelineDrift as data', () => {
  it('gives each change its kind, subject, path, the values that changed and the ID that stayed', () => {
    const before = [pipeline('Deal', 'Wholesale', 3), stage('Deal', 'Wholesale', 'New', 'C3:NEW'), stage('Deal', 'Wholesale', 'Won', 'C3:WON'), stage('Lead', undefined, 'Junk', 'JUNK')];
    const after = [pipeline('Deal', 'BulkSales', 3), stage('Deal', 'BulkSales', 'New', 'C3:NEW'), stage('Deal', 'BulkSales', 'Won', 'C3:WON'), stage('Lead', undefined, 'Call', 'UC_AB12CD')];
    const changes = pipelineDrift(before, after).map(({ text: _text, ...data }) => data);
    expect(changes).toEqual([
      { change: 'renamed', subject: 'pipeline', path: 'Category.Deal.BulkSales', from: 'Category.Deal.Wholesale', to: 'Category.Deal.BulkSales', id: 3, stages: 2 },
      { change: 'added', subject: 'stage', path: 'Stage.Lead.Call', id: 'UC_AB12CD' },
      { change: 'removed', subject: 'stage', path: 'Stage.Lead.Junk', id: 'JUNK' },
    ]);
    const moved = pipelineDrift([pipeline('Deal', 'Wholesale', 3)], [pipeline('Deal', 'Wholesale', 4)]);
    expect(moved).toMatchObject([{ change: 'id-moved', subject: 'pipeline', path: 'Category.Deal.Wholesale', from: 3, to: 4 }]);
  });
});
