import { parseCallEvent } from '../domain/callEvents.js';
import type { EventSetAside } from '../domain/ports.js';
import { recordCallEvent, type RecordCallEventPorts, type RecordOutcome } from './recordCallEvent.js';

export interface ConsumeCallEventPorts extends RecordCallEventPorts {
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
  ports: ConsumeCallEventPorts,
  message: QueuedMessage,
): Promise<ConsumeOutcome & { readonly eventId?: string; readonly callId?: string }> => {
  const parsed = parseCallEvent(message.body);
  if ('reason' in parsed) {
    await setAside(ports, message, parsed.reason);
    return { result: 'setAside', reason: parsed.reason };
  }
  const { id: eventId, callId } = parsed.event;
  const outcome = await recordCallEvent(ports, parsed.event);
  if (outcome.result === 'unknownCall') {
    await setAside(ports, message, outcome.reason);
    return { result: 'setAside', reason: outcome.reason, eventId, callId };
  }
  return { ...outcome, eventId, callId };
};

const setAside = async (ports: ConsumeCallEventPorts, message: QueuedMessage, reason: string) => {
  await ports.setAside.setAside(message, reason);
  ports.metrics.eventSetAside();
};
