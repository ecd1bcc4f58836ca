import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { log } from '../log.js';

/**
 * Every consumer of the table's stream is this shape: the new image of each inserted item that
 * `parse` recognises, handled in order. On the first failure the rest of the batch is left and
 * that record is reported (`ReportBatchItemFailures`), so Lambda retries from it: a shard is
 * ordered, so later records wait. Log lines name records by id, never by content.
 */
export const createStreamHandler =
  <T>(parse: (image: Record<string, unknown>) => T | undefined, handle: (item: T) => Promise<void>) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = parse(unmarshall(image as Record<string, AttributeValue>));
      if (item === undefined) continue;
      try {
        await handle(item);
      } catch (error) {
        log('error', 'stream record failed; Lambda will retry from it', {
          eventID: record.eventID,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: error instanceof Error ? error.name : 'Error',
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };
