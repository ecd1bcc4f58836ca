import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { maxRequeuePerTransaction, type WebhookDeliveryStore } from '../../domain/webhookPorts.js';
import {
  deliveryIdPrefix,
  endpointIdOfDeliveryId,
  timePrefix,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
} from '../../domain/webhooks.js';
import { webhookDeliveryKey, webhookEndpointKey } from '../keys.js';
import { stripKeys, type Table } from '../table.js';
import { transactWrite } from '../transactions.js';
import { webhookAuditPut } from './audit.js';
import { redeliveryOutboxItem } from './outbox.js';

/**
 * The delivery log: one item per event and endpoint, in the endpoint's partition, holding the body
 * to send and every attempt (time, status code, latency, error class; never a response body or a
 * secret). TTL removes a delivery 30 days after it last changed.
 */
const retentionSeconds = 30 * 86_400;
const expiresAtEpoch = (at: string) => Math.ceil(Date.parse(at) / 1000) + retentionSeconds;

export const createWebhookDeliveryStore = (table: Table): WebhookDeliveryStore => {
  const keyOf = (delivery: Pick<WebhookDeliveryRecord, 'endpointId' | 'deliveryId'>) =>
    webhookDeliveryKey(delivery.endpointId, delivery.deliveryId);
  const toRecord = (item: Record<string, unknown>) =>
    stripKeys<WebhookDeliveryRecord>(item, ['pk', 'sk', 'expiresAtEpoch']);

  const findDelivery = async (deliveryId: string) => {
    const endpointId = endpointIdOfDeliveryId(deliveryId);
    if (endpointId === undefined) return undefined;
    const { Item } = await table.db.send(
      new GetCommand({ TableName: table.name, Key: webhookDeliveryKey(endpointId, deliveryId) }),
    );
    return Item ? toRecord(Item) : undefined;
  };

  return {
    async createDeliveries(deliveries) {
      const outcomes = await Promise.all(
        deliveries.map(async (delivery) => {
          try {
            await table.db.send(
              new PutCommand({
                TableName: table.name,
                Item: { ...keyOf(delivery), ...delivery, expiresAtEpoch: expiresAtEpoch(delivery.createdAt) },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
            return delivery;
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            return findDelivery(delivery.deliveryId);
          }
        }),
      );
      return outcomes.filter(
        (delivery): delivery is WebhookDeliveryRecord => delivery?.status === 'pending' && delivery.attempts === 0,
      );
    },

    findDelivery,

    async findForSending(message) {
      const deliveryKey = webhookDeliveryKey(message.endpointId, message.deliveryId);
      const endpointKey = webhookEndpointKey(message.tenantId, message.endpointId);
      let pending: Record<string, unknown>[] = [deliveryKey, endpointKey];
      const found: Record<string, unknown>[] = [];
      while (pending.length > 0) {
        const output = await table.db.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending } } }));
        found.push(...(output.Responses?.[table.name] ?? []));
        pending = output.UnprocessedKeys?.[table.name]?.Keys ?? [];
      }
      const delivery = found.find((item) => item.pk === deliveryKey.pk);
      const endpoint = found.find((item) => item.pk === endpointKey.pk);
      return {
        ...(delivery ? { delivery: toRecord(delivery) } : {}),
        ...(endpoint ? { endpoint: stripKeys<WebhookEndpointRecord>(endpoint, ['pk', 'sk']) } : {}),
      };
    },

    async listDeliveries(query) {
      const { pk } = webhookDeliveryKey(query.endpointId, '');
      const prefix = deliveryIdPrefix(query.endpointId);
      const found: WebhookDeliveryRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      // An operator's read of one endpoint's 30 days: a status filter may take a few pages.
      do {
        const page = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ...(query.status ? { FilterExpression: '#status = :status' } : {}),
            ExpressionAttributeNames: query.status ? { '#status': 'status' } : undefined,
            ExpressionAttributeValues: {
              ':pk': pk,
              ':from': query.since ? `${prefix}${timePrefix(query.since)}` : prefix,
              ':to': `${prefix}\uffff`,
              ...(query.status ? { ':status': query.status } : {}),
            },
            ScanIndexForward: false,
            Limit: Math.min(1_000, query.limit - found.length),
            ExclusiveStartKey: startKey,
          }),
        );
        found.push(...(page.Items ?? []).map(toRecord));
        startKey = page.LastEvaluatedKey;
      } while (startKey && found.length < query.limit);
      return found;
    },

    async recordAttempt(delivery, attempt, next) {
      try {
        await table.db.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keyOf(delivery),
            ConditionExpression: '#round = :round AND attempts = :previous AND #status = :pending',
            UpdateExpression:
              'SET #status = :status, attempts = :attempts, nextAttemptAt = :next, failure = :failure, ' +
              'updatedAt = :at, expiresAtEpoch = :ttl, attemptLog = list_append(attemptLog, :attempt)',
            ExpressionAttributeNames: { '#round': 'round', '#status': 'status' },
            ExpressionAttributeValues: {
              ':round': delivery.round,
              ':previous': delivery.attempts,
              ':pending': 'pending',
              ':status': next.status,
              ':attempts': delivery.attempts + 1,
              ':next': next.nextAttemptAt,
              ':failure': next.failure,
              ':at': attempt.at,
              ':ttl': expiresAtEpoch(attempt.at),
              ':attempt': [attempt],
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async requeue(deliveries, at, audit) {
      if (deliveries.length === 0) return true;
      if (deliveries.length > maxRequeuePerTransaction) {
        throw new RangeError(`requeue at most ${maxRequeuePerTransaction} deliveries at once`);
      }
      const messages = deliveries.map((delivery) => ({
        tenantId: delivery.tenantId,
        endpointId: delivery.endpointId,
        deliveryId: delivery.deliveryId,
        round: delivery.round + 1,
      }));
      return transactWrite(table, [
        ...deliveries.map((delivery) => ({
          Update: {
            TableName: table.name,
            Key: keyOf(delivery),
            ConditionExpression: '#round = :round AND #status <> :pending',
            UpdateExpression:
              'SET #status = :pending, #round = :next, attempts = :zero, nextAttemptAt = :at, ' +
              'failure = :none, updatedAt = :at, expiresAtEpoch = :ttl',
            ExpressionAttributeNames: { '#round': 'round', '#status': 'status' },
            ExpressionAttributeValues: {
              ':round': delivery.round,
              ':next': delivery.round + 1,
              ':pending': 'pending',
              ':zero': 0,
              ':at': at,
              ':none': null,
              ':ttl': expiresAtEpoch(at),
            },
          },
        })),
        redeliveryOutboxItem(table, messages, at),
        webhookAuditPut(table, deliveries[0]?.tenantId ?? '', audit),
      ]);
    },
  };
};
