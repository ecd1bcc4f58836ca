import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { callSources, type CallSource } from '../../domain/callSources.js';
import type { CallLister, CallPage, ScoredCallsQuery } from '../../domain/ports.js';
import type { SlimCallRecord } from '../../domain/records.js';
import { callIdOfListSortKey, callKey, listPartitions } from '../keys.js';
import type { Table } from '../table.js';
import { callIndexes, slimCallAttributes, type IndexDefinition } from '../tableDefinition.js';

/**
 * Pages of scored calls, newest first, read by keys alone. The rep and agency filters choose the
 * index, the tenant and source choose the partition, `from` and `to` bound the sort key: no
 * FilterExpression is left, so each partition is read once, `limit + 1` rows at most, whatever the
 * tenant, rep or agency holds. Without a source filter every source's partition is read (one in v1)
 * and the rows are merged.
 * @param sources the sources a call can have; the contract's list unless a test widens it
 */
export const createCallLister = (table: Table, sources: readonly CallSource[] = callSources): CallLister => ({
  async listScoredCalls(query) {
    const index = indexFor(query);
    const reads = await Promise.all(
      (query.source === undefined ? sources : [query.source]).map((source) =>
        readPartition(table, index, partitionFor(query, source), query),
      ),
    );
    return mergeNewestFirst(reads, query.limit);
  },
});

interface PartitionRead {
  /** Newest first. */
  readonly rows: Record<string, unknown>[];
  /** The last sort key DynamoDB read, when the partition may hold more rows below it. */
  readonly stoppedAt?: string;
}

const sortKey = callIndexes.byTenant.sortKey;

/** One index per combination of the rep and agency filters (`tableDefinition.ts`). */
const indexFor = (query: ScoredCallsQuery): IndexDefinition =>
  query.externalUserId !== undefined
    ? query.externalAgencyId !== undefined
      ? callIndexes.byUserAndAgency
      : callIndexes.byUser
    : query.externalAgencyId !== undefined
      ? callIndexes.byAgency
      : callIndexes.byTenant;

const partitionFor = (query: ScoredCallsQuery, source: CallSource): string => {
  const { tenantId, externalUserId: user, externalAgencyId: agency } = query;
  if (user !== undefined && agency !== undefined) return listPartitions.userAndAgency(tenantId, source, user, agency);
  if (user !== undefined) return listPartitions.user(tenantId, source, user);
  if (agency !== undefined) return listPartitions.agency(tenantId, source, agency);
  return listPartitions.tenant(tenantId, source);
};

const projection = [...slimCallAttributes, sortKey];

const readPartition = async (
  table: Table,
  index: IndexDefinition,
  partition: string,
  query: ScoredCallsQuery,
): Promise<PartitionRead> => {
  const values: Record<string, unknown> = { ':partition': partition, ':from': query.from };
  // `to` is inclusive: every call id sorts below U+FFFF, so `<to>#<any id>` falls inside.
  if (query.to !== undefined) values[':to'] = `${query.to}#\uffff`;
  const output = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: index.indexName,
      KeyConditionExpression:
        query.to === undefined ? '#pk = :partition AND #sk >= :from' : '#pk = :partition AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        '#sk': sortKey,
        ...Object.fromEntries(projection.map((name, i) => [`#p${i}`, name])),
      },
      ExpressionAttributeValues: values,
      ProjectionExpression: projection.map((_, i) => `#p${i}`).join(', '),
      ScanIndexForward: false,
      // One row past the page tells whether another page follows, so `next` is never a dead end.
      Limit: query.limit + 1,
      // A position, not an item: every partition resumes below the previous page's last row.
      ...(query.after === undefined
        ? {}
        : {
            ExclusiveStartKey: {
              [index.partitionKey]: partition,
              [sortKey]: query.after,
              ...callKey(callIdOfListSortKey(query.after)),
            },
          }),
    }),
  );
  const stoppedAt = output.LastEvaluatedKey?.[sortKey];
  return { rows: output.Items ?? [], ...(typeof stoppedAt === 'string' ? { stoppedAt } : {}) };
};

/**
 * The partitions' rows as one page, newest first. A partition that stopped early may hold rows
 * below where it stopped, so no row older than the highest such stop is returned yet: the page is
 * then short (AIP-158) and `next` resumes at that stop. With one partition, the first `limit` rows.
 */
const mergeNewestFirst = (reads: readonly PartitionRead[], limit: number): CallPage => {
  const stops = reads.flatMap((read) => (read.stoppedAt === undefined ? [] : [read.stoppedAt]));
  const horizon = stops.length === 0 ? undefined : stops.reduce((a, b) => (a > b ? a : b));
  const keyOf = (row: Record<string, unknown>) => String(row[sortKey]);
  const rows = reads
    .flatMap((read) => read.rows)
    .filter((row) => horizon === undefined || keyOf(row) >= horizon)
    .sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : -1));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? keyOf(last) : horizon;
  return { calls: page.map(toSlim), ...(next === undefined ? {} : { next }) };
};

const toSlim = (item: Record<string, unknown>): SlimCallRecord => {
  const slim: Record<string, unknown> = {};
  for (const name of slimCallAttributes) {
    if (item[name] !== undefined) slim[name] = item[name];
  }
  return slim as unknown as SlimCallRecord;
};
