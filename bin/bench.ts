import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDocumentClient } from '../lambdas/store/client.js';
import { progressBar } from './admin/progress.js';
import { buildBundles } from './bench/bundles.js';
import { recordDynamoCommands } from './bench/dynamoAccounting.js';
import { measureListCost, measureOperations } from './bench/dynamoCost.js';
import { measureHandlerCpu } from './bench/handlerCpu.js';
import { runLoad, startApiProcess, type LoadResult } from './bench/load.js';
import { measureLoadTimes } from './bench/loadTime.js';
import { measureEventBurst, type BurstRound } from './bench/eventBurst.js';
import { startLocalCallEvents } from '../local/callEvents.js';
import { runWebhookBurst, startBurstPipeline, type BurstResult } from './bench/webhookBurst.js';
import { requestsFor } from '../local/apiRequests.js';
import { routeList } from '../lambdas/http/routes.js';
import { loadHandlers } from '../local/app.js';
import type { Table } from '../lambdas/store/table.js';
import { startDynamoDbLocal } from '../local/dynamodbLocal.js';
import { ensureTable } from '../local/ensureTable.js';
import { inProcessInvoker } from '../local/invokeInProcess.js';
import { freshLocalState } from '../local/localState.js';

/**
 * `npm run bench`: cold start, cost per request and throughput, against references built in the
 * same run, so the figures hold on a noisy machine. Prints a table, writes the same figures to
 * bench-results/latest.json, and exits 1 when a budget is missed.
 */
// The SDK's notice about Node.js 20 (harmless here; Lambda runs Node.js 24) would bury the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sections = ['bundles', 'api', 'events', 'webhooks'] as const;
type Section = (typeof sections)[number];
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' } } });
// --quick: fewer load-time rounds, a short load and a smaller large tenant, for trying changes out.
const quick = values.quick === true;
// --only webhooks (or a comma-separated list of sections): runs those sections alone.
const only = values.only?.split(',').map((name) => name.trim());
const unknownSection = only?.find((name) => !(sections as readonly string[]).includes(name));
if (unknownSection !== undefined) {
  console.error(`Unknown section "${unknownSection}" for --only: use ${sections.join(', ')}`);
  process.exit(2);
}
const runs = (section: Section) => only === undefined || only.includes(section);
const outputDirectory = resolve('bench-results');
const step = (text: string) => process.stderr.write(`\n• ${text}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface Budget {
  readonly check: string;
  readonly measured: string;
  readonly limit: string;
  readonly pass: boolean;
}
const budgets: Budget[] = [];
const budget = (check: string, measured: string, limit: string, pass: boolean) =>
  budgets.push({ check, measured, limit, pass });

/** Bundle size and load time of every function the stack deploys, against the reference. */
const measureBundles = async () => {
  step(
    'Bundling each handler, and a reference (DynamoDB document client + one GetItem), with the stack’s esbuild options',
  );
  const bundles = await buildBundles(join(outputDirectory, 'bundles'));
  // The API's handlers are held to the reference (what they add to the SDK floor every handler
  // loads); the back-office functions carry more SDK clients (SQS, KMS) by design, so their
  // comparison with it is reported, and they are held to the size budget every function shares.
  const apiHandlers = new Set(routeList.map((route) => route.operationId));
  const sizeRows = bundles.handlers.map((bundle) => ({
    name: bundle.name,
    bytes: bundle.bytes,
    ratio: bundle.bytes / bundles.reference.bytes,
    addedBytes: bundle.bytes - bundles.reference.bytes,
  }));
  for (const row of sizeRows) {
    if (apiHandlers.has(row.name))
      budget(`${row.name} bundle over reference`, `+${kb(row.addedBytes)}`, '≤ +64 KB', row.addedBytes <= 64 * 1024);
    budget(`${row.name} bundle size`, kb(row.bytes), '≤ 400 KB', row.bytes <= 400 * 1024);
  }

  const rounds = quick ? 7 : 25;
  step(`Loading each bundle in fresh processes, ${rounds} interleaved rounds`);
  const roundsBar = progressBar(rounds, 'Load-time rounds');
  const load = measureLoadTimes(bundles.reference, bundles.handlers, rounds, (round) => roundsBar.update(round));
  roundsBar.finish(rounds);
  const referenceLoad = load.times.find((time) => time.name === 'reference');
  const loadRows = load.times
    .filter((time) => time.name !== 'reference')
    .map((time) => ({ ...time, ratio: time.importMs / (referenceLoad?.importMs ?? Number.NaN) }));
  for (const row of loadRows.filter((time) => apiHandlers.has(time.name)))
    budget(`${row.name} load time vs reference`, `${row.ratio.toFixed(2)}×`, '≤ 1.20×', row.ratio <= 1.2);
  console.log('\nBack-office functions against the reference (no budget: they load more SDK clients)');
  for (const row of loadRows.filter((time) => !apiHandlers.has(time.name))) {
    const size = sizeRows.find((entry) => entry.name === row.name);
    console.log(
      `  ${row.name.padEnd(16)} ${kb(size?.bytes ?? 0).padStart(9)} (${size?.ratio.toFixed(2)}×)   load ${row.importMs.toFixed(1)} ms (${row.ratio.toFixed(2)}×)`,
    );
  }
  return {
    sizeRows,
    referenceBytes: bundles.reference.bytes,
    loadRows,
    referenceLoad,
    emptyProcessMs: load.emptyProcessMs,
  };
};

/** The API on DynamoDB Local: round trips and capacity, handler CPU, list cost, and load. */
const measureApi = async (dynamoEndpoint: string, table: Table, stopLoad: (() => void)[]) => {
  const tableName = table.name;
  const callEvents = await startLocalCallEvents({ port: 0, simulatedCallSeconds: 0 });
  stopLoad.push(() => void callEvents.close());
  const settings = {
    dynamoEndpoint: dynamoEndpoint,
    tableName,
    keys: freshLocalState().keys,
    logLevel: 'silent',
    environment: callEvents.environment,
  };
  const invoke = inProcessInvoker(await loadHandlers(settings));
  const meter = recordDynamoCommands();

  step('Counting DynamoDB round trips and capacity per operation');
  const operations = await measureOperations(table, invoke, meter);
  meter.restore();
  for (const [operation, cost] of Object.entries(operations.costs)) {
    if (operation !== 'mintFirstUseOfKey')
      budget(`${operation} round trips`, String(cost.roundTrips), '≤ 2', cost.roundTrips <= 2);
  }

  const iterations = quick ? 1_000 : 5_000;
  step(
    `Measuring handler CPU per request in a fresh process, ${iterations.toLocaleString('en-US')} requests each, DynamoDB answers replayed`,
  );
  mkdirSync(outputDirectory, { recursive: true });
  const request = requestsFor(operations.seeded.apiKey);
  // Verification runs for real, so the token must be one the API signed; its reuse goes unnoticed
  // because DynamoDB's answer to the redeem is replayed.
  const token = String(JSON.parse((await invoke(request.mint())).result.body).token);
  const cpu = measureHandlerCpu(
    settings,
    {
      mint: { request: request.mint(), answers: operations.answers.mint },
      redeem: { request: request.redeem(token), answers: operations.answers.redeem },
      list: { request: request.list(), answers: operations.answers.list },
      get: { request: request.get(operations.seeded.callIds[0] ?? ''), answers: operations.answers.get },
    },
    { iterations, blocks: 5, workDirectory: outputDirectory },
  );
  for (const [operation, microseconds] of Object.entries(cpu))
    budget(`${operation} handler CPU`, `${microseconds.toFixed(0)} µs`, '≤ 150 µs', microseconds <= 150);

  step(
    `Pricing a page of 100 calls from small, large (${quick ? '20,000' : '100,000'} calls) and big-transcript tenants`,
  );
  if (quick)
    (await import('./bench/dynamoCost.js')).listCostCases[1] = {
      label: '20,000 calls, 1 KB transcripts',
      calls: 20_000,
      transcriptBytes: 1_024,
    };
  const listMeter = recordDynamoCommands();
  const listCost = await measureListCost(table, invoke, listMeter, (label, total) => {
    const bar = progressBar(total, `Seeding ${label}`);
    return (written) => (written >= total ? bar.finish(written) : bar.update(written));
  });
  listMeter.restore();
  const [firstCase] = listCost;
  const sameAsFirst = (cost: (typeof listCost)[number]['cost']) =>
    cost.readUnits === firstCase?.cost.readUnits &&
    cost.roundTrips === firstCase.cost.roundTrips &&
    cost.reportedUnits === firstCase.cost.reportedUnits;
  for (const entry of listCost.slice(1)) {
    budget(
      `list page cost, ${entry.label}`,
      `${entry.cost.readUnits} RCU, ${entry.cost.roundTrips} trips`,
      `= ${firstCase?.cost.readUnits} RCU, ${firstCase?.cost.roundTrips} trips`,
      sameAsFirst(entry.cost),
    );
  }

  const seconds = quick ? 3 : 10;
  step(`Loading the local server: 10 connections, ${seconds} s per operation`);
  const server = await startApiProcess(settings);
  stopLoad.push(server.stop);
  const headers = (extra: Record<string, string> = {}) => ({
    Authorization: `Bearer ${operations.seeded.apiKey}`,
    ...extra,
  });
  const loadResults: LoadResult[] = [];
  for (const [operation, target] of [
    [
      'mint',
      {
        method: 'POST',
        path: '/session',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: '{"externalUserId":"rep_1001"}',
      },
    ],
    ['list', { method: 'GET', path: '/calls?from=2020-01-01T00:00:00Z', headers: headers() }],
    ['get', { method: 'GET', path: `/calls/${operations.seeded.callIds[0]}`, headers: headers() }],
  ] as const) {
    process.stderr.write(`  ${operation}…\n`);
    loadResults.push(await runLoad(server.url, operation, target, { connections: 10, seconds }));
  }
  for (const result of loadResults)
    budget(`${result.operation} errors under load`, String(result.errors), '= 0', result.errors === 0);
  return { operations: operations.costs, listCost, cpu, loadResults };
};

/** Call events through the local queue into the consumer, against BatchWriteItem. */
const measureCallEvents = async (table: Table) => {
  const burstEvents = quick ? 2_000 : 10_000;
  const burstRounds = quick ? 1 : 3;
  step(
    `A burst of ${burstEvents.toLocaleString('en-US')} call events (duplicates and reversed pairs among them) through the local queue into the consumer, ${burstRounds} rounds, against BatchWriteItem of the same items`,
  );
  const { handler: consumeCallEvents } = await import('../lambdas/handlers/callEvents.js');
  const burst: BurstRound[] = [];
  for (let round = 1; round <= burstRounds; round++) {
    const bar = progressBar(burstEvents, `Round ${round}`);
    burst.push(
      await measureEventBurst(table, consumeCallEvents as never, {
        events: burstEvents,
        onProgress: (done) => bar.update(done),
      }),
    );
    bar.finish(burstEvents);
  }
  const ratios = burst.map((round) => round.ratio).sort((a, b) => a - b);
  budget(
    'event burst: every call recorded exactly once',
    burst.every((round) => round.recordedOnce) ? 'yes' : 'no',
    'yes',
    burst.every((round) => round.recordedOnce),
  );
  budget(
    'event burst: events lost or stuck',
    String(burst.reduce((sum, round) => sum + round.lostOrStuck, 0)),
    '= 0',
    burst.every((round) => round.lostOrStuck === 0),
  );
  return {
    rounds: burst,
    ratioMedian: ratios[Math.floor(ratios.length / 2)],
    ratioMin: ratios[0],
    ratioMax: ratios[ratios.length - 1],
  };
};

/** Scored calls through the local webhook pipeline to three endpoints each. */
const measureWebhooks = async (dynamoEndpoint: string) => {
  const burstCalls = quick ? 200 : 1_000;
  const burstRuns = quick ? 1 : 3;
  step(
    `Webhook burst: ${burstCalls.toLocaleString('en-US')} calls scored at once, three endpoints each (one failing every third attempt, one slow), ${burstRuns} run(s)`,
  );
  const burstPipeline = await startBurstPipeline(dynamoEndpoint);
  const bursts: BurstResult[] = [];
  try {
    for (let run = 1; run <= burstRuns; run++) {
      const bar = progressBar(burstCalls * 3, `Run ${run}: deliveries`);
      bursts.push(await runWebhookBurst(burstPipeline, burstCalls, (done) => bar.update(done)));
      bar.finish(bursts.at(-1)?.deliveries ?? 0);
    }
  } finally {
    await burstPipeline.stop();
  }
  for (const [i, burst] of bursts.entries()) {
    budget(
      `webhook burst ${i + 1}: every event to every endpoint`,
      `${burst.deliveries}`,
      `= ${burst.calls * 3}`,
      burst.allDelivered,
    );
    budget(
      `webhook burst ${i + 1}: a webhook-id repeats only after a failure`,
      burst.duplicatesOnlyAfterFailures ? 'yes' : 'no',
      'yes',
      burst.duplicatesOnlyAfterFailures,
    );
    budget(
      `webhook burst ${i + 1}: nothing pending or dead-lettered`,
      burst.nothingStuck
        ? 'yes'
        : `${burst.leftOver.pending} pending, ${burst.leftOver.failed} failed, ${burst.leftOver.deadLettered} DLQ`,
      'yes',
      burst.nothingStuck,
    );
  }
  return { runs: bursts, spread: burstSpread(bursts) };
};

const main = async () => {
  const figures: Record<string, unknown> = {};
  if (runs('bundles')) Object.assign(figures, await measureBundles());
  if (!sections.slice(1).some(runs)) return report(figures);
  step('Starting DynamoDB Local (in memory)');
  const database = await startDynamoDbLocal();
  const stopLoad: (() => void)[] = [];
  try {
    const tableName = 'athos-bench';
    await ensureTable(database.endpoint, tableName);
    const table = { db: createDocumentClient({ region: 'us-east-1', endpoint: database.endpoint }), name: tableName };
    if (runs('api')) Object.assign(figures, await measureApi(database.endpoint, table, stopLoad));
    if (runs('events')) figures.eventBurst = await measureCallEvents(table);
    if (runs('webhooks')) figures.webhookBurst = await measureWebhooks(database.endpoint);
    report(figures);
  } finally {
    for (const stop of stopLoad) stop();
    await database.stop();
  }
};

/** Each figure's median and range over the runs: one run on a shared machine proves little. */
const burstSpread = (bursts: readonly BurstResult[]) => {
  const spread = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, min: sorted[0], max: sorted.at(-1) };
  };
  const figures = {
    'scored→delivered p50 (ms)': spread(bursts.map((burst) => burst.latencyMs.p50)),
    'scored→delivered p99 (ms)': spread(bursts.map((burst) => burst.latencyMs.p99)),
    'deliveries/s': spread(bursts.map((burst) => Math.round(burst.deliveriesPerSecond))),
    'failed attempts retried': spread(bursts.map((burst) => burst.failedAttempts)),
  };
  console.log('\nWebhook burst (median, min–max over runs)');
  for (const [name, { median, min, max }] of Object.entries(figures)) {
    console.log(`  ${name.padEnd(28)} ${String(median).padStart(8)}   ${min}–${max}`);
  }
  return figures;
};

const report = (figures: Record<string, unknown>) => {
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  mkdirSync(outputDirectory, { recursive: true });
  const failed = budgets.filter((entry) => !entry.pass);
  writeFileSync(
    join(outputDirectory, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), machine, quick, figures, budgets }, null, 2)}\n`,
  );

  const width = Math.max(...budgets.map((entry) => entry.check.length));
  console.log(`\nBudgets (${machine.cpu}, ${machine.cores} cores, Node ${machine.node})\n`);
  for (const entry of budgets) {
    console.log(
      `${entry.pass ? 'ok  ' : 'MISS'}  ${entry.check.padEnd(width)}  ${entry.measured.padStart(22)}  ${entry.limit}`,
    );
  }
  const burst = figures.eventBurst as
    { rounds: BurstRound[]; ratioMedian: number; ratioMin: number; ratioMax: number } | undefined;
  if (burst) {
    const perSecond = burst.rounds.map((round) => Math.round(round.events / round.burstSeconds)).join(', ');
    console.log(
      `\nEvent burst: ${burst.ratioMedian.toFixed(2)}× the BatchWriteItem reference's events/s (median of ${burst.rounds.length}; ${burst.ratioMin.toFixed(2)}–${burst.ratioMax.toFixed(2)}×), ${perSecond} events/s on DynamoDB Local`,
    );
  }
  console.log(`\nAll figures: ${join('bench-results', 'latest.json')}`);
  if (failed.length > 0) {
    console.log(`\n${failed.length} budget(s) missed.`);
    process.exitCode = 1;
  } else {
    console.log('\nEvery budget holds.');
  }
};

main().catch((error: unknown) => {
  console.error(`\nBenchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
