/** ts-morph's large CommonJS files, in the order they load: TypeScript's compiler, @ts-morph/common, ts-morph. */
export function tsMorphFiles(require: NodeJS.Require): string[];
