import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureTable } from '../../local/ensureTable.js';
import { useEnvironment } from '../../lambdas/environment.js';
import { createDocumentClient } from '../../lambdas/store/client.js';
import type { Table } from '../../lambdas/store/table.js';
import { createWebhookListener, type ListenerAnswer, type ReceivedWebhook } from '../../local/webhookListener.js';
import { createLocalWebhookQueues, localWebhookEnvironment, startLocalWebhooks } from '../../local/webhooks.js';
import { createSqsEndpoint } from '../../local/sqsEndpoint.js';
import { dynamoEndpoint, testWebhookSealingKeys } from './testSettings.js';

const listen = async (server: Server, port = 0): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * The webhook pipeline of `npm start` (the deployed fan-out and sender, on the table's stream and
 * the local delivery queue), on a table of the test file's own, so no other file's events reach it.
 * @param retrySchedule the waits after each failed attempt (whole seconds: SQS visibility counts in them)
 * @param restartOf a stopped pipeline to start again, as `npm start` restarts: on its table, with
 *   its SQS port (the handlers, loaded once, keep the queue URL), and fresh in-memory queues
 */
export const startWebhookPipeline = async (
  options: {
    retrySchedule?: string;
    visibilityTimeoutMs?: number;
    wrapSender?: Parameters<typeof startLocalWebhooks>[0]['wrapSender'];
    checkpointFile?: string;
    restartOf?: { tableName: string; sqsPort: number };
  } = {},
) => {
  const tableName = options.restartOf?.tableName ?? `athos-webhooks-${randomBytes(4).toString('hex')}`;
  await ensureTable(dynamoEndpoint(), tableName);
  const queues = createLocalWebhookQueues({ visibilityTimeoutMs: options.visibilityTimeoutMs ?? 2_000 });
  const sqsServer = createSqsEndpoint([queues.deliveries, queues.deadLetters]);
  const sqsEndpoint = await listen(sqsServer, options.restartOf?.sqsPort);
  useEnvironment({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamoEndpoint(),
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'silent',
    ...localWebhookEnvironment({
      sqsEndpoint,
      sealingKeys: testWebhookSealingKeys,
      retrySchedule: options.retrySchedule ?? '1s,1s,1s,1s,1s,1s,1s',
    }),
  });
  const pipeline = await startLocalWebhooks({
    queues,
    dynamoEndpoint: dynamoEndpoint(),
    tableName,
    ...(options.wrapSender ? { wrapSender: options.wrapSender } : {}),
    ...(options.checkpointFile ? { checkpointFile: options.checkpointFile } : {}),
  });
  const table: Table = {
    db: createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint() }),
    name: tableName,
  };
  return {
    table,
    tableName,
    sqsPort: (sqsServer.address() as AddressInfo).port,
    queues,
    async stop() {
      await pipeline.stop();
      queues.deliveries.close();
      queues.deadLetters.close();
      await close(sqsServer);
      table.db.destroy();
    },
  };
};

export type WebhookPipeline = Awaited<ReturnType<typeof startWebhookPipeline>>;

/**
 * A receiver on 127.0.0.1 that verifies with `standardwebhooks` and records every delivery.
 * @param answer how to answer each delivery (default: 204 when verified)
 */
export const startReceiver = async (
  secrets: () => readonly string[],
  answer?: (delivery: ReceivedWebhook) => ListenerAnswer | undefined,
) => {
  const received: ReceivedWebhook[] = [];
  const server = createWebhookListener({
    secrets,
    onDelivery: (delivery) => received.push(delivery),
    ...(answer ? { answer } : {}),
  });
  const url = await listen(server);
  return { url, received, close: () => close(server) };
};

/** Resolves once `condition` holds, checking every 50 ms; fails with `what` after `timeoutMs`. */
export const eventually = async <T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<Exclude<T, undefined | null | false | 0 | ''>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
