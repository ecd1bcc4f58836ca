import { AthosError } from '../domain/errors.js';
import type { CallScoring, Clock } from '../domain/ports.js';
import { scoredCallReportSchema } from '../domain/records.js';

/**
 * Internal (the voice pipeline's step, not a public route): records a redeemed call as ended and
 * scored, which puts it on the list indexes.
 * 1. Check the report against its schema; an end before the start is refused.
 * 2. Write it, on condition that the call is redeemed and not yet scored.
 * @throws AthosError INVALID_REQUEST for a bad report, CALL_NOT_FOUND for no such redeemed call
 */
export const completeCall = async ({ calls, clock }: { calls: CallScoring; clock: Clock }, report: unknown) => {
  const parsed = scoredCallReportSchema.safeParse(report);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'report'))];
    throw new AthosError('INVALID_REQUEST', `Scored call report is invalid: check ${fields.join(', ')}`);
  }
  const startedAt = new Date(parsed.data.startedAt);
  const endedAt = new Date(parsed.data.endedAt);
  if (endedAt < startedAt) throw new AthosError('INVALID_REQUEST', 'endedAt must not be before startedAt');

  const outcome = await calls.recordScored({
    callId: parsed.data.callId,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationSec: Math.round((endedAt.getTime() - startedAt.getTime()) / 1000),
    scoredAt: clock.now().toISOString(),
    transcript: parsed.data.transcript,
    score: parsed.data.score,
  });
  if (outcome === 'not-redeemed') throw new AthosError('CALL_NOT_FOUND', 'No redeemed, unscored call has this id');
};
