import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

/**
 * What a reseller gets from `npm pack`: the tarball installs into a project of theirs, every
 * example (the README's included) type-checks against its declarations, and the quickstart runs
 * against the API. The registry is out of reach here, so the client's own dependencies are packed
 * from the copies this repository installed; nothing is fetched.
 */

const root = process.cwd();
const clientDir = join(root, 'clients', 'node');
let scratch: string;
let tarball: string;
const project = () => join(scratch, 'project');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
const run = (command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr }),
    );
  });
const succeeded = (result: Run) => {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
};

/** The folders of a package's runtime dependencies, and of theirs, as installed here. */
const installedDependencies = async (name: string, seen = new Map<string, string>()): Promise<Map<string, string>> => {
  const dir = join(root, 'node_modules', name);
  if (seen.has(name)) return seen;
  seen.set(name, dir);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) await installedDependencies(dependency, seen);
  return seen;
};

/** Each ```ts block of the README, a program of its own. */
const readmeExamples = async (): Promise<string[]> => {
  const readme = await readFile(join(clientDir, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] as string);
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'athos-client-pack-'));
  succeeded(await run('npm', ['pack', '--pack-destination', scratch], { cwd: clientDir }));
  const [packed] = (await readdir(scratch)).filter((name) => name.endsWith('.tgz'));
  if (!packed) throw new Error('npm pack made no tarball');
  tarball = join(scratch, packed);

  const dependencies: Record<string, string> = { '@useathos/node': `file:${tarball}` };
  const depsDir = join(scratch, 'deps');
  await mkdir(depsDir);
  const clientManifest = JSON.parse(await readFile(join(clientDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const direct of Object.keys(clientManifest.dependencies)) {
    for (const [name, dir] of await installedDependencies(direct)) {
      const packedDependency = succeeded(
        await run('npm', ['pack', '--ignore-scripts', '--pack-destination', depsDir, dir], { cwd: scratch }),
      )
        .stdout.trim()
        .split('\n')
        .at(-1) as string;
      dependencies[name] = `file:${join(depsDir, packedDependency)}`;
    }
  }

  await mkdir(join(project(), 'src'), { recursive: true });
  await writeFile(
    join(project(), 'package.json'),
    JSON.stringify({ name: 'reseller-backend', private: true, type: 'module', dependencies }, null, 2),
  );
  succeeded(
    await run('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: project() }),
  );
}, 300_000);
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('packs the build, its declarations and the README, and no sources or tests', async () => {
  const listing = succeeded(await run('tar', ['-tzf', tarball], { cwd: scratch }))
    .stdout.trim()
    .split('\n');

  expect(listing).toEqual(
    expect.arrayContaining([
      'package/package.json',
      'package/README.md',
      'package/dist/index.js',
      'package/dist/index.d.ts',
    ]),
  );
  expect(listing.filter((path) => !/^package\/(dist\/.*\.(js|d\.ts)|README\.md|package\.json)$/.test(path))).toEqual(
    [],
  );
});

describe('in a reseller’s project', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('type-checks the examples and every example of the README against the installed package', async () => {
    for (const name of await readdir(join(clientDir, 'examples'))) {
      await copyFile(join(clientDir, 'examples', name), join(project(), 'src', name));
    }
    for (const [i, example] of (await readmeExamples()).entries()) {
      await writeFile(join(project(), 'src', `readme${i + 1}.ts`), example);
    }
    await writeFile(
      join(project(), 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          rootDir: 'src',
          outDir: 'out',
          // The project's own @types/node, as a reseller's backend has it.
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        include: ['src'],
      }),
    );

    const compiled = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
      cwd: project(),
    });

    expect(compiled.stdout).toBe('');
    expect(compiled.code).toBe(0);
    expect((await readdir(join(project(), 'out'))).length).toBeGreaterThanOrEqual(6);
  }, 180_000);

  it('runs the quickstart against the API: mints, walks every page and reads a call', async () => {
    const { tenant, apiKey } = await createTestTenant(testTable());
    const dayMs = 86_400_000;
    const ids = await seedScoredCalls(
      testTable(),
      Array.from({ length: 120 }, (_, i) => ({
        tenantId: tenant.tenantId,
        externalUserId: i % 2 === 0 ? 'rep_8842' : 'rep_1207',
        endedAt: new Date(Date.now() - (i + 1) * 0.2 * dayMs),
        durationSec: 600,
      })),
    );

    const result = await run(process.execPath, ['out/quickstart.js'], {
      cwd: project(),
      env: { ATHOS_API_KEY: apiKey, ATHOS_BASE_URL: api.baseUrl },
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Using a live key');
    expect(result.stdout).toMatch(/Session token for rep_8842, valid until \d{4}-/);
    expect(result.stdout).toContain('First page: 10 calls, more to come');
    expect(result.stdout).toContain('rep_8842: 60 scored calls, 600 minutes of practice');
    expect(result.stdout).toMatch(new RegExp(`Call ${ids[0]}: score \\d+`));
  }, 120_000);
});
