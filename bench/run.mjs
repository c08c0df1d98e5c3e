// npm run bench: times gen-ownertypes against the fake portal, side by side with bare Node and the two
// floors (bench/physical-floor.mjs, bench/stack-floor.mjs), and prints every ratio against its target.
// A report, not a test: it exits 0 whether targets are met or missed (1 only when it cannot run at all).
//
// Usage: node bench/run.mjs [--runs N]   (npm run bench builds dist/ first)
//
// Commands run round by round (A B C … A B C …) rather than one after the other, so a burst of load on the
// machine lands on every command alike instead of on whichever happened to be running.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeDataset } from '../test/support/portal-datasets.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'dist', 'bin.js');
const FAKE_PORTAL = path.join(ROOT, 'test', 'support', 'fake-portal.mjs');
const PHYSICAL_FLOOR = path.join(ROOT, 'bench', 'physical-floor.mjs');
const STACK_FLOOR = path.join(ROOT, 'bench', 'stack-floor.mjs');
const BIG_PORTAL_SPAS = 5000;
/** The compile cache's folder in the project's cache (src/cli/compile-cache.ts). */
const COMPILE_CACHE = 'v8-compile';
/** The large portal with pipelines: the fake portal's `large` dataset (200 SPAs × 2 pipelines). */
const LARGE_PORTAL = { spas: 200, pipelines: 2 };
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function parseRuns(argv) {
  const index = argv.findIndex((arg) => arg === '--runs' || arg.startsWith('--runs='));
  if (index === -1) return 7;
  const value = Number(argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1]);
  if (!Number.isInteger(value) || value < 5) {
    console.error('bench: --runs must be a whole number of at least 5.');
    process.exit(1);
  }
  return value;
}

const RUNS = parseRuns(process.argv.slice(2));

if (!existsSync(BIN)) {
  console.error(`bench: ${path.relative(process.cwd(), BIN)} is missing; run npm run bench (it builds first).`);
  process.exit(1);
}

/** The fake portal in a process of its own, so serving requests never competes with the timing loop. */
function startPortal(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FAKE_PORTAL, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline === -1) return;
      child.stdout.off('data', onData);
      try {
        const { webhookUrl } = JSON.parse(buffered.slice(0, newline));
        resolve({ webhookUrl, stop: () => child.kill('SIGTERM') });
      } catch (error) {
        child.kill('SIGTERM');
        reject(new Error(`fake portal printed ${JSON.stringify(buffered.slice(0, newline))}: ${error.message}`));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake portal exited with ${code} before it was ready`)));
  });
}

/** Removes a project's render records (and with `cold`, its compile cache as well). */
function forgetRenders(dir, { cold = false } = {}) {
  const cache = path.join(dir, 'node_modules', '.cache', 'gen-ownertypes');
  if (!existsSync(cache)) return;
  for (const name of readdirSync(cache)) {
    if (cold || name !== COMPILE_CACHE) rmSync(path.join(cache, name), { recursive: true, force: true });
  }
}

/** A project that installed gen-ownertypes: a package.json (so the render cache has a home) and a tsconfig. */
function makeConsumer(parent, name) {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `bench-${name}`, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, isolatedModules: true } }, null, 2)}\n`,
  );
  return dir;
}

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('B24_')));

function median(sorted) {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runOnce(command) {
  command.before?.();
  const started = performance.now();
  const result = spawnSync(process.execPath, command.args, {
    cwd: command.cwd,
    env: { ...cleanEnv, ...command.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    // 5,000 SPAs with colliding titles print over 1 MiB of warnings, spawnSync's default limit (ENOBUFS).
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsed = performance.now() - started;
  const problem =
    result.error?.message ??
    (result.status !== 0 ? `exit ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}` : command.verify?.(result.stderr));
  if (problem !== undefined) throw new Error(`${command.name}: ${problem}`);
  return elapsed;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'gen-ownertypes-bench-'));
const portals = [];
let exitCode = 0;
try {
  const [seed, big, large] = await Promise.all([
    startPortal(['--code', 'bench-seed-code']),
    startPortal(['--code', 'bench-big-code', '--spas', String(BIG_PORTAL_SPAS)]),
    startPortal(['--code', 'bench-large-code', '--dataset', 'large', '--spas', String(LARGE_PORTAL.spas), '--pipelines', String(LARGE_PORTAL.pipelines)]),
  ]);
  portals.push(seed, big, large);

  const floors = makeConsumer(scratch, 'floors');
  const current = makeConsumer(scratch, 'up-to-date');
  const regen = makeConsumer(scratch, 'regenerate');
  const regenCold = makeConsumer(scratch, 'regenerate-cold');
  const regenBig = makeConsumer(scratch, 'regenerate-5000');
  const regenOwnerTypes = makeConsumer(scratch, 'regenerate-owner-types');
  const regenLarge = makeConsumer(scratch, 'regenerate-large');
  const out = 'src/generated/ownertypes.ts';
  // A full render every time: no module to compare with and no render record to trust. The compile cache
  // beside the render records stays, as in a project that has run the tool before; `cold` removes it too,
  // as in the first run after an install.
  const regeneration = (name, portal, dir, flags = [], { cold = false } = {}) => ({
    name,
    args: [BIN, ...flags],
    env: { B24_WEBHOOK_URL: portal.webhookUrl },
    cwd: dir,
    before: () => {
      rmSync(path.join(dir, out), { force: true });
      forgetRenders(dir, { cold });
    },
    verify: (stderr) => (/^Wrote /m.test(stderr) ? undefined : `expected "Wrote", got: ${stderr.trim()}`),
  });
  let currentMtime;
  const commands = [
    { name: 'node -e ""', args: ['-e', ''], cwd: floors },
    { name: 'physical floor', args: [PHYSICAL_FLOOR, '--webhook', seed.webhookUrl, '--out', 'physical.ts'], cwd: floors },
    { name: 'stack floor', args: [STACK_FLOOR, '--webhook', seed.webhookUrl, '--out', 'stack.ts'], cwd: floors },
    { name: 'stack floor, pipelines', args: [STACK_FLOOR, '--webhook', seed.webhookUrl, '--out', 'stack-pipelines.ts', '--pipelines'], cwd: floors },
    { name: 'gen-ownertypes --help', args: [BIN, '--help'], cwd: floors },
    {
      name: 'up-to-date run',
      args: [BIN],
      env: { B24_WEBHOOK_URL: seed.webhookUrl },
      cwd: current,
      // The point of this row is the fast path: make sure it was taken and the file was left alone.
      verify: (stderr) => {
        if (!/is up to date/.test(stderr)) return `expected "up to date", got: ${stderr.trim()}`;
        const mtime = statSync(path.join(current, out)).mtimeMs;
        if (currentMtime !== undefined && mtime !== currentMtime) return 'the up-to-date run rewrote the file';
        currentMtime = mtime;
        return undefined;
      },
    },
    regeneration('regeneration', seed, regen),
    regeneration('regeneration, first run in the project', seed, regenCold, [], { cold: true }),
    regeneration('regeneration --no-pipelines', seed, regenOwnerTypes, ['--no-pipelines']),
    { name: `stack floor, ${BIG_PORTAL_SPAS} SPAs`, args: [STACK_FLOOR, '--webhook', big.webhookUrl, '--out', 'stack-big.ts'], cwd: floors },
    regeneration(`regeneration --no-pipelines, ${BIG_PORTAL_SPAS} SPAs`, big, regenBig, ['--no-pipelines']),
    { name: 'stack floor, large', args: [STACK_FLOOR, '--webhook', large.webhookUrl, '--out', 'stack-large.ts', '--pipelines'], cwd: floors },
    regeneration('regeneration, large', large, regenLarge),
    ...typeCheckRows(),
  ];

  // ── Several portals: three seed-sized portals in one run against one, each a full regeneration. ──
  const [twin, third] = await Promise.all([
    startPortal(['--code', 'bench-twin-code', '--dataset', 'twin']),
    startPortal(['--code', 'bench-third-code', '--dataset', 'seed']),
  ]);
  portals.push(twin, third);
  const severalPortals = (name, members) => {
    const dir = makeConsumer(scratch, name);
    const entries = members.map((_, index) => [`p${index}`, { webhookEnv: `B24_P${index}_WEBHOOK_URL`, out: `src/generated/ownertypes.p${index}.ts` }]);
    writeFileSync(path.join(dir, 'gen-ownertypes.config.json'), `${JSON.stringify({ portals: Object.fromEntries(entries) })}\n`);
    return {
      name,
      args: [BIN],
      env: Object.fromEntries(members.map((portal, index) => [`B24_P${index}_WEBHOOK_URL`, portal.webhookUrl])),
      cwd: dir,
      before: () => {
        rmSync(path.join(dir, 'src'), { recursive: true, force: true });
        forgetRenders(dir);
      },
      verify: (stderr) => ((stderr.match(/^p\d: wrote /gm) ?? []).length === members.length ? undefined : `expected ${members.length} "wrote" lines, got: ${stderr.trim()}`),
    };
  };
  commands.push(
    severalPortals('one portal (portals config)', [seed]),
    severalPortals('three portals in one run', [seed, twin, third]),
  );
  // ── end of several portals ──

  // The up-to-date consumer needs its module written once, by a full run, before it can be current.
  runOnce({ ...regeneration('first run of the up-to-date consumer', seed, current), before: undefined });

  /**
   * What the module costs the consumer's own build: `tsc --noEmit` over a consumer that imports the large
   * portal's module and uses a stage, once with pipelines and once with --no-pipelines. Both modules are
   * generated once, here, before the timed rounds.
   */
  function typeCheckRows() {
    const consumer = (name, flags, usage) => {
      const dir = makeConsumer(scratch, name);
      runOnce({ ...regeneration(`module for ${name}`, large, dir, flags), before: undefined });
      writeFileSync(path.join(dir, 'src', 'use.ts'), usage);
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, isolatedModules: true, noEmit: true, skipLibCheck: true }, include: ['src'] }, null, 2)}\n`,
      );
      return { name: `tsc, consumer of the large module${flags.length === 0 ? '' : ` ${flags.join(' ')}`}`, args: [TSC, '-p', 'tsconfig.json'], cwd: dir };
    };
    return [
      consumer(
        'tsc-pipelines',
        [],
        "import { EntityTypeId, Stage, isStageId, type StageIdOf } from './generated/ownertypes.js';\n" +
          "export const won: StageIdOf<'Deal'> = Stage.Deal.Default.Won;\n" +
          'export const known = (value: string): boolean => isStageId(value);\n' +
          'export const deal = EntityTypeId.Deal;\n',
      ),
      consumer('tsc-owner-types', ['--no-pipelines'], "import { EntityTypeId } from './generated/ownertypes.js';\nexport const deal = EntityTypeId.Deal;\n"),
    ];
  }

  const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
  console.log(
    `gen-ownertypes bench · node ${process.version} · ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}) · ${os.platform()} ${os.arch()}`,
  );
  console.log(`${RUNS} timed rounds after 1 warm-up round; load average at start: ${load()}`);
  const largeData = largeDataset(LARGE_PORTAL);
  const stageCount = largeData.stageLists.reduce((n, list) => n + list.stages.length, 0) + largeData.pipelines.reduce((n, p) => n + p.stages.length, 0);
  console.log(
    `large portal: ${LARGE_PORTAL.spas} SPAs × ${LARGE_PORTAL.pipelines} pipelines, ${largeData.pipelines.length} pipelines and ${stageCount} stages in all`,
  );

  const samples = commands.map(() => []);
  for (let round = 0; round <= RUNS; round++) {
    commands.forEach((command, index) => {
      const elapsed = runOnce(command);
      if (round > 0) samples[index].push(elapsed);
    });
    process.stderr.write(round === 0 ? 'warm-up done' : ` ${round}`);
  }
  process.stderr.write('\n');
  console.log(`load average at end: ${load()}\n`);

  const stats = samples.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { median: median(sorted), min: sorted[0], max: sorted.at(-1) };
  });
  const byName = (name) => stats[commands.findIndex((command) => command.name === name)];
  const bare = byName('node -e ""');
  const stack = byName('stack floor');
  const stackPipelines = byName('stack floor, pipelines');
  const ms = (value) => `${value.toFixed(0)} ms`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

  const rows = commands.map((command, index) => [
    command.name,
    ms(stats[index].median),
    ms(stats[index].min),
    ms(stats[index].max),
    ratio(stats[index].median, bare.median),
    ratio(stats[index].median, stack.median),
    ratio(stats[index].median, stackPipelines.median),
  ]);
  printTable(['command', 'median', 'min', 'max', '÷ bare node', '÷ stack floor', '÷ stack floor, pipelines'], rows, [false, true, true, true, true, true, true]);

  const targets = [
    ['--help ÷ bare node', byName('gen-ownertypes --help'), bare, 2.0],
    ['up-to-date ÷ stack floor, pipelines', byName('up-to-date run'), stackPipelines, 0.7],
    ['regeneration ÷ stack floor, pipelines', byName('regeneration'), stackPipelines, 2.0],
    ['first run in the project: regeneration ÷ stack floor, pipelines', byName('regeneration, first run in the project'), stackPipelines, undefined],
    ['--no-pipelines: regeneration ÷ stack floor', byName('regeneration --no-pipelines'), stack, 2.2],
    [
      `${BIG_PORTAL_SPAS} SPAs --no-pipelines: regeneration ÷ its stack floor`,
      byName(`regeneration --no-pipelines, ${BIG_PORTAL_SPAS} SPAs`),
      byName(`stack floor, ${BIG_PORTAL_SPAS} SPAs`),
      3.5,
    ],
    ['large portal: regeneration ÷ its stack floor', byName('regeneration, large'), byName('stack floor, large'), 3.0],
    ['large portal: regeneration ÷ 20 s', byName('regeneration, large'), { median: 20_000 }, 1.0],
    [
      'tsc on the large module ÷ the same with --no-pipelines',
      byName('tsc, consumer of the large module'),
      byName('tsc, consumer of the large module --no-pipelines'),
      undefined,
    ],
    ['three portals ÷ one portal, one run each', byName('three portals in one run'), byName('one portal (portals config)'), 1.5],
    ['up-to-date ÷ physical floor', byName('up-to-date run'), byName('physical floor'), undefined],
    ['stack floor ÷ physical floor', stack, byName('physical floor'), undefined],
  ];
  console.log('');
  printTable(
    ['ratio of medians', 'ratio', 'target', ''],
    targets.map(([label, a, b, limit]) => {
      const value = a.median / b.median;
      const verdict = limit === undefined ? 'informational' : value <= limit ? 'met' : 'MISSED';
      return [label, `${value.toFixed(2)}×`, limit === undefined ? '—' : `≤ ${limit.toFixed(1)}×`, verdict];
    }),
    [false, true, true, false],
  );
} catch (error) {
  console.error(`bench: ${error.message}`);
  exitCode = 1;
} finally {
  for (const portal of portals) portal.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = exitCode;

function printTable(header, rows, alignRight) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) =>
    `| ${cells.map((cell, column) => (alignRight[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width, column) => (alignRight[column] ? `${'-'.repeat(width + 1)}:` : `${'-'.repeat(width + 2)}`)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
