import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempProject } from '../support/run-cli.js';

const OUT = 'src/generated/ownertypes.ts';
const options = { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, erasableSyntaxOnly: true, noEmit: true, skipLibCheck: true, types: [] };

function tscBuild(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', '--pretty', 'false'], { cwd }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` }),
    );
  });
}

describe('--enum-style auto in a Vite-style project (a solution tsconfig.json with references)', () => {
  it('follows the references to tsconfig.app.json, says so with --verbose, and tsc -b passes', async () => {
    const seed = await readFile(path.join(ROOT, 'test/fixtures/seed-response.json'), 'utf8');
    const cwd = await tempProject({
      'package.json': '{"name":"vite-app","private":true,"type":"module"}',
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }] }),
      'tsconfig.app.json': `// as npm create vite writes it\n${JSON.stringify({ compilerOptions: { ...options, tsBuildInfoFile: './node_modules/.tmp/app.tsbuildinfo' }, include: ['src'] }, null, 2).replace(/\n}$/, ',\n}')}`,
      'tsconfig.node.json': JSON.stringify({ compilerOptions: { ...options, tsBuildInfoFile: './node_modules/.tmp/node.tsbuildinfo' }, include: ['vite.config.ts'] }),
      'vite.config.ts': 'export default {};\n',
      'src/main.ts': "import { EntityTypeId } from './generated/ownertypes';\nexport const deal: number = EntityTypeId.Deal;\n",
      'in.json': seed,
    });
    const run = await runCli(['--input', 'in.json', '--verbose'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/enum style: src\/generated\/ownertypes\.ts is in tsconfig\.app\.json \(referenced from tsconfig\.json\), which sets erasableSyntaxOnly: using const/);
    expect(await readFile(path.join(cwd, OUT), 'utf8')).not.toContain('export enum');
    const build = await tscBuild(cwd);
    expect(build.output).toBe('');
    expect(build.code).toBe(0);
  });
});
