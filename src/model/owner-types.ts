/** One CRM owner type as returned by `crm.enum.ownertype`, validated. */
export interface OwnerType {
  /** The entity type ID (`entityTypeId` in `crm.item.*`). */
  readonly id: number;
  /** The portal's NAME, verbatim: localized for system types, free text for SPAs. */
  readonly name: string;
  /** `SYMBOL_CODE`, e.g. `LEAD` or `DYNAMIC_177`. */
  readonly symbolCode: string;
  /** `SYMBOL_CODE_SHORT`, e.g. `L` or `Tb1`. */
  readonly shortCode: string;
  /** A smart process (SPA): `SYMBOL_CODE` is `DYNAMIC_<n>`. */
  readonly isSpa: boolean;
}

/** The validated response: what every later stage works from. */
export interface OwnerTypeModel {
  /** Host of the portal the types came from (`example.bitrix24.com`), when known. Never a secret. */
  readonly portal: string | undefined;
  /** Sorted by `id`, ascending; IDs, symbol codes and non-empty short codes are unique. */
  readonly types: readonly OwnerType[];
}

/** An owner type with the TypeScript identifier chosen for it. */
export interface NamedOwnerType extends OwnerType {
  readonly identifier: string;
}

export type EnumStyle = 'enum' | 'const';
