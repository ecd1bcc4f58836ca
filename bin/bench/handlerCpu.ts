import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalApiSettings } from '../../local/app.js';
import type { InProcessRequest } from '../../local/invokeInProcess.js';

export interface CpuCase {
  readonly request: InProcessRequest;
  /** DynamoDB's real answers for this operation, by command, captured earlier. */
  readonly answers: Map<string, Record<string, unknown>>;
}

/**
 * CPU each handler spends per request, without I/O: DynamoDB's answers are replayed at once, and
 * `iterations` requests run back to back, in a fresh process (bin/bench/cpuWorker.ts). The figure
 * is the median of `blocks` timed blocks. It counts the whole process's CPU time, so work Node
 * hands to other threads is included.
 * @returns microseconds of CPU per request, by case
 */
export const measureHandlerCpu = <Name extends string>(
  settings: LocalApiSettings,
  cases: Record<Name, CpuCase>,
  options: { iterations: number; blocks: number; workDirectory: string },
): Record<Name, number> => {
  const jobFile = join(options.workDirectory, 'cpu-job.json');
  const serializable = Object.fromEntries(
    Object.entries(cases as Record<string, CpuCase>).map(([name, testCase]) => [
      name,
      { request: testCase.request, answers: Object.fromEntries(testCase.answers) },
    ]),
  );
  writeFileSync(
    jobFile,
    JSON.stringify({ settings, iterations: options.iterations, blocks: options.blocks, cases: serializable }),
  );
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'bin/bench/cpuWorker.ts', jobFile], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output) as Record<Name, number>;
};
