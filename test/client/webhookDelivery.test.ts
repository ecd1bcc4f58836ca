import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addEndpoint } from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { noMetrics, systemClock } from '../../lambdas/domain/ports.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { createWebhookOutbox } from '../../lambdas/store/webhooks/outbox.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import { Athos, type WebhookEvent } from '../../clients/node/src/index.js';
import { rejectionOf } from '../support/webhookRejection.js';
import { createRedeemedCall, createTestTenant } from '../support/fixtures.js';
import { testWebhookSealingKeys } from '../support/testSettings.js';
import { eventually, startWebhookPipeline, type WebhookPipeline } from '../support/webhooks.js';

/**
 * The client's `webhooks.verify` against real deliveries: the webhooks feature's own pipeline (the
 * deployed fan-out and sender, as `npm start` runs them) posts to a plain node:http receiver, which
 * hands the raw body and headers to the client, as a reseller's server would.
 */

interface Captured {
  readonly body: Buffer;
  readonly headers: IncomingHttpHeaders;
}

let pipeline: WebhookPipeline;
let receiver: Server;
let url: string;
const captured: Captured[] = [];
const athos = new Athos({ apiKey: 'ath_test_unused', baseUrl: 'http://127.0.0.1:9' });

beforeAll(async () => {
  pipeline = await startWebhookPipeline();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      captured.push({ body: Buffer.concat(chunks), headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/athos`;
}, 120_000);
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await pipeline.stop();
});

/** A tenant with an endpoint on the receiver, and one of its calls scored: its real delivery. */
const deliveryOfScoredCall = async () => {
  const ports = {
    tenants: createTenantStore(pipeline.table),
    endpoints: createWebhookEndpointStore(pipeline.table),
    outbox: createWebhookOutbox(pipeline.table),
    sealer: createLocalSecretSealer(parseKeySet('test', testWebhookSealingKeys)),
    urls: createUrlVetter('local'),
    clock: systemClock,
    actor: 'test-operator',
  };
  const { tenantId } = (await createTestTenant(pipeline.table)).tenant;
  const { secret } = await addEndpoint(ports, { tenantId, url });
  const callId = await createRedeemedCall(pipeline.table, tenantId);
  await completeCall(
    { calls: createCallStore(pipeline.table), clock: systemClock, metrics: noMetrics },
    {
      callId,
      startedAt: '2026-06-05T18:00:00Z',
      endedAt: '2026-06-05T18:07:30Z',
      transcript: [{ role: 'agent', content: 'Hi' }],
      score: { overallScore: 77, summary: 'Good.', feedback: 'Slow down.' },
    },
  );
  const delivery = await eventually(`the delivery of ${callId}`, () =>
    captured.find((seen) => seen.body.toString('utf8').includes(callId)),
  );
  return { secret, callId, delivery };
};

it('verifies a real call.scored delivery from its raw body and headers, and returns the typed event', async () => {
  const { secret, callId, delivery } = await deliveryOfScoredCall();

  const event: WebhookEvent = athos.webhooks.verify(delivery.body, delivery.headers, secret);

  expect(event).toMatchObject({ type: 'call.scored', data: { callId, overallScore: 77 } });
  if (event.type !== 'call.scored') throw new Error('expected call.scored');
  expect(Date.parse(event.data.scoredAt)).not.toBeNaN();
  // Also with the body as a string, as an Express `raw`/`text` parser hands it.
  expect(athos.webhooks.verify(delivery.body.toString('utf8'), delivery.headers, secret)).toEqual(event);
}, 60_000);

it('rejects that delivery tampered with: its body, its signature, its id, or checked with another secret', async () => {
  const { secret, delivery } = await deliveryOfScoredCall();
  const body = delivery.body.toString('utf8');
  const otherSecret = (await deliveryOfScoredCall()).secret;

  const cases: [string, () => unknown][] = [
    [
      'a changed score',
      () => athos.webhooks.verify(body.replace('"overallScore":77', '"overallScore":99'), delivery.headers, secret),
    ],
    ['a byte appended', () => athos.webhooks.verify(`${body} `, delivery.headers, secret)],
    [
      'another webhook-id',
      () => athos.webhooks.verify(body, { ...delivery.headers, 'webhook-id': 'msg_forged' }, secret),
    ],
    [
      'a forged signature',
      () =>
        athos.webhooks.verify(
          body,
          { ...delivery.headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` },
          secret,
        ),
    ],
    ['another endpoint’s secret', () => athos.webhooks.verify(body, delivery.headers, otherSecret)],
  ];
  // The tampered body must differ from the signed one for the first case to mean anything.
  expect(body).toContain('"overallScore":77');
  expect(cases.map(([name, verify]) => [name, rejectionOf(verify).code])).toEqual(
    cases.map(([name]) => [name, 'INVALID_SIGNATURE']),
  );

  const stale = rejectionOf(() =>
    athos.webhooks.verify(
      body,
      { ...delivery.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 600) },
      secret,
    ),
  );
  expect(stale.code).toBe('STALE_TIMESTAMP');
}, 90_000);
