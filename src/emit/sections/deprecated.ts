/**
 * The doc comment text of a deprecated alias kept for a rename (naming/keep-renamed.ts): where the live
 * identifier is now, as editors show it on the struck-through name. `path` is made of identifiers only,
 * never portal text.
 */
export function deprecatedDoc(path: string): string {
  return `@deprecated Renamed to ${path} (the same value); kept until gen-ownertypes --drop-deprecated.`;
}
