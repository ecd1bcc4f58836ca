import { readFileSync, writeFileSync } from 'node:fs';
import { createDocumentClient } from '../../lambdas/store/client.js';
import { loadHandlers, type LocalApiSettings } from '../../local/app.js';
import { lambdaContext } from '../../local/gateway.js';
import type { InProcessRequest } from '../../local/invokeInProcess.js';
import { proxyEventFor } from './events.js';
import { watchDynamoCommands } from './meter.js';
import { bearerOf, operationRequests } from './operationRequests.js';
import { callsFor, operations, referenceCrypto, runReference, type Operation, type Plans } from './reference.js';
import { shuffled } from './stats.js';

/**
 * CPU per request, real handler against the reference, in a process that holds nothing else. Both
 * go all the way to DynamoDB Local (marshalling, signing, HTTP); the handlers log as deployed (to
 * stdout, which the parent points at /dev/null). Reads its job from the JSON file named by argv[2]
 * and writes the results to the job's `resultFile`.
 */
export interface CpuJob {
  readonly settings: LocalApiSettings;
  readonly tenantId: string;
  readonly keyId: string;
  readonly apiKey: string;
  readonly callId: string;
  readonly rounds: number;
  readonly requestsPerBlock: number;
  readonly resultFile: string;
}

/** Microseconds of CPU per request, one figure per round, for each operation and side. */
export type CpuResult = Record<Operation, { project: number[]; reference: number[] }>;

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as CpuJob;
const handlers = new Map((await loadHandlers(job.settings)).map(({ route, handler }) => [route.operationId, handler]));
const db = createDocumentClient({ region: 'us-east-1', endpoint: job.settings.dynamoEndpoint });
const { requestFor } = operationRequests({
  apiKey: job.apiKey,
  tenantId: job.tenantId,
  keyId: job.keyId,
  callId: job.callId,
  sessionKeySet: job.settings.keys.sessionToken,
});

/** The handler's call, with its event and context built beforehand (the runtime's work, not ours). */
const prepared = (request: InProcessRequest) => {
  const { operationId, event } = proxyEventFor(request);
  const handler = handlers.get(operationId);
  const context = lambdaContext(event.requestContext.requestId);
  if (!handler) throw new Error(`no handler for ${operationId}`);
  return async () => {
    const result = await handler(event, context);
    if (result.statusCode !== 200) throw new Error(`${request.method} ${request.path} answered ${result.statusCode}`);
  };
};
const ok = (request: InProcessRequest) => prepared(request)();

// The reference makes the calls the handler made for the same request, recorded once here.
const watcher = watchDynamoCommands();
const crypto = referenceCrypto(job.settings.keys.sessionToken);
const plans = {} as Plans;
for (const operation of operations) {
  await ok(requestFor(operation));
  plans[operation] = await watcher.record(() => ok(requestFor(operation)));
}
watcher.restore();

/** One side's requests for a block, built before the clock starts. */
const prepare = (operation: Operation, side: 'project' | 'reference', count: number) =>
  Array.from({ length: count }, () => {
    const request = requestFor(operation);
    if (side === 'project') return prepared(request);
    const reference = { operation, bearer: bearerOf(request), calls: callsFor(plans, operation) };
    return () => runReference(db, crypto, reference);
  });

const timeBlock = async (steps: (() => Promise<unknown>)[]) => {
  const before = process.cpuUsage();
  for (const step of steps) await step();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / steps.length;
};

const result = Object.fromEntries(
  operations.map((operation) => [operation, { project: [] as number[], reference: [] as number[] }]),
) as unknown as CpuResult;
// Warm-up: 120 requests or more each, so that both sides are measured with their code optimised,
// as in a function that has served a while (one short block left the handlers' code, larger than
// the reference's, partly unoptimised through the first rounds).
const warmUpBlocks = Math.ceil(120 / job.requestsPerBlock);
for (let block = 0; block < warmUpBlocks; block++)
  for (const operation of operations)
    for (const side of ['project', 'reference'] as const)
      await timeBlock(prepare(operation, side, job.requestsPerBlock));
for (let round = 0; round < job.rounds; round++) {
  for (const operation of shuffled(operations)) {
    // Which side goes first alternates, so drift over a round hits both alike.
    const sides = round % 2 === 0 ? (['project', 'reference'] as const) : (['reference', 'project'] as const);
    for (const side of sides)
      result[operation][side].push(await timeBlock(prepare(operation, side, job.requestsPerBlock)));
  }
  process.stderr.write(`\r  CPU round ${round + 1}/${job.rounds}`);
}
process.stderr.write('\n');
writeFileSync(job.resultFile, JSON.stringify({ result, plans }));
