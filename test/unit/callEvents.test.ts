import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { callEventsSchemaPath, callEventsSchemaText } from '../../bin/call-events-schema.js';
import { parseCallEvent, type CallEvent } from '../../lambdas/domain/callEvents.js';
import { callEventExamples } from '../../lambdas/domain/callEventsJsonSchema.js';
import { nextStep, type CallProgress } from '../../lambdas/domain/callLifecycle.js';
import { nestingDepth, storedSize } from '../../lambdas/domain/storedSize.js';

const { ended, scored } = callEventExamples;
const { startedAt: _s, endedAt: _e, durationSec: _d, endReason: _r, ...scoredAlone } = scored;

describe('the events contract', () => {
  it('accepts each published example', () => {
    expect(parseCallEvent(JSON.stringify(ended))).toEqual({ event: ended });
    expect(parseCallEvent(JSON.stringify(scored))).toEqual({ event: scored });
    expect(parseCallEvent(JSON.stringify(scoredAlone))).toEqual({ event: scoredAlone });
  });

  it('keeps extra score keys and turn keys as given', () => {
    const event = { ...scored, score: { ...scored.score, compliance: { passed: true } } };
    expect(parseCallEvent(JSON.stringify(event))).toEqual({ event });
  });

  it.each([
    ['{', 'the message is not JSON'],
    [JSON.stringify({ ...ended, type: 'call.paused' }), 'type must be one of call.ended, call.scored'],
    [JSON.stringify({ ...ended, callId: 'call_1' }), 'callId'],
    [JSON.stringify({ ...ended, id: '' }), 'id'],
    [JSON.stringify({ ...ended, durationSec: -1 }), 'durationSec'],
    [JSON.stringify({ ...ended, endReason: 'Hung Up!' }), 'endReason'],
    [JSON.stringify({ ...scoredAlone, durationSec: 3 }), 'give all the ended fields or none'],
    [JSON.stringify({ ...scored, transcript: [{ content: 'no role' }] }), 'transcript.0.role'],
  ])('explains why %s is not an event', (body, reason) => {
    const parsed = parseCallEvent(body);
    expect('reason' in parsed && parsed.reason).toContain(reason);
  });

  it('refuses a message over 1 MiB before reading it', () => {
    expect(parseCallEvent(`"${'x'.repeat(1_048_576)}"`)).toEqual({
      reason: 'the event is 1048578 bytes, over the limit of 1048576',
    });
  });

  it('refuses a transcript nested deeper than DynamoDB stores', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 35; i++) deep = [deep];
    const parsed = parseCallEvent(JSON.stringify({ ...scored, transcript: [{ role: 'agent', content: '', deep }] }));
    expect('reason' in parsed && parsed.reason).toContain('nests deeper than 31 levels');
  });
});

describe('the published JSON Schema', () => {
  it(`is what the zod schemas generate (run \`npm run events:schema\` after changing them)`, () => {
    expect(readFileSync(callEventsSchemaPath, 'utf8')).toBe(callEventsSchemaText());
  });

  const validate = new Ajv2020({ strict: false, allErrors: true });
  addFormats(validate);
  const check = validate.compile(JSON.parse(readFileSync(callEventsSchemaPath, 'utf8')) as object);

  it('accepts the examples, and a scored event without the ended fields', () => {
    for (const event of [ended, scored, scoredAlone]) expect([check(event), check.errors]).toEqual([true, null]);
  });

  it('refuses what the consumer refuses: half the ended fields, a wrong version, a missing score', () => {
    expect(check({ ...scoredAlone, endedAt: scored.endedAt })).toBe(false);
    expect(check({ ...ended, version: 2 })).toBe(false);
    const { score: _score, ...noScore } = scored;
    expect(check(noScore)).toBe(false);
  });
});

describe('what an event does to a call', () => {
  const call = (status: CallProgress['status'], more: Partial<CallProgress> = {}): CallProgress => ({
    callId: ended.callId,
    tenantId: 'tnt_0123456789abcdef',
    externalUserId: 'rep_1',
    externalAgencyId: null,
    status,
    eventIds: [],
    ...more,
  });
  const timing = {
    startedAt: '2026-06-05T18:00:01.000Z',
    endedAt: '2026-06-05T18:07:31.000Z',
    durationSec: 450,
    endReason: 'completed',
  };
  const kinds = (progress: CallProgress, event: CallEvent) => {
    const step = nextStep(progress, event);
    return step.kind === 'none' ? step.outcome : step.kind;
  };

  it.each([
    ['redeemed', ended, 'end'],
    ['redeemed', scored, 'score'],
    ['redeemed', scoredAlone, 'holdScore'],
    ['ended', scoredAlone, 'score'],
    ['ended', ended, 'alreadyEnded'],
    ['awaitingEnd', ended, 'score'],
    ['awaitingEnd', scoredAlone, 'scoreAlreadyHeld'],
    ['awaitingEnd', scored, 'score'],
    ['scored', ended, 'alreadyScored'],
    ['scored', scored, 'alreadyScored'],
  ] as const)('a %s call given %#: %s', (status, event, expected) => {
    expect(kinds(call(status, status === 'ended' ? { timing } : {}), event as CallEvent)).toBe(expected);
  });

  it('changes nothing for an event already applied, whatever the state', () => {
    for (const status of ['redeemed', 'ended', 'awaitingEnd', 'scored'] as const) {
      expect(kinds(call(status, { eventIds: [scored.id] }), scored)).toBe('duplicate');
    }
  });

  it('keeps the recorded end when a scored event brings another', () => {
    const step = nextStep(call('ended', { timing }), { ...scored, endedAt: '2026-06-05T19:00:00Z' } as CallEvent);
    expect(step).toMatchObject({ kind: 'score', timing });
  });
});

describe('stored size (DynamoDB rules)', () => {
  it.each([
    ['a string, by UTF-8 bytes', 'héllo', 6],
    ['a number, by significant digits', 12345, 4],
    ['null or a boolean', true, 1],
    ['a list: 3 bytes, and 1 per element', ['ab', 'c'], 3 + 3 + 2],
    ['a map: 3 bytes, and 1 per entry with its name', { role: 'agent' }, 3 + 1 + 4 + 5],
  ])('%s', (_case, value, size) => {
    expect(storedSize(value)).toBe(size);
  });

  it('measures nesting', () => {
    expect(nestingDepth([{ a: [1] }])).toBe(3);
  });
});
