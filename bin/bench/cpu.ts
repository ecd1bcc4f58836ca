import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CpuJob, CpuResult } from './cpuWorker.js';
import type { Plans } from './reference.js';

/** Runs bin/bench/cpuWorker.ts in a fresh process whose stdout (the handlers' logs) goes nowhere. */
export const measureCpu = (
  job: Omit<CpuJob, 'resultFile'>,
  workDirectory: string,
): { result: CpuResult; plans: Plans } => {
  const jobFile = join(workDirectory, 'cpu-job.json');
  const resultFile = join(workDirectory, 'cpu-result.json');
  writeFileSync(jobFile, JSON.stringify({ ...job, resultFile }));
  const { LOG_LEVEL: _deployedLevelIsTheDefault, ...environment } = process.env;
  execFileSync(process.execPath, ['--import', 'tsx', 'bin/bench/cpuWorker.ts', jobFile], {
    env: environment,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return JSON.parse(readFileSync(resultFile, 'utf8')) as { result: CpuResult; plans: Plans };
};
