import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventQueue } from '../domain/ports.js';

/** SQS takes ten messages, and at most 1 MiB, per batch. */
const maxBatchEntries = 10;
const maxBatchBytes = 1_048_576;

const batchesOf = (entries: readonly SendMessageBatchRequestEntry[]) => {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '', 'utf8');
    if (current.length === maxBatchEntries || (current.length > 0 && bytes + size > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/** Sends in batches; an entry SQS refuses fails the whole call, naming SQS's reason. */
export const createSqsEventQueue = (sqs: SQSClient, queueUrl: string): EventQueue => ({
  async send(messages) {
    const entries = messages.map((message, i) => ({
      Id: String(i),
      MessageBody: message.body,
      ...(message.delaySeconds ? { DelaySeconds: message.delaySeconds } : {}),
    }));
    for (const batch of batchesOf(entries)) {
      const output = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
      const [failed] = output.Failed ?? [];
      if (failed) {
        throw Object.assign(new Error(`SQS refused a message: ${failed.Message ?? failed.Code}`), {
          name: failed.Code ?? 'SendMessageBatchFailed',
          $retryable: failed.SenderFault ? undefined : {},
        });
      }
    }
  },
});
