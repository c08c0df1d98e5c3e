// The fake portal's methods: what each REST method answers for a dataset (portal-datasets.mjs) and a
// scenario (admin or not, old core, no CRM access, a portal that ignores status filters), shaped exactly as
// the reference documents real answers: string-typed crm.status.list rows, `[]` for empty PHP arrays,
// permission-filtered crm.category.list, 50-row pages of crm.type.list.

const STATUS_FIELDS = new Set(['ID', 'ENTITY_ID', 'STATUS_ID', 'NAME', 'SORT', 'SYSTEM', 'CATEGORY_ID', 'SEMANTICS']);
const STRING_ONLY_FILTERS = new Set(['ENTITY_ID', 'STATUS_ID', 'SORT', 'SEMANTICS']);
const COLORS = { null: '#39A8EF', P: '#2FC6F6', S: '#7BD500', F: '#FF5752' };
const DYNAMIC_STATIC = new Set([31, 36, 39]);
const TYPE_DATE = '2024-07-08T17:24:55+02:00';

/** PHP's parse_str: `a[b][c]=1&list[]=x`, `+` as space, percent-decoding; later keys win. */
export function parseStr(query) {
  const out = {};
  if (!query) return out;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const open = rawKey.indexOf('[');
    const base = open > 0 ? rawKey.slice(0, open) : rawKey;
    if (base === '') continue;
    const path = [base];
    if (open > 0) {
      const rest = rawKey.slice(open);
      const re = /\[([^\]]*)\]/gy;
      let match;
      while ((match = re.exec(rest)) !== null) path.push(match[1]);
    }
    let node = out;
    for (let i = 0; i < path.length; i++) {
      let key = path[i];
      if (key === '' && i > 0) key = String(Object.keys(node).filter((k) => /^\d+$/.test(k)).length);
      if (i === path.length - 1) node[key] = value;
      else {
        if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
        node = node[key];
      }
    }
  }
  return out;
}

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text.replace(/\+/g, ' ');
  }
}

/** A PHP array as json_encode writes it: `[]` when empty, a list for keys 0..n-1 in order, else an object. */
export function phpArray(entries) {
  const keys = Object.keys(entries);
  if (keys.length === 0) return [];
  if (keys.every((key, index) => key === String(index))) return keys.map((key) => entries[key]);
  return entries;
}

const isSpaType = (type) => /^DYNAMIC_\d+$/.test(String(type.SYMBOL_CODE)) && Number.isInteger(Number(type.ID));

function stageEntityId(entityTypeId, categoryId) {
  if (entityTypeId === 2) return categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`;
  if (entityTypeId === 31) return `SMART_INVOICE_STAGE_${categoryId}`;
  if (entityTypeId === 36) return `SMART_DOCUMENT_STAGE_${categoryId}`;
  if (entityTypeId === 39) return `SMART_B2E_DOC_STAGE_${categoryId}`;
  return `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`;
}

function stagePrefix(entityTypeId, categoryId) {
  if (entityTypeId === 2) return categoryId === 0 ? undefined : `C${categoryId}`;
  return `DT${entityTypeId}_${categoryId}`;
}

/** Final failure = the first `F` stage by SORT; later ones are `apology` in EXTRA. */
function extraSemantics(stages) {
  const firstFailure = [...stages].sort((a, b) => a.sort - b.sort).find((s) => s.semantics === 'F');
  return (s) => (s.semantics === 'S' ? 'success' : s.semantics === 'F' ? (s === firstFailure ? 'failure' : 'apology') : 'process');
}

function semanticInfo(stages, prefix) {
  const sorted = [...stages].sort((a, b) => a.sort - b.sort);
  const full = (s) => (s ? (prefix ? `${prefix}:${s.code}` : s.code) : '');
  return {
    START_FIELD: full(sorted[0]),
    FINAL_SUCCESS_FIELD: full(sorted.find((s) => s.semantics === 'S')),
    FINAL_UNSUCCESS_FIELD: full(sorted.find((s) => s.semantics === 'F')),
    FINAL_SORT: 0,
  };
}

/**
 * Everything the methods answer, derived once per dataset change. SPAs of the owner types that the dataset
 * does not describe get a type row and one default pipeline, so every answer stays consistent.
 */
export function derivePortal(dataset, scenario) {
  const ownerTypes = dataset.ownerTypes;
  const served = new Map();
  for (const type of ownerTypes) {
    if (type === null || typeof type !== 'object') continue;
    const id = Number(type.ID);
    if (Number.isInteger(id)) served.set(id, type);
  }
  const spaIds = [...served.values()].filter(isSpaType).map((type) => Number(type.ID));
  const spas = new Map(dataset.spas.filter((spa) => served.has(spa.entityTypeId)).map((spa) => [spa.entityTypeId, { ...spa }]));
  const pipelines = dataset.pipelines.filter((p) => served.has(p.entityTypeId)).map((p) => ({ ...p }));
  let nextTypeId = Math.max(0, ...dataset.spas.map((spa) => spa.id)) + 1;
  let nextCategory = Math.max(0, ...dataset.pipelines.filter((p) => p.entityTypeId !== 2).map((p) => p.categoryId)) + 1;
  for (const entityTypeId of [...spaIds].sort((a, b) => a - b)) {
    if (!spas.has(entityTypeId)) spas.set(entityTypeId, { entityTypeId, id: nextTypeId++, code: '', isCategoriesEnabled: 'N', isStagesEnabled: 'Y' });
    if (!pipelines.some((p) => p.entityTypeId === entityTypeId)) {
      pipelines.push({ entityTypeId, categoryId: nextCategory++, name: 'General', sort: 500, isDefault: true, stages: scenario.defaultStages(entityTypeId) });
    }
  }
  const titleOf = (entityTypeId) => String(served.get(entityTypeId)?.NAME ?? '');

  // b_crm_status: one row per stage, row IDs in creation order (custom stages were added last).
  let rowId = 101;
  const rows = [];
  const addRows = (entityId, categoryId, prefix, stages, withExtra) => {
    const extra = extraSemantics(stages);
    for (const s of stages) {
      const color = s.color ?? COLORS[String(s.semantics)];
      rows.push({
        ID: String(rowId++),
        ENTITY_ID: entityId,
        STATUS_ID: prefix ? `${prefix}:${s.code}` : s.code,
        NAME: s.name,
        NAME_INIT: s.semantics === 'P' || s.code.startsWith('UC_') ? '' : s.name,
        SORT: String(s.sort),
        SYSTEM: s.code.startsWith('UC_') || /^\d+$/.test(s.code) ? 'N' : 'Y',
        CATEGORY_ID: categoryId === undefined ? null : String(categoryId),
        COLOR: color,
        SEMANTICS: s.semantics,
        ...(withExtra ? { EXTRA: { SEMANTICS: extra(s), COLOR: color } } : {}),
      });
    }
  };
  for (const list of dataset.stageLists) if (served.has(list.entityTypeId)) addRows(list.entityId, undefined, undefined, list.stages, true);
  for (const dictionary of dataset.dictionaries) addRows(dictionary.entityId, undefined, undefined, dictionary.items, false);
  for (const p of pipelines) {
    const categoryId = p.entityTypeId === 2 && p.categoryId === 0 ? undefined : p.categoryId;
    addRows(stageEntityId(p.entityTypeId, p.categoryId), categoryId, stagePrefix(p.entityTypeId, p.categoryId), p.stages, p.entityTypeId === 2);
  }

  // crm.status.entity.types, in GetEntityTypes' order.
  const byEntity = (id) => pipelines.filter((p) => p.entityTypeId === id);
  const bySort = (list) => [...list].sort((a, b) => a.sort - b.sort || a.categoryId - b.categoryId);
  const types = [];
  const list = (id) => dataset.stageLists.find((l) => l.entityId === id && served.has(l.entityTypeId));
  const dictionary = (id) => dataset.dictionaries.find((d) => d.entityId === id);
  const pushList = (id) => {
    const l = list(id);
    if (l) types.push({ ID: l.entityId, NAME: l.name, SEMANTIC_INFO: semanticInfo(l.stages), ENTITY_TYPE_ID: l.entityTypeId });
  };
  const pushDictionary = (id) => {
    const d = dictionary(id);
    if (d) types.push({ ID: d.entityId, NAME: d.name });
  };
  const pushDynamic = (p, name) => {
    const prefix = stagePrefix(p.entityTypeId, p.categoryId);
    const entry = {
      ID: stageEntityId(p.entityTypeId, p.categoryId),
      NAME: name,
      SEMANTIC_INFO: [],
      PREFIX: prefix,
      FIELD_ATTRIBUTE_SCOPE: `category_${p.categoryId}`,
      ENTITY_TYPE_ID: p.entityTypeId,
      IS_ENABLED: DYNAMIC_STATIC.has(p.entityTypeId) ? true : spas.get(p.entityTypeId)?.isStagesEnabled !== 'N',
      CATEGORY_ID: p.categoryId,
    };
    if (!scenario.oldCore && !DYNAMIC_STATIC.has(p.entityTypeId)) {
      entry.CATEGORY_NAME = p.name;
      entry.CATEGORY_SORT = p.sort;
      entry.IS_DEFAULT_CATEGORY = p.isDefault;
    }
    types.push(entry);
  };
  pushList('STATUS');
  for (const id of ['SOURCE', 'CONTACT_TYPE', 'COMPANY_TYPE', 'EMPLOYEES', 'INDUSTRY', 'DEAL_TYPE']) pushDictionary(id);
  pushList('INVOICE_STATUS');
  for (const p of bySort(byEntity(31))) pushDynamic(p, 'Invoice stages');
  for (const p of bySort(byEntity(2))) {
    const prefix = stagePrefix(2, p.categoryId);
    if (p.categoryId === 0) {
      types.push({ ID: 'DEAL_STAGE', NAME: 'General deal stages', SEMANTIC_INFO: semanticInfo(p.stages), FIELD_ATTRIBUTE_SCOPE: '', ENTITY_TYPE_ID: 2, CATEGORY_ID: 0 });
    } else {
      types.push({
        ID: `DEAL_STAGE_${p.categoryId}`,
        NAME: `${p.name} deal stages`,
        PARENT_ID: 'DEAL_STAGE',
        SEMANTIC_INFO: semanticInfo(p.stages, prefix),
        PREFIX: prefix,
        FIELD_ATTRIBUTE_SCOPE: `category_${p.categoryId}`,
        ENTITY_TYPE_ID: 2,
        CATEGORY_ID: String(p.categoryId),
      });
    }
  }
  pushList('QUOTE_STATUS');
  pushDictionary('HONORIFIC');
  pushDictionary('CALL_LIST');
  for (const p of bySort(byEntity(36)).filter((p) => p.isDefault)) pushDynamic(p, 'Document stages');
  for (const type of ownerTypes) {
    if (type === null || typeof type !== 'object' || !isSpaType(type)) continue;
    const id = Number(type.ID);
    for (const p of bySort(byEntity(id))) pushDynamic(p, `${titleOf(id)} (${p.name})`);
  }

  return { served, spas, pipelines, rows, types, titleOf };
}

const fail = (error, description, status) => ({ error, description, ...(status ? { status } : {}) });
const ACCESS_DENIED_OLD = () => fail('', 'Access denied.', 400);

function typeFields(spa, title) {
  const yes = (flag) => (flag === 'N' ? 'N' : 'Y');
  return {
    id: spa.id,
    title,
    code: spa.code ?? '',
    createdBy: 1,
    entityTypeId: spa.entityTypeId,
    customSectionId: null,
    isCategoriesEnabled: yes(spa.isCategoriesEnabled),
    isStagesEnabled: yes(spa.isStagesEnabled),
    isBeginCloseDatesEnabled: 'Y',
    isClientEnabled: 'Y',
    isUseInUserfieldEnabled: 'Y',
    isLinkWithProductsEnabled: 'N',
    isMycompanyEnabled: 'Y',
    isDocumentsEnabled: 'Y',
    isSourceEnabled: 'Y',
    isObserversEnabled: 'Y',
    isRecyclebinEnabled: 'Y',
    isAutomationEnabled: 'Y',
    isBizProcEnabled: 'N',
    isSetOpenPermissions: 'N',
    isPaymentsEnabled: 'N',
    isCountersEnabled: 'N',
    createdTime: TYPE_DATE,
    updatedTime: TYPE_DATE,
    updatedBy: 1,
  };
}

function compareBy(order, numeric) {
  const keys = Object.entries(order ?? {});
  return (a, b) => {
    for (const [key, direction] of keys) {
      const desc = String(direction).toUpperCase() !== 'ASC';
      const x = a[key];
      const y = b[key];
      const cmp = numeric.has(key) ? Number(x ?? 0) - Number(y ?? 0) : String(x ?? '').localeCompare(String(y ?? ''));
      if (cmp !== 0) return desc ? -cmp : cmp;
    }
    return 0;
  };
}

const upperKeys = (object) => Object.fromEntries(Object.entries(object && typeof object === 'object' ? object : {}).map(([k, v]) => [k.toUpperCase(), v]));

/**
 * One method call. Returns `{ result, total?, next? }` or `{ error, description, status? }`.
 * @param {ReturnType<typeof derivePortal>} view
 */
export function callMethod(view, name, params, scenario) {
  if (name.startsWith('crm.') && scenario.crmAccess === false) return ACCESS_DENIED_OLD();
  const injected = scenario.commandErrors?.[name];
  if (injected) return fail(injected.error, injected.description ?? '', injected.status);
  switch (name) {
    case 'crm.enum.ownertype':
      return { result: scenario.ownerTypes() };
    case 'crm.status.entity.types':
      return { result: structuredClone(view.types) };
    case 'crm.status.list': {
      const filter = params.filter && typeof params.filter === 'object' ? params.filter : {};
      let rows = view.rows;
      if (!scenario.ignoreStatusFilter) {
        for (const [key, value] of Object.entries(filter)) {
          // Keys not spelled exactly as an upper-case field (entity_id, =ENTITY_ID) are dropped silently.
          if (!STATUS_FIELDS.has(key)) continue;
          if (STRING_ONLY_FILTERS.has(key) && typeof value === 'object' && value !== null) return fail('', `Filter by ${key} must be a string`, 400);
          if (value === '' || value === null || value === undefined) continue;
          rows = rows.filter((row) => row[key] === String(value));
        }
      }
      const order = params.order && typeof params.order === 'object' && Object.keys(params.order).length > 0 ? upperKeys(params.order) : { SORT: 'ASC' };
      rows = [...rows].sort(compareBy(order, new Set(['ID', 'SORT', 'CATEGORY_ID'])));
      return { result: structuredClone(rows), total: rows.length };
    }
    case 'crm.status.entity.items': {
      const entityId = params.entityId;
      if (entityId === undefined || entityId === '') return fail('', 'The parameter entityId is not defined or invalid.', 400);
      if (typeof entityId !== 'string') return fail('', 'The parameter entityId must be a string.', 400);
      const rows = view.rows.filter((row) => row.ENTITY_ID === entityId.toUpperCase());
      return { result: [...rows].sort((a, b) => Number(a.SORT) - Number(b.SORT)).map((row) => ({ NAME: row.NAME, SORT: Number(row.SORT), STATUS_ID: row.STATUS_ID })) };
    }
    case 'crm.category.list': {
      const entityTypeId = Number(params.entityTypeId);
      const type = view.served.get(entityTypeId);
      if (!Number.isInteger(entityTypeId) || type === undefined) return fail('NOT_FOUND', 'Smart process not found', 400);
      const supported = [2, 3, 4, 31, 36, 39].includes(entityTypeId) || isSpaType(type);
      if (!supported) return fail('ENTITY_TYPE_NOT_SUPPORTED', `Entity type \`${type.NAME}\` is not supported`, 400);
      const hidden = new Set((scenario.hiddenCategories?.[entityTypeId] ?? []).map(Number));
      const categories = view.pipelines
        .filter((p) => p.entityTypeId === entityTypeId && !hidden.has(p.categoryId))
        .sort((a, b) => a.sort - b.sort || a.categoryId - b.categoryId)
        .map((p) => {
          const category = { id: p.categoryId, name: p.name, sort: p.sort, entityTypeId, isDefault: p.isDefault ? 'Y' : 'N' };
          return entityTypeId === 2 && p.categoryId !== 0 ? { ...category, originId: '', originatorId: '' } : category;
        });
      return { result: { categories }, total: categories.length };
    }
    case 'crm.type.list': {
      if (!scenario.admin) return scenario.oldCore ? fail('', 'Access denied', 400) : fail('ACCESS_DENIED', 'Access denied', 400);
      let types = [...view.spas.values()]
        .filter((spa) => !DYNAMIC_STATIC.has(spa.entityTypeId))
        .map((spa) => typeFields(spa, view.titleOf(spa.entityTypeId)));
      const filter = params.filter && typeof params.filter === 'object' ? params.filter : {};
      for (const [key, value] of Object.entries(filter)) types = types.filter((t) => key in t && String(t[key]) === String(value));
      const order = params.order && typeof params.order === 'object' && Object.keys(params.order).length > 0 ? params.order : { id: 'ASC' };
      types.sort(compareBy(order, new Set(['id', 'entityTypeId', 'createdBy', 'updatedBy'])));
      const start = params.start === undefined ? 0 : Number(params.start);
      if (start === -1) return { result: { types: types.slice(0, 50) } };
      const offset = Number.isInteger(start) && start > 0 ? start : 0;
      const page = types.slice(offset, offset + 50);
      const next = offset + page.length < types.length ? offset + page.length : undefined;
      return { result: { types: page }, total: types.length, ...(next !== undefined ? { next } : {}) };
    }
    case 'crm.type.getbyentitytypeid': {
      if (scenario.oldCore) return fail('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
      const entityTypeId = Number(params.entityTypeId);
      const spa = view.spas.get(entityTypeId);
      if (spa === undefined) return fail(0, 'Smart process not found', 400);
      const denied = new Set((scenario.deniedSpas ?? []).map(Number));
      if (!scenario.admin && denied.has(entityTypeId)) return fail('ACCESS_DENIED', 'Access denied', 400);
      return {
        result: {
          type: { ...typeFields(spa, view.titleOf(entityTypeId)), relations: { parent: [], child: [] }, linkedUserFields: [], customSections: [] },
        },
      };
    }
    default:
      return fail('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
  }
}
