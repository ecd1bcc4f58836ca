import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../domain/records.js';
import type { WebhookEndpointStore } from '../../domain/webhookPorts.js';
import { tenantIdOfEndpointId, type WebhookEndpointRecord } from '../../domain/webhooks.js';
import { entityPrefixes, webhookEndpointKey } from '../keys.js';
import { stripKeys, type Table, type TransactItem } from '../table.js';
import { transactWrite } from '../transactions.js';
import { webhookAuditPut } from './audit.js';

/**
 * Webhook endpoints, one partition per tenant (`WEBHOOKS#<tenantId>`), with their audit trail
 * beside them. Every operator change is written in one transaction with its audit record.
 */
export const createWebhookEndpointStore = (table: Table): WebhookEndpointStore => {
  const auditPut = (tenantId: string, audit: AuditRecord) => webhookAuditPut(table, tenantId, audit);

  /** @returns false when a condition failed (nothing was written) */
  const transact = (items: TransactItem[]) => transactWrite(table, items);

  const keyOf = (endpoint: Pick<WebhookEndpointRecord, 'tenantId' | 'endpointId'>) =>
    webhookEndpointKey(endpoint.tenantId, endpoint.endpointId);

  return {
    async createEndpoint(endpoint, audit) {
      await transact([
        {
          Put: {
            TableName: table.name,
            Item: { ...keyOf(endpoint), ...endpoint },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditPut(endpoint.tenantId, audit),
      ]);
    },

    async findEndpoint(endpointId) {
      const tenantId = tenantIdOfEndpointId(endpointId);
      if (tenantId === undefined) return undefined;
      const { Item } = await table.db.send(
        new GetCommand({ TableName: table.name, Key: webhookEndpointKey(tenantId, endpointId) }),
      );
      return Item ? stripKeys<WebhookEndpointRecord>(Item, ['pk', 'sk']) : undefined;
    },

    async listEndpoints(tenantId) {
      const endpoints: WebhookEndpointRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :endpoints)',
            ExpressionAttributeValues: { ':pk': `${entityPrefixes.webhooks}${tenantId}`, ':endpoints': 'ENDPOINT#' },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) endpoints.push(stripKeys<WebhookEndpointRecord>(item, ['pk', 'sk']));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return endpoints.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async updateEndpoint(current, changes, audit) {
      const assignments = Object.entries(changes).filter(([, value]) => value !== undefined);
      return transact([
        {
          Update: {
            TableName: table.name,
            Key: keyOf(current),
            ConditionExpression: 'updatedAt = :expected',
            UpdateExpression: `SET ${assignments.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(assignments.map(([name], i) => [`#f${i}`, name])),
            ExpressionAttributeValues: {
              ':expected': current.updatedAt,
              ...Object.fromEntries(assignments.map(([, value], i) => [`:v${i}`, value])),
            },
          },
        },
        auditPut(current.tenantId, audit),
      ]);
    },

    async noteFailing(endpoint, at) {
      try {
        await table.db.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keyOf(endpoint),
            ConditionExpression: 'attribute_exists(pk) AND failingSince = :none',
            UpdateExpression: 'SET failingSince = :at',
            ExpressionAttributeValues: { ':none': null, ':at': at },
          }),
        );
      } catch (error) {
        // Already failing since earlier (another sender got there first), or gone: both fine.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async noteAnswering(endpoint) {
      try {
        await table.db.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keyOf(endpoint),
            ConditionExpression: 'attribute_exists(pk)',
            UpdateExpression: 'SET failingSince = :none',
            ExpressionAttributeValues: { ':none': null },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async listAudit(tenantId, limit) {
      const { Items = [] } = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
          ExpressionAttributeValues: { ':pk': `${entityPrefixes.webhooks}${tenantId}`, ':audit': 'AUDIT#' },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map(
        (item) => ({ at: item.at, actor: item.actor, action: item.action, details: item.details }) as AuditRecord,
      );
    },
  };
};
