import { readFileSync } from 'node:fs';
import type { CommandResult, RawPipelines, RawPortal } from '../../src/model/portal.js';

/** A portal's answers as test/fixtures/pipelines/*.json hold them: each method's `result` member. */
export interface PortalFixture {
  host: string;
  ownerTypes: Record<string, unknown>[];
  statusTypes: Record<string, unknown>[];
  /** The whole b_crm_status table, in the portal's order. */
  statusList: Record<string, unknown>[];
  categories: Record<string, { categories: Record<string, unknown>[] }>;
  spaTypes: { types: Record<string, unknown>[] };
}

export function loadFixture(name: string): PortalFixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/pipelines/${name}`, import.meta.url), 'utf8')) as PortalFixture;
}

export const ok = (result: unknown): CommandResult => ({ ok: true, result });
export const failed = (error: string, description: string): CommandResult => ({ ok: false, error, description });

export interface RawOptions {
  /** `ignore`: every crm.status.list command answers every row, as a portal that drops the filter does. */
  readonly filter?: 'obey' | 'ignore';
  readonly spaTypes?: CommandResult;
  readonly spaTypeByEntityTypeId?: Record<string, CommandResult>;
  /** Replaces or adds answers of crm.category.list, by entity type ID. */
  readonly categories?: Record<string, CommandResult>;
  readonly statuses?: Record<string, CommandResult>;
  readonly statusTypes?: CommandResult;
}

/** The RawPortal the source stage would build from a fixture: one crm.status.list per dictionary listed. */
export function rawPortal(fixture: PortalFixture, options: RawOptions = {}): RawPortal {
  const statuses: Record<string, CommandResult> = {};
  for (const entry of fixture.statusTypes) {
    const id = entry['ID'] as string;
    statuses[id] = ok(options.filter === 'ignore' ? fixture.statusList : fixture.statusList.filter((row) => row['ENTITY_ID'] === id));
  }
  const categories: Record<string, CommandResult> = {
    '1': failed('ENTITY_TYPE_NOT_SUPPORTED', 'Entity type `LEAD` is not supported'),
  };
  for (const [key, value] of Object.entries(fixture.categories)) categories[key] = ok(value);
  const pipelines: RawPipelines = {
    statusTypes: options.statusTypes ?? ok(fixture.statusTypes),
    statuses: { ...statuses, ...options.statuses },
    categories: { ...categories, ...options.categories },
    spaTypes: options.spaTypes ?? ok(fixture.spaTypes),
    ...(options.spaTypeByEntityTypeId !== undefined && { spaTypeByEntityTypeId: options.spaTypeByEntityTypeId }),
  };
  return { host: fixture.host, ownerTypes: fixture.ownerTypes, pipelines };
}
