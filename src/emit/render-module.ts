import { buildModuleStructure, type BuildModuleInput } from './build-module.js';
import { printModule } from './print-module.js';

export type { BuildModuleInput } from './build-module.js';

/**
 * The text of the generated module, before formatting. The pipeline imports this file lazily: loading
 * ts-morph costs more than half a second, which `--help` or an up-to-date run should not pay.
 */
export function renderModule(input: BuildModuleInput): string {
  return printModule(buildModuleStructure(input));
}
