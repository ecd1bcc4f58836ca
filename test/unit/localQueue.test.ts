import { LocalQueue } from '../../local/queue.js';

const queues = (visibilityTimeoutMs = 60_000) => {
  const deadLetters = new LocalQueue('dlq', { visibilityTimeoutMs: 60_000 });
  const queue = new LocalQueue('q', { visibilityTimeoutMs, maxReceiveCount: 2, deadLetterQueue: deadLetters });
  return { queue, deadLetters };
};

describe('the local queue (SQS semantics the consumer relies on)', () => {
  it('hides a received message until it is deleted or its visibility timeout passes', async () => {
    const { queue } = queues();
    queue.send('a');
    const [first] = await queue.receive();
    expect(await queue.receive()).toEqual([]);
    expect(queue.delete(first?.receiptHandle ?? '')).toBe(true);
    expect(queue.size).toBe(0);
  });

  it('delivers a message again, counting deliveries, once its visibility timeout has passed', async () => {
    const { queue } = queues(20);
    queue.send('a');
    await queue.receive();
    const [again] = await queue.receive({ waitMs: 10_000 });
    expect(again).toMatchObject({ body: 'a', receiveCount: 2 });
  });

  it('moves a message past maxReceiveCount to the dead-letter queue, keeping its id and attributes', async () => {
    const { queue, deadLetters } = queues(0);
    const messageId = queue.send('a', { attributes: { why: 'test' } });
    await queue.receive();
    await queue.receive();
    expect(await queue.receive()).toEqual([]);
    expect(await deadLetters.receive()).toMatchObject([{ messageId, body: 'a', attributes: { why: 'test' } }]);
  });

  it('keeps a delayed message back until its delay has passed', async () => {
    const { queue } = queues();
    queue.send('later', { delayMs: 50 });
    expect(await queue.receive()).toEqual([]);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(await queue.receive({ waitMs: 10_000 })).toMatchObject([{ body: 'later' }]);
  });

  it('ignores a stale receipt handle', async () => {
    const { queue } = queues(0);
    queue.send('a');
    const [first] = await queue.receive();
    await queue.receive();
    expect(queue.delete(first?.receiptHandle ?? '')).toBe(false);
    expect(queue.size).toBe(1);
  });

  it("refuses a message over SQS's 1 MiB limit, as SQS does", () => {
    const { queue } = queues();
    expect(() => queue.send('x'.repeat(1_048_577))).toThrow(expect.objectContaining({ code: 'InvalidParameterValue' }));
  });

  it('wakes a long poll as soon as a message arrives, and a closed queue ends every wait', async () => {
    const { queue } = queues();
    const waiting = queue.receive({ waitMs: 60_000 });
    queue.send('now');
    expect(await waiting).toMatchObject([{ body: 'now' }]);
    const idle = queue.receive({ waitMs: 60_000 });
    queue.close();
    expect(await idle).toEqual([]);
  });
});
