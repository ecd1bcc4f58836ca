import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventSetAside } from '../domain/ports.js';

/** What a set-aside message carries beside its body, for `athos-admin events dead-letters`. */
export const setAsideAttributes = {
  reason: 'athos-reason',
  setAsideAt: 'athos-set-aside-at',
  messageId: 'athos-message-id',
} as const;

/** Room for the reason without pushing a large event past SQS's message limit. */
const maxReasonLength = 1_000;

/**
 * Sets events aside on the dead-letter queue with their reason, where SQS also moves messages
 * that failed too often: one place to look, one alarm, and `events redrive` sends them back.
 */
export const createSqsSetAside = (sqs: SQSClient, deadLetterQueueUrl: string, now: () => Date): EventSetAside => ({
  async setAside(message, reason) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MessageBody: message.body,
        MessageAttributes: {
          [setAsideAttributes.reason]: { DataType: 'String', StringValue: reason.slice(0, maxReasonLength) },
          [setAsideAttributes.setAsideAt]: { DataType: 'String', StringValue: now().toISOString() },
          [setAsideAttributes.messageId]: { DataType: 'String', StringValue: message.messageId },
        },
      }),
    );
  },
});
