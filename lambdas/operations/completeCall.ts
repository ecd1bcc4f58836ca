import { recordCallEvent } from '../backoffice/recordCallEvent.js';
import { callScoredEventSchema } from '../domain/callEvents.js';
import { AthosError } from '../domain/errors.js';
import type { CallLifecycle, Clock } from '../domain/ports.js';
import { randomBase64Url } from '../domain/random.js';
import { scoredCallReportSchema } from '../domain/records.js';

const invalidReport = (fields: readonly string[]) =>
  new AthosError('INVALID_REQUEST', `Scored call report is invalid: check ${fields.join(', ')}`);

/**
 * Internal (an operator's stand-in for the voice pipeline, not a public route): records a redeemed
 * call as ended and scored, which puts it on the list indexes. It is the pipeline's own path: the
 * report becomes a `call.scored` event carrying the ended fields, recorded as the queue consumer
 * records events.
 * 1. Check the report against its schema, and the event against the events contract (its size
 *    limits included); an end before the start is refused.
 * 2. Record it; a call that is not redeemed and unscored is refused.
 * @throws AthosError INVALID_REQUEST for a bad report, CALL_NOT_FOUND for no such redeemed call
 */
export const completeCall = async ({ calls, clock }: { calls: CallLifecycle; clock: Clock }, report: unknown) => {
  const parsed = scoredCallReportSchema.safeParse(report);
  if (!parsed.success) {
    throw invalidReport([...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'report'))]);
  }
  const startedAt = new Date(parsed.data.startedAt);
  const endedAt = new Date(parsed.data.endedAt);
  if (endedAt < startedAt) throw new AthosError('INVALID_REQUEST', 'endedAt must not be before startedAt');

  const now = clock.now().toISOString();
  const event = callScoredEventSchema.safeParse({
    type: 'call.scored',
    id: `evt_admin_${randomBase64Url(16)}`,
    version: 1,
    occurredAt: now,
    callId: parsed.data.callId,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationSec: Math.round((endedAt.getTime() - startedAt.getTime()) / 1000),
    endReason: 'completed',
    transcript: parsed.data.transcript,
    score: parsed.data.score,
    scoredAt: now,
  });
  if (!event.success)
    throw invalidReport([...new Set(event.error.issues.map((issue) => issue.path.join('.') || 'report'))]);

  const outcome = await recordCallEvent({ calls, clock }, event.data);
  if (outcome.result !== 'recorded' || outcome.status !== 'scored') {
    throw new AthosError('CALL_NOT_FOUND', 'No redeemed, unscored call has this id');
  }
};
