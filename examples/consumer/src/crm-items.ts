import type { B24Hook } from '@bitrix24/b24jssdk';
import { Category, EntityTypeId, Stage, type SpaEntityTypeId, type StageIdOf } from './generated/ownertypes.js';

/** The fields this example selects from `crm.item.list`. */
export interface CrmItem {
  id: number;
  title: string;
}

/**
 * Parameters of `crm.item.list`. The SDK types `params` as an open record, so its `entityTypeId` would
 * take any number; narrowing it to `EntityTypeId` turns a smart process that was renamed or deleted on the
 * portal into a compile error after the next regeneration, instead of an empty list in production.
 * (A type alias, not an interface: the SDK's params type has an index signature.)
 */
export type CrmItemListParams = {
  entityTypeId: EntityTypeId;
  select?: string[];
  filter?: Record<string, string | number | boolean>;
};

/** Every item of one CRM type; the SDK follows the pages. */
export async function listItems(b24: B24Hook, params: CrmItemListParams): Promise<CrmItem[]> {
  const response = await b24.actions.v2.callList.make<CrmItem>({
    method: 'crm.item.list',
    params,
    // crm.item.list answers { items: [...] } with lowercase ids.
    idKey: 'id',
    customKeyForResult: 'items',
  });
  if (!response.isSuccess) {
    throw new Error(`crm.item.list failed: ${response.getErrorMessages().join('; ')}`);
  }
  return response.getData() ?? [];
}

/** The items of the "Purchase" smart process, whose ID is 156 on one portal and something else on the next. */
export function listPurchases(b24: B24Hook): Promise<CrmItem[]> {
  return listItems(b24, { entityTypeId: EntityTypeId.Purchase, select: ['id', 'title'] });
}

/**
 * The new deals of the "Wholesale" pipeline. Pipeline and stage IDs (`3`, `'C3:NEW'`) differ from portal to
 * portal; a renamed or deleted pipeline or stage becomes a compile error after the next regeneration.
 */
export function listNewWholesaleDeals(b24: B24Hook): Promise<CrmItem[]> {
  const stageId: StageIdOf<'Deal'> = Stage.Deal.Wholesale.New;
  return listItems(b24, {
    entityTypeId: EntityTypeId.Deal,
    select: ['id', 'title'],
    filter: { categoryId: Category.Deal.Wholesale, stageId },
  });
}

/** How many items each smart process holds, one request per SPA. */
export async function countSmartProcessItems(
  b24: B24Hook,
  spas: ReadonlyArray<readonly [string, SpaEntityTypeId]>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [name, entityTypeId] of spas) {
    counts.set(name, (await listItems(b24, { entityTypeId, select: ['id'] })).length);
  }
  return counts;
}
