import { callScoredEventSchema } from '../domain/callEvents.js';
import { AthosError } from '../domain/errors.js';
import { randomBase64Url } from '../domain/random.js';
import type { ScoredCallReport } from '../domain/records.js';
import { recordCallEvent, type RecordCallEventPorts } from './recordCallEvent.js';

/**
 * Internal (an operator's stand-in for the voice pipeline, not a public route): records a redeemed
 * call as ended and scored, which puts it on the list indexes. It is the pipeline's own path: the
 * report (checked where it arrived, `parseScoredCallReport`) becomes a `call.scored` event carrying
 * the ended fields, recorded as the queue consumer records events.
 * 1. Build the event; the events contract's limits (transcript and score size) apply.
 * 2. Record it; a call that is not redeemed and unscored is refused.
 * @throws AthosError INVALID_REQUEST past the contract's limits, CALL_NOT_FOUND for no such redeemed call
 */
export const completeCall = async (ports: RecordCallEventPorts, report: ScoredCallReport) => {
  const startedAt = new Date(report.startedAt);
  const endedAt = new Date(report.endedAt);
  const now = ports.clock.now().toISOString();
  const event = callScoredEventSchema.safeParse({
    type: 'call.scored',
    id: `evt_admin_${randomBase64Url(16)}`,
    version: 1,
    occurredAt: now,
    callId: report.callId,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationSec: Math.round((endedAt.getTime() - startedAt.getTime()) / 1000),
    endReason: 'completed',
    transcript: report.transcript,
    score: report.score,
    scoredAt: now,
  });
  if (!event.success) {
    const fields = [...new Set(event.error.issues.map((issue) => issue.path.join('.') || 'report'))];
    throw new AthosError('INVALID_REQUEST', `Scored call report is invalid: check ${fields.join(', ')}`);
  }
  const outcome = await recordCallEvent(ports, event.data);
  if (outcome.result !== 'recorded' || outcome.status !== 'scored') {
    throw new AthosError('CALL_NOT_FOUND', 'No redeemed, unscored call has this id');
  }
};
