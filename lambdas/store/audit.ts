import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditTrail } from '../domain/ports.js';
import type { AuditRecord } from '../domain/records.js';
import { auditKey, tenantKey } from './keys.js';
import type { Table } from './table.js';
import type { TransactItem } from './transactions.js';

/** The put that records `audit` in the tenant's trail, for the transaction that makes the change. */
export const auditPut = (table: Table, tenantId: string, audit: AuditRecord): TransactItem => ({
  Put: {
    TableName: table.name,
    Item: { ...auditKey(tenantId, audit.at, randomBytes(4).toString('hex')), tenantId, ...audit },
  },
});

export const createAuditTrail = (table: Table): AuditTrail => ({
  async listAudit(tenantId, limit) {
    const { Items = [] } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': tenantKey(tenantId).pk, ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(
      (item) => ({ at: item.at, actor: item.actor, action: item.action, details: item.details }) as AuditRecord,
    );
  },
});
