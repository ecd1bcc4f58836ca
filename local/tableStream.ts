import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createLogger } from '../lambdas/observability/log.js';
import { lambdaContext } from './gateway.js';

const log = createLogger('warn');

/**
 * Lambda's DynamoDB stream event source, locally: reads the table's stream on DynamoDB Local and
 * hands the handler batches shaped as Lambda hands them, filtered by the same rule the stack gives
 * the event source mapping. A batch item failure is retried from that record, as Lambda does. The
 * polling is this stand-in's; in AWS, Lambda reads the stream.
 *
 * The Streams API is spoken as JSON over HTTP: DynamoDB Local serves it on its own port, and the
 * SDK's streams client lags the rest of the SDK by several versions.
 */

export interface StreamFilter {
  readonly eventName: string;
  readonly keyPrefix: string;
}

export interface TableStreamSourceOptions {
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;
  readonly filter: StreamFilter;
  /** @default 100 */
  readonly batchSize?: number;
  /** How long to wait when the stream has nothing new. @default 100 ms */
  readonly idleMs?: number;
  /**
   * A file that keeps, per shard, the last record handled (as Lambda's event source mapping keeps
   * its position), so a restart resumes after it: nothing handled twice, nothing written while
   * nothing read is missed. Without it, reading starts at the oldest record the stream keeps.
   */
  readonly checkpointFile?: string;
}

export interface TableStreamSource {
  stop(): Promise<void>;
}

type Json = Record<string, any>;

/** A streams call DynamoDB Local refused; `type` is its error's name (`TrimmedDataAccessException`…). */
class StreamsCallError extends Error {
  constructor(
    action: string,
    status: number,
    text: string,
    readonly type: string,
  ) {
    super(`DynamoDB Local streams ${action} answered ${status}: ${text}`);
  }
}

/** `{"__type":"com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException",…}` → its last part. */
const errorTypeOf = (text: string): string => /"__type"\s*:\s*"(?:[^"#]*#)?([^"]*)"/.exec(text)?.[1] ?? '';

const streamsCall = async (endpoint: string, action: string, body: Json): Promise<Json> => {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDBStreams_20120810.${action}`,
      // DynamoDB Local wants the header's shape, not a valid signature.
      Authorization:
        'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new StreamsCallError(action, response.status, text, errorTypeOf(text));
  return JSON.parse(text) as Json;
};

/**
 * An iterator DynamoDB Local no longer honours. It numbers stream records across all its tables, so
 * one taken at TRIM_HORIZON of an empty shard is refused (TrimmedDataAccessException) once that
 * shard's first record comes after another table's; AWS's would read it. And any iterator expires
 * 15 minutes after it was handed out.
 */
const staleIterator = new Set(['TrimmedDataAccessException', 'ExpiredIteratorException']);

const dynamoCall = async (endpoint: string, action: string, body: Json): Promise<Json> => {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${action}`,
      Authorization:
        'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`DynamoDB Local ${action} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Json;
};

const matches = (record: DynamoDBRecord, filter: StreamFilter) =>
  record.eventName === filter.eventName && String(record.dynamodb?.Keys?.pk?.S ?? '').startsWith(filter.keyPrefix);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per shard of one stream: the sequence number of the last record handled, or that it was read to its end. */
interface Checkpoint {
  readonly streamArn: string;
  readonly shards: Record<string, { after?: string; finished?: true }>;
}

const readCheckpoint = (file: string | undefined, streamArn: string): Checkpoint => {
  const fresh: Checkpoint = { streamArn, shards: {} };
  if (!file || !existsSync(file)) return fresh;
  const kept = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
  // A table made again has a new stream: its shards start from their oldest records.
  return kept.streamArn === streamArn ? kept : fresh;
};

const writeCheckpoint = (file: string | undefined, checkpoint: Checkpoint) => {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  // Written whole then renamed, so a crash mid-write leaves the previous position, not half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
  renameSync(`${file}.tmp`, file);
};

/**
 * Resumes after the last record handled when a checkpoint file is given, and otherwise starts at the
 * oldest record the stream keeps; either way what was written while nothing read (a CLI command
 * while `npm start` was down) is still handled.
 */
export const startTableStreamSource = async (options: TableStreamSourceOptions): Promise<TableStreamSource> => {
  const { dynamoEndpoint: endpoint } = options;
  const described = await dynamoCall(endpoint, 'DescribeTable', { TableName: options.tableName });
  const streamArn = described.Table?.LatestStreamArn as string | undefined;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);
  const eventSourceARN = streamArn;

  let stopping = false;
  const checkpoint = readCheckpoint(options.checkpointFile, streamArn);
  /** Open iterators by shard; a finished shard is remembered so its children may start. */
  const iterators = new Map<string, string>();
  const finished = new Set(
    Object.entries(checkpoint.shards)
      .filter(([, position]) => position.finished)
      .map(([shardId]) => shardId),
  );

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const after = checkpoint.shards[shardId]?.after;
    if (after) {
      try {
        const { ShardIterator } = await streamsCall(endpoint, 'GetShardIterator', {
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          SequenceNumber: after,
        });
        return ShardIterator ? String(ShardIterator) : undefined;
      } catch (error) {
        // The stream keeps records for 24 hours: past that, what is left starts at the oldest.
        log.warn('local table stream position expired; reading the shard from its oldest record', {
          shardId,
          error: (error as Error).message,
        });
      }
    }
    const { ShardIterator } = await streamsCall(endpoint, 'GetShardIterator', {
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    return ShardIterator ? String(ShardIterator) : undefined;
  };

  let discoveredAt = 0;
  const discoverShards = async () => {
    if (iterators.size > 0 && Date.now() - discoveredAt < 5_000) return;
    discoveredAt = Date.now();
    const { StreamDescription } = await streamsCall(endpoint, 'DescribeStream', { StreamArn: streamArn });
    for (const shard of (StreamDescription?.Shards ?? []) as Json[]) {
      const shardId = String(shard.ShardId);
      if (iterators.has(shardId) || finished.has(shardId)) continue;
      // A shard's records follow its parent's: it waits while the parent is still being read.
      if (shard.ParentShardId && iterators.has(String(shard.ParentShardId))) continue;
      const iterator = await iteratorFor(shardId);
      if (iterator) iterators.set(shardId, iterator);
    }
  };

  const handle = async (records: DynamoDBRecord[]): Promise<DynamoDBRecord[]> => {
    const wanted = records.filter((record) => matches(record, options.filter));
    for (let i = 0; i < wanted.length; i += options.batchSize ?? 100) {
      let batch = wanted.slice(i, i + (options.batchSize ?? 100));
      // As Lambda does with ReportBatchItemFailures: retry from the reported record until it passes.
      while (batch.length > 0 && !stopping) {
        let failedFrom: string | undefined;
        try {
          const response = await options.handler({ Records: batch }, lambdaContext(randomUUID()));
          failedFrom = response?.batchItemFailures?.[0]?.itemIdentifier;
        } catch {
          failedFrom = batch[0]?.dynamodb?.SequenceNumber;
        }
        if (failedFrom === undefined) break;
        batch = batch.slice(
          Math.max(
            0,
            batch.findIndex((record) => record.dynamodb?.SequenceNumber === failedFrom),
          ),
        );
        await pause(1_000);
      }
    }
    return wanted;
  };

  /**
   * The shard's next records; for a stale iterator, those after the last record handled (or, with
   * none handled yet, from the oldest), through a fresh one. Undefined when the shard has no
   * iterator to give any more.
   */
  const recordsOf = async (shardId: string, iterator: string): Promise<Json | undefined> => {
    try {
      return await streamsCall(endpoint, 'GetRecords', { ShardIterator: iterator, Limit: 1_000 });
    } catch (error) {
      if (!(error instanceof StreamsCallError && staleIterator.has(error.type))) throw error;
      const fresh = await iteratorFor(shardId);
      if (!fresh) {
        iterators.delete(shardId);
        return undefined;
      }
      iterators.set(shardId, fresh);
      return streamsCall(endpoint, 'GetRecords', { ShardIterator: fresh, Limit: 1_000 });
    }
  };

  const poll = async () => {
    while (!stopping) {
      let read = 0;
      try {
        await discoverShards();
        for (const [shardId, iterator] of iterators) {
          if (stopping) break;
          const output = await recordsOf(shardId, iterator);
          if (!output) continue;
          const records = ((output.Records ?? []) as DynamoDBRecord[]).map((record) => ({ ...record, eventSourceARN }));
          read += records.length;
          await handle(records);
          // Stopped mid-batch, the batch is not all handled: the position stays where it was.
          if (stopping) break;
          const last = records.at(-1)?.dynamodb?.SequenceNumber;
          if (output.NextShardIterator) {
            iterators.set(shardId, String(output.NextShardIterator));
            if (last) checkpoint.shards[shardId] = { after: last };
          } else {
            iterators.delete(shardId);
            finished.add(shardId);
            checkpoint.shards[shardId] = { finished: true };
          }
          if (last || !output.NextShardIterator) writeCheckpoint(options.checkpointFile, checkpoint);
        }
      } catch (error) {
        if (!stopping) log.warn('local table stream read failed; retrying', { error: (error as Error).message });
        await pause(1_000);
      }
      if (read === 0) await pause(options.idleMs ?? 100);
    }
  };
  const polling = poll();

  return {
    async stop() {
      stopping = true;
      await polling;
    },
  };
};
