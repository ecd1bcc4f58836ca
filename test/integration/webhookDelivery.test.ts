import { systemClock } from '../../lambdas/domain/ports.js';
import { addEndpoint } from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import { completeCall } from '../../lambdas/operations/completeCall.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookDeliveryStore } from '../../lambdas/store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { createWebhookOutbox } from '../../lambdas/store/webhooks/outbox.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import { createRedeemedCall, createTestTenant } from '../support/fixtures.js';
import { testWebhookSealingKeys } from '../support/testSettings.js';
import { eventually, startReceiver, startWebhookPipeline, type WebhookPipeline } from '../support/webhooks.js';

let pipeline: WebhookPipeline;
beforeAll(async () => {
  pipeline = await startWebhookPipeline();
}, 120_000);
afterAll(() => pipeline.stop());

const adminPorts = () => ({
  tenants: createTenantStore(pipeline.table),
  endpoints: createWebhookEndpointStore(pipeline.table),
  deliveries: createWebhookDeliveryStore(pipeline.table),
  outbox: createWebhookOutbox(pipeline.table),
  sealer: createLocalSecretSealer(parseKeySet('test', testWebhookSealingKeys)),
  urls: createUrlVetter('local'),
  clock: systemClock,
  actor: 'test-operator',
});

const scoreCall = async (callId: string) =>
  completeCall(
    { calls: createCallStore(pipeline.table), clock: systemClock },
    {
      callId,
      startedAt: '2026-06-05T18:00:00Z',
      endedAt: '2026-06-05T18:07:30Z',
      transcript: [{ role: 'agent', content: 'Hi' }],
      score: { overallScore: 82, summary: 'Good.', feedback: 'Slow down.' },
    },
  );

describe('webhook delivery', () => {
  it('delivers call.scored, signed and verifiable with standardwebhooks, moments after the call is scored', async () => {
    const secrets: string[] = [];
    const receiver = await startReceiver(() => secrets);
    try {
      const { tenant } = await createTestTenant(pipeline.table);
      const { secret } = await addEndpoint(adminPorts(), { tenantId: tenant.tenantId, url: `${receiver.url}/hooks` });
      secrets.push(secret);
      const callId = await createRedeemedCall(pipeline.table, tenant.tenantId, 'rep_42');

      await scoreCall(callId);

      const delivery = await eventually('the delivery', () => receiver.received[0]);
      expect(delivery?.verifiedBy).toEqual([0]);
      expect(delivery?.event).toEqual({
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
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
