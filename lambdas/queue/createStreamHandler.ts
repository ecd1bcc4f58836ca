import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { reportInvocation, type Invocation, type InvocationReporter } from '../observability/invocation.js';

/** Records handled side by side: each is independent of the others, and DynamoDB is the wait. */
const concurrency = 10;

/**
 * Every consumer of the table's stream is this shape: the new image of each inserted item that
 * `parse` recognises, handled side by side (the handler must not care about order, and must be
 * idempotent). The earliest record that failed is reported (`ReportBatchItemFailures`), so Lambda
 * retries from it; what succeeded after it runs again, and changes nothing the second time. Log
 * lines name records by id, never by content; each invocation ends with one `invocation` line.
 */
export const createStreamHandler =
  <T>(
    reporter: InvocationReporter,
    parse: (image: Record<string, unknown>) => T | undefined,
    handle: (item: T, invocation: Invocation) => Promise<void>,
  ) =>
  (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
    reportInvocation(
      reporter,
      context,
      async (invocation) => {
        const failed = new Set<DynamoDBRecord>();
        let next = 0;
        const work = async () => {
          while (next < event.Records.length) {
            const record = event.Records[next++] as DynamoDBRecord;
            const image = record.dynamodb?.NewImage;
            if (record.eventName !== 'INSERT' || !image) continue;
            const item = parse(unmarshall(image as Record<string, AttributeValue>));
            if (item === undefined) continue;
            try {
              await handle(item, invocation);
            } catch (error) {
              failed.add(record);
              invocation.log.error('stream record failed; Lambda will retry from it', {
                eventID: record.eventID,
                sequenceNumber: record.dynamodb?.SequenceNumber,
                error: error instanceof Error ? error.name : 'Error',
              });
            }
          }
        };
        await Promise.all(Array.from({ length: concurrency }, work));
        const first = event.Records.find((record) => failed.has(record));
        return { batchItemFailures: first ? [{ itemIdentifier: first.dynamodb?.SequenceNumber ?? '' }] : [] };
      },
      (response) => ({ records: event.Records.length, failed: response.batchItemFailures.length > 0 }),
    );
