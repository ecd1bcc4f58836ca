import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CallScoring } from '../../domain/ports.js';
import { callKey, listIndexKeys } from '../keys.js';
import type { Table } from '../table.js';
import { createCallReader } from './reader.js';

export const createCallScoring = (table: Table): CallScoring => {
  const { findCall } = createCallReader(table);
  return {
  async recordScored(update) {
    const call = await findCall(update.callId);
    if (!call || call.status !== 'redeemed') return 'not-redeemed';
    const indexKeys = listIndexKeys({ ...call, endedAt: update.endedAt });
    const indexAssignments = Object.keys(indexKeys).map((name) => `${name} = :${name}`);
    try {
      await table.db.send(
        new UpdateCommand({
          TableName: table.name,
          Key: callKey(update.callId),
          ConditionExpression: '#status = :redeemed',
          UpdateExpression: [
            'SET #status = :scored, startedAt = :startedAt, endedAt = :endedAt, durationSec = :durationSec',
            'scoredAt = :scoredAt, updatedAt = :scoredAt, transcript = :transcript, score = :score',
            ...indexAssignments,
          ].join(', '),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':redeemed': 'redeemed',
            ':scored': 'scored',
            ':startedAt': update.startedAt,
            ':endedAt': update.endedAt,
            ':durationSec': update.durationSec,
            ':scoredAt': update.scoredAt,
            ':transcript': update.transcript,
            ':score': update.score,
            ...Object.fromEntries(Object.entries(indexKeys).map(([name, value]) => [`:${name}`, value])),
          },
        }),
      );
      return 'scored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'not-redeemed';
      throw error;
    }
  },
  };
};
