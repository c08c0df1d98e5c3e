import type { PortalModel } from '../../model/portal.js';
import { commentText } from '../literals.js';

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The banner's lines about the pipelines and stages section: whether the module holds it, its counts, and
 * what the webhook could not read. Plain text for ` * ` lines of the banner comment: every reason is portal
 * or error text, so it goes through `commentText`. Kept apart from the section itself so that the banner
 * does not load ts-morph.
 */
export function pipelineBannerLines(model: Pick<PortalModel, 'pipelines' | 'spaDetails'>): string[] {
  const section = model.pipelines;
  if (section.status === 'unavailable') {
    return [`Pipelines and stages: not in this module (${commentText(section.reason)}).`];
  }
  const types = section.data.types;
  let pipelines = 0;
  let stages = 0;
  const unreadable: string[] = [];
  for (const entry of types) {
    if (entry.kind === 'stages') {
      stages += entry.stages.length;
      continue;
    }
    pipelines += entry.pipelines.length;
    for (const pipeline of entry.pipelines) {
      stages += pipeline.stages.length;
      if (!pipeline.readable) unreadable.push(`${entry.entityTypeId}/${pipeline.categoryId}`);
    }
  }
  const lines = [
    `Pipelines and stages: ${plural(pipelines, 'pipeline', 'pipelines')}, ${plural(stages, 'stage', 'stages')} ` +
      `of ${plural(types.length, 'owner type', 'owner types')} (Category, Stage, StageId).`,
  ];
  if (unreadable.length > 0) {
    lines.push(
      `Not readable by the webhook's user, emitted from the stage dictionaries (entity type/category): ${unreadable.join(', ')}.`,
    );
  }
  if (model.spaDetails.status === 'unavailable') {
    lines.push(`SPA codes not read: ${commentText(model.spaDetails.reason)}.`);
  }
  return lines;
}
