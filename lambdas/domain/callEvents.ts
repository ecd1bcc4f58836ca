import * as z from 'zod/mini';
import { callIdPattern } from './ids.js';
import { scoreSchema, transcriptSchema } from './records.js';
import { nestingDepth, storedSize } from './storedSize.js';

/**
 * The events the voice and scoring pipeline reports about a call it served, defined once: these
 * schemas check every message the consumer reads, give the TypeScript types, and generate the JSON
 * Schema published beside the OpenAPI document (`openapi/call-events.schema.json`).
 */

/**
 * The largest message SQS accepts (1 MiB), and so the largest event. The transcript's own limit
 * (below) binds first for ordinary text.
 */
export const maxEventBytes = 1_048_576;

/**
 * A transcript is stored in one DynamoDB item beside its call; items are capped at 400 KB
 * (409,600 bytes). This leaves room for the item's keys, measured as DynamoDB measures.
 */
export const maxTranscriptBytes = 400_000;

/** The score lives in the call item with the call's other fields. */
export const maxScoreBytes = 32_768;

/** DynamoDB nests lists and maps 32 deep; the transcript's item spends one level on itself. */
const maxNesting = 31;

const isoTime = z.iso.datetime({ offset: true });

const envelope = {
  /** The event's own id: a redelivered or re-sent event with the same id changes nothing. */
  id: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\x21-\x7e]+$/)),
  version: z.literal(1),
  occurredAt: isoTime,
  callId: z.string().check(z.regex(callIdPattern)),
};

/** The ended fields: when the call ran, and why it stopped (`completed`, `rep_hung_up`, `timeout`, `error`, …). */
const endedFields = {
  startedAt: isoTime,
  endedAt: isoTime,
  durationSec: z.int().check(z.gte(0), z.lte(86_400)),
  endReason: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/)),
};

const endedFieldNames = ['startedAt', 'endedAt', 'durationSec', 'endReason'] as const;

const endsAfterItStarts = (event: { startedAt?: string; endedAt?: string }) =>
  event.startedAt === undefined ||
  event.endedAt === undefined ||
  Date.parse(event.endedAt) >= Date.parse(event.startedAt);

export const callEndedEventSchema = z
  .object({ type: z.literal('call.ended'), ...envelope, ...endedFields })
  .check(z.refine(endsAfterItStarts, { message: 'endedAt is before startedAt', path: ['endedAt'] }));

export const callScoredEventSchema = z
  .object({
    type: z.literal('call.scored'),
    ...envelope,
    transcript: transcriptSchema,
    score: scoreSchema,
    scoredAt: isoTime,
    // One event may finish a call: the ended fields ride along, all of them or none.
    startedAt: z.optional(endedFields.startedAt),
    endedAt: z.optional(endedFields.endedAt),
    durationSec: z.optional(endedFields.durationSec),
    endReason: z.optional(endedFields.endReason),
  })
  .check(
    z.refine(endsAfterItStarts, { message: 'endedAt is before startedAt', path: ['endedAt'] }),
    z.superRefine((event, context) => {
      const present = endedFieldNames.filter((name) => event[name] !== undefined);
      if (present.length > 0 && present.length < endedFieldNames.length) {
        context.addIssue({
          code: 'custom',
          message: `carries ${present.join(', ')} without ${endedFieldNames.filter((name) => !present.includes(name)).join(', ')}: give all the ended fields or none`,
          path: [],
          input: event,
        });
      }
      const transcriptBytes = storedSize(event.transcript);
      if (transcriptBytes > maxTranscriptBytes) {
        context.addIssue({
          code: 'custom',
          message: `is ${transcriptBytes.toLocaleString('en-US')} bytes as stored, over the limit of ${maxTranscriptBytes.toLocaleString('en-US')}; it was not truncated`,
          path: ['transcript'],
          input: event.transcript,
        });
      } else if (nestingDepth(event.transcript) > maxNesting) {
        context.addIssue({
          code: 'custom',
          message: `nests deeper than ${maxNesting} levels`,
          path: ['transcript'],
          input: event.transcript,
        });
      }
      const scoreBytes = storedSize(event.score);
      if (scoreBytes > maxScoreBytes || nestingDepth(event.score) > maxNesting) {
        context.addIssue({
          code: 'custom',
          message: `is ${scoreBytes.toLocaleString('en-US')} bytes as stored; the limit is ${maxScoreBytes.toLocaleString('en-US')} and ${maxNesting} levels of nesting`,
          path: ['score'],
          input: event.score,
        });
      }
    }),
  );

export const callEventSchema = z.discriminatedUnion('type', [callEndedEventSchema, callScoredEventSchema]);

export type CallEndedEvent = z.infer<typeof callEndedEventSchema>;
export type CallScoredEvent = z.infer<typeof callScoredEventSchema>;
export type CallEvent = z.infer<typeof callEventSchema>;
export const callEventTypes = ['call.ended', 'call.scored'] as const;

/** When the call ran, as an ended event (or a scored event that carries it) tells. */
export interface CallTiming {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationSec: number;
  readonly endReason: string;
}

export const timingOf = (event: CallEvent): CallTiming | undefined =>
  event.startedAt === undefined ||
  event.endedAt === undefined ||
  event.durationSec === undefined ||
  event.endReason === undefined
    ? undefined
    : {
        startedAt: new Date(event.startedAt).toISOString(),
        endedAt: new Date(event.endedAt).toISOString(),
        durationSec: event.durationSec,
        endReason: event.endReason,
      };

/**
 * A message body as an event, or why it is not one: the reason an operator reads beside a
 * set-aside event, naming each field at fault.
 */
export const parseCallEvent = (body: string): { event: CallEvent } | { reason: string } => {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxEventBytes) return { reason: `the event is ${bytes} bytes, over the limit of ${maxEventBytes}` };
  let candidate: unknown;
  try {
    candidate = JSON.parse(body);
  } catch {
    return { reason: 'the message is not JSON' };
  }
  const parsed = callEventSchema.safeParse(candidate);
  if (parsed.success) return { event: parsed.data };
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'invalid_union' && path === 'type') return `type must be one of ${callEventTypes.join(', ')}`;
    return `${path || 'event'}: ${describeIssue(issue)}`;
  });
  return { reason: `invalid event: ${problems.join('; ')}` };
};

/** zod/mini carries no messages (they would cost the bundle a locale); these say enough. */
const describeIssue = (issue: z.core.$ZodIssue): string => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${issue.expected}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'not in the expected form' : `not a valid ${issue.format}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
    default:
      return issue.message;
  }
};
