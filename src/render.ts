import { buildHeader, sealModule } from './emit/header.js';
import { inputsDigest } from './generate.js';
import type { EnumStyle, NamedOwnerType } from './model/owner-types.js';
import { nameOwnerTypes } from './naming/name-owner-types.js';
import { GENERATOR_VERSION } from './shared/version.js';

/** What `renderModule` makes a module of. */
export interface RenderOptions {
  /** The owner types with their identifiers, as `nameOwnerTypes` gives them. */
  readonly types: readonly NamedOwnerType[];
  /** `enum` (the default) or `const`: an `as const` object plus a type of the same name. */
  readonly enumStyle?: EnumStyle;
  /** Host of the portal for the banner (`example.bitrix24.com`); absent for a saved response. */
  readonly portal?: string | undefined;
}

/**
 * The render stage for build scripts: named owner types → the text of the module, banner and digests
 * included, unformatted. The same bytes `generate()` writes with `format: false` and the same enum style,
 * so a later `generate()` or `--check` of the same inputs finds the file current. ts-morph is loaded on
 * the first call, not when the package is imported.
 */
export async function renderModule(options: RenderOptions): Promise<string> {
  const enumStyle = options.enumStyle ?? 'enum';
  const types = [...options.types].sort((a, b) => a.id - b.id);
  const model = { portal: options.portal, types };
  // The digest covers the identifiers only through the aliases that chose them. Identifiers that differ
  // from the default naming are recorded as aliases by ID, so a module rendered with other names never
  // passes for the one `generate()` would write without them.
  const defaults = nameOwnerTypes(types);
  const aliases = Object.fromEntries(
    types.filter((type, index) => type.identifier !== defaults[index]?.identifier).map((type) => [String(type.id), type.identifier]),
  );
  const header = buildHeader({
    portal: options.portal,
    types,
    generatorVersion: GENERATOR_VERSION,
    inputsDigest: inputsDigest(model, { enumStyle, format: false, aliases }),
  });
  const [{ renderModule: render }, { loadTemplates }] = await Promise.all([
    import('./emit/render-module.js'),
    import('./emit/templates.js'),
  ]);
  return sealModule(render({ types, enumStyle, header, templates: await loadTemplates() }));
}
