import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { reportInvocation, type Invocation, type InvocationReporter } from '../observability/invocation.js';

/**
 * Thrown by a consumer that has held its message back for a later attempt (SQS visibility carries
 * the wait): the message stays on the queue, and the log says so without calling it a failure.
 */
export class HeldBack extends Error {
  override readonly name = 'HeldBack';

  constructor(readonly ms: number) {
    super(`held back ${ms} ms`);
  }
}

/**
 * Every queue consumer is this shape: each record handled on its own, and the batch answered with
 * the records that failed (`ReportBatchItemFailures`), so SQS redelivers those alone and a poison
 * message never holds back the rest. A record fails by throwing; what is settled (recorded, or set
 * aside with a reason) is acknowledged. Each invocation logs and counts through `reporter`, and
 * ends with one `invocation` line: records received, and how many were left on the queue (failed or
 * held back).
 */
export const createQueueHandler = (
  reporter: InvocationReporter,
  consume: (record: SQSRecord, invocation: Invocation) => Promise<void>,
) => {
  // The invocation each batch, and each of its records, belongs to: the partial-batch step logs by record.
  const invocations = new WeakMap<object, Invocation>();
  const batch = middy<SQSEvent, SQSBatchResponse>()
    .use(
      sqsPartialBatchFailure({
        // Never the record: its body is the event.
        logger: (reason: unknown, record: SQSRecord) => {
          const log = invocations.get(record)?.log;
          const fields = {
            messageId: record.messageId,
            receiveCount: Number(record.attributes.ApproximateReceiveCount),
          };
          if (reason instanceof HeldBack) {
            log?.info('message held back until its next attempt', { ...fields, heldBackMs: reason.ms });
          } else {
            log?.error('message failed; SQS will deliver it again', {
              ...fields,
              error: reason instanceof Error ? reason.name : 'Error',
              cause: describeCause(reason),
            });
          }
        },
      }),
    )
    .handler(async (event) => {
      const invocation = invocations.get(event) as Invocation;
      return (await Promise.allSettled(
        event.Records.map((record) => consume(record, invocation)),
      )) as unknown as SQSBatchResponse;
    });

  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    reportInvocation(
      reporter,
      context,
      (invocation) => {
        invocations.set(event, invocation);
        for (const record of event.Records) invocations.set(record, invocation);
        return batch(event, context);
      },
      (response) => ({ records: event.Records.length, leftOnQueue: response.batchItemFailures.length }),
    );
};

/** The AWS error's name, never its message: those can carry table names and ARNs. */
const describeCause = (reason: unknown): string | undefined => {
  const cause = reason instanceof Error ? reason.cause : undefined;
  return cause instanceof Error ? cause.name : undefined;
};
