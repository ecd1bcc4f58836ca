import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addEndpoint } from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { createTenant, issueApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import { newCallId, newSessionId } from '../../lambdas/domain/ids.js';
import { AthosError } from '../../lambdas/domain/errors.js';
import { noMetrics, systemClock } from '../../lambdas/domain/ports.js';
import { useEnvironment } from '../../lambdas/environment.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { createDocumentClient } from '../../lambdas/store/client.js';
import type { Table } from '../../lambdas/store/table.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookDeliveryStore } from '../../lambdas/store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { createWebhookOutbox } from '../../lambdas/store/webhooks/outbox.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import { ensureTable } from '../../local/ensureTable.js';
import { newKeySet } from '../../local/localState.js';
import { createSqsEndpoint } from '../../local/sqsEndpoint.js';
import { createWebhookListener, type ListenerAnswer, type ReceivedWebhook } from '../../local/webhookListener.js';
import { createLocalWebhookQueues, localWebhookEnvironment, startLocalWebhooks } from '../../local/webhooks.js';
import { percentile } from './stats.js';

/**
 * The webhook burst: `calls` calls scored at once, each announced to three endpoints of one
 * tenant (one healthy, one answering 500 to a third of its attempts, one slow), through the local
 * pipeline that runs the deployed fan-out and sender. Retries wait 1 s here instead of Svix's
 * minutes. It checks that every event reaches every endpoint, that a `webhook-id` repeats only
 * after an attempt failed, and that nothing is left pending or dead-lettered; it measures the time
 * from each scoring write to each endpoint's 2xx, and deliveries per second.
 */

export interface BurstResult {
  readonly calls: number;
  readonly deliveries: number;
  readonly allDelivered: boolean;
  readonly duplicatesOnlyAfterFailures: boolean;
  readonly nothingStuck: boolean;
  /** What was left when the run ended: deliveries not succeeded, by status, and new dead letters. */
  readonly leftOver: { readonly pending: number; readonly failed: number; readonly deadLettered: number };
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly deliveriesPerSecond: number;
  readonly failedAttempts: number;
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const pool = async <T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
};

/**
 * DynamoDB Local gives up on a write that waited too long for its lock (a 500 that real DynamoDB
 * never answers), which a loaded machine provokes: such a write is tried again, a few times.
 */
const patiently = async (write: () => Promise<unknown>) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof AthosError && error.code === 'SERVICE_UNAVAILABLE') || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
};

/** Starts the pipeline on a table of its own, on DynamoDB Local at `dynamoEndpoint`. */
export const startBurstPipeline = async (dynamoEndpoint: string) => {
  const tableName = `athos-bench-webhooks-${randomBytes(3).toString('hex')}`;
  await ensureTable(dynamoEndpoint, tableName);
  const queues = createLocalWebhookQueues({ visibilityTimeoutMs: 30_000 });
  const sqsServer = createSqsEndpoint([queues.deliveries, queues.deadLetters]);
  const sealingKeys = newKeySet();
  useEnvironment({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'silent',
    ...localWebhookEnvironment({
      sqsEndpoint: await listen(sqsServer),
      sealingKeys,
      retrySchedule: '1s,1s,1s,1s,1s,1s,1s',
    }),
  });
  const pipeline = await startLocalWebhooks({ queues, dynamoEndpoint, tableName });
  const table: Table = { db: createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint }), name: tableName };
  return {
    table,
    queues,
    sealingKeys,
    async stop() {
      await pipeline.stop();
      queues.deliveries.close();
      queues.deadLetters.close();
      sqsServer.closeAllConnections();
      await new Promise<void>((resolve) => sqsServer.close(() => resolve()));
    },
  };
};

export type BurstPipeline = Awaited<ReturnType<typeof startBurstPipeline>>;

export const runWebhookBurst = async (
  pipeline: BurstPipeline,
  calls: number,
  onProgress: (delivered: number, expected: number) => void,
): Promise<BurstResult> => {
  const { table } = pipeline;
  // The pipeline serves every run: only what this run adds to its dead-letter queue is this run's.
  const deadLettersBefore = pipeline.queues.deadLetters.size;
  const ports = {
    tenants: createTenantStore(table),
    endpoints: createWebhookEndpointStore(table),
    deliveries: createWebhookDeliveryStore(table),
    outbox: createWebhookOutbox(table),
    sealer: createLocalSecretSealer(parseKeySet('bench', pipeline.sealingKeys)),
    urls: createUrlVetter('local'),
    clock: systemClock,
    actor: 'npm run bench',
  };
  const { tenantId } = await createTenant(ports, { name: 'Bench Reseller' });
  // Redemptions check the minting key still holds, so the calls name a real one.
  const { record: key } = await issueApiKey(ports, { tenantId });

  // The flaky endpoint fails the first attempt of every other event: a third of its attempts, each
  // failure retried once. Failing every third attempt by a shared counter could fail one event's
  // eight attempts in a row (about once in seven runs of 1,000) and exhaust its retries, which
  // would measure the schedule's end, not a loss.
  let flakyEvents = 0;
  const answers: Record<string, (delivery: ReceivedWebhook) => ListenerAnswer | undefined> = {
    healthy: () => undefined,
    flaky: (delivery) => (delivery.attempt === 1 && ++flakyEvents % 2 === 0 ? { status: 500 } : undefined),
    slow: () => ({ status: 204, delayMs: 300 }),
  };
  const secrets: string[] = [];
  /** First 2xx per endpoint and call, and every attempt's webhook-id and outcome. */
  const deliveredAt = new Map<string, number>();
  const attempts: { endpoint: string; id: string; ok: boolean }[] = [];
  const servers: Server[] = [];
  const endpointIds: string[] = [];
  for (const [name, answer] of Object.entries(answers)) {
    const server = createWebhookListener({
      secrets: () => secrets,
      answer: (delivery) => {
        const given = delivery.verifiedBy.length === 0 ? { status: 400 } : (answer(delivery) ?? { status: 204 });
        const ok = given.status < 300;
        attempts.push({ endpoint: name, id: delivery.id, ok });
        const callId = String(delivery.event?.data.callId);
        if (ok && !deliveredAt.has(`${name} ${callId}`)) {
          deliveredAt.set(`${name} ${callId}`, Date.now() + (given.delayMs ?? 0));
          onProgress(deliveredAt.size, calls * 3);
        }
        return given;
      },
    });
    servers.push(server);
    const { endpoint, secret } = await addEndpoint(ports, { tenantId, url: await listen(server) });
    secrets.push(secret);
    endpointIds.push(endpoint.endpointId);
  }

  const callStore = createCallStore(table);
  const now = new Date().toISOString();
  const callIds = Array.from({ length: calls }, () => newCallId());
  await pool(callIds, 5, async (callId) => {
    await patiently(() =>
      callStore.createRedeemedCall(
        {
          callId,
          tenantId,
          sessionId: newSessionId(),
          source: 'roleplay',
          externalUserId: 'rep_bench',
          externalAgencyId: null,
          drillKey: 'ma-full-sale',
          difficulty: 'Advanced',
          personaName: 'Margaret Chen',
          status: 'redeemed',
          createdAt: now,
          updatedAt: now,
        },
        { jti: `bench-${callId}`, expiresAt: new Date(Date.now() + 300_000), mintedBy: { tenantId, keyId: key.keyId } },
      ),
    );
  });

  const scoredAt = new Map<string, number>();
  const started = Date.now();
  await pool(callIds, 10, async (callId) => {
    const ended = new Date();
    await patiently(() =>
      completeCall(
        { calls: callStore, clock: systemClock, metrics: noMetrics },
        {
          callId,
          startedAt: new Date(ended.getTime() - 300_000).toISOString(),
          endedAt: ended.toISOString(),
          transcript: [{ role: 'agent', content: 'Hello.' }],
          score: { overallScore: 80, summary: 'Bench.', feedback: 'Bench.' },
        },
      ),
    );
    scoredAt.set(callId, Date.now());
  });

  // Wait until every endpoint has every call, or nothing has changed for a minute.
  let last = -1;
  let lastChange = Date.now();
  while (deliveredAt.size < calls * 3 && Date.now() - lastChange < 60_000) {
    if (deliveredAt.size !== last) {
      last = deliveredAt.size;
      lastChange = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const finished = Math.max(...deliveredAt.values());

  const pendingOrFailed = (
    await Promise.all(
      endpointIds.map((endpointId) =>
        ports.deliveries
          .listDeliveries({ endpointId, limit: calls * 2 })
          .then((all) => all.filter((d) => d.status !== 'succeeded')),
      ),
    )
  ).flat();
  // The last messages are deleted once their batch returns.
  for (let waited = 0; pipeline.queues.deliveries.size > 0 && waited < 30_000; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  // A webhook-id arrives again only after an attempt of it failed.
  const failedIds = new Set(
    attempts.filter((attempt) => !attempt.ok).map((attempt) => `${attempt.endpoint} ${attempt.id}`),
  );
  const seen = new Set<string>();
  let duplicatesOnlyAfterFailures = true;
  for (const attempt of attempts) {
    const key = `${attempt.endpoint} ${attempt.id}`;
    if (seen.has(key) && !failedIds.has(key)) duplicatesOnlyAfterFailures = false;
    seen.add(key);
  }

  const latencies = [...deliveredAt.entries()]
    .map(([key, at]) => at - (scoredAt.get(key.split(' ')[1] ?? '') ?? at))
    .sort((a, b) => a - b);
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  return {
    calls,
    deliveries: deliveredAt.size,
    allDelivered: deliveredAt.size === calls * 3,
    duplicatesOnlyAfterFailures,
    nothingStuck:
      pendingOrFailed.length === 0 &&
      pipeline.queues.deliveries.size === 0 &&
      pipeline.queues.deadLetters.size === deadLettersBefore,
    leftOver: {
      pending: pendingOrFailed.filter((delivery) => delivery.status === 'pending').length,
      failed: pendingOrFailed.filter((delivery) => delivery.status === 'failed').length,
      deadLettered: pipeline.queues.deadLetters.size - deadLettersBefore,
    },
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    deliveriesPerSecond: deliveredAt.size / Math.max(0.001, (finished - started) / 1000),
    failedAttempts: attempts.filter((attempt) => !attempt.ok).length,
  };
};
