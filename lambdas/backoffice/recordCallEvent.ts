import type { CallEvent } from '../domain/callEvents.js';
import { nextStep, statusAfter, type CallStep } from '../domain/callLifecycle.js';
import type { BusinessMetrics, CallLifecycle, Clock } from '../domain/ports.js';
import type { CallStatus } from '../domain/records.js';

export type RecordOutcome =
  | { readonly result: 'recorded'; readonly status: CallStatus }
  | { readonly result: 'unchanged'; readonly why: Extract<CallStep, { kind: 'none' }>['outcome'] }
  | { readonly result: 'unknownCall'; readonly reason: string };

export interface RecordCallEventPorts {
  readonly calls: CallLifecycle;
  readonly clock: Clock;
  /** Counts each call scored: it is now on the list routes. */
  readonly metrics: BusinessMetrics;
}

/** A call changed under us this often in a row is contended; the message is retried later. */
const maxAttempts = 3;

/**
 * Records one pipeline event: what the queue consumer does with each message, and what
 * `athos-admin call complete` does with an operator's report.
 * 1. Read the call's state (consistently); no such call is `unknownCall`.
 * 2. Decide the step (`domain/callLifecycle.ts`): duplicates and late events change nothing.
 * 3. Write it on condition that the call is as read and the event new; if the call changed in
 *    between, decide again from the call as it now is.
 * @throws on a DynamoDB fault, or a call that keeps changing: the event is to be retried
 */
export const recordCallEvent = async (
  { calls, clock, metrics }: RecordCallEventPorts,
  event: CallEvent,
): Promise<RecordOutcome> => {
  let call = await calls.findProgress(event.callId);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (!call) return { result: 'unknownCall', reason: `no call has the id ${event.callId}` };
    const step = nextStep(call, event);
    if (step.kind === 'none') return { result: 'unchanged', why: step.outcome };
    const applied = await calls.applyStep(call, step, event, clock.now().toISOString());
    if (applied === 'applied') {
      const status = statusAfter[step.kind];
      if (status === 'scored') metrics.callScored();
      return { result: 'recorded', status };
    }
    call = applied.changed;
  }
  throw new Error(`call ${event.callId} changed under ${maxAttempts} attempts in a row`);
};
