import { createHash } from 'node:crypto';
import {
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallRedemptions } from '../../domain/ports.js';
import { serviceUnavailable } from '../../domain/errors.js';
import { callKey, tokenUseKey } from '../keys.js';
import type { Table } from '../table.js';

/** DynamoDB keeps a transaction's idempotency token for 10 minutes; the token lives 5. */
const clientRequestTokenFor = (jti: string) => createHash('sha256').update(jti).digest('hex').slice(0, 36);

export const createCallRedemptions = (table: Table): CallRedemptions => ({
  async createRedeemedCall(call, tokenUse) {
    try {
      await table.db.send(
        new TransactWriteCommand({
          // An SDK retry of a write that did commit returns success instead of "already used".
          ClientRequestToken: clientRequestTokenFor(tokenUse.jti),
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: {
                  ...tokenUseKey(tokenUse.jti),
                  callId: call.callId,
                  tenantId: call.tenantId,
                  usedAt: call.createdAt,
                  // Cleanup only, a day past expiry: a used token is refused by this item, an
                  // expired one by its `exp` claim, so the item may go once both say the same.
                  expiresAtEpoch: Math.ceil(tokenUse.expiresAt.getTime() / 1000) + 86_400,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table.name,
                Item: { ...callKey(call.callId), ...call },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [tokenReason] = error.CancellationReasons ?? [];
        if (tokenReason?.Code === 'ConditionalCheckFailed') return 'already-used';
        throw serviceUnavailable(error);
      }
      // The same token redeemed with other details, or while its first redemption is in flight.
      if (error instanceof IdempotentParameterMismatchException || error instanceof TransactionInProgressException) {
        return 'already-used';
      }
      throw error;
    }
  },
});
