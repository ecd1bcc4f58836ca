import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallScoring } from '../../domain/ports.js';
import type { CallRecord } from '../../domain/records.js';
import { serviceUnavailable } from '../faults.js';
import { callKey, callTranscriptKey, listIndexKeys } from '../keys.js';
import type { Table, TransactItem } from '../table.js';
import { webhookOutboxItem } from '../webhooks/outbox.js';
import { createCallReader } from './reader.js';

/**
 * The webhooks a scoring write announces, as outbox items of its own transaction: the events exist
 * exactly when the call is ended and scored, and a crash cannot separate them.
 */
const scoringEvents = (table: Table, scored: CallRecord & { endedAt: string; scoredAt: string }): TransactItem[] => [
  webhookOutboxItem(table, scored, 'call.ended', scored.endedAt),
  webhookOutboxItem(table, scored, 'call.scored', scored.scoredAt),
];

/**
 * Marks a redeemed call scored (which puts it on the list indexes) and writes its transcript beside
 * it, in one transaction conditional on the call being redeemed and not yet scored.
 */
export const createCallScoring = (table: Table): CallScoring => {
  const { findCall } = createCallReader(table);
  return {
    async recordScored(update) {
      const call = await findCall(update.callId);
      if (!call || call.status !== 'redeemed') return 'not-redeemed';
      const indexKeys = listIndexKeys({ ...call, endedAt: update.endedAt });
      const fields = {
        status: 'scored',
        startedAt: update.startedAt,
        endedAt: update.endedAt,
        durationSec: update.durationSec,
        scoredAt: update.scoredAt,
        updatedAt: update.scoredAt,
        score: update.score,
        ...indexKeys,
      };
      const names = Object.keys(fields);
      const scored = { ...call, ...update, status: 'scored' as const, updatedAt: update.scoredAt };
      try {
        await table.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table.name,
                  Key: callKey(update.callId),
                  ConditionExpression: '#f0 = :redeemed',
                  UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
                  ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
                  ExpressionAttributeValues: {
                    ':redeemed': 'redeemed',
                    ...Object.fromEntries(Object.values(fields).map((value, i) => [`:v${i}`, value])),
                  },
                },
              },
              {
                Put: {
                  TableName: table.name,
                  Item: {
                    ...callTranscriptKey(update.callId),
                    callId: update.callId,
                    tenantId: call.tenantId,
                    transcript: update.transcript,
                  },
                },
              },
              ...scoringEvents(table, scored),
            ],
          }),
        );
        return 'scored';
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          if (error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'not-redeemed';
          throw serviceUnavailable(error);
        }
        throw error;
      }
    },
  };
};
