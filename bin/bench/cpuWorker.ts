import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalApiSettings } from '../../local/app.js';
import { loadHandlers } from '../../local/app.js';
import { inProcessInvoker, type InProcessRequest } from '../../local/invokeInProcess.js';

/**
 * Measures handler CPU in a process that holds nothing else: the benchmark's own heap and history
 * would otherwise show up as the handlers' cost. Reads its job from the JSON file named by argv[2];
 * writes microseconds of CPU per request, by operation, as JSON on stdout.
 */
interface Job {
  readonly settings: LocalApiSettings;
  readonly iterations: number;
  readonly blocks: number;
  readonly cases: Record<string, { request: InProcessRequest; answers: Record<string, Record<string, unknown>> }>;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Job;
const invoke = inProcessInvoker(await loadHandlers(job.settings));
let answers: Record<string, Record<string, unknown>> = {};
(DynamoDBDocumentClient.prototype as unknown as { send: (command: object) => Promise<unknown> }).send = async (
  command,
) => answers[command.constructor.name] ?? {};

const run = async (request: InProcessRequest, count: number) => {
  for (let i = 0; i < count; i++) {
    const { result } = await invoke(request);
    if (result.statusCode !== 200)
      throw new Error(`replayed ${request.method} ${request.path} answered ${result.statusCode}: ${result.body}`);
  }
};

const entries = Object.entries(job.cases);
// Every case warms up before any is timed, so none pays for start-up work that belongs to all. No
// forced garbage collection between blocks: it makes V8 drop compiled code, and the handlers would
// be timed recompiling.
for (const [, testCase] of entries) {
  answers = testCase.answers;
  await run(testCase.request, Math.max(1_000, job.iterations / 5));
}
const results: Record<string, number> = {};
for (const [name, testCase] of entries) {
  answers = testCase.answers;
  const perBlock: number[] = [];
  const blockSize = Math.ceil(job.iterations / job.blocks);
  for (let block = 0; block < job.blocks; block++) {
    const before = process.cpuUsage();
    await run(testCase.request, blockSize);
    const used = process.cpuUsage(before);
    perBlock.push((used.user + used.system) / blockSize);
  }
  results[name] = perBlock.sort((a, b) => a - b)[Math.floor(perBlock.length / 2)] ?? Number.NaN;
}
process.stdout.write(JSON.stringify(results));
