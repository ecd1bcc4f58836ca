import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { setAsideAttributes } from './sqsSetAside.js';

/** An event on the dead-letter queue, as an operator reads it. */
export interface DeadLetter {
  readonly messageId: string;
  readonly reason: string;
  /** When the consumer set it aside; absent for a message SQS moved after failed deliveries. */
  readonly setAsideAt?: string;
  readonly sentAt: string;
  readonly eventId?: string;
  readonly type?: string;
  readonly callId?: string;
  readonly bytes: number;
}

/** How long a listing holds what it read before showing it again. */
const holdSeconds = 30;

const describe = (message: Message, maxReceiveCount: number | undefined): DeadLetter => {
  const body = message.Body ?? '';
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null) parsed = value as Record<string, unknown>;
  } catch {
    // not JSON: the reason says so
  }
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : undefined);
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const setAsideAt = attribute(setAsideAttributes.setAsideAt);
  const eventId = text(parsed.id);
  const type = text(parsed.type);
  const callId = text(parsed.callId);
  return {
    messageId: attribute(setAsideAttributes.messageId) ?? message.MessageId ?? '',
    reason:
      attribute(setAsideAttributes.reason) ??
      `not recorded after ${maxReceiveCount ?? 'several'} deliveries (a fault, not the event: see the consumer's log for this messageId)`,
    ...(setAsideAt ? { setAsideAt } : {}),
    sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)).toISOString(),
    ...(eventId ? { eventId } : {}),
    ...(type ? { type } : {}),
    ...(callId ? { callId } : {}),
    bytes: Buffer.byteLength(body, 'utf8'),
  };
};

/**
 * The call-events queue's dead letters: what the consumer set aside (with its reason) and what SQS
 * moved there after `maxReceiveCount` failed deliveries. Found from the events queue's redrive
 * policy, so an operator only ever names the one queue.
 */
export const createSqsDeadLetters = (sqs: SQSClient, queueUrl: string) => {
  const deadLetterQueue = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }),
    );
    const policy = JSON.parse(Attributes?.RedrivePolicy ?? '{}') as {
      deadLetterTargetArn?: string;
      maxReceiveCount?: number;
    };
    const [, , , , account, name] = (policy.deadLetterTargetArn ?? '').split(':');
    if (!name) throw new Error(`${queueUrl} has no dead-letter queue`);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
    return { url: String(QueueUrl), maxReceiveCount: policy.maxReceiveCount };
  };

  /** Every message of the queue once, each hidden until `release` (SQS has no way to peek). */
  const readAll = async (url: string) => {
    const seen = new Map<string, Message>();
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: holdSeconds,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }),
      );
      if (Messages.length === 0) return [...seen.values()];
      for (const message of Messages) seen.set(String(message.MessageId), message);
    }
  };

  const release = (url: string, messages: readonly Message[]) =>
    Promise.all(
      messages.map((message) =>
        sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: url,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        ),
      ),
    );

  return {
    async list(): Promise<DeadLetter[]> {
      const { url, maxReceiveCount } = await deadLetterQueue();
      const messages = await readAll(url);
      await release(url, messages);
      return messages
        .map((message) => describe(message, maxReceiveCount))
        .sort((a, b) => (a.setAsideAt ?? a.sentAt).localeCompare(b.setAsideAt ?? b.sentAt));
    },

    /**
     * Sends dead letters back to the events queue (all, or those with the given message ids),
     * each deleted from the dead-letter queue only once it is back on the events queue.
     */
    async redrive(
      options: { messageIds?: readonly string[]; onProgress?: (done: number, total: number) => void } = {},
    ) {
      const { url, maxReceiveCount } = await deadLetterQueue();
      const messages = await readAll(url);
      const wanted = options.messageIds ? new Set(options.messageIds) : undefined;
      const chosen = messages.filter((message) => !wanted || wanted.has(describe(message, maxReceiveCount).messageId));
      await release(
        url,
        messages.filter((message) => !chosen.includes(message)),
      );
      const redriven: DeadLetter[] = [];
      for (const message of chosen) {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.Body }));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
        redriven.push(describe(message, maxReceiveCount));
        options.onProgress?.(redriven.length, chosen.length);
      }
      return redriven;
    },
  };
};
