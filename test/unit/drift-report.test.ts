import { describe, expect, it } from 'vitest';
import { describeDrift, type ModuleEntry } from '../../src/output/drift-report.js';

const entry = (identifier: string, id: number, symbolCode: string, name: string, isSpa = symbolCode.startsWith('DYNAMIC_')): ModuleEntry => ({
  identifier,
  id,
  symbolCode,
  shortCode: isSpa ? `T${id.toString(16)}` : symbolCode[0] ?? '',
  name,
  isSpa,
});

const lead = entry('Lead', 1, 'LEAD', 'Lead');
const deal = entry('Deal', 2, 'DEAL', 'Deal');
const purchase = entry('Purchase', 156, 'DYNAMIC_156', 'Purchase');

describe('describeDrift', () => {
  it('says nothing when nothing changed', () => {
    expect(describeDrift([lead, deal, purchase], [lead, deal, purchase])).toEqual([]);
  });

  it('names SPAs added and removed with title and ID', () => {
    const equipment = entry('EquipmentPurchase', 177, 'DYNAMIC_177', 'Equipment Purchase');
    expect(describeDrift([lead, purchase], [lead, equipment])).toEqual([
      'SPA removed: Purchase = 156 (DYNAMIC_156, "Purchase")',
      'SPA added: EquipmentPurchase = 177 (DYNAMIC_177, "Equipment Purchase")',
    ]);
  });

  it('reports the same SPA under another ID as moved (dev vs prod portal)', () => {
    const prod = entry('Purchase', 190, 'DYNAMIC_190', 'Purchase');
    expect(describeDrift([lead, purchase], [lead, prod])).toEqual(['ID moved: Purchase 156 → 190 (DYNAMIC_156 → DYNAMIC_190)']);
  });

  it('reports renames and title changes of the same type', () => {
    const renamed = entry('Procurement', 156, 'DYNAMIC_156', 'Procurement');
    expect(describeDrift([purchase], [renamed])).toEqual([
      'renamed: Purchase → Procurement (DYNAMIC_156, ID 156)',
      'title changed: Procurement (ID 156) "Purchase" → "Procurement"',
    ]);
  });

  it('reports system types that appear or vanish', () => {
    const b2e = entry('SmartB2eDoc', 39, 'SMART_B2E_DOC', 'Company Document', false);
    expect(describeDrift([lead], [lead, b2e])).toEqual(['system type added: SmartB2eDoc = 39 (SMART_B2E_DOC, "Company Document")']);
    expect(describeDrift([lead, b2e], [lead])).toEqual(['system type removed: SmartB2eDoc = 39 (SMART_B2E_DOC, "Company Document")']);
  });

  it('escapes titles so none can garble a terminal', () => {
    const hostile = entry('Evil', 190, 'DYNAMIC_190', 'a\u2028b\u202Ec\u001b[31m');
    expect(describeDrift([], [hostile])).toEqual(['SPA added: Evil = 190 (DYNAMIC_190, "a\\u2028b\\u202Ec\\u001b[31m")']);
  });
});
