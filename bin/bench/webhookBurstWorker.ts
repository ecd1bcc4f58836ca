import { writeFileSync } from 'node:fs';
import { progressBar } from '../admin/progress.js';
import { runWebhookBurst, startBurstPipeline, type BurstResult } from './webhookBurst.js';

/**
 * The webhook burst in a process of its own: its handlers read their settings once per process
 * (`lambdas/runtime.ts`), and the benchmark's process already loaded the API's. Reads its job from
 * the JSON file named by argv[2], shows progress on stderr, and writes the runs to `resultFile`.
 */
export interface WebhookBurstJob {
  readonly dynamoEndpoint: string;
  readonly calls: number;
  readonly runs: number;
  readonly resultFile: string;
}

const job = JSON.parse(process.argv[2] ?? '{}') as WebhookBurstJob;
const pipeline = await startBurstPipeline(job.dynamoEndpoint);
const results: BurstResult[] = [];
try {
  for (let run = 1; run <= job.runs; run++) {
    const bar = progressBar(job.calls * 3, `Run ${run}: deliveries`);
    results.push(await runWebhookBurst(pipeline, job.calls, (done) => bar.update(done)));
    bar.finish(results.at(-1)?.deliveries ?? 0);
  }
} finally {
  await pipeline.stop();
}
writeFileSync(job.resultFile, JSON.stringify(results));
