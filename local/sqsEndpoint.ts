import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { QueueError, type LocalQueue } from './queue.js';

/**
 * The few SQS actions the operator CLI and the simulator use, over SQS's own JSON protocol, on the
 * local queues: so `athos-admin events send` and the simulator run the real `@aws-sdk/client-sqs`
 * against `npm start` exactly as against AWS, with only the endpoint changed. The admin CLI is
 * another process; this is how it reaches the queue that lives inside `npm start`.
 */

export const localAccountId = '000000000000';

export const queueUrlOf = (endpoint: string, name: string) => `${endpoint}/${localAccountId}/${name}`;
export const queueArnOf = (name: string) => `arn:aws:sqs:us-east-1:${localAccountId}:${name}`;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

type Body = Record<string, any>;

export const createSqsEndpoint = (queues: readonly LocalQueue[]): Server => {
  const byName = new Map(queues.map((queue) => [queue.name, queue]));
  const queueOf = (body: Body): LocalQueue => {
    const name = String(body.QueueUrl ?? '')
      .split('/')
      .pop();
    const queue = name === undefined ? undefined : byName.get(name);
    if (!queue) throw new QueueError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  };
  const endpointOf = (request: IncomingMessage) => `http://${request.headers.host ?? '127.0.0.1'}`;

  const stringAttributes = (attributes: Body | undefined): Record<string, string> =>
    Object.fromEntries(
      Object.entries(attributes ?? {}).map(([name, value]) => [name, String((value as Body).StringValue ?? '')]),
    );

  const actions: Record<string, (body: Body, request: IncomingMessage) => Promise<Body> | Body> = {
    GetQueueUrl: (body, request) => {
      if (!byName.has(String(body.QueueName))) {
        throw new QueueError('QueueDoesNotExist', 'The specified queue does not exist.');
      }
      return { QueueUrl: queueUrlOf(endpointOf(request), String(body.QueueName)) };
    },
    GetQueueAttributes: (body) => {
      const queue = queueOf(body);
      const counts = queue.counts();
      const deadLetters = queue.options.deadLetterQueue;
      return {
        Attributes: {
          QueueArn: queueArnOf(queue.name),
          ApproximateNumberOfMessages: String(counts.visible),
          ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
          ApproximateNumberOfMessagesDelayed: String(counts.delayed),
          VisibilityTimeout: String(Math.ceil(queue.options.visibilityTimeoutMs / 1000)),
          ...(deadLetters
            ? {
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: queueArnOf(deadLetters.name),
                  maxReceiveCount: queue.options.maxReceiveCount,
                }),
              }
            : {}),
        },
      };
    },
    SendMessage: (body) => {
      const text = String(body.MessageBody ?? '');
      const messageId = queueOf(body).send(text, {
        delayMs: Number(body.DelaySeconds ?? 0) * 1000,
        attributes: stringAttributes(body.MessageAttributes),
      });
      return { MessageId: messageId, MD5OfMessageBody: md5(text) };
    },
    SendMessageBatch: (body) => {
      const queue = queueOf(body);
      const successful: Body[] = [];
      const failed: Body[] = [];
      for (const entry of (body.Entries ?? []) as Body[]) {
        const text = String(entry.MessageBody ?? '');
        try {
          const messageId = queue.send(text, {
            delayMs: Number(entry.DelaySeconds ?? 0) * 1000,
            attributes: stringAttributes(entry.MessageAttributes),
          });
          successful.push({ Id: entry.Id, MessageId: messageId, MD5OfMessageBody: md5(text) });
        } catch (error) {
          if (!(error instanceof QueueError)) throw error;
          failed.push({ Id: entry.Id, Code: error.code, Message: error.message, SenderFault: true });
        }
      }
      return { Successful: successful, Failed: failed };
    },
    ReceiveMessage: async (body) => {
      const messages = await queueOf(body).receive({
        max: Number(body.MaxNumberOfMessages ?? 1),
        ...(body.VisibilityTimeout === undefined ? {} : { visibilityTimeoutMs: Number(body.VisibilityTimeout) * 1000 }),
        waitMs: Math.min(20, Number(body.WaitTimeSeconds ?? 0)) * 1000,
      });
      return {
        Messages: messages.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: md5(message.body),
          Body: message.body,
          Attributes: {
            ApproximateReceiveCount: String(message.receiveCount),
            SentTimestamp: String(message.sentAt),
          },
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        })),
      };
    },
    ChangeMessageVisibility: (body) => {
      queueOf(body).changeVisibility(String(body.ReceiptHandle), Number(body.VisibilityTimeout ?? 0) * 1000);
      return {};
    },
    DeleteMessage: (body) => {
      queueOf(body).delete(String(body.ReceiptHandle));
      return {};
    },
  };

  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const action = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      void (async () => {
        const handle = actions[action];
        if (!handle) throw new QueueError('UnsupportedOperation', `${action || 'This action'} is not served locally.`);
        let body: Body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body;
        } catch {
          throw new QueueError('MalformedQueryString', 'The request body is not JSON.');
        }
        reply(response, 200, await handle(body, request));
      })().catch((error: unknown) => {
        const known = error instanceof QueueError;
        reply(response, known ? 400 : 500, {
          __type: `com.amazonaws.sqs#${known ? error.code : 'InternalError'}`,
          message: known ? error.message : 'The local queue failed.',
        });
      });
    });
  });
};

const reply = (response: ServerResponse, status: number, body: Body) => {
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
};
