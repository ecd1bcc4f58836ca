import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addEndpoint } from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { systemClock } from '../../lambdas/domain/ports.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import type { Table } from '../../lambdas/store/table.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookDeliveryStore } from '../../lambdas/store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { createWebhookOutbox } from '../../lambdas/store/webhooks/outbox.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import type { QueueHandler } from '../../local/queueEventSource.js';
import { createRedeemedCall, createTestTenant } from '../support/fixtures.js';
import { testWebhookSealingKeys } from '../support/testSettings.js';
import { eventually, startReceiver, startWebhookPipeline, type WebhookPipeline } from '../support/webhooks.js';

/**
 * `npm start` stopped and started again: the pipeline keeps its place in the table's stream (a
 * checkpoint file, as in `.data/`), and its in-memory delivery queue starts empty.
 */

const directory = mkdtempSync(join(tmpdir(), 'athos-webhook-restart-'));
const checkpointFile = join(directory, 'webhook-stream.json');
/** While set, the sender fails every batch before sending anything, as if it were down. */
let senderDown = false;
const wrapSender =
  (handler: QueueHandler): QueueHandler =>
  async (event, context) => {
    if (senderDown) throw new Error('the sender is down');
    return handler(event, context);
  };

let pipeline: WebhookPipeline | undefined;
afterAll(async () => {
  await pipeline?.stop();
  rmSync(directory, { recursive: true, force: true });
});

const portsOf = (table: Table) => ({
  tenants: createTenantStore(table),
  endpoints: createWebhookEndpointStore(table),
  deliveries: createWebhookDeliveryStore(table),
  outbox: createWebhookOutbox(table),
  sealer: createLocalSecretSealer(parseKeySet('test', testWebhookSealingKeys)),
  urls: createUrlVetter('local'),
  clock: systemClock,
  actor: 'test-operator',
});

const scoreCall = (table: Table, callId: string) =>
  completeCall(
    { calls: createCallStore(table), clock: systemClock },
    {
      callId,
      startedAt: '2026-06-05T18:00:00Z',
      endedAt: '2026-06-05T18:07:30Z',
      transcript: [{ role: 'agent', content: 'Hi' }],
      score: { overallScore: 82, summary: 'Good.', feedback: 'Slow down.' },
    },
  );

it('resumes where it stopped after a restart: no event delivered twice, none lost', async () => {
  const first = await startWebhookPipeline({ checkpointFile, wrapSender });
  pipeline = first;
  const { table } = first;
  const ports = portsOf(table);
  const { tenantId } = (await createTestTenant(table)).tenant;
  const [delivered, retrying, queued, whileDown, afterRestart] = await Promise.all(
    Array.from({ length: 5 }, () => createRedeemedCall(table, tenantId)),
  );
  const secrets: string[] = [];
  // The first attempt of `retrying` fails, so it is waiting for its next attempt when the pipeline stops.
  const receiver = await startReceiver(
    () => secrets,
    (delivery) =>
      delivery.event?.data.callId === retrying &&
      receiver.received.filter((seen) => seen.event?.data.callId === retrying).length === 1
        ? { status: 500 }
        : undefined,
  );
  const lateSecrets: string[] = [];
  const lateReceiver = await startReceiver(() => lateSecrets);
  try {
    const { endpoint, secret } = await addEndpoint(ports, { tenantId, url: `${receiver.url}/hooks` });
    secrets.push(secret);
    const deliveries = () => ports.deliveries.listDeliveries({ endpointId: endpoint.endpointId, limit: 20 });
    const deliveryFor = async (callId: string | undefined) =>
      (await deliveries()).find((delivery) => delivery.callId === callId);
    const receivedFor = (callId: string | undefined) =>
      receiver.received.filter((delivery) => delivery.event?.data.callId === callId);

    // Before the restart: one event delivered, one waiting for its retry, one queued but not yet sent.
    await scoreCall(table, delivered!);
    await eventually('the first event delivered', async () => (await deliveryFor(delivered))?.status === 'succeeded');
    await scoreCall(table, retrying!);
    await eventually('a failed first attempt', async () => (await deliveryFor(retrying))?.attempts === 1);
    senderDown = true;
    await scoreCall(table, queued!);
    await eventually('a delivery queued and not yet attempted', async () => {
      const delivery = await deliveryFor(queued);
      return delivery?.status === 'pending' && delivery.attempts === 0;
    });
    await first.stop();
    pipeline = undefined;

    // While nothing runs: a second endpoint is added, and a call is scored.
    const late = await addEndpoint(ports, { tenantId, url: `${lateReceiver.url}/hooks` });
    lateSecrets.push(late.secret);
    await scoreCall(table, whileDown!);

    senderDown = false;
    pipeline = await startWebhookPipeline({
      checkpointFile,
      wrapSender,
      restartOf: { tableName: first.tableName, sqsPort: first.sqsPort },
    });
    await scoreCall(table, afterRestart!);
    await eventually(
      'every event delivered',
      async () => (await deliveries()).filter((delivery) => delivery.status === 'succeeded').length === 5,
      60_000,
    );
    // The stream's records are handled in order, so the events from before the restart were not
    // handled again: the endpoint added meanwhile hears only of what happened after it was added.
    const lateDeliveries = await eventually('both later events delivered to the new endpoint', async () => {
      const all = await ports.deliveries.listDeliveries({ endpointId: late.endpoint.endpointId, limit: 20 });
      return all.filter((delivery) => delivery.status === 'succeeded').length >= 2 ? all : undefined;
    });
    expect(lateDeliveries.map((delivery) => delivery.callId).sort()).toEqual([whileDown, afterRestart].sort());
    expect(lateReceiver.received.map((delivery) => delivery.event?.data.callId).sort()).toEqual(
      [whileDown, afterRestart].sort(),
    );

    for (const callId of [delivered, queued, whileDown, afterRestart]) {
      expect(receivedFor(callId)).toHaveLength(1);
      expect((await deliveryFor(callId))?.attempts).toBe(1);
    }
    // The one retried: its failed attempt and its retry after the restart, with one webhook-id.
    const retried = receivedFor(retrying);
    expect(retried).toHaveLength(2);
    expect(new Set(retried.map((delivery) => delivery.id)).size).toBe(1);
    expect(receiver.received.every((delivery) => delivery.verifiedBy.length > 0)).toBe(true);
  } finally {
    await Promise.all([receiver.close(), lateReceiver.close()]);
  }
}, 120_000);
