import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handlerEnvironment } from '../../local/app.js';
import { lambdaContext } from '../../local/gateway.js';
import { maxTranscriptBytes, type CallEndedEvent, type CallScoredEvent } from '../../lambdas/domain/callEvents.js';
import { newCallId } from '../../lambdas/domain/ids.js';
import type { ScoredCallsQuery } from '../../lambdas/domain/ports.js';
import { storedSize } from '../../lambdas/domain/storedSize.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { startLocalCallEvents, type LocalCallEvents } from '../../local/callEvents.js';
import { useEnvironment } from '../../lambdas/environment.js';
import { LocalQueue } from '../../local/queue.js';
import { startQueueEventSource } from '../../local/queueEventSource.js';
import { eventually } from '../support/eventually.js';
import { createRedeemedCall, createTestTenant, itemsOfTenant, testTable } from '../support/fixtures.js';
import { dynamoEndpoint, testKeys, testTableName } from '../support/testSettings.js';

/**
 * The consumer Lambda's handler, as deployed, on DynamoDB Local: fed batches directly (to see
 * exactly what it reports) and through the local queue (to see retries and dead-lettering).
 */
const table = testTable();
const calls = createCallStore(table);
let callEvents: LocalCallEvents;
let handler: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
let runtimeTable: typeof table;

beforeAll(async () => {
  // Longer than any batch takes on a busy machine, as in AWS: a batch in hand is never delivered twice.
  callEvents = await startLocalCallEvents({ port: 0, simulatedCallSeconds: 0, visibilityTimeoutMs: 5_000 });
  useEnvironment(
    handlerEnvironment({
      dynamoEndpoint: dynamoEndpoint(),
      tableName: testTableName,
      keys: testKeys,
      environment: callEvents.environment,
    }),
  );
  ({ handler } = (await import('../../lambdas/handlers/callEvents.js')) as unknown as { handler: typeof handler });
  ({ table: runtimeTable } = await import('../../lambdas/runtime.js'));
});
afterAll(() => callEvents.close());
afterEach(() => jest.restoreAllMocks());

const at = (seconds: number) => new Date(Date.UTC(2026, 5, 5, 18, 0, seconds)).toISOString();

const ended = (callId: string, id = `evt_${randomUUID()}`): CallEndedEvent => ({
  type: 'call.ended',
  id,
  version: 1,
  occurredAt: at(450),
  callId,
  startedAt: at(0),
  endedAt: at(450),
  durationSec: 450,
  endReason: 'completed',
});

const scored = (callId: string, extra: Partial<CallScoredEvent> = {}): CallScoredEvent => ({
  type: 'call.scored',
  id: `evt_${randomUUID()}`,
  version: 1,
  occurredAt: at(480),
  callId,
  transcript: [
    { role: 'agent', content: 'Hi, this is Sam.', startMs: 0 },
    { role: 'prospect', content: 'Hello?', startMs: 1200 },
  ],
  score: { overallScore: 82, summary: 'Good rapport.', feedback: 'Slow down.', compliance: { passed: true } },
  scoredAt: at(479),
  ...extra,
});

const batchOf = (bodies: readonly unknown[]): SQSEvent => ({
  Records: bodies.map((body) => ({
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:athos-local-call-events',
    awsRegion: 'us-east-1',
  })),
});

const consume = async (...bodies: unknown[]) => {
  const event = batchOf(bodies);
  const response = await handler(event, lambdaContext(randomUUID()));
  return {
    ids: event.Records.map((record) => record.messageId),
    failed: response.batchItemFailures.map((f) => f.itemIdentifier),
  };
};

/** Everything set aside so far, with its reason, drained from the local dead-letter queue. */
const setAside = async () => {
  const messages = await callEvents.queues.deadLetters.receive({ max: 10 });
  for (const message of messages) callEvents.queues.deadLetters.delete(message.receiptHandle);
  return messages.map((message) => ({ body: message.body, reason: message.attributes['athos-reason'] }));
};

/** Turns of at most 100,000 characters (a turn's own limit) adding up to exactly `bytes` as stored. */
const transcriptOfStoredSize = (bytes: number) => {
  const turn = (content: string) => ({ role: 'agent', content });
  const turns: { role: string; content: string }[] = [];
  while (storedSize(turns) < bytes) {
    const room = bytes - storedSize([...turns, turn('')]);
    turns.push(turn('x'.repeat(Math.min(100_000, room))));
  }
  return turns;
};

const newCall = async () => {
  const { tenant } = await createTestTenant(table);
  return { tenantId: tenant.tenantId, callId: await createRedeemedCall(table, tenant.tenantId) };
};

type ListFilters = Partial<Pick<ScoredCallsQuery, 'to' | 'source' | 'externalUserId' | 'externalAgencyId'>>;

const listed = async (tenantId: string) =>
  (await calls.listScoredCalls({ tenantId, from: '2020-01-01T00:00:00.000Z', limit: 10 })).calls.map((c) => c.callId);

describe('the call-events consumer', () => {
  // Every scoring path writes the same list keys: a call scored by events, whether its end or its
  // score came first, shows in every list whose filters it matches, and in no other.
  it.each([
    ['ended, then scored', (callId: string) => [ended(callId), scored(callId)]],
    ['scored, then ended', (callId: string) => [scored(callId), ended(callId)]],
  ])('lists a call %s under every filter combination that matches it', async (_order, events) => {
    const { tenant } = await createTestTenant(table);
    const tenantId = tenant.tenantId;
    const callId = await createRedeemedCall(table, tenantId, 'rep_events', newCallId(), 'agency_events');
    const other = await createRedeemedCall(table, tenantId, 'rep_other');
    for (const event of [...events(callId), ...events(other)])
      expect(await consume(event)).toMatchObject({ failed: [] });

    const page = (filters: ListFilters) =>
      calls
        .listScoredCalls({ tenantId, from: at(0), limit: 10, ...filters })
        .then((result) => result.calls.map((call) => call.callId));
    const matching: ListFilters[] = [
      { to: at(450) },
      { source: 'roleplay' },
      { externalUserId: 'rep_events' },
      { externalAgencyId: 'agency_events' },
    ];
    for (let mask = 0; mask < 2 ** matching.length; mask++) {
      const filters: ListFilters = Object.assign({}, ...matching.filter((_, i) => mask & (2 ** i)));
      const expected = 'externalUserId' in filters || 'externalAgencyId' in filters ? [callId] : [callId, other].sort();
      expect({ filters, listed: (await page(filters)).sort() }).toEqual({ filters, listed: expected });
    }
    const nonMatching: ListFilters[] = [
      { externalUserId: 'rep_events', externalAgencyId: 'agency_other' },
      { externalUserId: 'rep_other', externalAgencyId: 'agency_events' },
      { externalAgencyId: 'agency_other' },
      { to: at(449) },
    ];
    for (const filters of nonMatching) {
      expect({ filters, listed: await page(filters) }).toEqual({ filters, listed: [] });
    }
  });

  it('records call.ended, then call.scored: the call is scored, listed and has its transcript', async () => {
    const { tenantId, callId } = await newCall();

    expect(await consume(ended(callId))).toMatchObject({ failed: [] });
    expect(await calls.findCall(callId)).toMatchObject({ status: 'ended', endedAt: at(450), endReason: 'completed' });
    expect(await listed(tenantId)).toEqual([]);

    const event = scored(callId);
    expect(await consume(event)).toMatchObject({ failed: [] });
    expect(await calls.findCall(callId)).toMatchObject({
      status: 'scored',
      startedAt: at(0),
      endedAt: at(450),
      durationSec: 450,
      scoredAt: at(479),
      transcript: event.transcript,
      score: event.score,
    });
    expect(await listed(tenantId)).toEqual([callId]);
  });

  it('holds a score that arrives before the end, and completes the call when the end arrives', async () => {
    const { tenantId, callId } = await newCall();
    const event = scored(callId);

    await consume(event);
    expect(await calls.findCall(callId)).toMatchObject({ status: 'awaitingEnd', score: event.score });
    expect(await listed(tenantId)).toEqual([]);

    await consume(ended(callId));
    expect(await calls.findCall(callId)).toMatchObject({
      status: 'scored',
      endedAt: at(450),
      score: event.score,
      transcript: event.transcript,
    });
    expect(await listed(tenantId)).toEqual([callId]);
  });

  it('finishes a call with one scored event carrying the ended fields; a late call.ended then changes nothing', async () => {
    const { tenantId, callId } = await newCall();
    await consume(scored(callId, { startedAt: at(10), endedAt: at(300), durationSec: 290, endReason: 'rep_hung_up' }));
    const before = await itemsOfTenant(table, tenantId);

    expect(await consume(ended(callId))).toMatchObject({ failed: [] });

    expect(await itemsOfTenant(table, tenantId)).toEqual(before);
    expect(await calls.findCall(callId)).toMatchObject({
      status: 'scored',
      endedAt: at(300),
      endReason: 'rep_hung_up',
    });
  });

  it('treats a redelivered event as done: no error, nothing changes, whatever its content', async () => {
    const { tenantId, callId } = await newCall();
    const first = scored(callId, { startedAt: at(0), endedAt: at(450), durationSec: 450, endReason: 'completed' });
    await consume(first);
    const before = await itemsOfTenant(table, tenantId);

    const again = await consume(first, { ...first, score: { overallScore: 1, summary: '', feedback: '' } });

    expect(again.failed).toEqual([]);
    expect(await itemsOfTenant(table, tenantId)).toEqual(before);
    expect(await setAside()).toEqual([]);
  });

  it('applies each of two events in one batch once, whatever order they are in', async () => {
    const { tenantId, callId } = await newCall();
    const end = ended(callId);
    const score = scored(callId);

    expect((await consume(score, end, score, end)).failed).toEqual([]);

    expect(await listed(tenantId)).toEqual([callId]);
    const item = (await itemsOfTenant(table, tenantId)).find((candidate) => candidate.sk === 'CALL');
    expect([...(item?.eventIds as Set<string>)].sort()).toEqual([end.id, score.id].sort());
  });

  it.each([
    ['a body that is not JSON', '{"type":"call.ended",', 'not JSON'],
    [
      'an unknown event type',
      { ...ended('athos_call_GZ1DjOkZv_VEPoE-CJ8mp'), type: 'call.paused' },
      'type must be one of',
    ],
    ['version 2', { ...ended('athos_call_GZ1DjOkZv_VEPoE-CJ8mp'), version: 2 }, 'version'],
    [
      'an end before the start',
      { ...ended('athos_call_GZ1DjOkZv_VEPoE-CJ8mp'), endedAt: at(-5) },
      'endedAt is before startedAt',
    ],
    [
      'half of the ended fields',
      scored('athos_call_GZ1DjOkZv_VEPoE-CJ8mp', { endedAt: at(9) }),
      'give all the ended fields or none',
    ],
    [
      'a score out of range',
      scored('athos_call_GZ1DjOkZv_VEPoE-CJ8mp', { score: { overallScore: 101, summary: '', feedback: '' } }),
      'score.overallScore',
    ],
  ])('sets aside %s with the reason, and reports no failure (it is never retried)', async (_case, body, reason) => {
    const result = await consume(body);

    expect(result.failed).toEqual([]);
    const [entry, ...others] = await setAside();
    expect(others).toEqual([]);
    expect(entry?.body).toBe(typeof body === 'string' ? body : JSON.stringify(body));
    expect(entry?.reason).toContain(reason);
  });

  it('sets aside an event for a call that does not exist, naming the call', async () => {
    const event = ended('athos_call_AAAAAAAAAAAAAAAAAAAAA');

    expect((await consume(event)).failed).toEqual([]);

    expect(await setAside()).toEqual([
      { body: JSON.stringify(event), reason: 'no call has the id athos_call_AAAAAAAAAAAAAAAAAAAAA' },
    ]);
  });

  it('records the good events of a batch and sets aside the one bad message, blocking none', async () => {
    const good = await Promise.all([newCall(), newCall(), newCall()]);

    const result = await consume(
      scored(good[0]!.callId, { startedAt: at(0), endedAt: at(60), durationSec: 60, endReason: 'completed' }),
      'not an event',
      scored(good[1]!.callId, { startedAt: at(0), endedAt: at(60), durationSec: 60, endReason: 'completed' }),
      scored(good[2]!.callId, { startedAt: at(0), endedAt: at(60), durationSec: 60, endReason: 'completed' }),
    );

    expect(result.failed).toEqual([]);
    for (const { callId } of good) expect((await calls.findCall(callId))?.status).toBe('scored');
    expect((await setAside()).map((entry) => entry.body)).toEqual(['not an event']);
  });

  it('reports only the message whose write DynamoDB refused, so SQS retries that one alone', async () => {
    const good = await newCall();
    const unlucky = await newCall();
    const send = runtimeTable.db.send.bind(runtimeTable.db);
    jest.spyOn(runtimeTable.db, 'send').mockImplementation((async (command: { input: { Key?: { pk?: string } } }) => {
      if (command.input.Key?.pk === `CALL#${unlucky.callId}`) {
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $retryable: { throttling: true },
        });
      }
      return send(command as never);
    }) as never);

    const result = await consume(ended(good.callId), ended(unlucky.callId));

    expect(result.failed).toEqual([result.ids[1]]);
    expect((await calls.findCall(good.callId))?.status).toBe('ended');
    expect((await calls.findCall(unlucky.callId))?.status).toBe('redeemed');
    expect(await setAside()).toEqual([]);
  });

  it('loses nothing while DynamoDB throttles: the queue delivers the failed messages again until they are recorded', async () => {
    const targets = await Promise.all(Array.from({ length: 4 }, () => newCall()));
    let throttled = 0;
    const send = runtimeTable.db.send.bind(runtimeTable.db);
    jest.spyOn(runtimeTable.db, 'send').mockImplementation((async (command: object) => {
      // The first six writes fail as a throttled table fails them, after the SDK's own retries.
      if (command.constructor.name !== 'GetCommand' && throttled < 6) {
        throttled++;
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $retryable: { throttling: true },
        });
      }
      return send(command as never);
    }) as never);
    const source = startQueueEventSource({ queue: callEvents.queues.events, handler });
    try {
      for (const { callId } of targets) {
        callEvents.queues.events.send(JSON.stringify(scored(callId)));
        callEvents.queues.events.send(JSON.stringify(ended(callId)));
      }
      await callEvents.queues.events.until((queue) => queue.size === 0);
    } finally {
      await source.stop();
    }

    expect(throttled).toBe(6);
    for (const { tenantId, callId } of targets) expect(await listed(tenantId)).toEqual([callId]);
    expect(await setAside()).toEqual([]);
  }, 120_000);

  it(`accepts the largest transcript (${maxTranscriptBytes.toLocaleString('en-US')} bytes as stored) whole, and sets aside a larger one with the reason`, async () => {
    const { callId } = await newCall();
    const largest = transcriptOfStoredSize(maxTranscriptBytes);
    expect(storedSize(largest)).toBe(maxTranscriptBytes);
    const tooLarge = transcriptOfStoredSize(maxTranscriptBytes + 1);

    const refused = scored(callId, { transcript: tooLarge });
    expect((await consume(refused)).failed).toEqual([]);
    const [entry] = await setAside();
    expect(entry?.reason).toContain(
      `transcript: is ${(maxTranscriptBytes + 1).toLocaleString('en-US')} bytes as stored`,
    );
    expect(entry?.reason).toContain('not truncated');
    expect((await calls.findCall(callId))?.status).toBe('redeemed');

    const accepted = scored(callId, {
      transcript: largest,
      startedAt: at(0),
      endedAt: at(60),
      durationSec: 60,
      endReason: 'completed',
    });
    expect(Buffer.byteLength(JSON.stringify(accepted))).toBeLessThan(1_048_576);
    expect((await consume(accepted)).failed).toEqual([]);
    expect((await calls.findCall(callId))?.transcript).toEqual(largest);
  });

  it('moves a message that keeps failing to the dead-letter queue after five deliveries, never retrying it forever', async () => {
    const { callId } = await newCall();
    jest.spyOn(runtimeTable.db, 'send').mockRejectedValue(
      Object.assign(new Error('Internal'), {
        name: 'InternalServerError',
        $metadata: { httpStatusCode: 500 },
      }) as never,
    );
    // A queue of its own with a short visibility timeout: the handler fails at once here.
    const deadLetters = new LocalQueue('failing-dlq', { visibilityTimeoutMs: 1_000 });
    const queue = new LocalQueue('failing', {
      visibilityTimeoutMs: 50,
      maxReceiveCount: 5,
      deadLetterQueue: deadLetters,
    });
    let deliveries = 0;
    const source = startQueueEventSource({
      queue,
      handler: (batch, context) => {
        deliveries += batch.Records.length;
        return handler(batch, context);
      },
    });
    const event = JSON.stringify(ended(callId));
    try {
      queue.send(event);
      await queue.until((current) => current.size === 0);
    } finally {
      await source.stop();
    }
    const [moved, ...others] = await deadLetters.receive();
    expect(others).toEqual([]);
    expect(moved).toMatchObject({ body: event, receiveCount: 1 });
    expect(deliveries).toBe(5);
  }, 60_000);
});
