// Portal datasets for the fake portal: one plain description of a portal (owner types, SPAs, pipelines,
// stages) from which every answer is derived, so crm.enum.ownertype, crm.status.*, crm.category.list and
// crm.type.* always agree with each other. Typed in portal-datasets.d.mts.
import { readFileSync } from 'node:fs';

const SEED = JSON.parse(readFileSync(new URL('../fixtures/seed-response.json', import.meta.url), 'utf8'));

/** The doc page's sample, in the portal's order (177 before 156). */
export function seedOwnerTypes() {
  return structuredClone(SEED.result);
}

const stage = (code, name, sort, semantics = null, color = undefined) => ({ code, name, sort, semantics, ...(color ? { color } : {}) });

const DEAL_DEFAULTS = () => [
  stage('NEW', 'New', 10),
  stage('PREPARATION', 'Preparing documents', 20),
  stage('PREPAYMENT_INVOICE', 'Invoice for prepayment', 30),
  stage('EXECUTING', 'In progress', 40),
  stage('FINAL_INVOICE', 'Final invoice', 50),
  stage('WON', 'Deal successful', 60, 'S'),
  stage('LOSE', 'Deal lost', 70, 'F'),
  stage('APOLOGY', 'Failure reason analysis', 80, 'F'),
];
const SPA_DEFAULTS = () => [
  stage('NEW', 'Start', 10),
  stage('PREPARATION', 'Preparation', 20),
  stage('CLIENT', 'Awaiting client', 30),
  stage('SUCCESS', 'Success', 40, 'S'),
  stage('FAIL', 'Fail', 50, 'F'),
];
const INVOICE_DEFAULTS = () => [stage('N', 'New', 10), stage('S', 'Sent to client', 20), stage('P', 'Paid', 30, 'S'), stage('D', 'Declined', 40, 'F')];
const DOCUMENT_DEFAULTS = () => [
  stage('DRAFT', 'Draft', 10),
  stage('PROCESSING', 'Processing', 20),
  stage('SENT', 'Sent', 30),
  stage('SEMISIGNED', 'Signed by one party', 40),
  stage('SIGNED', 'Signed', 50),
  stage('ARCHIVE', 'Archived', 60, 'S'),
  stage('NOTSIGNED', 'Not signed', 70, 'F'),
];

/** The default stages a new pipeline of this owner type gets. */
export function defaultStages(entityTypeId) {
  if (entityTypeId === 2) return DEAL_DEFAULTS();
  if (entityTypeId === 31) return INVOICE_DEFAULTS();
  if (entityTypeId === 36) return DOCUMENT_DEFAULTS();
  return SPA_DEFAULTS();
}

const DICTIONARIES = () => [
  { entityId: 'SOURCE', name: 'Sources', items: [stage('CALL', 'Call', 10), stage('EMAIL', 'E-Mail', 20), stage('WEB', 'Website', 30), stage('OTHER', 'Other', 40)] },
  { entityId: 'CONTACT_TYPE', name: 'Contact type', items: [stage('CLIENT', 'Clients', 10), stage('SUPPLIER', 'Suppliers', 20)] },
  { entityId: 'COMPANY_TYPE', name: 'Company type', items: [stage('CUSTOMER', 'Client', 10), stage('PARTNER', 'Partner', 20)] },
  { entityId: 'EMPLOYEES', name: 'Employees', items: [stage('EMPLOYEES_1', 'fewer than 50', 10)] },
  { entityId: 'INDUSTRY', name: 'Industry', items: [stage('IT', 'Information Technology', 10), stage('OTHER', 'Other', 20)] },
  { entityId: 'DEAL_TYPE', name: 'Deal type', items: [stage('SALE', 'Sales', 10), stage('SERVICE', 'After-sales service', 20)] },
  { entityId: 'HONORIFIC', name: 'Salutations', items: [stage('HNR_EN_1', 'Mr.', 10), stage('HNR_EN_2', 'Mrs.', 20)] },
  { entityId: 'CALL_LIST', name: 'Call list statuses', items: [stage('IN_WORK', 'In progress', 10), stage('SUCCESS', 'Successful', 20)] },
];

/**
 * The seed portal: the doc sample's owner types with deals in three pipelines, two SPA pipelines for 177,
 * user-added (`UC_…`) and legacy numeric stages, SEMANTICS `null` on old rows and `"P"` on new ones, and
 * custom stages whose SORT puts them between rows created before them.
 */
export function seedDataset() {
  return {
    ownerTypes: seedOwnerTypes(),
    spas: [
      { entityTypeId: 177, id: 7, code: '', isCategoriesEnabled: 'Y', isStagesEnabled: 'Y' },
      { entityTypeId: 156, id: 3, code: 'purchase', isCategoriesEnabled: 'N', isStagesEnabled: 'Y' },
    ],
    stageLists: [
      {
        entityId: 'STATUS',
        entityTypeId: 1,
        name: 'Lead stages',
        stages: [
          stage('NEW', 'Unassigned', 10),
          stage('IN_PROCESS', 'In progress', 20),
          stage('PROCESSED', 'Processed', 30),
          stage('CONVERTED', 'Good lead', 40, 'S'),
          stage('JUNK', 'Junk lead', 50, 'F'),
          stage('1', 'Call back later', 35),
          stage('UC_NJ6R1M', 'NEW APPROACH', 25, 'P'),
        ],
      },
      {
        entityId: 'QUOTE_STATUS',
        entityTypeId: 7,
        name: 'Quote stages',
        stages: [
          stage('DRAFT', 'New', 10),
          stage('SENT', 'Sent to client', 20),
          stage('APPROVED', 'Approved', 30, 'S'),
          stage('DECLAINED', 'Declined', 40, 'F'),
          stage('APOLOGY', 'Failure analysis', 50, 'F'),
        ],
      },
    ],
    pipelines: [
      { entityTypeId: 2, categoryId: 0, name: 'General', sort: 300, isDefault: true, stages: [...DEAL_DEFAULTS(), stage('UC_Q9J6VV', 'Negotiation', 45, 'P')] },
      {
        entityTypeId: 2,
        categoryId: 3,
        name: 'Wholesale',
        sort: 100,
        isDefault: false,
        stages: [...DEAL_DEFAULTS(), stage('1', 'Contract signed', 35), stage('UC_YYTFYG', 'Shipping', 55, 'P')],
      },
      { entityTypeId: 2, categoryId: 9, name: 'Service', sort: 200, isDefault: false, stages: DEAL_DEFAULTS() },
      { entityTypeId: 31, categoryId: 5, name: 'General', sort: 500, isDefault: true, stages: INVOICE_DEFAULTS() },
      { entityTypeId: 36, categoryId: 13, name: 'General', sort: 500, isDefault: true, stages: DOCUMENT_DEFAULTS() },
      {
        entityTypeId: 177,
        categoryId: 7,
        name: 'General',
        sort: 500,
        isDefault: true,
        stages: [...SPA_DEFAULTS(), stage('UC_0VHWE2', 'Supplier chosen', 35, 'P')],
      },
      { entityTypeId: 177, categoryId: 9, name: 'Second pipeline', sort: 600, isDefault: false, stages: SPA_DEFAULTS() },
      { entityTypeId: 156, categoryId: 11, name: 'General', sort: 500, isDefault: true, stages: SPA_DEFAULTS() },
    ],
    dictionaries: DICTIONARIES(),
  };
}

/**
 * Renumbers a dataset as a configuration export/import does: new SPA entity type IDs and row IDs, new
 * category IDs (stage prefixes follow), titles, names, codes and stage codes kept.
 * @param {ReturnType<typeof seedDataset>} dataset
 * @param {{ entityTypeIds?: Record<number, number>, typeIds?: Record<number, number>, categories?: Record<string, number> }} map
 *   `categories` keys are `"<entityTypeId>:<categoryId>"` of the source dataset.
 */
export function renumberDataset(dataset, map) {
  const out = structuredClone(dataset);
  const etid = (id) => map.entityTypeIds?.[id] ?? id;
  out.ownerTypes = out.ownerTypes.map((type) => {
    const id = Number(type.ID);
    if (!String(type.SYMBOL_CODE).startsWith('DYNAMIC_') || etid(id) === id) return type;
    const next = etid(id);
    return { ...type, ID: next, SYMBOL_CODE: `DYNAMIC_${next}`, SYMBOL_CODE_SHORT: `T${next.toString(16)}` };
  });
  out.spas = out.spas.map((spa) => ({ ...spa, entityTypeId: etid(spa.entityTypeId), id: map.typeIds?.[spa.entityTypeId] ?? spa.id }));
  out.pipelines = out.pipelines.map((pipeline) => ({
    ...pipeline,
    entityTypeId: etid(pipeline.entityTypeId),
    categoryId: map.categories?.[`${pipeline.entityTypeId}:${pipeline.categoryId}`] ?? pipeline.categoryId,
  }));
  return out;
}

/**
 * The seed portal after export and import into another portal (reference §1.5, §3.1): 177 → 1046 (row 21),
 * 156 → 1048 (row 22); categories 7 → 88, 9 → 90, 11 → 92; deal pipelines 3 → 4, 9 → 11; the target
 * portal's own smart invoice and smart document pipelines 1 and 2.
 */
export function twinDataset() {
  return renumberDataset(seedDataset(), {
    entityTypeIds: { 177: 1046, 156: 1048 },
    typeIds: { 177: 21, 156: 22 },
    categories: { '177:7': 88, '177:9': 90, '156:11': 92, '2:3': 4, '2:9': 11, '31:5': 1, '36:13': 2 },
  });
}

const TITLES = [
  'Equipment Purchase',
  'Закупка оборудования',
  'Geräteeinkauf',
  'Purchase',
  'Договоры',
  'Verträge',
  'Service Requests',
  'Заявки на обслуживание',
  'Lieferungen & Rücksendungen',
  'Projects',
  'Проекты',
  'Übersetzungen',
  'Purchase',
  '🚚 Deliveries',
  'Отпуска сотрудников',
  'Straßenbau',
  'Support Tickets',
  'Склад',
  'Projects',
  'Lead',
  '2024 Budget',
  'Größenänderungen',
  'Partners / Agents',
  'Партнёры',
];

/**
 * `count` smart processes with realistic ids (128–191 not already taken, then even ids from 1030) and mixed
 * titles (English, Russian, German, emoji, duplicates, one that collides with a system type), in a
 * deterministic shuffled order, as a portal lists them.
 */
export function generateSpas(count, takenIds = new Set()) {
  const ids = [];
  for (let id = 128; id <= 191 && ids.length < count; id++) if (!takenIds.has(id)) ids.push(id);
  for (let id = 1030; ids.length < count; id += 2) if (!takenIds.has(id)) ids.push(id);
  const spas = ids.map((id, index) => ({
    ID: id,
    NAME: TITLES[index % TITLES.length],
    SYMBOL_CODE: `DYNAMIC_${id}`,
    SYMBOL_CODE_SHORT: `T${id.toString(16)}`,
  }));
  let seed = 0x2545f491;
  for (let i = spas.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [spas[i], spas[j]] = [spas[j], spas[i]];
  }
  return spas;
}

const CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The seed portal plus `spas` generated SPAs with `pipelines` pipelines each: the default stages plus one
 * user-added `UC_` stage per pipeline (`spas × pipelines × 6` stages). Deterministic.
 */
export function largeDataset({ spas = 200, pipelines = 2 } = {}) {
  const dataset = seedDataset();
  const added = generateSpas(spas, new Set(dataset.ownerTypes.map((type) => Number(type.ID))));
  dataset.ownerTypes.push(...added);
  let seed = 0x9e3779b9;
  const ucCode = () => {
    let code = 'UC_';
    for (let i = 0; i < 6; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      code += CODE_ALPHABET[(seed >>> 8) % CODE_ALPHABET.length];
    }
    return code;
  };
  let categoryId = 100;
  let typeId = 100;
  for (const spa of [...added].sort((a, b) => a.ID - b.ID)) {
    dataset.spas.push({ entityTypeId: spa.ID, id: typeId++, code: '', isCategoriesEnabled: pipelines > 1 ? 'Y' : 'N', isStagesEnabled: 'Y' });
    for (let p = 0; p < pipelines; p++) {
      dataset.pipelines.push({
        entityTypeId: spa.ID,
        categoryId: categoryId++,
        name: p === 0 ? 'General' : `Pipeline ${p + 1}`,
        sort: 500 + p * 100,
        isDefault: p === 0,
        stages: [...SPA_DEFAULTS(), stage(ucCode(), `Custom stage ${p + 1}`, 35, 'P')],
      });
    }
  }
  return dataset;
}

/** A named dataset: `seed`, `twin`, or `large` (options: `spas`, `pipelines`). */
export function namedDataset(name, options = {}) {
  if (name === 'seed') return seedDataset();
  if (name === 'twin') return twinDataset();
  if (name === 'large') return largeDataset(options);
  throw new Error(`fake-portal: unknown dataset ${JSON.stringify(name)} (seed, twin or large)`);
}
