import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CallEvent, CallTiming } from '../../domain/callEvents.js';
import { statusAfter, type CallProgress, type CallStep, type ScoreFacts } from '../../domain/callLifecycle.js';
import type { CallLifecycle } from '../../domain/ports.js';
import { serviceUnavailable } from '../../domain/errors.js';
import { callKey, callTranscriptKey, listIndexKeys } from '../keys.js';
import type { Table } from '../table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Update = NonNullable<TransactItem['Update']>;
type AppliedStep = Exclude<CallStep, { kind: 'none' }>;

const progressAttributes = [
  'callId',
  'tenantId',
  'externalUserId',
  'externalAgencyId',
  'status',
  'mode',
  'startedAt',
  'endedAt',
  'durationSec',
  'endReason',
  'eventIds',
] as const;

const toProgress = (item: Record<string, unknown>): CallProgress => {
  const timing =
    typeof item.endedAt === 'string' && typeof item.startedAt === 'string'
      ? {
          startedAt: item.startedAt,
          endedAt: item.endedAt,
          durationSec: Number(item.durationSec ?? 0),
          endReason: String(item.endReason ?? 'completed'),
        }
      : undefined;
  return {
    callId: String(item.callId),
    tenantId: String(item.tenantId),
    externalUserId: String(item.externalUserId),
    externalAgencyId: typeof item.externalAgencyId === 'string' ? item.externalAgencyId : null,
    status: item.status as CallProgress['status'],
    ...(item.mode === 'test' ? { mode: 'test' as const } : {}),
    ...(timing ? { timing } : {}),
    eventIds: [...((item.eventIds as Set<string> | undefined) ?? [])],
  };
};

const timingFields = (timing: CallTiming) => ({
  startedAt: timing.startedAt,
  endedAt: timing.endedAt,
  durationSec: timing.durationSec,
  endReason: timing.endReason,
});

const scoreFields = (scored: ScoreFacts | undefined) =>
  scored ? { score: scored.score, scoredAt: scored.scoredAt } : {};

/**
 * The pipeline's events, applied to the call item. Every write is conditional on two named parts:
 * the call is still in the state the decision was made on, and the event has not been applied (its
 * id joins the item's `eventIds` in the same write). A failed condition returns the item as it now
 * is, so the caller decides again instead of guessing.
 */
export const createCallLifecycle = (table: Table): CallLifecycle => {
  const conditionParts = {
    callIsAsSeen: '#status = :seenStatus',
    eventIsNew: 'NOT contains(#eventIds, :eventId)',
  };

  const callUpdate = (
    seen: CallProgress,
    event: CallEvent,
    fields: Record<string, unknown>,
  ): Update & { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } => {
    const assigned = Object.entries(fields);
    return {
      TableName: table.name,
      Key: callKey(seen.callId),
      ConditionExpression: Object.values(conditionParts).join(' AND '),
      UpdateExpression: `SET ${assigned.map((_, i) => `#f${i} = :v${i}`).join(', ')} ADD #eventIds :eventIdSet`,
      ExpressionAttributeNames: {
        '#status': 'status',
        '#eventIds': 'eventIds',
        ...Object.fromEntries(assigned.map(([name], i) => [`#f${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':seenStatus': seen.status,
        ':eventId': event.id,
        ':eventIdSet': new Set([event.id]),
        ...Object.fromEntries(assigned.map(([, value], i) => [`:v${i}`, value])),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
  };

  const transcriptPut = (seen: CallProgress, scored: ScoreFacts): TransactItem => ({
    Put: {
      TableName: table.name,
      Item: {
        ...callTranscriptKey(seen.callId),
        callId: seen.callId,
        tenantId: seen.tenantId,
        transcript: scored.transcript,
      },
    },
  });

  /**
   * Every write that makes a call `scored`, as one transaction's items, built here and nowhere
   * else: the call (status, end, score, and the list keys that make it listed) and, when the
   * score came with this event, its transcript. Whatever must happen exactly when a call is scored
   * (an outbox entry for webhooks, say) joins this list.
   */
  const scoredCallItems = (
    seen: CallProgress,
    step: AppliedStep & { kind: 'score' },
    event: CallEvent,
    at: string,
  ): TransactItem[] => [
    {
      Update: callUpdate(seen, event, {
        status: statusAfter.score,
        ...timingFields(step.timing),
        ...scoreFields(step.scored),
        ...listIndexKeys({ ...seen, endedAt: step.timing.endedAt }),
        updatedAt: at,
      }),
    },
    ...(step.scored ? [transcriptPut(seen, step.scored)] : []),
  ];

  const changedFrom = (item: Record<string, unknown> | undefined) => ({
    changed: item ? toProgress(item) : undefined,
  });

  const transact = async (items: TransactItem[]): Promise<'applied' | { changed: CallProgress | undefined }> => {
    try {
      await table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'applied';
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [callReason] = error.CancellationReasons ?? [];
        if (callReason?.Code === 'ConditionalCheckFailed') {
          return changedFrom(callReason.Item ? unmarshall(callReason.Item) : undefined);
        }
        throw serviceUnavailable(error);
      }
      throw error;
    }
  };

  return {
    async findProgress(callId) {
      const { Item } = await table.db.send(
        new GetCommand({
          TableName: table.name,
          Key: callKey(callId),
          ConsistentRead: true,
          ProjectionExpression: progressAttributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(progressAttributes.map((name, i) => [`#a${i}`, name])),
        }),
      );
      return Item ? toProgress(Item) : undefined;
    },

    async applyStep(seen, step, event, at) {
      switch (step.kind) {
        case 'end':
          try {
            await table.db.send(
              new UpdateCommand(
                callUpdate(seen, event, { status: statusAfter.end, ...timingFields(step.timing), updatedAt: at }),
              ),
            );
            return 'applied';
          } catch (error) {
            if (error instanceof ConditionalCheckFailedException) {
              return changedFrom(error.Item ? unmarshall(error.Item) : undefined);
            }
            throw error;
          }
        case 'holdScore':
          return transact([
            {
              Update: callUpdate(seen, event, {
                status: statusAfter.holdScore,
                ...scoreFields(step.scored),
                updatedAt: at,
              }),
            },
            transcriptPut(seen, step.scored),
          ]);
        case 'score':
          return transact(scoredCallItems(seen, step, event, at));
      }
    },
  };
};
