import { AthosError } from '../domain/errors.js';
import type { CallScoring, Clock } from '../domain/ports.js';
import type { ScoredCallReport } from '../domain/records.js';

/**
 * Internal (the voice pipeline's step, not a public route): records a redeemed call as ended and
 * scored, which puts it on the list indexes. The report was checked where it arrived
 * (`parseScoredCallReport`).
 * 1. Normalise the times to UTC and derive the duration.
 * 2. Write it, on condition that the call is redeemed and not yet scored.
 * @throws AthosError CALL_NOT_FOUND for no such redeemed, unscored call
 */
export const completeCall = async (
  { calls, clock }: { calls: CallScoring; clock: Clock },
  report: ScoredCallReport,
) => {
  const startedAt = new Date(report.startedAt);
  const endedAt = new Date(report.endedAt);
  const outcome = await calls.recordScored({
    callId: report.callId,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationSec: Math.round((endedAt.getTime() - startedAt.getTime()) / 1000),
    scoredAt: clock.now().toISOString(),
    transcript: report.transcript,
    score: report.score,
  });
  if (outcome === 'not-redeemed') throw new AthosError('CALL_NOT_FOUND', 'No redeemed, unscored call has this id');
};
