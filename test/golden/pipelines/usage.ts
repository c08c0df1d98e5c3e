// Consumer code against the reference portal's module: it must compile with every supported TypeScript,
// strict or not, and every `@ts-expect-error` below must find its error.
import { Category, EntityTypeId, Stage, categoryNames, isStageId, stageNames, stageSemantics, type StageId, type StageIdOf } from "./expected/portal-a.enum.js";

export const won: "C3:WON" = Stage.Deal.Wholesale.Won;
export const defaultWon: typeof Stage.Deal.Default.Won = "WON";
export const spaNew: StageIdOf<"EquipmentPurchase"> = Stage.EquipmentPurchase.Default.New;
export const newLiteral: "DT177_7:NEW" = Stage.EquipmentPurchase.Default.New;
export const converted: StageIdOf<"Lead"> = Stage.Lead.Converted;
export const approved: StageId = Stage.Quote.Approved;
export const invoicePaid: StageIdOf<"SmartInvoice"> = "DT31_5:P";
export const defaultDeal: 0 = Category.Deal.Default;
export const wholesale: 3 = Category.Deal.Wholesale;
export const spaDefault: 7 = Category.EquipmentPurchase.Default;
export const contacts: 0 = Category.Contact.Default;

// @ts-expect-error an SPA's stage is not a deal stage
export const notADealStage: StageIdOf<"Deal"> = "DT177_7:NEW";
// @ts-expect-error a stage ID of another portal
export const otherPortal: StageId = "C4:WON";
// @ts-expect-error contacts have pipelines but no stages
export type ContactStages = StageIdOf<"Contact">;
// @ts-expect-error no such pipeline
export const noPipeline: number = Category.Deal.Retail;

export const semantics: "process" | "success" | "failure" = stageSemantics[2]["C3:WON"];
export const stageName: string = stageNames[177]["DT177_7:NEW"];
export const byEnumMember: string = stageNames[EntityTypeId.Deal]["C3:1"];
export const pipelineName: string = categoryNames[2][3];
// @ts-expect-error pipeline 4 is not a deal pipeline of this portal
export type NoName = (typeof categoryNames)[2][4];
// @ts-expect-error names are strings, not literal types: they change on the portal
export const literalName: "Wholesale" = categoryNames[2][3];

export function stageOf(value: unknown): StageId | undefined {
  if (isStageId(value)) {
    const id: StageId = value;
    return id;
  }
  // @ts-expect-error not narrowed outside the guard
  const unchecked: StageId = value;
  return unchecked === undefined ? undefined : undefined;
}

export function dealStage(id: StageIdOf<"Deal">): StageId {
  return id;
}

/** Filters as an integration does: `crm.item.list` by a stage of one pipeline. */
export const filter: { readonly entityTypeId: number; readonly filter: { readonly stageId: StageIdOf<"EquipmentPurchase"> } } = {
  entityTypeId: EntityTypeId.EquipmentPurchase,
  filter: { stageId: Stage.EquipmentPurchase.SecondPipeline.Client },
};
