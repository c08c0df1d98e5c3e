// Written once, against whichever portal's module the build picks: the identifiers are the same in every
// portal's module (gen-ownertypes settles them across the config's portals), only the IDs differ.
import { Category, EntityTypeId, Spa, Stage, type StageIdOf } from '#b24';

/** `crm.item.list` parameters for the won deals of the Wholesale pipeline, on whichever portal this is built for. */
export function wonWholesaleDeals(): { entityTypeId: EntityTypeId; filter: { categoryId: number; stageId: StageIdOf<'Deal'> } } {
  return {
    entityTypeId: EntityTypeId.Deal,
    filter: { categoryId: Category.Deal.Wholesale, stageId: Stage.Deal.Wholesale.Won },
  };
}

/** New items of the Equipment Purchase smart process: its entity type ID is 177 on dev and 1046 on prod. */
export function newEquipmentPurchases(): { entityTypeId: typeof Spa.EquipmentPurchase; filter: { stageId: StageIdOf<'EquipmentPurchase'> } } {
  return {
    entityTypeId: Spa.EquipmentPurchase,
    filter: { stageId: Stage.EquipmentPurchase.Default.New },
  };
}

/** Whether a stage ID from a webhook is a won stage of a Wholesale deal. */
export function isWholesaleWin(stageId: string): boolean {
  return stageId === Stage.Deal.Wholesale.Won;
}
