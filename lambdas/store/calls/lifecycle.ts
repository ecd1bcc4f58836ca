import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CallEvent, CallTiming } from '../../domain/callEvents.js';
import { statusAfter, type CallProgress, type CallStep, type ScoreFacts } from '../../domain/callLifecycle.js';
import type { CallLifecycle } from '../../domain/ports.js';
import type { Score } from '../../domain/records.js';
import type { AnnouncedCall, WebhookEventType } from '../../domain/webhooks.js';
import { serviceUnavailable } from '../../domain/errors.js';
import { callKey, callTranscriptKey, listIndexKeys } from '../keys.js';
import type { Table, TransactItem } from '../table.js';
import { webhookOutboxItems } from '../webhooks/outbox.js';

type Update = NonNullable<TransactItem['Update']>;
type AppliedStep = Exclude<CallStep, { kind: 'none' }>;

const progressAttributes = [
  'callId',
  'tenantId',
  'sessionId',
  'source',
  'drillKey',
  'externalUserId',
  'externalAgencyId',
  'status',
  'mode',
  'startedAt',
  'endedAt',
  'durationSec',
  'endReason',
  'eventIds',
  'scoredAt',
  'score',
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
    sessionId: String(item.sessionId),
    source: item.source as CallProgress['source'],
    drillKey: String(item.drillKey),
    externalUserId: String(item.externalUserId),
    externalAgencyId: typeof item.externalAgencyId === 'string' ? item.externalAgencyId : null,
    status: item.status as CallProgress['status'],
    ...(item.mode === 'test' ? { mode: 'test' as const } : {}),
    ...(timing ? { timing } : {}),
    ...(typeof item.scoredAt === 'string' ? { scoredAt: item.scoredAt } : {}),
    ...(item.score ? { score: item.score as Score } : {}),
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
 * The webhooks a step announces, as outbox items of the step's own transaction: an event exists
 * exactly when its change does, and a crash cannot separate them. A call that reaches `scored`
 * without an `ended` step (its end came with the score, or after it) announces both.
 */
const announcements = (
  table: Table,
  seen: CallProgress,
  timing: CallTiming,
  scored: Pick<ScoreFacts, 'score' | 'scoredAt'> | undefined,
  at: string,
) => {
  const types: WebhookEventType[] = [];
  if (seen.status === 'redeemed' || seen.status === 'awaitingEnd') types.push('call.ended');
  if (scored) types.push('call.scored');
  const call: AnnouncedCall = {
    ...seen,
    endedAt: timing.endedAt,
    scoredAt: scored?.scoredAt ?? null,
    overallScore: scored?.score.overallScore ?? null,
  };
  return webhookOutboxItems(table, call, types, at);
};

/** The score a `score` step completes the call with: its own, or the one held until the end came. */
const completingScore = (seen: CallProgress, step: { scored?: ScoreFacts }) =>
  step.scored ?? (seen.score && seen.scoredAt ? { score: seen.score, scoredAt: seen.scoredAt } : undefined);

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
        ...callTranscriptKey(seen.callId, seen.tenantId),
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
    ...announcements(table, seen, step.timing, completingScore(seen, step), at),
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
          return transact([
            {
              Update: callUpdate(seen, event, { status: statusAfter.end, ...timingFields(step.timing), updatedAt: at }),
            },
            ...announcements(table, seen, step.timing, undefined, at),
          ]);
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
