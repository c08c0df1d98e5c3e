// Consumer code written against the reference portal's module before its renames, compiled against the
// module regenerated after them (expected/portal-a-renamed.*.ts): every old name must still compile, with
// the same value, and the module's other exports must stay as they were.
import {
  Category,
  EntityTypeId,
  Spa,
  Stage,
  spaEntityTypeIds,
  isSpaEntityTypeId,
  type SpaEntityTypeId,
  type StageId,
  type StageIdOf,
} from "./expected/portal-a-renamed.enum.js";

export const oldSpa: 177 = EntityTypeId.EquipmentPurchase;
export const olderSpa: EntityTypeId = EntityTypeId.Procurement;
export type OldMember = EntityTypeId.EquipmentPurchase;
export const sameMember: OldMember = EntityTypeId.Sourcing;
export const oldSpaMap: SpaEntityTypeId = Spa.EquipmentPurchase;
export const oldPipeline: 3 = Category.Deal.Wholesale;
export const oldSpaPipeline: 9 = Category.EquipmentPurchase.SecondPipeline;
export const oldStage: "C3:UC_YYTFYG" = Stage.Deal.Wholesale.Shipping;
export const oldStageInNewPipeline: StageIdOf<"Deal"> = Stage.Deal.BulkSales.Shipping;
export const oldLeadStage: "UC_NJ6R1M" = Stage.Lead.NewApproach;
export const oldSpaStage: StageIdOf<"Sourcing"> = Stage.EquipmentPurchase.Default.New;
export const viaOldKey: StageIdOf<"Procurement"> = Stage.Sourcing.SecondPipeline.Success;
export const anyStage: StageId = Stage.Procurement.Default.Fail;
export const spas: readonly SpaEntityTypeId[] = spaEntityTypeIds;
export const isSpa: boolean = isSpaEntityTypeId(177);

// @ts-expect-error the renamed SPA's stages are still not deal stages
export const notADealStage: StageIdOf<"Deal"> = Stage.EquipmentPurchase.Default.New;
// @ts-expect-error SpaEntityTypeId holds the SPA's ID only, once
export const notAnSpa: SpaEntityTypeId = EntityTypeId.Deal;
