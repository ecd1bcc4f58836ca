import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallScoring } from '../../domain/ports.js';
import { serviceUnavailable } from '../../domain/errors.js';
import { callKey, callTranscriptKey, listIndexKeys } from '../keys.js';
import type { Table } from '../table.js';
import { setAttributes, type ConditionPart } from '../updateExpressions.js';
import { createCallReader } from './reader.js';

/** Scoring applies once, to a call a rep redeemed: never to a missing call, nor twice. */
const isRedeemed: ConditionPart = {
  expression: '#status = :redeemed',
  names: { '#status': 'status' },
  values: { ':redeemed': 'redeemed' },
};

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
      const scored = {
        status: 'scored',
        startedAt: update.startedAt,
        endedAt: update.endedAt,
        durationSec: update.durationSec,
        scoredAt: update.scoredAt,
        updatedAt: update.scoredAt,
        score: update.score,
        ...listIndexKeys({ ...call, endedAt: update.endedAt }),
      };
      try {
        await table.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table.name,
                  Key: callKey(update.callId),
                  ...setAttributes(scored, isRedeemed),
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
