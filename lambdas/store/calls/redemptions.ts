import { createHash } from 'node:crypto';
import {
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallRedemptions } from '../../domain/ports.js';
import { serviceUnavailable } from '../../domain/errors.js';
import { callKey, tenantApiKeyKey, tenantKey, tokenUseKey } from '../keys.js';
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
            // Checked in the same round trip, so a token minted before `tenant deactivate` or
            // `key revoke` is refused from that moment, as mint would refuse it.
            {
              ConditionCheck: {
                TableName: table.name,
                Key: tenantKey(tokenUse.mintedBy.tenantId),
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':active': 'active' },
              },
            },
            {
              ConditionCheck: {
                TableName: table.name,
                // The tenant's pointer to the key mirrors its status and rotation end (see
                // apiKeys.ts). Pointers written before it did carry no status: their keys were
                // active then, and any revocation since has written one.
                Key: tenantApiKeyKey(tokenUse.mintedBy.tenantId, tokenUse.mintedBy.keyId),
                ConditionExpression:
                  'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status = :active) AND ' +
                  '(attribute_not_exists(expiresAt) OR expiresAt = :none OR expiresAt > :now)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':active': 'active', ':none': null, ':now': call.createdAt },
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [token, , tenant, key] = (error.CancellationReasons ?? []).map(
          (reason) => reason.Code === 'ConditionalCheckFailed',
        );
        // In mint's order: a revoked key, then an inactive tenant, then a used token.
        if (key) return 'key-revoked';
        if (tenant) return 'tenant-inactive';
        if (token) return 'already-used';
        throw serviceUnavailable(error);
      }
      // The same token already redeemed by another request (its details differ from ours).
      if (error instanceof IdempotentParameterMismatchException) return 'already-used';
      // Still in flight after the SDK's own retries (a parallel redeem, or our own attempt that
      // timed out): it may yet fail and leave the token unused, so the honest answer is "retry".
      if (error instanceof TransactionInProgressException) throw serviceUnavailable(error);
      throw error;
    }
  },
});
