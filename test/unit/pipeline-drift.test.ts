import { describe, expect, it } from 'vitest';
import { describePipelineDrift, type PipelineEntry } from '../../src/output/drift-report.js';

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

  it('escapes stage IDs as the module does', () => {
    const lines = describePipelineDrift([], [stage('Deal', 'Default', 'Odd', 'C1:\u202Eevil')]);
    expect(lines).toEqual(['stage added: Stage.Deal.Default.Odd = "C1:\\u202Eevil"']);
  });
});
