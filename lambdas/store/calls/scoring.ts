import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallScoring } from '../../domain/ports.js';
import { serviceUnavailable } from '../faults.js';
import { callKey, callTranscriptKey, listIndexKeys } from '../keys.js';
import type { Table } from '../table.js';
import { readCallItem } from './reader.js';

/**
 * Marks a redeemed call scored (which puts it on the list indexes) and writes its transcript beside
 * it, in one transaction conditional on the call being redeemed and not yet scored.
 */
export const createCallScoring = (table: Table): CallScoring => {
  return {
    async recordScored(update) {
      const call = await readCallItem(table, update.callId);
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
                    ...callTranscriptKey(update.callId, call.tenantId),
                    callId: update.callId,
                    tenantId: call.tenantId,
                    transcript: update.transcript,
                  },
                },
              },
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
