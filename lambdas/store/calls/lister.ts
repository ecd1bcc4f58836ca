import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CallLister, ScoredCallsQuery } from '../../domain/ports.js';
import type { SlimCallRecord } from '../../domain/records.js';
import { callKey, listPartitions } from '../keys.js';
import type { Table } from '../table.js';
import { callIndexes, slimCallAttributes, type IndexDefinition } from '../tableDefinition.js';

export const createCallLister = (table: Table): CallLister => ({
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
});

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
const planListQuery = (query: ScoredCallsQuery) => {
  const { index, partition } = query.externalUserId
    ? {
        index: callIndexes.byUser as IndexDefinition,
        partition: listPartitions.user(query.tenantId, query.externalUserId),
      }
    : query.externalAgencyId
      ? {
          index: callIndexes.byAgency as IndexDefinition,
          partition: listPartitions.agency(query.tenantId, query.externalAgencyId),
        }
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
