import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { marshall } from '@aws-sdk/util-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext, type ProxyHandler } from './gateway.js';
import type { Route } from '../lambdas/http/routes.js';
import { parseLogThreshold, createLogger } from '../lambdas/observability/log.js';
import { useEnvironment } from '../lambdas/environment.js';
import { callKey } from '../lambdas/store/keys.js';
import type { Table } from '../lambdas/store/table.js';
import { LocalQueue } from './queue.js';
import { startQueueEventSource } from './queueEventSource.js';
import { createSqsEndpoint, queueUrlOf } from './sqsEndpoint.js';

/**
 * The call-events path on a laptop: the queue and its dead-letter queue (in-process), the
 * SQS-compatible endpoint through which the admin CLI and the simulator reach them, the consumer
 * (the deployed handler, fed as Lambda feeds it) and the simulator (the deployed handler too).
 */

export const localQueueNames = { events: 'athos-local-call-events', deadLetters: 'athos-local-call-events-dlq' };
/** Fixed under `npm start`, so the admin CLI finds the queue without being told. */
export const localSqsPort = 9324;
export const defaultLocalQueueUrl = queueUrlOf(`http://127.0.0.1:${localSqsPort}`, localQueueNames.events);

export interface LocalCallEventsOptions {
  /** 0 for any free port. */
  readonly port: number;
  /** How long the simulated calls last (`npm start`: a few seconds; tests: 0). */
  readonly simulatedCallSeconds: number;
  /**
   * How long a failed message stays hidden before it is delivered again (SQS's visibility timeout).
   * @default 5,000 ms
   */
  readonly visibilityTimeoutMs?: number;
  /** @default 5, as the stack */
  readonly maxReceiveCount?: number;
  /** Other local queues the same SQS endpoint serves (the webhook deliveries'). */
  readonly alsoServe?: readonly LocalQueue[];
}

export interface LocalCallEvents {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly queues: { readonly events: LocalQueue; readonly deadLetters: LocalQueue };
  /** What the consumer and simulator handlers read at cold start, as the stack sets it in AWS. */
  readonly environment: Record<string, string>;
  close(): Promise<void>;
}

export const startLocalCallEvents = async (options: LocalCallEventsOptions): Promise<LocalCallEvents> => {
  const deadLetters = new LocalQueue(localQueueNames.deadLetters, { visibilityTimeoutMs: 30_000 });
  const events = new LocalQueue(localQueueNames.events, {
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 5_000,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    deadLetterQueue: deadLetters,
  });
  const server: Server = createSqsEndpoint([events, deadLetters, ...(options.alsoServe ?? [])]);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const queueUrl = queueUrlOf(endpoint, events.name);
  const deadLetterQueueUrl = queueUrlOf(endpoint, deadLetters.name);
  return {
    endpoint,
    queueUrl,
    deadLetterQueueUrl,
    queues: { events, deadLetters },
    environment: {
      CALL_EVENTS_QUEUE_URL: queueUrl,
      CALL_EVENTS_DEAD_LETTER_QUEUE_URL: deadLetterQueueUrl,
      SQS_ENDPOINT: endpoint,
      SIMULATED_CALL_SECONDS: String(options.simulatedCallSeconds),
      // Locally every call is played, so a live key's calls appear too; in AWS only test-mode ones.
      SIMULATED_MODES: 'live,test',
    },
    async close() {
      events.close();
      deadLetters.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** What the table's stream would carry for a new item, as Lambda hands it to the simulator. */
export const insertEventOf = (item: Record<string, unknown>): DynamoDBStreamEvent => ({
  Records: [
    {
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
        NewImage: marshall(item, { removeUndefinedValues: true }) as never,
        StreamViewType: 'NEW_IMAGE',
      },
    },
  ],
});

export interface BackOffice {
  /** For the local API: the redeem handler, observed, so each new call reaches the simulator. */
  observeRedeems(route: Route, handler: ProxyHandler): ProxyHandler;
  /** Stops the consumer (after the batches in hand) and the simulator. */
  stop(): Promise<void>;
}

/**
 * Starts the consumer and, unless turned off, the simulator: the deployed handlers, loaded with
 * the environment the API's handlers get (`handlerEnvironment`) plus the queues'. In AWS the table's stream tells the simulator of new calls;
 * locally the redeem's own answer does, so redeem does no extra work in either place.
 */
export const startBackOffice = async (
  callEvents: LocalCallEvents,
  options: { table: Table; simulator: boolean; environment: Record<string, string> },
): Promise<BackOffice> => {
  useEnvironment({ ...options.environment, ...callEvents.environment });
  const log = createLogger(parseLogThreshold(options.environment.LOG_LEVEL ?? 'info') ?? 'info');
  const { handler: consume } = await import('../lambdas/handlers/callEvents.js');
  const consumer = startQueueEventSource({ queue: callEvents.queues.events, handler: consume });
  const simulate = options.simulator ? (await import('../lambdas/handlers/simulateCalls.js')).handler : undefined;
  const pending = new Set<Promise<void>>();

  const play = async (callId: string) => {
    const { Item } = await options.table.db.send(
      new GetCommand({ TableName: options.table.name, Key: callKey(callId), ConsistentRead: true }),
    );
    if (Item && simulate) await simulate(insertEventOf(Item), lambdaContext(randomUUID()));
  };

  return {
    observeRedeems(route, handler) {
      if (!simulate || route.operationId !== 'redeemSession') return handler;
      return async (event, context): Promise<APIGatewayProxyResult> => {
        const result = await handler(event, context);
        if (result.statusCode === 200) {
          const { callId } = JSON.parse(result.body) as { callId: string };
          const played = play(callId)
            .catch((error: unknown) => log.error('simulator failed', { callId, error: (error as Error).name }))
            .finally(() => pending.delete(played));
          pending.add(played);
        }
        return result;
      };
    },
    async stop() {
      await Promise.all(pending);
      await consumer.stop();
    },
  };
};
