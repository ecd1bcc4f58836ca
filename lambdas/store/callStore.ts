import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallStore, ListCallsQuery } from '../domain/ports.js';
import type { CallRecord, SlimCallRecord } from '../domain/records.js';
import { serviceUnavailable } from './faults.js';
import { callKey, listIndexKeys, listPartitions, tokenUseKey } from './keys.js';
import { callIndexes, slimCallAttributes, type IndexDefinition } from './tableDefinition.js';
import { stripKeys, type Table } from './table.js';

const callKeyAttributes = ['pk', 'sk', 'tenantListPk', 'userListPk', 'agencyListPk', 'listSk'] as const;

/** DynamoDB keeps a transaction's idempotency token for 10 minutes; the token lives 5. */
const clientRequestTokenFor = (jti: string) => createHash('sha256').update(jti).digest('hex').slice(0, 36);

export const createCallStore = (table: Table): CallStore => {
  const findCall = async (callId: string): Promise<CallRecord | undefined> => {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: callKey(callId) }));
    return Item ? stripKeys<CallRecord>(Item, callKeyAttributes) : undefined;
  };

  return {
  findCall,

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

  async listScoredCalls(query) {
    const plan = planListQuery(query);
    const collected: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined =
      query.after === undefined ? undefined : plan.startKeyAfter(query.after);
    // One row past the page tells whether another page follows, so `next` is never a dead end.
    // With a filter left over (DynamoDB's Limit counts rows before it), read on until that row.
    do {
      const output = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          IndexName: plan.index.indexName,
          KeyConditionExpression: plan.keyCondition,
          ...(plan.filter ? { FilterExpression: plan.filter } : {}),
          ExpressionAttributeNames: plan.names,
          ExpressionAttributeValues: plan.values,
          ProjectionExpression: plan.projection,
          ScanIndexForward: false,
          Limit: query.limit + 1 - collected.length,
          ExclusiveStartKey: startKey,
        }),
      );
      collected.push(...(output.Items ?? []));
      startKey = output.LastEvaluatedKey;
    } while (startKey && collected.length <= query.limit);

    const calls = collected.slice(0, query.limit).map(toSlim);
    const lastSortKey = collected[query.limit - 1]?.[plan.index.sortKey];
    return collected.length > query.limit && typeof lastSortKey === 'string' ? { calls, next: lastSortKey } : { calls };
  },

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

const toSlim = (item: Record<string, unknown>): SlimCallRecord => {
  const slim: Record<string, unknown> = {};
  for (const name of slimCallAttributes) {
    if (item[name] !== undefined) slim[name] = item[name];
  }
  return slim as unknown as SlimCallRecord;
};

/**
 * The index that serves the filters best: the rep's index when a rep is named, else the agency's,
 * else the tenant's. Whatever filter no index serves is left to a FilterExpression.
 */
const planListQuery = (query: ListCallsQuery) => {
  const { index, partition } = query.externalUserId
    ? { index: callIndexes.byUser as IndexDefinition, partition: listPartitions.user(query.tenantId, query.externalUserId) }
    : query.externalAgencyId
      ? { index: callIndexes.byAgency as IndexDefinition, partition: listPartitions.agency(query.tenantId, query.externalAgencyId) }
      : { index: callIndexes.byTenant as IndexDefinition, partition: listPartitions.tenant(query.tenantId) };

  const names: Record<string, string> = { '#pk': index.partitionKey, '#sk': index.sortKey };
  const values: Record<string, unknown> = { ':partition': partition, ':from': query.from };
  let keyCondition = '#pk = :partition AND #sk >= :from';
  if (query.to !== undefined) {
    // `to` is inclusive: every call id sorts below U+FFFF, so `<to>#<any id>` falls inside.
    keyCondition = '#pk = :partition AND #sk BETWEEN :from AND :to';
    values[':to'] = `${query.to}#\uffff`;
  }

  const filters: string[] = [];
  if (query.source !== undefined) {
    names['#source'] = 'source';
    values[':source'] = query.source;
    filters.push('#source = :source');
  }
  if (query.externalUserId && query.externalAgencyId) {
    names['#agency'] = 'externalAgencyId';
    values[':agency'] = query.externalAgencyId;
    filters.push('#agency = :agency');
  }

  const projected = [...slimCallAttributes, index.sortKey];
  projected.forEach((name, i) => (names[`#p${i}`] = name));

  return {
    index,
    keyCondition,
    filter: filters.length > 0 ? filters.join(' AND ') : undefined,
    names,
    values,
    projection: projected.map((_, i) => `#p${i}`).join(', '),
    startKeyAfter: (listSk: string) => ({
      [index.partitionKey]: partition,
      [index.sortKey]: listSk,
      ...callKey(listSk.slice(listSk.indexOf('#') + 1)),
    }),
  };
};
