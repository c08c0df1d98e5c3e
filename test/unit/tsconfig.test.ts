import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import { ConfigError } from '../../src/shared/errors.js';
import { resolveEnumStyle } from '../../src/toolchain/tsconfig.js';
import { tempDir } from '../support/temp.js';

const OUT = 'src/generated/ownertypes.ts';

function project(files: Record<string, unknown>): string {
  const dir = tempDir('tsconfig');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

// The shapes `npm create vite` writes (react-ts and vue-ts, Vite 7): a solution file and two projects.
const SOLUTION = { files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }] };
const NODE = { compilerOptions: { erasableSyntaxOnly: true, noEmit: true }, include: ['vite.config.ts'] };
const REACT_APP = `{
  "compilerOptions": {
    "tsBuildInfoFile": "./node_modules/.tmp/tsconfig.app.tsbuildinfo",
    "target": "ES2022",
    "module": "ESNext",
    /* Linting */
    "strict": true,
    "erasableSyntaxOnly": true, // TS 5.8+
    "noUncheckedSideEffectImports": true,
  },
  "include": ["src"],
}
`;
const VUE_APP = {
  extends: '@vue/tsconfig/tsconfig.dom.json',
  compilerOptions: { tsBuildInfoFile: './node_modules/.tmp/tsconfig.app.tsbuildinfo' },
  include: ['src/**/*.ts', 'src/**/*.tsx', 'src/**/*.vue'],
  exclude: ['src/**/__tests__/*'],
};
const VUE_PACKAGE = {
  'node_modules/@vue/tsconfig/package.json': { name: '@vue/tsconfig', version: '0.7.0' },
  'node_modules/@vue/tsconfig/tsconfig.json': { compilerOptions: { strict: true, verbatimModuleSyntax: true } },
  'node_modules/@vue/tsconfig/tsconfig.dom.json': { extends: './tsconfig.json', compilerOptions: { erasableSyntaxOnly: true } },
};

async function decide(dir: string, out = OUT) {
  const decision = await resolveEnumStyle(path.join(dir, out), dir);
  return { ...decision, files: decision.files.map((file) => path.relative(dir, file)), governing: decision.governing && path.relative(dir, decision.governing) };
}

describe('the tsconfig that governs the output file', () => {
  it('Vite react-ts: the solution file is followed to tsconfig.app.json (comments and trailing commas too)', async () => {
    const dir = project({ 'tsconfig.json': SOLUTION, 'tsconfig.app.json': REACT_APP, 'tsconfig.node.json': NODE });
    const decision = await decide(dir);
    expect(decision.style).toBe('const');
    expect(decision.governing).toBe('tsconfig.app.json');
    expect(decision.reason).toMatch(/ownertypes\.ts is in .*tsconfig\.app\.json \(referenced from .*tsconfig\.json\), which sets erasableSyntaxOnly: using const/);
    expect(decision.files).toEqual(expect.arrayContaining(['tsconfig.json', 'tsconfig.app.json']));
  });

  it('Vite vue-ts: references, include globs, exclude and an extends chain from a package', async () => {
    const dir = project({ 'tsconfig.json': SOLUTION, 'tsconfig.app.json': VUE_APP, 'tsconfig.node.json': NODE, ...VUE_PACKAGE });
    const decision = await decide(dir);
    expect(decision).toMatchObject({ style: 'const', governing: 'tsconfig.app.json' });
    expect(decision.files).toEqual(
      expect.arrayContaining(['tsconfig.json', 'tsconfig.app.json', 'node_modules/@vue/tsconfig/tsconfig.dom.json', 'node_modules/@vue/tsconfig/tsconfig.json']),
    );
    // The same project, an output that the exclude pattern takes out: no config includes it.
    const excluded = await decide(dir, 'src/__tests__/ownertypes.ts');
    expect(excluded.governing).toBeUndefined();
  });

  it('a referenced project without erasableSyntaxOnly gives an enum, although tsconfig.node.json sets it', async () => {
    const dir = project({ 'tsconfig.json': SOLUTION, 'tsconfig.app.json': { include: ['src'] }, 'tsconfig.node.json': NODE });
    expect(await decide(dir)).toMatchObject({ style: 'enum', governing: 'tsconfig.app.json' });
  });

  it('a BOM at the start of a tsconfig does not break it', async () => {
    const dir = project({ 'tsconfig.json': `\uFEFF${JSON.stringify(SOLUTION)}`, 'tsconfig.app.json': `\uFEFF${REACT_APP}`, 'tsconfig.node.json': NODE });
    expect(await decide(dir)).toMatchObject({ style: 'const', governing: 'tsconfig.app.json' });
  });

  it.each([
    ['an include glob that matches', { include: ['src/**/*.ts'] }, true],
    ['an include of the folder', { include: ['src'] }, true],
    ['an explicit files list naming the (not yet existing) output', { files: [OUT] }, true],
    ['no files, include or exclude (everything)', {}, true],
    ['an include glob that does not match', { include: ['src/app/**/*'] }, false],
    ['an exclude of the output folder', { include: ['src'], exclude: ['src/generated'] }, false],
    ['a files list without the output', { files: ['src/main.ts'] }, false],
    ['outDir (excluded by default)', { compilerOptions: { outDir: 'src/generated' } }, false],
  ])('%s: the nearest tsconfig governs only when it includes the output', async (_name, config, included) => {
    // The folder above holds another project that includes everything below it and does not set the flag.
    const dir = project({
      'tsconfig.json': { include: ['app/**/*'] },
      'app/tsconfig.json': { ...config, compilerOptions: { ...(config as { compilerOptions?: object }).compilerOptions, erasableSyntaxOnly: true } },
    });
    const decision = await decide(dir, `app/${OUT}`);
    if (included) expect(decision).toMatchObject({ style: 'const', governing: 'app/tsconfig.json' });
    else expect(decision).toMatchObject({ style: 'enum', governing: 'tsconfig.json' });
    // Both took part: editing either may change the answer.
    expect(decision.files).toEqual(expect.arrayContaining(['app/tsconfig.json']));
  });

  it('an extends chain of local files decides through the last one', async () => {
    const dir = project({
      'tsconfig.json': { extends: './configs/base.json', include: ['src'] },
      'configs/base.json': { extends: './strict.json' },
      'configs/strict.json': { compilerOptions: { erasableSyntaxOnly: true } },
    });
    const decision = await decide(dir);
    expect(decision).toMatchObject({ style: 'const', governing: 'tsconfig.json' });
    expect(decision.files).toEqual(expect.arrayContaining(['tsconfig.json', 'configs/base.json', 'configs/strict.json']));
  });

  it('no tsconfig includes the output: const if any config looked at sets erasableSyntaxOnly, and it says so', async () => {
    const dir = project({ 'tsconfig.json': SOLUTION, 'tsconfig.app.json': REACT_APP, 'tsconfig.node.json': NODE });
    const decision = await decide(dir, 'generated/ownertypes.ts');
    expect(decision.style).toBe('const');
    expect(decision.governing).toBeUndefined();
    expect(decision.reason).toMatch(/no tsconfig includes .*generated\/ownertypes\.ts; .*sets erasableSyntaxOnly, so using const/);
  });

  it('reference cycles and missing references end the search; the missing file is watched', async () => {
    const dir = project({
      'tsconfig.json': { files: [], references: [{ path: './a' }, { path: './missing.json' }] },
      'a/tsconfig.json': { files: [], references: [{ path: '..' }] },
    });
    const decision = await decide(dir);
    expect(decision).toMatchObject({ style: 'enum', governing: undefined });
    expect(decision.files).toEqual(expect.arrayContaining(['missing.json', 'a/tsconfig.json']));
  });

  it('a tsconfig that is not JSON is a config error naming it', async () => {
    const dir = project({ 'tsconfig.json': '{ "compilerOptions": ' });
    await expect(resolveEnumStyle(path.join(dir, OUT), dir)).rejects.toThrow(ConfigError);
    await expect(resolveEnumStyle(path.join(dir, OUT), dir)).rejects.toThrow(/Cannot read .*tsconfig\.json to choose the enum style/);
  });
});

describe('the render cache watches every tsconfig that took part', () => {
  it('editing tsconfig.app.json behind a solution file re-renders the module in the other style', async () => {
    const seed = readFileSync(new URL('../fixtures/seed-response.json', import.meta.url), 'utf8');
    const dir = project({
      'package.json': { name: 'consumer', private: true },
      'tsconfig.json': SOLUTION,
      'tsconfig.app.json': { include: ['src'] },
      'tsconfig.node.json': NODE,
      'in.json': seed,
    });
    const options = { source: { kind: 'input', file: path.join(dir, 'in.json') } as const, cwd: dir, format: false };
    expect((await generate(options)).status).toBe('written');
    expect(readFileSync(path.join(dir, OUT), 'utf8')).toContain('export enum EntityTypeId');
    expect((await generate(options)).status).toBe('unchanged');
    writeFileSync(path.join(dir, 'tsconfig.app.json'), REACT_APP);
    expect((await generate(options)).status).toBe('written');
    expect(readFileSync(path.join(dir, OUT), 'utf8')).not.toContain('export enum EntityTypeId');
    expect((await generate(options)).status).toBe('unchanged');
  });
});
