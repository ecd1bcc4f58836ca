import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '../log.js';

/**
 * Every queue consumer is this shape: each record handled on its own, and the batch answered with
 * the records that failed (`ReportBatchItemFailures`), so SQS redelivers those alone and a poison
 * message never holds back the rest. A record fails by throwing; what is settled (recorded, or set
 * aside with a reason) is acknowledged.
 */
export const createQueueHandler = (log: Log, consume: (record: SQSRecord) => Promise<void>) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(
      sqsPartialBatchFailure({
        // Never the record: its body is the event.
        logger: (reason: unknown, record: SQSRecord) =>
          log('error', 'message failed; SQS will deliver it again', {
            messageId: record.messageId,
            receiveCount: Number(record.attributes.ApproximateReceiveCount),
            error: reason instanceof Error ? reason.name : 'Error',
            cause: describeCause(reason),
          }),
      }),
    )
    .handler(async (event) => (await Promise.allSettled(event.Records.map(consume))) as unknown as SQSBatchResponse);

/** The AWS error's name, never its message: those can carry table names and ARNs. */
const describeCause = (reason: unknown): string | undefined => {
  const cause = reason instanceof Error ? reason.cause : undefined;
  return cause instanceof Error ? cause.name : undefined;
};
