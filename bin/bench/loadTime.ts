import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Bundle } from './bundles.js';
import { shuffled, spreadOf, type Spread } from './stats.js';

/**
 * A cold start as Lambda pays it, in a fresh process per sample: importing the bundle, then its
 * first invocation (lazy clients, key set, first connection to DynamoDB Local). The handler gets
 * the event the gateway would send; the reference bundle makes its one GetItem.
 */
export interface ColdTarget {
  readonly bundle: Bundle;
  /** Built anew for each sample (a redeem needs an unused token). */
  readonly event: () => unknown;
}

/** One cold start: the bundle's import, then its first invocation, in milliseconds. */
export interface ColdRun {
  readonly importMs: number;
  readonly firstInvocationMs: number;
}

export interface ColdStart {
  readonly name: string;
  /** Every sample, by round: ratios to the reference pair samples of the same round. */
  readonly runs: readonly ColdRun[];
  readonly importMs: Spread;
  readonly firstInvocationMs: Spread;
  readonly totalMs: Spread;
}

const script = (file: string) => `
const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 29000 };
const event = JSON.parse(process.env.BENCH_EVENT);
const t0 = performance.now();
const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
const t1 = performance.now();
const result = await handler(event, context);
const t2 = performance.now();
if (result && result.statusCode !== undefined && result.statusCode !== 200) {
  process.stderr.write('answered ' + result.statusCode + ': ' + result.body);
  process.exit(1);
}
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstInvocationMs: t2 - t1 }));`;

const coldStart = (target: ColdTarget, environment: NodeJS.ProcessEnv) => {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script(target.bundle.file)], {
    env: { ...environment, BENCH_EVENT: JSON.stringify(target.event()) },
    encoding: 'utf8',
    // The handlers log as deployed; the lines go nowhere.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0) throw new Error(`cold start of ${target.bundle.name} failed: ${run.stderr}`);
  const output = run.stdout.slice(run.stdout.lastIndexOf('{"importMs"'));
  return JSON.parse(output) as ColdRun;
};

/**
 * `rounds` cold starts of each target, the order shuffled every round so that no target always
 * follows the same neighbour or meets the machine's drift at the same point.
 */
export const measureColdStarts = (
  targets: readonly ColdTarget[],
  environment: NodeJS.ProcessEnv,
  rounds: number,
  onRound: (round: number) => void,
): ColdStart[] => {
  const samples = new Map(targets.map((target) => [target.bundle.name, [] as ColdRun[]]));
  for (let round = 0; round < rounds; round++) {
    for (const target of shuffled(targets)) samples.get(target.bundle.name)?.push(coldStart(target, environment));
    onRound(round + 1);
  }
  return targets.map(({ bundle }) => {
    const runs = samples.get(bundle.name) ?? [];
    return {
      name: bundle.name,
      runs,
      importMs: spreadOf(runs.map((run) => run.importMs)),
      firstInvocationMs: spreadOf(runs.map((run) => run.firstInvocationMs)),
      totalMs: spreadOf(runs.map((run) => run.importMs + run.firstInvocationMs)),
    };
  });
};
