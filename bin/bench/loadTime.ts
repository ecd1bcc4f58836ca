import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Bundle } from './bundles.js';

export interface LoadTime {
  readonly name: string;
  /** Median time to import the bundle inside a fresh process, ms. */
  readonly importMs: number;
  /** Median wall time of the whole process (start, import, exit), ms. */
  readonly processMs: number;
}

/** What a cold handler reads at module load (the back-office ones name their queues and key); no network is touched. */
const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`;
const handlerEnvironment = {
  ...process.env,
  TABLE_NAME: 'bench',
  CALL_EVENTS_QUEUE_URL: queueUrl('call-events'),
  CALL_EVENTS_DEAD_LETTER_QUEUE_URL: queueUrl('call-events-dlq'),
  WEBHOOK_DELIVERY_QUEUE_URL: queueUrl('webhook-deliveries'),
  WEBHOOK_KMS_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const timeImport = (file: string): { importMs: number; processMs: number } => {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: handlerEnvironment,
    encoding: 'utf8',
  });
  const processMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
  return { importMs: Number(run.stdout), processMs };
};

const timeEmptyProcess = (): number => {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - started;
};

/**
 * Module load time, as a cold start pays it: each bundle imported by a fresh process, `runs` times.
 * The runs are interleaved (every bundle, the reference and `node -e 0` once per round), so drift
 * on a busy machine hits all sides alike; medians resist the outliers that are left.
 */
export const measureLoadTimes = (
  reference: Bundle,
  handlers: readonly Bundle[],
  runs: number,
  onRound: (round: number) => void,
) => {
  const targets = [reference, ...handlers];
  const samples = new Map(
    targets.map((target) => [target.name, { importMs: [] as number[], processMs: [] as number[] }]),
  );
  const empty: number[] = [];
  for (let round = 0; round < runs; round++) {
    for (const target of targets) {
      const { importMs, processMs } = timeImport(target.file);
      samples.get(target.name)?.importMs.push(importMs);
      samples.get(target.name)?.processMs.push(processMs);
    }
    empty.push(timeEmptyProcess());
    onRound(round + 1);
  }
  const times: LoadTime[] = targets.map((target) => {
    const sample = samples.get(target.name) ?? { importMs: [], processMs: [] };
    return { name: target.name, importMs: median(sample.importMs), processMs: median(sample.processMs) };
  });
  return { times, emptyProcessMs: median(empty) };
};
