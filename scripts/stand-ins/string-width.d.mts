export interface StringWidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}
export type StringWidth = (input: string, options?: StringWidthOptions) => number;
export function createStringWidth(loadReal: () => StringWidth): StringWidth;
/** The characters the stand-in measures itself, one column each. */
export const ONE_COLUMN: RegExp;
