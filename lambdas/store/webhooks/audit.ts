import { randomBytes } from 'node:crypto';
import type { AuditRecord } from '../../domain/records.js';
import { webhookAuditKey } from '../keys.js';
import type { Table, TransactItem } from '../table.js';

/** The audit record of a webhook change, for the transaction that makes the change. */
export const webhookAuditPut = (table: Table, tenantId: string, audit: AuditRecord): TransactItem => ({
  Put: {
    TableName: table.name,
    Item: { ...webhookAuditKey(tenantId, audit.at, randomBytes(4).toString('hex')), tenantId, ...audit },
  },
});
