import type { CallEndedEvent, CallScoredEvent } from '../domain/callEvents.js';
import type { EventQueue } from '../domain/ports.js';
import type { CallRecord } from '../domain/records.js';
import type { ApiMode } from '../domain/testMode.js';
import { sampleScore, sampleTranscript } from './sampleCalls.js';

export interface SimulatorSettings {
  /** How long a simulated call lasts: `call.ended` is sent this long after the redeem. */
  readonly callSeconds: number;
  /** Which calls to play: test-mode ones in AWS, all of them under `npm start`. */
  readonly modes: readonly ApiMode[];
}

/** SQS delays a message at most 15 minutes; the score follows the end, so the call stays below. */
export const maxSimulatedCallSeconds = 600;

const turns = 8;

/** Scoring takes a moment after the end: a third of the call, between 1 and 15 seconds. */
const scoringSecondsFor = (callSeconds: number) => Math.min(15, Math.max(1, Math.round(callSeconds / 3)));

const isoAfter = (start: string, ms: number) => new Date(Date.parse(start) + ms).toISOString();

/**
 * What the voice pipeline would report about a redeemed call, compressed into `callSeconds`: the
 * persona of the redeem talking with the rep, turn by turn across the call, then a score. Event ids
 * come from the call id, so playing the same call twice sends duplicates, which change nothing.
 */
export const simulatedEvents = (
  call: Pick<CallRecord, 'callId' | 'personaName' | 'createdAt'>,
  callSeconds: number,
): { ended: CallEndedEvent; scored: CallScoredEvent; scoringSeconds: number } => {
  const durationMs = callSeconds * 1000;
  const startedAt = call.createdAt;
  const endedAt = isoAfter(startedAt, durationMs);
  const scoringSeconds = scoringSecondsFor(callSeconds);
  const scoredAt = isoAfter(endedAt, scoringSeconds * 1000);
  const ended: CallEndedEvent = {
    type: 'call.ended',
    id: `evt_sim_${call.callId}_ended`,
    version: 1,
    occurredAt: endedAt,
    callId: call.callId,
    startedAt,
    endedAt,
    durationSec: callSeconds,
    endReason: 'completed',
  };
  const transcript = sampleTranscript(call.personaName, turns).map((turn, i) => ({
    ...turn,
    startMs: Math.round((i * durationMs) / turns),
    endMs: Math.round(((i + 1) * durationMs) / turns),
  }));
  const scored: CallScoredEvent = {
    type: 'call.scored',
    id: `evt_sim_${call.callId}_scored`,
    version: 1,
    occurredAt: scoredAt,
    callId: call.callId,
    transcript,
    score: { ...sampleScore(), simulated: true },
    scoredAt,
  };
  return { ended, scored, scoringSeconds };
};

/** Whether the simulator plays this call: only the modes it is set for, and only a fresh redeem. */
export const shouldSimulate = (call: Pick<CallRecord, 'status' | 'mode'>, settings: SimulatorSettings): boolean =>
  call.status === 'redeemed' && settings.modes.includes(call.mode ?? 'live');

/**
 * Plays the voice pipeline for a redeemed call through the same queue the real pipeline uses:
 * `call.ended` after the call's length, `call.scored` a little later.
 */
export const simulateCall = async (
  { queue, settings }: { queue: EventQueue; settings: SimulatorSettings },
  call: CallRecord,
): Promise<boolean> => {
  if (!shouldSimulate(call, settings)) return false;
  const callSeconds = Math.min(settings.callSeconds, maxSimulatedCallSeconds);
  const { ended, scored, scoringSeconds } = simulatedEvents(call, callSeconds);
  await queue.send([
    { body: JSON.stringify(ended), delaySeconds: callSeconds },
    { body: JSON.stringify(scored), delaySeconds: callSeconds + scoringSeconds },
  ]);
  return true;
};
