import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import * as z from 'zod/mini';
import type { MessageVisibility } from '../domain/webhookPorts.js';
import { log } from '../log.js';

/**
 * The two shapes of a back-office Lambda fed by AWS: a table-stream consumer and a queue consumer.
 * Each hands one item at a time to an operation and declares what failed through Lambda's partial
 * batch responses (`ReportBatchItemFailures`), so AWS retries exactly that, never the whole batch.
 * Log lines name items by id, never by content.
 */

/**
 * Stream records are handled in order; on the first failure the rest of the batch is left, and
 * Lambda retries from that record (a stream shard is ordered, so later ones must wait).
 * @param handle the operation for one new image; images `parse` rejects are skipped
 */
export const createStreamConsumer =
  <T>(parse: (image: Record<string, unknown>) => T | undefined, handle: (item: T) => Promise<void>) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const item = itemOf(record, parse);
      if (item === undefined) continue;
      try {
        await handle(item);
      } catch (error) {
        log('error', 'stream record failed; Lambda will retry from it', {
          eventID: record.eventID,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: String((error as Error)?.message ?? error),
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };

const itemOf = <T>(record: DynamoDBRecord, parse: (image: Record<string, unknown>) => T | undefined) => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  return parse(unmarshall(image as Record<string, AttributeValue>));
};

/**
 * Queue messages are handled side by side. A message whose operation asks to be retried later is
 * hidden for that long (SQS visibility carries the wait) and reported failed, so SQS keeps it; a
 * message that throws is reported failed and comes back after the queue's visibility timeout; one
 * that keeps failing goes to the dead-letter queue.
 */
export const createQueueConsumer =
  <T>(
    schema: z.ZodMiniType<T>,
    handle: (message: T) => Promise<{ retryInMs?: number }>,
    visibility: MessageVisibility,
  ) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcomes = await Promise.all(event.Records.map((record) => consume(record, schema, handle, visibility)));
    return {
      batchItemFailures: event.Records.filter((_, i) => !outcomes[i]).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    };
  };

/** @returns whether the message is done with */
const consume = async <T>(
  record: SQSRecord,
  schema: z.ZodMiniType<T>,
  handle: (message: T) => Promise<{ retryInMs?: number }>,
  visibility: MessageVisibility,
): Promise<boolean> => {
  let message: T;
  try {
    message = schema.parse(JSON.parse(record.body));
  } catch {
    log('error', 'queue message is malformed; it will reach the dead-letter queue', { messageId: record.messageId });
    return false;
  }
  try {
    const { retryInMs } = await handle(message);
    if (retryInMs === undefined) return true;
    await visibility.hide(record.receiptHandle, retryInMs);
    return false;
  } catch (error) {
    log('error', 'queue message failed; it will be retried', {
      messageId: record.messageId,
      error: String((error as Error)?.message ?? error),
    });
    return false;
  }
};
