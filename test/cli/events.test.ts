import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlerEnvironment } from '../../local/app.js';
import { callEventExamples } from '../../lambdas/domain/callEventsJsonSchema.js';
import { newCallId } from '../../lambdas/domain/ids.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import {
  startBackOffice,
  startLocalCallEvents,
  type BackOffice,
  type LocalCallEvents,
} from '../../local/callEvents.js';
import { admin } from '../support/adminCli.js';
import { eventually } from '../support/eventually.js';
import { createRedeemedCall, createTestTenant, testTable } from '../support/fixtures.js';
import { dynamoEndpoint, testKeys, testTableName } from '../support/testSettings.js';

/**
 * `athos-admin events …` and `key create --mode`, spawned as an operator runs them, against the
 * local queue and consumer that `npm start` runs (here in the test's process).
 */
const table = testTable();
const calls = createCallStore(table);
let callEvents: LocalCallEvents;
let backOffice: BackOffice;
const directory = mkdtempSync(join(tmpdir(), 'athos-events-'));

beforeAll(async () => {
  callEvents = await startLocalCallEvents({ port: 0, simulatedCallSeconds: 0 });
  backOffice = await startBackOffice(callEvents, {
    table,
    simulator: false,
    environment: handlerEnvironment({ dynamoEndpoint: dynamoEndpoint(), tableName: testTableName, keys: testKeys }),
  });
});
afterAll(async () => {
  await backOffice.stop();
  await callEvents.close();
});

const fileOf = (name: string, content: unknown) => {
  const path = join(directory, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
// Each test starts the CLI as several separate processes: a second or two on a quiet machine,
// many times that on a busy one.
jest.setTimeout(180_000);

const events = (args: string[]) => admin(['events', ...args, '--queue-url', callEvents.queueUrl]);
const eventsFor = (callId: string, tag: string) => [
  { ...callEventExamples.ended, id: `evt_${tag}_ended`, callId },
  { ...callEventExamples.scored, id: `evt_${tag}_scored`, callId },
];

describe('athos-admin events', () => {
  it('send puts events on the queue, and the consumer records them', async () => {
    const { tenant } = await createTestTenant(table);
    const callId = await createRedeemedCall(table, tenant.tenantId);

    const sent = await events(['send', '--file', fileOf('both.json', eventsFor(callId, 'send'))]);

    expect(sent.code).toBe(0);
    expect(sent.json).toEqual({
      queueUrl: callEvents.queueUrl,
      sent: [
        { id: 'evt_send_ended', type: 'call.ended', callId },
        { id: 'evt_send_scored', type: 'call.scored', callId },
      ],
    });
    const call = await eventually(async () => {
      const found = await calls.findCall(callId);
      return found?.status === 'scored' ? found : undefined;
    });
    expect(call).toMatchObject({ endedAt: '2026-06-05T18:07:31.000Z', score: callEventExamples.scored.score });
  });

  it.each([
    [
      'an invalid event',
      { ...callEventExamples.ended, durationSec: -1 },
      'not a valid call event: invalid event: durationSec: at least 0',
    ],
    ['a file that is not JSON', '{', 'cannot read'],
  ])('send refuses %s, exits 2 and sends nothing', async (_case, content, message) => {
    const result = await events(['send', '--file', fileOf('bad.json', content)]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(callEvents.queues.events.size).toBe(0);
  });

  it('dead-letters lists what was set aside with its reason; redrive sends it back once the cause is fixed', async () => {
    const { tenant } = await createTestTenant(table);
    const callId = newCallId();
    const [ended] = eventsFor(callId, 'redrive');
    await events(['send', '--file', fileOf('early.json', ended)]);

    const listed = await eventually(async () => {
      const result = await events(['dead-letters']);
      return result.json?.deadLetters.find((letter: { eventId: string }) => letter.eventId === 'evt_redrive_ended');
    });
    expect(listed).toMatchObject({ type: 'call.ended', callId, reason: `no call has the id ${callId}` });

    await createRedeemedCall(table, tenant.tenantId, 'rep_a', callId);
    const redriven = await events(['redrive', '--message', listed.messageId]);

    expect(redriven.code).toBe(0);
    expect(redriven.json.redriven).toMatchObject([{ messageId: listed.messageId, eventId: 'evt_redrive_ended' }]);
    await eventually(async () => ((await calls.findCall(callId))?.status === 'ended' ? true : undefined));
    const after = await events(['dead-letters']);
    expect(after.json.deadLetters.map((letter: { messageId: string }) => letter.messageId)).not.toContain(
      listed.messageId,
    );
  });

  it('redrive names a message id that is not a dead letter, and exits 2', async () => {
    const result = await events(['redrive', '--message', 'no-such-message']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no dead letter has the message id no-such-message');
  });

  it('says when no local queue is running', async () => {
    const result = await admin([
      'events',
      'dead-letters',
      '--queue-url',
      'http://127.0.0.1:9/000000000000/athos-local-call-events',
    ]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Is `npm start` running?');
  });
});

describe('athos-admin key create --mode', () => {
  it('issues a test-mode key, shown once, marked test in the listing', async () => {
    const { tenant } = await createTestTenant(table);

    const created = await admin(['key', 'create', '--tenant', tenant.tenantId, '--mode', 'test']);
    const listed = await admin(['key', 'list', '--tenant', tenant.tenantId]);

    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ mode: 'test', apiKey: expect.stringMatching(/^ath_test_/) });
    expect(listed.json.keys.find((key: { keyId: string }) => key.keyId === created.json.keyId)).toMatchObject({
      mode: 'test',
    });
  });

  it('refuses a mode it does not know, and exits 2', async () => {
    const { tenant } = await createTestTenant(table);

    const result = await admin(['key', 'create', '--tenant', tenant.tenantId, '--mode', 'sandbox']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--mode must be live or test');
  });
});
