import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { createTestTenant } from '../support/fixtures.js';
import { admin as runAdmin } from '../support/adminCli.js';
import { testWebhookSealingKeys } from '../support/testSettings.js';
import { eventually, startReceiver, startWebhookPipeline, type WebhookPipeline } from '../support/webhooks.js';

/**
 * `athos-admin webhook …` as an operator runs it (a separate process), against a table whose
 * webhook pipeline runs in this test, so `webhook test` and `replay` really deliver.
 */
// Each test starts the CLI as several separate processes: a second or two on a quiet machine,
// many times that on a busy one.
jest.setTimeout(300_000);

let pipeline: WebhookPipeline;
beforeAll(async () => {
  pipeline = await startWebhookPipeline();
}, 120_000);
afterAll(() => pipeline.stop());

const admin = (args: string[]) =>
  runAdmin(args, { WEBHOOK_SEALING_KEYS: testWebhookSealingKeys }, { table: pipeline.tableName });

const tableText = async () => {
  const { Items = [] } = await pipeline.table.db.send(new ScanCommand({ TableName: pipeline.table.name }));
  return JSON.stringify(Items);
};

const endpointsOf = async (tenantId: string) =>
  (await admin(['webhook', 'list', '--tenant', tenantId])).json.endpoints as { endpointId: string; status: string }[];

describe('athos-admin webhook', () => {
  it('adds an endpoint, printing its id and secret once as {"endpointId", "secret", …}, and stores no secret', async () => {
    const { tenant } = await createTestTenant(pipeline.table);

    const added = await admin([
      'webhook',
      'add',
      '--tenant',
      tenant.tenantId,
      '--url',
      'http://127.0.0.1:4999/hooks',
      '--events',
      'call.scored,call.ended',
      '--description',
      'CRM sync',
    ]);

    expect(added.code).toBe(0);
    expect(Object.keys(added.json).slice(0, 2)).toEqual(['endpointId', 'secret']);
    expect(added.json).toMatchObject({
      endpointId: expect.stringMatching(/^ep_/),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      tenantId: tenant.tenantId,
      mode: 'live',
      url: 'http://127.0.0.1:4999/hooks',
      events: ['call.scored', 'call.ended'],
      description: 'CRM sync',
      status: 'enabled',
    });
    expect(await tableText()).not.toContain(added.json.secret.slice('whsec_'.length, 30));
    expect(await endpointsOf(tenant.tenantId)).toEqual([
      expect.objectContaining({ endpointId: added.json.endpointId, status: 'enabled' }),
    ]);
  });

  it.each([
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['its IPv4-mapped IPv6 form', 'http://[::ffff:a9fe:a9fe]/'],
    ['its hex form', 'http://0xa9fea9fe/'],
    ['its decimal form', 'http://2852039166/'],
    ['a link-local IPv6 address', 'http://[fe80::1]/'],
    ['a private address', 'http://10.0.0.8/'],
    ['an unknown scheme', 'gopher://127.0.0.1/'],
  ])('refuses %s and writes nothing', async (_case, url) => {
    const { tenant } = await createTestTenant(pipeline.table);

    const refused = await admin(['webhook', 'add', '--tenant', tenant.tenantId, '--url', url]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/athos-admin: the webhook URL is refused: /);
    expect(await endpointsOf(tenant.tenantId)).toEqual([]);
  });

  it('refuses bad usage with a clear line and exit code 2', async () => {
    const { tenant } = await createTestTenant(pipeline.table);
    const noEndpoint = await admin(['webhook', 'disable']);
    expect([noEndpoint.code, noEndpoint.stderr]).toEqual([
      2,
      'athos-admin: --endpoint ID (a webhook endpoint) is required\n',
    ]);
    const badStatus = await admin(['webhook', 'deliveries', '--endpoint', 'ep_x', '--status', 'lost']);
    expect(badStatus.code).toBe(2);
    const unknownEvent = await admin([
      'webhook',
      'add',
      '--tenant',
      tenant.tenantId,
      '--url',
      'http://127.0.0.1/',
      '--events',
      'call.lost',
    ]);
    expect([unknownEvent.code, unknownEvent.stderr]).toEqual([1, expect.stringContaining('unknown event call.lost')]);
  });

  it('sends a signed sample with webhook test, and reports the attempt', async () => {
    const secrets: string[] = [];
    const receiver = await startReceiver(() => secrets);
    try {
      const { tenant } = await createTestTenant(pipeline.table);
      const added = await admin(['webhook', 'add', '--tenant', tenant.tenantId, '--url', receiver.url]);
      secrets.push(added.json.secret);

      const tested = await admin(['webhook', 'test', '--endpoint', added.json.endpointId]);

      expect(tested.code).toBe(0);
      expect(tested.json).toMatchObject({
        type: 'call.scored',
        status: 'succeeded',
        attempt: { statusCode: 204, errorClass: null },
      });
      expect(receiver.received).toEqual([expect.objectContaining({ id: tested.json.deliveryId, verifiedBy: [0] })]);
    } finally {
      await receiver.close();
    }
  });

  it('disables and enables an endpoint, lists failed deliveries, and replays them', async () => {
    const secrets: string[] = [];
    const receiver = await startReceiver(() => secrets);
    try {
      const { tenant } = await createTestTenant(pipeline.table);
      const { json: added } = await admin(['webhook', 'add', '--tenant', tenant.tenantId, '--url', receiver.url]);
      secrets.push(added.secret);
      const since = new Date().toISOString();

      const disabled = await admin(['webhook', 'disable', '--endpoint', added.endpointId]);
      expect(disabled.json).toMatchObject({ status: 'disabled', disabledReason: 'disabled by test-operator' });
      expect((await admin(['webhook', 'test', '--endpoint', added.endpointId])).code).toBe(1);
      const enabled = await admin(['webhook', 'enable', '--endpoint', added.endpointId]);
      expect(enabled.json).toMatchObject({ status: 'enabled', disabledReason: null });

      const tested = await admin(['webhook', 'test', '--endpoint', added.endpointId]);
      const failedBefore = await admin(['webhook', 'deliveries', '--endpoint', added.endpointId, '--status', 'failed']);
      expect(failedBefore.json.deliveries).toEqual([]);
      const all = await admin(['webhook', 'deliveries', '--endpoint', added.endpointId]);
      expect(all.json.deliveries).toEqual([
        expect.objectContaining({ deliveryId: tested.json.deliveryId, status: 'succeeded' }),
      ]);
      expect(JSON.stringify(all.json)).not.toContain('payload');

      const replayed = await admin(['webhook', 'replay', '--delivery', tested.json.deliveryId]);
      expect(replayed.json).toEqual({ deliveryId: tested.json.deliveryId, round: 2 });
      await eventually('the replay', () => receiver.received.length === 2);
      expect(receiver.received.map((delivery) => delivery.id)).toEqual([
        tested.json.deliveryId,
        tested.json.deliveryId,
      ]);

      const since24h = await admin(['webhook', 'replay', '--endpoint', added.endpointId, '--since', since]);
      expect(since24h.json).toEqual({ endpointId: added.endpointId, replayed: 0 });
      const audit = (await admin(['webhook', 'list', '--tenant', tenant.tenantId])).json.audit.map(
        (entry: { action: string }) => entry.action,
      );
      expect(audit).toEqual(['webhook.replay', 'webhook.enable', 'webhook.disable', 'webhook.add']);
    } finally {
      await receiver.close();
    }
  });

  it('rotates a secret: both sign during the overlap, and the new one is printed once', async () => {
    const secrets: string[] = [];
    const receiver = await startReceiver(() => secrets);
    try {
      const { tenant } = await createTestTenant(pipeline.table);
      const { json: added } = await admin(['webhook', 'add', '--tenant', tenant.tenantId, '--url', receiver.url]);

      const rotated = await admin(['webhook', 'rotate-secret', '--endpoint', added.endpointId, '--overlap', '1h']);
      secrets.push(added.secret, rotated.json.secret);

      expect(rotated.json).toEqual({
        endpointId: added.endpointId,
        secret: expect.stringMatching(/^whsec_/),
        previousSecretExpiresAt: expect.any(String),
      });
      expect(rotated.json.secret).not.toBe(added.secret);
      await admin(['webhook', 'test', '--endpoint', added.endpointId]);
      const [delivery] = receiver.received;
      expect(delivery?.verifiedBy).toEqual([0, 1]);
      const headers = {
        'webhook-id': delivery?.id ?? '',
        'webhook-timestamp': delivery?.timestamp ?? '',
        'webhook-signature': delivery?.signature ?? '',
      };
      expect(() => new Webhook(added.secret).verify(delivery?.body ?? '', headers)).not.toThrow();
      expect(() => new Webhook(rotated.json.secret).verify(delivery?.body ?? '', headers)).not.toThrow();
    } finally {
      await receiver.close();
    }
  });
});
