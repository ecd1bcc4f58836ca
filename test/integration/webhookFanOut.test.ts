import { addEndpoint } from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { fanOut } from '../../lambdas/backoffice/webhooks/fanOut.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import type { Clock } from '../../lambdas/domain/ports.js';
import { newEventId, type OutboxEvent } from '../../lambdas/domain/webhooks.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookDeliveryStore } from '../../lambdas/store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import { createTestTenant, testTable } from '../support/fixtures.js';
import { testWebhookSealingKeys } from '../support/testSettings.js';

/** The stream's consumer handed one outbox record, as often as the stream hands it over. */
const table = testTable();
const at = (iso: string): Clock => ({ now: () => new Date(iso) });
const sent: string[] = [];
const fanOutPorts = {
  endpoints: createWebhookEndpointStore(table),
  deliveries: createWebhookDeliveryStore(table),
  queue: { send: async (messages: readonly { body: string }[]) => void sent.push(...messages.map((m) => m.body)) },
  clock: at('2026-06-05T18:10:00Z'),
};
const addEndpointAt = async (tenantId: string, iso: string) =>
  (
    await addEndpoint(
      {
        tenants: createTenantStore(table),
        endpoints: createWebhookEndpointStore(table),
        sealer: createLocalSecretSealer(parseKeySet('test', testWebhookSealingKeys)),
        urls: createUrlVetter('local'),
        clock: at(iso),
        actor: 'test-operator',
      },
      { tenantId, url: 'http://127.0.0.1:4999/hooks' },
    )
  ).endpoint.endpointId;

const scoredEvent = (tenantId: string, occurredAt: string): OutboxEvent => ({
  kind: 'event',
  eventId: newEventId(new Date(occurredAt)),
  tenantId,
  mode: 'live',
  type: 'call.scored',
  callId: 'athos_call_fanout',
  occurredAt,
  payload: '{}',
});

it('sends an event to the endpoints that existed when it was recorded, however often its record is handled', async () => {
  const { tenant } = await createTestTenant(table);
  const before = await addEndpointAt(tenant.tenantId, '2026-06-05T18:00:00Z');
  const event = scoredEvent(tenant.tenantId, '2026-06-05T18:05:00Z');

  await fanOut(fanOutPorts, event);
  const after = await addEndpointAt(tenant.tenantId, '2026-06-05T18:06:00Z');
  await fanOut(fanOutPorts, event);

  const queuedFor = sent.map((body) => (JSON.parse(body) as { endpointId: string }).endpointId);
  expect(queuedFor.filter((endpointId) => endpointId === before)).toHaveLength(2);
  expect(queuedFor).not.toContain(after);
  expect(await createWebhookDeliveryStore(table).listDeliveries({ endpointId: after, limit: 10 })).toEqual([]);
});
