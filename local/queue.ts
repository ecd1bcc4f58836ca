import { randomUUID } from 'node:crypto';

/**
 * An SQS standard queue in one process, with what the consumer relies on: a message received is
 * hidden for the visibility timeout and comes back unless deleted; each delivery counts, and past
 * `maxReceiveCount` a message moves to the dead-letter queue instead of being delivered; messages
 * may be delayed; bodies are capped at SQS's size. Shared by `npm start`, the tests and the bench.
 */

export interface LocalQueueOptions {
  readonly visibilityTimeoutMs: number;
  /** With `deadLetterQueue`: deliveries before a message is moved there. */
  readonly maxReceiveCount?: number;
  readonly deadLetterQueue?: LocalQueue;
  /** @default 1 MiB, as SQS */
  readonly maxMessageBytes?: number;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
  readonly sentAt: number;
}

interface Entry {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receiptHandle?: string;
}

/** An error SQS would answer, with SQS's code. */
export class QueueError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class LocalQueue {
  private readonly entries = new Map<string, Entry>();
  /** The current receipt handle of each message received: an older handle deletes nothing. */
  private readonly handles = new Map<string, string>();
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(
    readonly name: string,
    readonly options: LocalQueueOptions,
  ) {}

  send(
    body: string,
    options: { delayMs?: number; attributes?: Record<string, string>; messageId?: string } = {},
  ): string {
    const limit = this.options.maxMessageBytes ?? 1_048_576;
    const bytes =
      Buffer.byteLength(body, 'utf8') +
      Object.entries(options.attributes ?? {}).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
    if (bytes > limit) {
      throw new QueueError('InvalidParameterValue', `Message must be shorter than ${limit} bytes (it is ${bytes}).`);
    }
    if (body.length === 0) throw new QueueError('MissingParameter', 'The request must contain a MessageBody.');
    const now = Date.now();
    // A message moved to the dead-letter queue keeps its id there, as in SQS.
    const messageId = options.messageId ?? randomUUID();
    this.entries.set(messageId, {
      messageId,
      body,
      attributes: { ...options.attributes },
      sentAt: now,
      visibleAt: now + (options.delayMs ?? 0),
      receiveCount: 0,
    });
    this.changed();
    return messageId;
  }

  /**
   * Up to `max` visible messages, hidden for the visibility timeout. With `waitMs`, waits that long
   * for one to become visible (long polling); returns early, empty, when the queue is closed.
   */
  async receive(
    options: { max?: number; visibilityTimeoutMs?: number; waitMs?: number } = {},
  ): Promise<ReceivedMessage[]> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const received = this.take(options.max ?? 10, options.visibilityTimeoutMs ?? this.options.visibilityTimeoutMs);
      const now = Date.now();
      if (received.length > 0 || this.closed || now >= deadline) return received;
      await this.nextChange(Math.min(deadline, this.nextVisibleAt()) - now);
    }
  }

  /** @returns false when the handle is stale (the message was delivered again, or is gone) */
  delete(receiptHandle: string): boolean {
    const messageId = this.handles.get(receiptHandle);
    if (messageId === undefined) return false;
    this.handles.delete(receiptHandle);
    this.entries.delete(messageId);
    this.changed();
    return true;
  }

  /** Shows a received message again after `ms` (0: now). @returns false for a stale handle */
  changeVisibility(receiptHandle: string, ms: number): boolean {
    const entry = this.entries.get(this.handles.get(receiptHandle) ?? '');
    if (!entry) return false;
    entry.visibleAt = Date.now() + ms;
    this.changed();
    return true;
  }

  counts(): { visible: number; inFlight: number; delayed: number } {
    const now = Date.now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const entry of this.entries.values()) {
      if (entry.visibleAt <= now) visible++;
      else if (entry.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Resolves once `condition` holds, checked after every change to the queue. */
  async until(condition: (queue: LocalQueue) => boolean): Promise<void> {
    while (!condition(this)) {
      if (this.closed) throw new Error(`queue ${this.name} closed`);
      await this.nextChange(Number.POSITIVE_INFINITY);
    }
  }

  /** Ends every wait: receivers get nothing, and stop. */
  close(): void {
    this.closed = true;
    this.changed();
  }

  private take(max: number, visibilityTimeoutMs: number): ReceivedMessage[] {
    const now = Date.now();
    const received: ReceivedMessage[] = [];
    let moved = false;
    for (const entry of this.entries.values()) {
      if (received.length >= max) break;
      if (entry.visibleAt > now) continue;
      const { maxReceiveCount, deadLetterQueue } = this.options;
      if (deadLetterQueue && maxReceiveCount !== undefined && entry.receiveCount >= maxReceiveCount) {
        this.entries.delete(entry.messageId);
        if (entry.receiptHandle) this.handles.delete(entry.receiptHandle);
        deadLetterQueue.send(entry.body, { attributes: entry.attributes, messageId: entry.messageId });
        moved = true;
        continue;
      }
      entry.receiveCount++;
      entry.visibleAt = now + visibilityTimeoutMs;
      if (entry.receiptHandle) this.handles.delete(entry.receiptHandle);
      entry.receiptHandle = randomUUID();
      this.handles.set(entry.receiptHandle, entry.messageId);
      received.push({
        messageId: entry.messageId,
        receiptHandle: entry.receiptHandle,
        body: entry.body,
        attributes: entry.attributes,
        receiveCount: entry.receiveCount,
        sentAt: entry.sentAt,
      });
    }
    if (received.length > 0 || moved) this.changed();
    return received;
  }

  private nextVisibleAt(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.entries.values()) next = Math.min(next, entry.visibleAt);
    return next;
  }

  private nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(done, Math.max(0, timeoutMs)) : undefined;
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  private changed(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }
}
