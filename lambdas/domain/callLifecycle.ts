import { timingOf, type CallEvent, type CallTiming } from './callEvents.js';
import type { CallRecord, CallStatus, Score, Transcript } from './records.js';

/**
 * What an event does to a call, decided from the call as it is: the rules that make events
 * idempotent and order-tolerant, with no I/O.
 */

/** The call as the event recorder sees it: its state, who it belongs to, and the events applied. */
export interface CallProgress extends Pick<
  CallRecord,
  'callId' | 'tenantId' | 'externalUserId' | 'externalAgencyId' | 'status' | 'mode'
> {
  readonly timing?: CallTiming;
  /** Ids of the events that changed the call (at most one per step). */
  readonly eventIds: readonly string[];
}

export interface ScoreFacts {
  readonly score: Score;
  readonly scoredAt: string;
  readonly transcript: Transcript;
}

export type CallStep =
  /** redeemed → ended */
  | { readonly kind: 'end'; readonly timing: CallTiming }
  /** redeemed → awaitingEnd: the score came first and waits for the end. */
  | { readonly kind: 'holdScore'; readonly scored: ScoreFacts }
  /** → scored: the call's end and score are both known. `scored` is absent when it was held. */
  | { readonly kind: 'score'; readonly timing: CallTiming; readonly scored?: ScoreFacts }
  /** Nothing to change: said why, for logs and for `call complete`. */
  | { readonly kind: 'none'; readonly outcome: 'duplicate' | 'alreadyEnded' | 'alreadyScored' | 'scoreAlreadyHeld' };

const scoreFactsOf = (event: CallEvent & { type: 'call.scored' }): ScoreFacts => ({
  score: event.score,
  scoredAt: new Date(event.scoredAt).toISOString(),
  transcript: event.transcript,
});

/**
 * 1. An event already applied (same id) changes nothing, whatever the call's state.
 * 2. A scored call is final: a late `ended`, or another score, changes nothing.
 * 3. `ended` ends a redeemed call, or completes one whose score was held.
 * 4. `scored` completes an ended call (the recorded end stands), completes a redeemed call when it
 *    carries the ended fields, and otherwise is held until the end arrives. The first score stands:
 *    a second one may still finish a held call with the ended fields it carries.
 */
export const nextStep = (call: CallProgress, event: CallEvent): CallStep => {
  if (call.eventIds.includes(event.id)) return { kind: 'none', outcome: 'duplicate' };
  if (call.status === 'scored') return { kind: 'none', outcome: 'alreadyScored' };

  if (event.type === 'call.ended') {
    const timing = timingOf(event) as CallTiming;
    if (call.status === 'redeemed') return { kind: 'end', timing };
    if (call.status === 'awaitingEnd') return { kind: 'score', timing };
    return { kind: 'none', outcome: 'alreadyEnded' };
  }

  const timing = call.timing ?? timingOf(event);
  if (call.status === 'awaitingEnd') {
    return timing ? { kind: 'score', timing } : { kind: 'none', outcome: 'scoreAlreadyHeld' };
  }
  const scored = scoreFactsOf(event);
  return timing ? { kind: 'score', timing, scored } : { kind: 'holdScore', scored };
};

/** The status each step leaves the call in. */
export const statusAfter: Record<Exclude<CallStep['kind'], 'none'>, CallStatus> = {
  end: 'ended',
  holdScore: 'awaitingEnd',
  score: 'scored',
};
