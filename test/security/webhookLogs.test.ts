import { addEndpoint } from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { noMetrics, systemClock } from '../../lambdas/domain/ports.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import { createRedeemedCall, createTestTenant } from '../support/fixtures.js';
import { testWebhookSealingKeys } from '../support/testSettings.js';
import { eventually, startReceiver, startWebhookPipeline, type WebhookPipeline } from '../support/webhooks.js';

/**
 * What reaches CloudWatch from a webhook delivery: every line the fan-out and the sender write at
 * `info`, captured from stdout while a scored call is delivered to a real receiver.
 */
const written: string[] = [];
let stdout: jest.SpyInstance;
let pipeline: WebhookPipeline;
beforeAll(async () => {
  pipeline = await startWebhookPipeline({ logLevel: 'info' });
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
}, 120_000);
afterAll(async () => {
  stdout.mockRestore();
  await pipeline.stop();
});

const linesOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the log lines of a webhook delivery', () => {
  it('name the delivery by its ids and count it, never carrying the signing secret, the signature, the payload or the transcript', async () => {
    const secrets: string[] = [];
    const receiver = await startReceiver(() => secrets);
    try {
      const { tenant } = await createTestTenant(pipeline.table);
      const { secret } = await addEndpoint(
        {
          tenants: createTenantStore(pipeline.table),
          endpoints: createWebhookEndpointStore(pipeline.table),
          sealer: createLocalSecretSealer(parseKeySet('test', testWebhookSealingKeys)),
          urls: createUrlVetter('local'),
          clock: systemClock,
          actor: 'test-operator',
        },
        { tenantId: tenant.tenantId, url: `${receiver.url}/hooks` },
      );
      secrets.push(secret);
      const callId = await createRedeemedCall(pipeline.table, tenant.tenantId);
      const mark = written.length;

      await completeCall(
        { calls: createCallStore(pipeline.table), clock: systemClock, metrics: noMetrics },
        {
          callId,
          startedAt: '2026-06-05T18:00:00Z',
          endedAt: '2026-06-05T18:07:30Z',
          transcript: [{ role: 'agent', content: 'transcript-words-that-must-stay-private' }],
          score: { overallScore: 82, summary: 'summary-that-must-stay-private', feedback: 'feedback-kept-private' },
        },
      );
      const delivery = await eventually('the delivery', () => receiver.received[0]);
      // The sender writes its metrics, then ends its invocation with a line of its own.
      const lines = await eventually('the sender’s invocation line', () => {
        const all = linesOf(written.slice(mark).join(''));
        return all.some((line) => line.operation === 'deliverWebhook' && line.message === 'invocation') && all;
      });

      expect(delivery.verifiedBy).toEqual([0]);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ message: 'invocation', operation: 'webhookFanOut', level: 'info' }),
          expect.objectContaining({ message: 'webhook metrics', operation: 'deliverWebhook', Delivered: 1 }),
          expect.objectContaining({ message: 'invocation', operation: 'deliverWebhook', records: 1, leftOnQueue: 0 }),
        ]),
      );
      const text = JSON.stringify(lines);
      for (const kept of [
        secret,
        secret.replace(/^whsec_/, ''),
        delivery.signature,
        delivery.body,
        'transcript-words-that-must-stay-private',
        'summary-that-must-stay-private',
        'feedback-kept-private',
      ]) {
        expect(text).not.toContain(kept);
      }
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
