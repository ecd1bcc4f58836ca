import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageVisibility } from '../domain/webhookPorts.js';

/** SQS holds a received message back at most 12 hours. */
const maxVisibilitySeconds = 43_200;

/** Holds a received message back on its queue until its next attempt: SQS carries the wait. */
export const createSqsVisibility = (sqs: SQSClient, queueUrl: string): MessageVisibility => ({
  async hide(receiptHandle, ms) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(maxVisibilitySeconds, Math.ceil(Math.max(0, ms) / 1000)),
      }),
    );
  },
});
