import { writeFileSync } from 'node:fs';
import { startDynamoDbLocal } from '../../local/dynamodbLocal.js';
import { progressBar } from '../admin/progress.js';
import { runWebhookBurst, startBurstPipeline, type BurstResult } from './webhookBurst.js';

/**
 * The webhook burst in a process of its own: its handlers read their settings once per process
 * (`lambdas/runtime.ts`), and the benchmark's process already loaded the API's. On a DynamoDB Local
 * of its own too, so the 100,000 calls and megabytes of transcripts the list probes left do not slow
 * its transactions and stream reads (a full run stalled there). Reads its job as JSON from argv[2],
 * shows progress on stderr, and writes the runs to `resultFile`.
 */
export interface WebhookBurstJob {
  readonly calls: number;
  readonly runs: number;
  readonly resultFile: string;
}

const job = JSON.parse(process.argv[2] ?? '{}') as WebhookBurstJob;
const database = await startDynamoDbLocal();
const pipeline = await startBurstPipeline(database.endpoint);
const results: BurstResult[] = [];
try {
  for (let run = 1; run <= job.runs; run++) {
    const bar = progressBar(job.calls * 3, `Run ${run}: deliveries`);
    results.push(await runWebhookBurst(pipeline, job.calls, (done) => bar.update(done)));
    bar.finish(results.at(-1)?.deliveries ?? 0);
  }
} finally {
  await pipeline.stop();
  await database.stop();
}
writeFileSync(job.resultFile, JSON.stringify(results));
