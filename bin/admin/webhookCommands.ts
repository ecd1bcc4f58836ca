import {
  addEndpoint,
  listDeliveries,
  listEndpoints,
  replayDelivery,
  replayFailedSince,
  rotateSecret,
  sendTestEvent,
  setEndpointStatus,
  type WebhookAdminPorts,
} from '../../lambdas/backoffice/webhooks/endpointAdministration.js';
import { createUrlVetter } from '../../lambdas/backoffice/webhooks/outbound.js';
import { parseDuration } from '../../lambdas/domain/durations.js';
import type { SecretSealer } from '../../lambdas/domain/webhookPorts.js';
import {
  describeEndpoint,
  type DeliveryStatus,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
} from '../../lambdas/domain/webhooks.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createWebhookDeliveryStore } from '../../lambdas/store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../../lambdas/store/webhooks/endpoints.js';
import { createWebhookOutbox } from '../../lambdas/store/webhooks/outbox.js';
import { createWebhookSecretSealer, webhookSealingKeysSetting } from '../../lambdas/tokens/webhookSecretSealer.js';
import { inMemoryWebhookSealingKeys, readLocalState } from '../../local/localState.js';
import { lines, required, table, wholeNumber, type Command, type CommandContext, type Values } from './commands.js';
import { progressBar } from './progress.js';
import { UsageError } from './usageError.js';

/**
 * `athos-admin webhook …`: a tenant's webhook endpoints and their deliveries. The webhook
 * endpoint's id comes as `--endpoint ID`; main.ts tells it from `--endpoint URL` (DynamoDB's).
 */

/** How long `webhook test` waits for the sender's first attempt before it stops watching. */
const testWaitMs = 30_000;

/**
 * What seals new signing secrets: on DynamoDB Local the local key set (WEBHOOK_SEALING_KEYS, else
 * `.data/local.json`'s, else an in-memory run's); on a deployed table the stack's KMS key
 * (`--kms-key`, or WEBHOOK_KMS_KEY_ID).
 */
const sealerFor = (context: CommandContext, values: Values): SecretSealer => {
  const env = { ...process.env };
  if (context.local && !env[webhookSealingKeysSetting]) {
    env[webhookSealingKeysSetting] = readLocalState()?.webhookSealingKeys ?? inMemoryWebhookSealingKeys;
  }
  const kmsKeyId = (values['kms-key'] as string | undefined) ?? process.env.WEBHOOK_KMS_KEY_ID;
  if (!context.local && !env[webhookSealingKeysSetting] && !kmsKeyId) {
    throw new UsageError('give --kms-key (the stack output WebhookSecretsKeyArn), or set WEBHOOK_KMS_KEY_ID');
  }
  return createWebhookSecretSealer({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    kmsKeyId,
    env,
  });
};

const portsOf = (context: CommandContext, sealer?: SecretSealer): WebhookAdminPorts => ({
  tenants: createTenantStore(context.table),
  endpoints: createWebhookEndpointStore(context.table),
  deliveries: createWebhookDeliveryStore(context.table),
  outbox: createWebhookOutbox(context.table),
  sealer: sealer ?? {
    seal: () => Promise.reject(new Error('this command seals nothing')),
    open: () => Promise.reject(new Error('this command opens nothing')),
  },
  // On DynamoDB Local, receivers on this machine are allowed; a deployed table gets AWS's rules.
  urls: createUrlVetter(context.local ? 'local' : 'public'),
  clock: context.clock,
  actor: context.actor,
});

const endpointId = (values: Values): string => {
  const id = values.webhookEndpoint;
  if (typeof id !== 'string' || id.length === 0) throw new UsageError('--endpoint ID (a webhook endpoint) is required');
  return id;
};

const endpointText = (endpoint: WebhookEndpointRecord) =>
  lines({
    endpointId: endpoint.endpointId,
    tenantId: endpoint.tenantId,
    mode: endpoint.mode,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    status: endpoint.status,
    'disabled because': endpoint.disabledReason,
    'failing since': endpoint.failingSince,
    created: endpoint.createdAt,
  });

const lastAttempt = (delivery: WebhookDeliveryRecord) => delivery.attemptLog.at(-1);

/** A delivery as an operator sees it: never the body it sends. */
const describeDelivery = ({ payload: _payload, ...delivery }: WebhookDeliveryRecord) => delivery;

const deliveryRow = (delivery: WebhookDeliveryRecord) => ({
  deliveryId: delivery.deliveryId,
  event: delivery.eventType,
  callId: delivery.callId,
  status: delivery.status,
  attempts: delivery.attemptLog.length,
  lastStatus: lastAttempt(delivery)?.statusCode ?? lastAttempt(delivery)?.errorClass,
  latencyMs: lastAttempt(delivery)?.latencyMs,
  lastAttemptAt: lastAttempt(delivery)?.at,
  next: delivery.nextAttemptAt ?? delivery.failure,
});

const eventsOption = (values: Values): string[] | undefined =>
  values.events === undefined
    ? undefined
    : String(values.events)
        .split(',')
        .map((event) => event.trim())
        .filter(Boolean);

const deliveryStatuses: readonly DeliveryStatus[] = ['pending', 'succeeded', 'failed'];

export const webhookCommands: Record<string, Command> = {
  'webhook add': {
    options: ['tenant', 'url', 'events', 'mode', 'description', 'kms-key'],
    async run(context, values) {
      const { endpoint, secret } = await addEndpoint(portsOf(context, sealerFor(context, values)), {
        tenantId: required(values, 'tenant'),
        url: required(values, 'url'),
        ...(values.events === undefined ? {} : { events: eventsOption(values) ?? [] }),
        ...(values.mode === undefined ? {} : { mode: String(values.mode) }),
        description: (values.description as string | undefined) ?? null,
      });
      const { endpointId: id, ...rest } = describeEndpoint(endpoint);
      return {
        data: { endpointId: id, secret, ...rest },
        text: `${endpointText(endpoint)}\n\nSigning secret (shown this once; stored encrypted):\n  ${secret}\n\nVerify deliveries with it (docs/webhooks.md); send a sample with \`webhook test --endpoint ${id}\`.`,
      };
    },
  },

  'webhook list': {
    options: ['tenant'],
    async run(context, values) {
      const { endpoints, audit } = await listEndpoints(portsOf(context), { tenantId: required(values, 'tenant') });
      const described = endpoints.map(describeEndpoint);
      return {
        data: { endpoints: described, audit },
        text: [
          table(
            described.map((endpoint) => ({ ...endpoint, 'disabled because': endpoint.disabledReason })),
            ['endpointId', 'mode', 'status', 'events', 'url', 'disabled because', 'createdAt'],
          ),
          '',
          'Audit (newest first)',
          table(
            audit.map((entry) => ({ ...entry, details: JSON.stringify(entry.details) })),
            ['at', 'actor', 'action', 'details'],
          ),
        ].join('\n'),
      };
    },
  },

  'webhook disable': {
    options: ['endpoint'],
    async run(context, values) {
      const endpoint = await setEndpointStatus(portsOf(context), {
        endpointId: endpointId(values),
        status: 'disabled',
      });
      return {
        data: describeEndpoint(endpoint),
        text: `${endpointText(endpoint)}\nIt receives nothing until \`webhook enable\`; its events are kept as failed deliveries, to replay.`,
      };
    },
  },

  'webhook enable': {
    options: ['endpoint'],
    async run(context, values) {
      const endpoint = await setEndpointStatus(portsOf(context), { endpointId: endpointId(values), status: 'enabled' });
      return {
        data: describeEndpoint(endpoint),
        text: `${endpointText(endpoint)}\nWhat failed meanwhile can be sent again: \`webhook replay --endpoint ${endpoint.endpointId} --since ISO\`.`,
      };
    },
  },

  'webhook rotate-secret': {
    options: ['endpoint', 'overlap', 'kms-key'],
    async run(context, values) {
      const overlapMs = parseDuration((values.overlap as string | undefined) ?? '24h');
      if (overlapMs === undefined) throw new UsageError('--overlap must be a duration such as 0s, 30m, 24h or 7d');
      const { endpoint, secret, previousSecretExpiresAt } = await rotateSecret(
        portsOf(context, sealerFor(context, values)),
        { endpointId: endpointId(values), overlapMs },
      );
      return {
        data: { endpointId: endpoint.endpointId, secret, previousSecretExpiresAt },
        text: `${lines({ endpointId: endpoint.endpointId, 'old secret signs until': previousSecretExpiresAt ?? 'now (no overlap)' })}\n\nNew signing secret (shown this once; stored encrypted):\n  ${secret}\n\nUntil then every delivery carries both signatures; either secret verifies it.`,
      };
    },
  },

  'webhook test': {
    options: ['endpoint'],
    async run(context, values) {
      const ports = portsOf(context);
      const { deliveryId, type } = await sendTestEvent(ports, { endpointId: endpointId(values) });
      const started = Date.now();
      let delivery: WebhookDeliveryRecord | undefined;
      const interactive = context.progress && process.stderr.isTTY === true;
      if (context.progress && !interactive) {
        process.stderr.write(`Waiting up to ${testWaitMs / 1000} s for the sender's first attempt…\n`);
      }
      while (Date.now() - started < testWaitMs) {
        delivery = await ports.deliveries.findDelivery(deliveryId);
        if (delivery && delivery.attemptLog.length > 0) break;
        if (interactive) {
          process.stderr.write(
            `\rWaiting for the sender's first attempt… ${Math.round((Date.now() - started) / 1000)} s`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (interactive) process.stderr.write('\n');
      const attempt = delivery ? lastAttempt(delivery) : undefined;
      const data = {
        deliveryId,
        type,
        status: delivery?.status ?? 'queued',
        ...(attempt ? { attempt } : {}),
      };
      const outcome = !attempt
        ? `No attempt within ${testWaitMs / 1000} s: is the sender running (\`npm start\` locally)? Follow it with \`webhook deliveries\`.`
        : attempt.errorClass === null
          ? `Delivered: ${attempt.statusCode} in ${attempt.latencyMs} ms.`
          : `Not delivered: ${attempt.statusCode ?? attempt.errorClass} after ${attempt.latencyMs} ms; ${delivery?.status === 'pending' ? `retried at ${delivery.nextAttemptAt}` : (delivery?.failure ?? '')}.`;
      return { data, text: `${lines({ deliveryId, event: type })}\n${outcome}` };
    },
  },

  'webhook deliveries': {
    options: ['endpoint', 'status', 'limit'],
    async run(context, values) {
      const status = values.status as string | undefined;
      if (status !== undefined && !(deliveryStatuses as readonly string[]).includes(status)) {
        throw new UsageError(`--status must be ${deliveryStatuses.join(', ')}`);
      }
      const deliveries = await listDeliveries(portsOf(context), {
        endpointId: endpointId(values),
        limit: wholeNumber(values, 'limit') ?? 50,
        ...(status ? { status: status as DeliveryStatus } : {}),
      });
      return {
        data: { deliveries: deliveries.map(describeDelivery) },
        text: table(deliveries.map(deliveryRow), [
          'deliveryId',
          'event',
          'callId',
          'status',
          'attempts',
          'lastStatus',
          'latencyMs',
          'lastAttemptAt',
          'next',
        ]),
      };
    },
  },

  'webhook replay': {
    options: ['delivery', 'endpoint', 'since'],
    async run(context, values) {
      if (values.delivery !== undefined) {
        if (values.webhookEndpoint !== undefined || values.since !== undefined) {
          throw new UsageError('give --delivery ID, or --endpoint ID --since ISO, not both');
        }
        const replayed = await replayDelivery(portsOf(context), { deliveryId: required(values, 'delivery') });
        return {
          data: replayed,
          text: `Delivery ${replayed.deliveryId} is queued again (same webhook-id), from the first step of the schedule.`,
        };
      }
      const since = new Date(required(values, 'since'));
      if (Number.isNaN(since.getTime())) throw new UsageError('--since must be an ISO 8601 time');
      let bar: { update(done: number): void; finish(done: number): void } | undefined;
      let handled = 0;
      const result = await replayFailedSince(portsOf(context), {
        endpointId: endpointId(values),
        since,
        onProgress: (done, total) => {
          handled = done;
          if (context.progress) (bar ??= progressBar(total, 'Replaying')).update(done);
        },
      });
      bar?.finish(handled);
      return {
        data: result,
        text: `Queued ${result.replayed} failed deliveries to ${result.endpointId} again (each with its own webhook-id).`,
      };
    },
  },
};
