import { parseCallEvent } from '../domain/callEvents.js';
import type { CallLifecycle, Clock, EventSetAside } from '../domain/ports.js';
import { recordCallEvent, type RecordOutcome } from './recordCallEvent.js';

export interface ConsumeCallEventPorts {
  readonly calls: CallLifecycle;
  readonly clock: Clock;
  readonly setAside: EventSetAside;
}

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
}

export type ConsumeOutcome =
  Exclude<RecordOutcome, { result: 'unknownCall' }> | { readonly result: 'setAside'; readonly reason: string };

/**
 * One message of the call-events queue.
 * 1. A message that is not a valid event is set aside with the reason, never retried.
 * 2. A valid one is recorded; an event for a call that does not exist is set aside too.
 * 3. Anything that throws (a DynamoDB fault) leaves the message to be delivered again.
 */
export const consumeCallEvent = async (
  { calls, clock, setAside }: ConsumeCallEventPorts,
  message: QueuedMessage,
): Promise<ConsumeOutcome & { readonly eventId?: string; readonly callId?: string }> => {
  const parsed = parseCallEvent(message.body);
  if ('reason' in parsed) {
    await setAside.setAside(message, parsed.reason);
    return { result: 'setAside', reason: parsed.reason };
  }
  const { id: eventId, callId } = parsed.event;
  const outcome = await recordCallEvent({ calls, clock }, parsed.event);
  if (outcome.result === 'unknownCall') {
    await setAside.setAside(message, outcome.reason);
    return { result: 'setAside', reason: outcome.reason, eventId, callId };
  }
  return { ...outcome, eventId, callId };
};
