import { randomInt } from 'node:crypto';
import { BatchGetCommand, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { simulatedEvents } from '../../lambdas/backoffice/simulateCall.js';
import { newCallId, newSessionId, newTenantId } from '../../lambdas/domain/ids.js';
import type { CallRecord } from '../../lambdas/domain/records.js';
import { importScoredCalls } from '../../lambdas/store/calls/importer.js';
import { callKey, listPartitions } from '../../lambdas/store/keys.js';
import type { Table } from '../../lambdas/store/table.js';
import { callIndexes } from '../../lambdas/store/tableDefinition.js';
import { LocalQueue } from '../../local/queue.js';
import { startQueueEventSource } from '../../local/queueEventSource.js';

/**
 * A burst of call events through the local queue and the deployed consumer into DynamoDB Local:
 * every call ended and scored, some scores before their ends, some events sent twice. Checked
 * afterwards (every call listed once, with exactly its two events applied; nothing left on either
 * queue) and timed against a reference that writes the same end state with BatchWriteItem.
 */

type Handler = (event: SQSEvent, context: never) => Promise<SQSBatchResponse>;

export interface BurstRound {
  readonly events: number;
  readonly burstSeconds: number;
  readonly referenceSeconds: number;
  /** Events per second through the queue, over events per second of the BatchWrite reference. */
  readonly ratio: number;
  readonly recordedOnce: boolean;
  readonly lostOrStuck: number;
}

const redeemedCall = (tenantId: string, now: Date): CallRecord => ({
  callId: newCallId(),
  tenantId,
  sessionId: newSessionId(),
  source: 'roleplay',
  externalUserId: `rep_${randomInt(50)}`,
  externalAgencyId: null,
  drillKey: 'ma-full-sale',
  difficulty: 'Advanced',
  personaName: 'Margaret Chen',
  status: 'redeemed',
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

const writeItems = async (table: Table, items: Record<string, unknown>[]) => {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const output = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending } }));
      pending = (output.UnprocessedItems?.[table.name] ?? []) as typeof pending;
    }
  }
};

/** The burst's bodies: per call `ended` then `scored`, a share reversed, and some sent twice. */
const burstOf = (calls: readonly CallRecord[], total: number) => {
  const bodies: string[] = [];
  calls.forEach((call, i) => {
    const { ended, scored } = simulatedEvents(call, 120);
    const pair = [JSON.stringify(ended), JSON.stringify(scored)];
    bodies.push(...(i % 4 === 0 ? pair.reverse() : pair));
  });
  while (bodies.length < total) bodies.push(bodies[randomInt(bodies.length)] as string);
  return bodies;
};

const listedIds = async (table: Table, tenantId: string) => {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: callIndexes.byTenant.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': callIndexes.byTenant.partitionKey },
        ExpressionAttributeValues: { ':pk': listPartitions.tenant(tenantId, 'roleplay') },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.callId));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
};

const appliedEventCounts = async (table: Table, callIds: readonly string[]) => {
  const counts: number[] = [];
  for (let i = 0; i < callIds.length; i += 100) {
    let keys: Record<string, unknown>[] = callIds.slice(i, i + 100).map(callKey);
    while (keys.length > 0) {
      const output = await table.db.send(
        new BatchGetCommand({ RequestItems: { [table.name]: { Keys: keys, ProjectionExpression: 'eventIds' } } }),
      );
      for (const item of output.Responses?.[table.name] ?? []) counts.push((item.eventIds as Set<string>)?.size ?? 0);
      keys = output.UnprocessedKeys?.[table.name]?.Keys ?? [];
    }
  }
  return counts;
};

export const measureEventBurst = async (
  table: Table,
  handler: Handler,
  options: { events: number; onProgress: (done: number, total: number) => void },
): Promise<BurstRound> => {
  const now = new Date();
  const tenantId = newTenantId();
  const callCount = Math.floor((options.events * 0.9) / 2);
  const calls = Array.from({ length: callCount }, () => redeemedCall(tenantId, now));
  await writeItems(
    table,
    calls.map((call) => ({ ...callKey(call.callId), ...call })),
  );
  const bodies = burstOf(calls, options.events);

  const deadLetters = new LocalQueue('bench-dlq', { visibilityTimeoutMs: 30_000 });
  const queue = new LocalQueue('bench', {
    visibilityTimeoutMs: 30_000,
    maxReceiveCount: 5,
    deadLetterQueue: deadLetters,
  });
  const started = performance.now();
  for (const body of bodies) queue.send(body);
  // As the stack's event source mapping: batches of 10, five at a time.
  const source = startQueueEventSource({ queue, handler: handler as never, batchSize: 10, maxConcurrency: 5 });
  await queue.until((current) => {
    options.onProgress(bodies.length - current.size, bodies.length);
    return current.size === 0;
  });
  const burstSeconds = (performance.now() - started) / 1000;
  await source.stop();

  const listed = await listedIds(table, tenantId);
  const counts = await appliedEventCounts(
    table,
    calls.map((call) => call.callId),
  );
  const recordedOnce =
    listed.length === callCount &&
    new Set(listed).size === callCount &&
    counts.length === callCount &&
    counts.every((count) => count === 2);

  const reference = calls.map((call) => {
    const { ended, scored } = simulatedEvents(call, 120);
    return {
      ...call,
      callId: newCallId(),
      tenantId: newTenantId(),
      status: 'scored' as const,
      startedAt: ended.startedAt,
      endedAt: ended.endedAt,
      durationSec: ended.durationSec,
      endReason: ended.endReason,
      scoredAt: scored.scoredAt,
      score: scored.score,
      transcript: scored.transcript,
    };
  });
  const referenceStarted = performance.now();
  await importScoredCalls(table, reference, { concurrency: 5 });
  const referenceSeconds = (performance.now() - referenceStarted) / 1000;

  return {
    events: bodies.length,
    burstSeconds,
    referenceSeconds,
    ratio: referenceSeconds / burstSeconds,
    recordedOnce,
    lostOrStuck: callCount - listed.length + queue.size + deadLetters.size,
  };
};
