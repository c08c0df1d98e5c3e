import type { EnumStyle, NamedOwnerType } from '../../../src/model/owner-types.js';
import type { PipelinesData } from '../../../src/model/portal.js';
import { renderModule } from '../../../src/emit/render-module.js';
import type { ModuleTemplates } from '../../../src/emit/templates.js';
import { namePipelines } from '../../../src/naming/name-pipelines.js';
import { keepRenamed, type KeptRenames } from '../../../src/naming/keep-renamed.js';
import { readPreviousModule } from '../../../src/emit/read-generated-module.js';
import { GOLDEN_HEADER } from '../cases.js';
import { OWNER_TYPES, PORTAL_A, pipeline, stages } from './portals.js';

/** The whole module (owner types, then pipelines and stages) of one portal, through the real naming. */
export function renderPortal(
  ownerTypes: readonly NamedOwnerType[],
  pipelines: PipelinesData,
  enumStyle: EnumStyle,
  templates: ModuleTemplates,
): string {
  const named = namePipelines([{ ownerTypes, pipelines }]).portals[0]!;
  return renderModule({ types: ownerTypes, enumStyle, header: GOLDEN_HEADER, templates, pipelines: named });
}

export const PORTAL_A_CASE = { name: 'portal-a', ownerTypes: OWNER_TYPES, pipelines: PORTAL_A } as const;

/** Portal text that tries to break out of strings and comments, or to display differently than it compiles. */
export const HOSTILE_TEXT = [
  '*/ export const pwned = 1; /*',
  '"); process.exit(1); ("',
  "' ` ${globalThis.x} `",
  'line\u2028break\u2029para\nnewline\r\n',
  'bidi \u202Eevil\u202C \u2066x\u2069 zero\u200Bwidth \uFEFF',
  '@deprecated @param x',
  '\\u0041 \\ backslash',
  '</script><!--',
] as const;

const hostileType = (id: number, identifier: string, name: string): NamedOwnerType => ({
  id,
  identifier,
  symbolCode: `DYNAMIC_${id}`,
  shortCode: `T${id.toString(16)}`,
  name,
  isSpa: true,
});

export const HOSTILE_OWNER_TYPES: readonly NamedOwnerType[] = [
  { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: HOSTILE_TEXT[0], isSpa: false },
  { id: 2, identifier: 'Deal', symbolCode: 'DEAL', shortCode: 'D', name: HOSTILE_TEXT[3], isSpa: false },
  hostileType(180, 'Hostile', HOSTILE_TEXT[4]),
];

/** Hostile pipeline and stage names, and stage codes that are not identifiers (`__proto__`, quotes, `*\/`). */
export const HOSTILE_PIPELINES: PipelinesData = {
  types: [
    {
      kind: 'stages',
      entityTypeId: 1,
      statusEntityId: 'STATUS',
      stages: stages(undefined, [
        ...HOSTILE_TEXT.map((name, index): [string, string] => [`UC_HOST${String(index).padStart(2, '0')}`, name]),
        ['__proto__', 'proto'],
        ['toString', 'toString'],
        ['1', HOSTILE_TEXT[1]],
        ['A*/B', HOSTILE_TEXT[2]],
        ['Q"Q', 'quote'],
      ]),
    },
    {
      kind: 'pipelines',
      entityTypeId: 2,
      pipelines: [
        pipeline(0, HOSTILE_TEXT[0], 'DEAL_STAGE', stages(undefined, [['NEW', HOSTILE_TEXT[5]], ['WON', HOSTILE_TEXT[6], 'S']]), { isDefault: true }),
        ...HOSTILE_TEXT.map((name, index) =>
          pipeline(index + 1, name, `DEAL_STAGE_${index + 1}`, stages(`C${index + 1}`, [['NEW', name], ['UC_ABCDEF', name]])),
        ),
        pipeline(20, undefined, 'DEAL_STAGE_20', stages('C20', [['NEW', 'New']]), { readable: false }),
      ],
    },
    {
      kind: 'pipelines',
      entityTypeId: 180,
      pipelines: [pipeline(5, HOSTILE_TEXT[7], 'DYNAMIC_180_STAGE_5', stages('DT180_5', [['NEW', HOSTILE_TEXT[7]]]), { isDefault: true })],
    },
  ],
};

/** Portal A with its SPA retitled (`identifier` as its new title names it), and names of pipelines and stages changed. */
export function renamedPortalA(
  spaIdentifier: string,
  renames: { pipelines?: Readonly<Record<string, string>>; stages?: Readonly<Record<string, string>> } = {},
): { ownerTypes: NamedOwnerType[]; pipelines: PipelinesData } {
  const ownerTypes = OWNER_TYPES.map((type) => (type.id === 177 ? { ...type, identifier: spaIdentifier, name: spaIdentifier } : type));
  const stage = <T extends { statusId: string; name: string }>(s: T): T => ({ ...s, name: renames.stages?.[s.statusId] ?? s.name });
  const pipelines: PipelinesData = {
    types: PORTAL_A.types.map((entry) =>
      entry.kind === 'stages'
        ? { ...entry, stages: entry.stages.map(stage) }
        : {
            ...entry,
            pipelines: entry.pipelines.map((p) => ({
              ...p,
              name: renames.pipelines?.[`${entry.entityTypeId}:${p.categoryId}`] ?? p.name,
              stages: p.stages.map(stage),
            })),
          },
    ),
  };
  return { ownerTypes, pipelines };
}

/**
 * The module of a portal regenerated over an existing module, as a run does it: the existing module's
 * identifiers are read back and kept as deprecated aliases where the portal renamed something.
 */
export function renderOver(
  existing: string,
  ownerTypes: readonly NamedOwnerType[],
  pipelines: PipelinesData,
  enumStyle: EnumStyle,
  templates: ModuleTemplates,
): { text: string; kept: KeptRenames } {
  const named = namePipelines([{ ownerTypes, pipelines }]).portals[0]!;
  const kept = keepRenamed(readPreviousModule(existing).identifiers, { types: ownerTypes, pipelines: named });
  const text = renderModule({ types: ownerTypes, enumStyle, header: GOLDEN_HEADER, templates, pipelines: named, deprecated: kept.aliases });
  return { text, kept };
}

/**
 * Portal A renamed twice over: the SPA to `Procurement`, then to `Sourcing` (both old names kept), the
 * Wholesale pipeline to `Bulk sales`, a user-added deal stage and a user-added lead stage retitled.
 */
export function renderRenamedPortalA(enumStyle: EnumStyle, templates: ModuleTemplates): { first: string; second: string; kept: KeptRenames } {
  const original = renderPortal(PORTAL_A_CASE.ownerTypes, PORTAL_A_CASE.pipelines, enumStyle, templates);
  const renames = { pipelines: { '2:3': 'Bulk sales' }, stages: { 'C3:UC_YYTFYG': 'Loading', UC_NJ6R1M: 'Fresh approach' } };
  const once = renamedPortalA('Procurement', renames);
  const first = renderOver(original, once.ownerTypes, once.pipelines, enumStyle, templates).text;
  const twice = renamedPortalA('Sourcing', renames);
  const { text: second, kept } = renderOver(first, twice.ownerTypes, twice.pipelines, enumStyle, templates);
  return { first, second, kept };
}
