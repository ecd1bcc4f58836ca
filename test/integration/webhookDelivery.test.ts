import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import {
  addEndpoint,
  replayDelivery,
  replayFailedSince,
  rotateSecret,
  setEndpointStatus,
} from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import { noMetrics, systemClock } from '../../lambdas/domain/ports.js';
import { testTwinOf } from '../../lambdas/domain/testMode.js';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookDeliveryStore } from '../../lambdas/store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { createWebhookOutbox } from '../../lambdas/store/webhooks/outbox.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import type { ListenerAnswer, ReceivedWebhook } from '../../local/webhookListener.js';
import { createRedeemedCall, createTestTenant } from '../support/fixtures.js';
import { testWebhookSealingKeys } from '../support/testSettings.js';
import { eventually, startReceiver, startWebhookPipeline, type WebhookPipeline } from '../support/webhooks.js';

/**
 * The webhook pipeline end to end, as `npm start` runs it (the deployed fan-out and sender, the
 * table's stream, the delivery queue), with a real receiver that verifies every delivery with the
 * standardwebhooks package. Retries wait 1 s each here (eight attempts in about 8 s).
 */

let pipeline: WebhookPipeline;
/** The sender's next batch crashes halfway (after the first half), once, when a test arms it. */
let crashNextBatch = false;
let crashes = 0;

beforeAll(async () => {
  pipeline = await startWebhookPipeline({
    wrapSender: (handler) => async (event, context) => {
      if (!crashNextBatch) return handler(event, context);
      crashNextBatch = false;
      crashes++;
      const half = { Records: event.Records.slice(0, Math.ceil(event.Records.length / 2)) } as SQSEvent;
      await handler(half, context);
      throw new Error('the sender crashed mid-batch');
    },
  });
}, 120_000);
afterAll(() => pipeline.stop());

const ports = () => ({
  tenants: createTenantStore(pipeline.table),
  endpoints: createWebhookEndpointStore(pipeline.table),
  deliveries: createWebhookDeliveryStore(pipeline.table),
  outbox: createWebhookOutbox(pipeline.table),
  sealer: createLocalSecretSealer(parseKeySet('test', testWebhookSealingKeys)),
  urls: createUrlVetter('local'),
  clock: systemClock,
  actor: 'test-operator',
});

const scoreCall = (callId: string, overallScore = 82) =>
  completeCall(
    { calls: createCallStore(pipeline.table), clock: systemClock, metrics: noMetrics },
    {
      callId,
      startedAt: '2026-06-05T18:00:00Z',
      endedAt: '2026-06-05T18:07:30Z',
      transcript: [{ role: 'agent', content: 'Hi' }],
      score: { overallScore, summary: 'Good.', feedback: 'Slow down.' },
    },
  );

/** A tenant with one endpoint on a fresh receiver. */
const setUp = async (
  options: {
    answer?: (delivery: ReceivedWebhook) => ListenerAnswer | undefined;
    events?: string[];
    mode?: string;
    tenantId?: string;
  } = {},
) => {
  const secrets: string[] = [];
  const receiver = await startReceiver(() => secrets, options.answer);
  const tenantId = options.tenantId ?? (await createTestTenant(pipeline.table)).tenant.tenantId;
  const { endpoint, secret } = await addEndpoint(ports(), {
    tenantId,
    url: `${receiver.url}/hooks`,
    ...(options.events ? { events: options.events } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
  });
  secrets.push(secret);
  receivers.push(receiver);
  return { tenantId, endpoint, secrets, receiver };
};
const receivers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const deliveryOf = async (endpointId: string, status?: 'succeeded' | 'failed') =>
  eventually(`a ${status ?? 'settled'} delivery to ${endpointId}`, async () => {
    const [delivery] = await ports().deliveries.listDeliveries({ endpointId, limit: 1 });
    return delivery && delivery.status !== 'pending' && (status === undefined || delivery.status === status)
      ? delivery
      : undefined;
  });

describe('webhook delivery', () => {
  it('delivers call.scored, signed and verifiable with standardwebhooks, moments after the call is scored', async () => {
    const { tenantId, receiver } = await setUp();
    const callId = await createRedeemedCall(pipeline.table, tenantId, 'rep_42');

    await scoreCall(callId);

    const delivery = await eventually('the delivery', () => receiver.received[0]);
    expect(delivery.verifiedBy).toEqual([0]);
    expect(delivery.event).toEqual({
      type: 'call.scored',
      timestamp: expect.any(String),
      data: {
        callId,
        sessionId: expect.stringMatching(/^ext_/),
        source: 'roleplay',
        externalUserId: 'rep_42',
        externalAgencyId: null,
        drillKey: 'ma-full-sale',
        endedAt: '2026-06-05T18:07:30.000Z',
        scoredAt: expect.any(String),
        overallScore: 82,
      },
    });
    expect(receiver.received).toHaveLength(1);
  }, 60_000);

  it('sends call.ended, then call.scored, to an endpoint that subscribed to both', async () => {
    const { tenantId, receiver } = await setUp({ events: ['call.ended', 'call.scored'] });
    const callId = await createRedeemedCall(pipeline.table, tenantId);

    await scoreCall(callId);

    await eventually('both events', () => receiver.received.length >= 2);
    expect(receiver.received.map((delivery) => delivery.event?.type).sort()).toEqual(['call.ended', 'call.scored']);
    const ended = receiver.received.find((delivery) => delivery.event?.type === 'call.ended');
    expect(ended?.event).toMatchObject({
      timestamp: '2026-06-05T18:07:30.000Z',
      data: { callId, endedAt: '2026-06-05T18:07:30.000Z', scoredAt: null, overallScore: null },
    });
    expect(new Set(receiver.received.map((delivery) => delivery.id)).size).toBe(2);
  }, 60_000);

  it('retries after a 500 with the same webhook-id, and logs each attempt without the body or secret', async () => {
    const { tenantId, endpoint, secrets, receiver } = await setUp({
      answer: (delivery) => ({ status: delivery.attempt === 1 ? 500 : 200, body: 'receiver says: secret stuff' }),
    });
    const callId = await createRedeemedCall(pipeline.table, tenantId);

    await scoreCall(callId);

    const delivery = await deliveryOf(endpoint.endpointId, 'succeeded');
    expect(receiver.received.map((received) => [received.id, received.attempt])).toEqual([
      [delivery.deliveryId, 1],
      [delivery.deliveryId, 2],
    ]);
    expect(delivery.attemptLog).toEqual([
      { at: expect.any(String), statusCode: 500, latencyMs: expect.any(Number), errorClass: 'http_status' },
      { at: expect.any(String), statusCode: 200, latencyMs: expect.any(Number), errorClass: null },
    ]);
    const { Items = [] } = await pipeline.table.db.send(new ScanCommand({ TableName: pipeline.table.name }));
    const stored = JSON.stringify(Items);
    expect(stored).not.toContain('receiver says');
    expect(stored).not.toContain((secrets[0] ?? '').slice('whsec_'.length));
  }, 60_000);

  it('waits as long as Retry-After asks before the next attempt', async () => {
    const { tenantId, endpoint, receiver } = await setUp({
      answer: (delivery) => (delivery.attempt === 1 ? { status: 503, headers: { 'Retry-After': '3' } } : undefined),
    });

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));

    const delivery = await deliveryOf(endpoint.endpointId, 'succeeded');
    const [first, second] = receiver.received;
    // The schedule says 1 s; the receiver asked for 3.
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(3_000);
    expect(delivery.attemptLog.map((attempt) => attempt.statusCode)).toEqual([503, 204]);
  }, 60_000);

  it('disables an endpoint that answers 410 Gone, says why, and sends it nothing more', async () => {
    const { tenantId, endpoint, receiver } = await setUp({ answer: () => ({ status: 410 }) });

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));

    const delivery = await deliveryOf(endpoint.endpointId, 'failed');
    expect(delivery.attemptLog).toHaveLength(1);
    // The sender records the attempt, then disables the endpoint.
    const disabled = await eventually('the endpoint disabled', async () => {
      const found = await ports().endpoints.findEndpoint(endpoint.endpointId);
      return found?.status === 'disabled' ? found : undefined;
    });
    expect(disabled).toMatchObject({ status: 'disabled', disabledReason: 'answered 410 Gone' });
    expect(await ports().endpoints.listAudit(tenantId, 5)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'webhook.disable', actor: 'webhook sender', details: expect.anything() }),
      ]),
    );

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));
    const later = await eventually('the second delivery', async () => {
      const all = await ports().deliveries.listDeliveries({ endpointId: endpoint.endpointId, limit: 10 });
      return all.length === 2 ? all : undefined;
    });
    expect(later[0]).toMatchObject({ status: 'failed', attemptLog: [] });
    expect(receiver.received).toHaveLength(1);
  }, 60_000);

  it('records a timeout or a refused connection as a failed attempt, and tries again', async () => {
    const { tenantId, endpoint, receiver } = await setUp();
    await receiver.close();

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));

    const failing = await eventually('two failed attempts', async () => {
      const [delivery] = await ports().deliveries.listDeliveries({ endpointId: endpoint.endpointId, limit: 1 });
      return (delivery?.attemptLog.length ?? 0) >= 2 ? delivery : undefined;
    });
    expect(failing.attemptLog[0]).toMatchObject({ statusCode: null, errorClass: 'connection' });
    expect((await ports().endpoints.findEndpoint(endpoint.endpointId))?.failingSince).toEqual(expect.any(String));
  }, 60_000);

  it('fails a delivery after the eighth attempt, keeps it, and replays it with the same webhook-id', async () => {
    let healthy = false;
    const { tenantId, endpoint, receiver } = await setUp({ answer: () => (healthy ? undefined : { status: 500 }) });

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));

    const failed = await deliveryOf(endpoint.endpointId, 'failed');
    expect(failed.attemptLog).toHaveLength(8);
    expect(failed.failure).toBe('all 8 attempts failed');
    healthy = true;

    await replayDelivery(ports(), { deliveryId: failed.deliveryId });

    const replayed = await deliveryOf(endpoint.endpointId, 'succeeded');
    expect(replayed.attemptLog).toHaveLength(9);
    expect(receiver.received).toHaveLength(9);
    expect(new Set(receiver.received.map((delivery) => delivery.id))).toEqual(new Set([failed.deliveryId]));
    expect(receiver.received.at(-1)?.verifiedBy).toEqual([0]);
  }, 90_000);

  it('keeps events for a disabled endpoint as failed deliveries, and replays them once it is enabled', async () => {
    const { tenantId, endpoint, receiver } = await setUp();
    const since = new Date();
    await setEndpointStatus(ports(), { endpointId: endpoint.endpointId, status: 'disabled' });

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));
    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));
    await eventually('two failed deliveries', async () => {
      const failed = await ports().deliveries.listDeliveries({
        endpointId: endpoint.endpointId,
        status: 'failed',
        limit: 10,
      });
      return failed.length === 2;
    });
    expect(receiver.received).toHaveLength(0);

    await setEndpointStatus(ports(), { endpointId: endpoint.endpointId, status: 'enabled' });
    await expect(replayFailedSince(ports(), { endpointId: endpoint.endpointId, since })).resolves.toEqual({
      endpointId: endpoint.endpointId,
      replayed: 2,
    });

    await eventually('both replayed', () => receiver.received.length === 2);
    expect(receiver.received.every((delivery) => delivery.verifiedBy.length === 1)).toBe(true);
  }, 60_000);

  it('signs with the old and the new secret during a rotation, so either verifies', async () => {
    const { tenantId, endpoint, secrets, receiver } = await setUp();
    const { secret: newer } = await rotateSecret(ports(), { endpointId: endpoint.endpointId, overlapMs: 3_600_000 });
    secrets.push(newer);

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));

    const delivery = await eventually('the delivery', () => receiver.received[0]);
    expect(delivery.signature.split(' ')).toHaveLength(2);
    expect(delivery.verifiedBy).toEqual([0, 1]);
  }, 60_000);

  it('signs with the new secret only once a rotation has no overlap', async () => {
    const { tenantId, endpoint, secrets, receiver } = await setUp();
    const { secret: newer } = await rotateSecret(ports(), { endpointId: endpoint.endpointId, overlapMs: 0 });
    secrets.push(newer);

    await scoreCall(await createRedeemedCall(pipeline.table, tenantId));

    const delivery = await eventually('the delivery', () => receiver.received[0]);
    expect(delivery.verifiedBy).toEqual([1]);
  }, 60_000);

  it("sends a tenant's events to its own endpoints only, and test-mode events to test endpoints only", async () => {
    const live = await setUp();
    const test = await setUp({ tenantId: live.tenantId, mode: 'test' });
    const other = await setUp();

    await scoreCall(await createRedeemedCall(pipeline.table, live.tenantId));
    const testCallId = await createRedeemedCall(pipeline.table, testTwinOf(live.tenantId), 'rep_test');
    await scoreCall(testCallId);

    await eventually('the live and the test delivery', () => live.receiver.received[0] && test.receiver.received[0]);
    await deliveryOf(test.endpoint.endpointId);
    expect(live.receiver.received).toHaveLength(1);
    expect(test.receiver.received.map((delivery) => delivery.event?.data.callId)).toEqual([testCallId]);
    expect(live.receiver.received[0]?.event?.data.callId).not.toBe(testCallId);
    expect(other.receiver.received).toHaveLength(0);
    expect(await ports().deliveries.listDeliveries({ endpointId: other.endpoint.endpointId, limit: 5 })).toEqual([]);
  }, 60_000);

  it('loses nothing, and sends nothing twice, when the sender crashes halfway through a batch', async () => {
    const { tenantId, endpoint, receiver } = await setUp();
    const callIds = await Promise.all(Array.from({ length: 6 }, () => createRedeemedCall(pipeline.table, tenantId)));
    crashNextBatch = true;

    await Promise.all(callIds.map((callId) => scoreCall(callId)));

    await eventually('every call delivered', async () => {
      const delivered = await ports().deliveries.listDeliveries({
        endpointId: endpoint.endpointId,
        status: 'succeeded',
        limit: 10,
      });
      return delivered.length === 6;
    });
    expect(crashes).toBe(1);
    expect(receiver.received.map((delivery) => delivery.event?.data.callId).sort()).toEqual([...callIds].sort());
  }, 90_000);
});
