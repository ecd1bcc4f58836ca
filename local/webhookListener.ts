import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * A webhook receiver as a reseller would write one: it verifies each delivery with the
 * `standardwebhooks` package's own `verify` against any of its secrets (several during a
 * rotation), and answers as told. `npm run webhooks:listen` prints what it gets; the tests and the
 * bench use it as the far end.
 */

export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  /** The parsed event when a secret verified it; undefined when none did. */
  readonly event?: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Which secrets verified it, by position. */
  readonly verifiedBy: readonly number[];
  readonly receivedAt: number;
  /** How many times this webhook-id arrived, this one included. */
  readonly attempt: number;
}

export interface ListenerAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export interface ListenerOptions {
  /** Read at each delivery, so secrets may be added while it runs (a rotation, a new endpoint). */
  readonly secrets: () => readonly string[];
  /** @default 204 for a verified delivery, 400 for one that does not verify */
  readonly answer?: (delivery: ReceivedWebhook) => ListenerAnswer | undefined;
  readonly onDelivery?: (delivery: ReceivedWebhook) => void;
}

const header = (request: IncomingMessage, name: string) => {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

export const createWebhookListener = (options: ListenerOptions): Server => {
  const attempts = new Map<string, number>();
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signed = {
        'webhook-id': header(request, 'webhook-id'),
        'webhook-timestamp': header(request, 'webhook-timestamp'),
        'webhook-signature': header(request, 'webhook-signature'),
      };
      const verifiedBy: number[] = [];
      let event: ReceivedWebhook['event'];
      options.secrets().forEach((secret, i) => {
        try {
          event = new Webhook(secret).verify(body, signed) as ReceivedWebhook['event'];
          verifiedBy.push(i);
        } catch {
          // not this secret's
        }
      });
      const attempt = (attempts.get(signed['webhook-id']) ?? 0) + 1;
      attempts.set(signed['webhook-id'], attempt);
      const delivery: ReceivedWebhook = {
        id: signed['webhook-id'],
        timestamp: signed['webhook-timestamp'],
        signature: signed['webhook-signature'],
        body,
        ...(event ? { event } : {}),
        verifiedBy,
        receivedAt: Date.now(),
        attempt,
      };
      options.onDelivery?.(delivery);
      const answer = options.answer?.(delivery) ?? { status: verifiedBy.length > 0 ? 204 : 400 };
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
};
