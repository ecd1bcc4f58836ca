import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BurstResult } from './webhookBurst.js';
import type { WebhookBurstJob } from './webhookBurstWorker.js';

/** Runs bin/bench/webhookBurstWorker.ts in a fresh process; its progress shows on our stderr. */
export const measureWebhookBursts = async (
  job: Omit<WebhookBurstJob, 'resultFile'>,
  workDirectory: string,
): Promise<BurstResult[]> => {
  const resultFile = join(workDirectory, 'webhook-bursts.json');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/bench/webhookBurstWorker.ts', JSON.stringify({ ...job, resultFile })],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`the webhook burst exited with ${code}`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as BurstResult[];
};
