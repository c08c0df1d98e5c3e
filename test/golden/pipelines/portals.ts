import type { NamedOwnerType } from '../../../src/model/owner-types.js';
import type { OwnerTypeStages, Pipeline, PipelinesData, Stage, StageSemantics } from '../../../src/model/portal.js';

/**
 * Portal A of the reference's fake-portal plan (bitrix24-pipelines.md §7.5), built by hand as the model
 * gives it: deals in three pipelines with user-added and numeric stages, an SPA with two pipelines, leads
 * with a user-added and a legacy numeric stage, quotes, smart invoices, and contacts with a pipeline but no
 * stages. Portal B is A after export and import: every ID renumbered, names and codes kept.
 */

const system = (id: number, identifier: string, symbolCode: string, shortCode: string, name: string): NamedOwnerType => ({
  id,
  identifier,
  symbolCode,
  shortCode,
  name,
  isSpa: false,
});
const spa = (id: number, identifier: string, name: string): NamedOwnerType => ({
  id,
  identifier,
  symbolCode: `DYNAMIC_${id}`,
  shortCode: `T${id.toString(16)}`,
  name,
  isSpa: true,
});

type StageRow = readonly [code: string, name: string, semantics?: 'S' | 'F'];

let rowId = 100;
/** Stages in the portal's order, SORT 10, 20, …; `prefix` is `C3` or `DT177_7` (none for bare codes). */
export function stages(prefix: string | undefined, rows: readonly StageRow[]): Stage[] {
  return rows.map(([code, name, flag], index) => {
    const semantics: StageSemantics = flag === 'S' ? 'success' : flag === 'F' ? 'failure' : 'process';
    rowId += 1;
    return {
      statusId: prefix === undefined ? code : `${prefix}:${code}`,
      code,
      name,
      sort: (index + 1) * 10,
      rowId,
      semantics,
    };
  });
}

export function pipeline(
  categoryId: number,
  name: string | undefined,
  statusEntityId: string | undefined,
  stageList: readonly Stage[],
  extra: Partial<Pipeline> = {},
): Pipeline {
  return { categoryId, name, sort: 100, isDefault: false, readable: true, statusEntityId, stages: stageList, ...extra };
}

const DEAL_DEFAULTS: StageRow[] = [
  ['NEW', 'New'],
  ['PREPARATION', 'Document preparation'],
  ['PREPAYMENT_INVOICE', 'Invoice'],
  ['EXECUTING', 'In progress'],
  ['FINAL_INVOICE', 'Final invoice'],
  ['WON', 'Deal won', 'S'],
  ['LOSE', 'Deal lost', 'F'],
  ['APOLOGY', 'Analyze failure', 'F'],
];

const SPA_DEFAULTS: StageRow[] = [
  ['NEW', 'Start'],
  ['PREPARATION', 'Preparation'],
  ['CLIENT', 'Waiting for client'],
  ['SUCCESS', 'Success', 'S'],
  ['FAIL', 'Fail', 'F'],
];

export const OWNER_TYPES: readonly NamedOwnerType[] = [
  system(1, 'Lead', 'LEAD', 'L', 'Lead'),
  system(2, 'Deal', 'DEAL', 'D', 'Deal'),
  system(3, 'Contact', 'CONTACT', 'C', 'Contact'),
  system(4, 'Company', 'COMPANY', 'CO', 'Company'),
  system(7, 'Quote', 'QUOTE', 'Q', 'Estimate'),
  system(31, 'SmartInvoice', 'SMART_INVOICE', 'SI', 'Invoice'),
  spa(177, 'EquipmentPurchase', 'Equipment procurement'),
];

interface Ids {
  readonly spa: number;
  readonly spaDefault: number;
  readonly spaSecond: number;
  readonly wholesale: number;
  readonly service: number;
  readonly invoice: number;
}

function portal(ids: Ids): PipelinesData {
  const types: OwnerTypeStages[] = [
    {
      kind: 'stages',
      entityTypeId: 1,
      statusEntityId: 'STATUS',
      stages: stages(undefined, [
        ['NEW', 'Unprocessed'],
        ['IN_PROCESS', 'In progress'],
        ['UC_NJ6R1M', 'New approach'],
        ['1', 'Callback requested'],
        ['PROCESSED', 'Processed'],
        ['CONVERTED', 'Good lead', 'S'],
        ['JUNK', 'Junk lead', 'F'],
      ]),
    },
    {
      kind: 'pipelines',
      entityTypeId: 2,
      pipelines: [
        pipeline(0, 'General', 'DEAL_STAGE', stages(undefined, [...DEAL_DEFAULTS.slice(0, 5), ['UC_Q9J6VV', 'Contract signed'], ...DEAL_DEFAULTS.slice(5)]), {
          sort: 300,
          isDefault: true,
        }),
        pipeline(
          ids.wholesale,
          'Wholesale',
          `DEAL_STAGE_${ids.wholesale}`,
          stages(`C${ids.wholesale}`, [
            ...DEAL_DEFAULTS.slice(0, 2),
            ['1', 'Waiting for the court'],
            ['UC_YYTFYG', 'Shipping'],
            ...DEAL_DEFAULTS.slice(2),
          ]),
        ),
        pipeline(ids.service, 'Service', `DEAL_STAGE_${ids.service}`, stages(`C${ids.service}`, DEAL_DEFAULTS)),
      ],
    },
    {
      kind: 'pipelines',
      entityTypeId: 3,
      pipelines: [pipeline(0, 'Contacts', undefined, [], { isDefault: true })],
    },
    {
      kind: 'stages',
      entityTypeId: 7,
      statusEntityId: 'QUOTE_STATUS',
      stages: stages(undefined, [
        ['DRAFT', 'New'],
        ['SENT', 'Sent to client'],
        ['APPROVED', 'Approved', 'S'],
        ['DECLAINED', 'Declined', 'F'],
      ]),
    },
    {
      kind: 'pipelines',
      entityTypeId: 31,
      pipelines: [
        pipeline(
          ids.invoice,
          'Invoices',
          `SMART_INVOICE_STAGE_${ids.invoice}`,
          stages(`DT31_${ids.invoice}`, [
            ['N', 'New'],
            ['S', 'Sent'],
            ['P', 'Paid', 'S'],
            ['D', 'Declined', 'F'],
          ]),
          { isDefault: true },
        ),
      ],
    },
    {
      kind: 'pipelines',
      entityTypeId: ids.spa,
      pipelines: [
        pipeline(
          ids.spaDefault,
          'General',
          `DYNAMIC_${ids.spa}_STAGE_${ids.spaDefault}`,
          stages(`DT${ids.spa}_${ids.spaDefault}`, [...SPA_DEFAULTS.slice(0, 3), ['UC_0VHWE2', 'Negotiation'], ...SPA_DEFAULTS.slice(3)]),
          { isDefault: true, sort: 500 },
        ),
        pipeline(
          ids.spaSecond,
          'Second pipeline',
          `DYNAMIC_${ids.spa}_STAGE_${ids.spaSecond}`,
          stages(`DT${ids.spa}_${ids.spaSecond}`, SPA_DEFAULTS),
        ),
      ],
    },
  ];
  return { types };
}

export const PORTAL_A: PipelinesData = portal({ spa: 177, spaDefault: 7, spaSecond: 9, wholesale: 3, service: 9, invoice: 5 });

/** Portal A after export and import: 177 → 1046, categories 7 → 88, 9 → 90; deals 3 → 4, 9 → 11. */
export const PORTAL_B: PipelinesData = portal({ spa: 1046, spaDefault: 88, spaSecond: 90, wholesale: 4, service: 11, invoice: 5 });

export const OWNER_TYPES_B: readonly NamedOwnerType[] = OWNER_TYPES.map((type) =>
  type.id === 177 ? spa(1046, type.identifier, type.name) : type,
);
