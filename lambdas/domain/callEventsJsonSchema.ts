import * as z from 'zod/mini';
import {
  callEndedEventSchema,
  callScoredEventSchema,
  maxEventBytes,
  maxScoreBytes,
  maxTranscriptBytes,
  type CallEndedEvent,
  type CallScoredEvent,
} from './callEvents.js';

/**
 * The events contract as JSON Schema, generated from the zod schemas the consumer runs, with an
 * example of each event. Published as `openapi/call-events.schema.json` by `npm run events:schema`;
 * a test fails when the published file is not what this generates. Not part of any Lambda bundle.
 */

const callId = 'athos_call_GZ1DjOkZv_VEPoE-CJ8mp';

export const callEventExamples: { ended: CallEndedEvent; scored: CallScoredEvent } = {
  ended: {
    type: 'call.ended',
    id: 'evt_01JZ8Q3V7N4K2M6P9R1T5W8Y0A',
    version: 1,
    occurredAt: '2026-06-05T18:07:31Z',
    callId,
    startedAt: '2026-06-05T18:00:01Z',
    endedAt: '2026-06-05T18:07:31Z',
    durationSec: 450,
    endReason: 'completed',
  },
  scored: {
    type: 'call.scored',
    id: 'evt_01JZ8Q4B2C5D7E9F1G3H5J7K9M',
    version: 1,
    occurredAt: '2026-06-05T18:08:02Z',
    callId,
    transcript: [
      {
        role: 'agent',
        content: 'Hi, this is Sam with Athos Health. Am I speaking with Margaret?',
        startMs: 0,
        endMs: 4200,
      },
      { role: 'prospect', content: 'Yes, this is Margaret. Who is calling?', startMs: 4600, endMs: 6900 },
    ],
    score: {
      overallScore: 82,
      summary: 'Prospect asked about Medicare options; the agent built rapport but rushed the close.',
      feedback: 'Lead with a clear greeting and one discovery question; slow down before presenting the plan.',
    },
    scoredAt: '2026-06-05T18:08:01Z',
    startedAt: '2026-06-05T18:00:01Z',
    endedAt: '2026-06-05T18:07:31Z',
    durationSec: 450,
    endReason: 'completed',
  },
};

const endedFields = ['startedAt', 'endedAt', 'durationSec', 'endReason'];

export const callEventsJsonSchema = () => {
  const schemaOf = (schema: z.ZodMiniType) =>
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const { $schema: _ended, ...ended } = schemaOf(callEndedEventSchema);
  const { $schema: _scored, ...scored } = schemaOf(callScoredEventSchema);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://api.useathos.ai/schemas/call-events.schema.json',
    title: 'Athos call events',
    description: [
      'What the voice and scoring pipeline sends to the call-events queue (the stack output CallEventsQueueUrl), one event per SQS message body.',
      'Events may arrive twice or out of order: an event whose id was applied changes nothing, and a late call.ended never undoes a score.',
      `Limits: a message is at most ${maxEventBytes} bytes (SQS); the transcript at most ${maxTranscriptBytes} bytes and the score at most ${maxScoreBytes} bytes, measured as DynamoDB stores them (names and values; about the UTF-8 length of the text for ordinary turns). Larger events are set aside with the reason, never truncated.`,
      'Generated from lambdas/domain/callEvents.ts by `npm run events:schema`; do not edit by hand.',
    ].join(' '),
    oneOf: [
      { title: 'call.ended', description: 'The call is over: when it ran, and why it stopped.', ...ended },
      {
        title: 'call.scored',
        description:
          'The diarized transcript and the score. It may carry the ended fields too (all of them or none), so one event can finish a call; without them the score waits for call.ended.',
        ...scored,
        dependentRequired: Object.fromEntries(
          endedFields.map((name) => [name, endedFields.filter((other) => other !== name)]),
        ),
      },
    ],
    examples: [callEventExamples.ended, callEventExamples.scored],
  };
};
