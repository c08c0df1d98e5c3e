// Touches every export of a generated module. The compile matrix checks it against both enum styles (it
// swaps the import for each); the repository's own type check sees it against the enum style.
import {
  EntityTypeId,
  Spa,
  entityTypeIdByShortCode,
  entityTypeIdBySymbolCode,
  entityTypeNames,
  isEntityTypeId,
  isSpaEntityTypeId,
  parseEntityTypeId,
  shortCodeByEntityTypeId,
  spaEntityTypeIds,
  symbolCodeByEntityTypeId,
  type ShortCode,
  type SpaEntityTypeId,
  type SymbolCode,
} from "../expected/ownertypes.enum.js";

// A member works as a value and as a type, in both styles.
const deal: EntityTypeId.Deal = EntityTypeId.Deal;
const anyType: EntityTypeId = deal;
// @ts-expect-error a member type holds only its own ID
const notDeal: EntityTypeId.Deal = EntityTypeId.Lead;

const symbolCode: SymbolCode = symbolCodeByEntityTypeId[anyType];
const dealCode: "DEAL" = symbolCodeByEntityTypeId[EntityTypeId.Deal];
const fromSymbolCode: EntityTypeId = entityTypeIdBySymbolCode[symbolCode];
const lead: EntityTypeId.Lead = entityTypeIdBySymbolCode.LEAD;
// @ts-expect-error not a symbol code of this portal
const nope = entityTypeIdBySymbolCode.NOPE;
// @ts-expect-error symbol codes are literals, not any string
const notSymbolCode: SymbolCode = "NOPE";

const shortCode: ShortCode = "SI";
const fromShortCode: EntityTypeId = entityTypeIdByShortCode[shortCode];
const dealShortCode: "D" = shortCodeByEntityTypeId[EntityTypeId.Deal];
// Any entity type ID indexes the short codes (see usage-no-short-code.ts for a type without one).
const anyShortCode: ShortCode | undefined = shortCodeByEntityTypeId[anyType];
const purchaseByShortCode: EntityTypeId.Purchase = entityTypeIdByShortCode.T9c;

const parsed: EntityTypeId | undefined = parseEntityTypeId("177");
// @ts-expect-error the ID may be unknown
const surelyParsed: EntityTypeId = parseEntityTypeId(177);

const title: string = entityTypeNames[anyType];

const purchase: SpaEntityTypeId = Spa.EquipmentPurchase;
const purchaseId: 177 = Spa.EquipmentPurchase;
const spaIds: readonly SpaEntityTypeId[] = spaEntityTypeIds;
// @ts-expect-error a system type is not a smart process
const notSpa: SpaEntityTypeId = EntityTypeId.Deal;

function describeType(value: unknown): string {
  if (!isEntityTypeId(value)) return "not an owner type";
  const narrowed: EntityTypeId = value;
  return isSpaEntityTypeId(narrowed)
    ? "smart process " + symbolCodeByEntityTypeId[narrowed]
    : entityTypeNames[narrowed];
}

function isDealOrLead(value: EntityTypeId): boolean {
  switch (value) {
    case EntityTypeId.Deal:
    case EntityTypeId.Lead:
      return true;
    default:
      return false;
  }
}

export {
  anyShortCode,
  parsed,
  purchaseByShortCode,
  surelyParsed,
  dealCode,
  dealShortCode,
  describeType,
  fromShortCode,
  fromSymbolCode,
  isDealOrLead,
  lead,
  nope,
  notDeal,
  notSpa,
  notSymbolCode,
  purchase,
  purchaseId,
  spaIds,
  title,
};
