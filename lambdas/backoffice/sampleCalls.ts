import { randomInt } from 'node:crypto';
import { choosePersona, findDrill } from '../domain/drills.js';
import { newCallId, newSessionId } from '../domain/ids.js';
import type { CallRecord, Transcript } from '../domain/records.js';
import { sampleScore, sampleTranscript } from './sampleConversation.js';

/**
 * Scored calls in bulk, for demos, benchmarks and tests.
 */

const demoReps = ['rep_1001', 'rep_1002', 'rep_1003', 'rep_1004', 'rep_1005', 'rep_1006', 'rep_1007', 'rep_1008'];
const demoAgencies = ['agency_north', 'agency_south', 'agency_east'];
const dayMs = 86_400_000;

/** A transcript of about `bytes` bytes of JSON: the sample turns, the last one padded. */
const transcriptOfSize = (personaName: string, bytes: number): Transcript => {
  const transcript = sampleTranscript(personaName, 6);
  const missing = bytes - Buffer.byteLength(JSON.stringify(transcript));
  if (missing > 0)
    transcript.push({
      role: 'agent',
      content: 'Thank you for your time today. '.repeat(Math.ceil(missing / 31)).slice(0, missing),
    });
  return transcript;
};

export interface SampleCallsSpec {
  readonly tenantId: string;
  readonly count: number;
  readonly now: Date;
  /** One rep for all; else spread over eight. */
  readonly externalUserId?: string;
  /** One agency for all; else spread over three. */
  readonly externalAgencyId?: string;
  /** Transcript size in bytes of JSON; omitted, six short turns (about 600 bytes). */
  readonly transcriptBytes?: number;
}

/** Finished calls spread over the past 90 days, as redeem and scoring together would leave them. */
export const sampleScoredCalls = (spec: SampleCallsSpec): (CallRecord & { endedAt: string })[] => {
  const drill = findDrill('ma-full-sale');
  if (!drill) throw new Error('the drill catalog lacks ma-full-sale');
  return Array.from({ length: spec.count }, () => {
    const persona = choosePersona(drill, 'Advanced');
    const durationSec = 120 + randomInt(900);
    const ended = new Date(spec.now.getTime() - randomInt(90 * dayMs));
    const started = new Date(ended.getTime() - durationSec * 1000);
    return {
      callId: newCallId(),
      tenantId: spec.tenantId,
      sessionId: newSessionId(),
      source: 'roleplay' as const,
      externalUserId: spec.externalUserId ?? demoReps[randomInt(demoReps.length)] ?? 'rep_1001',
      externalAgencyId: spec.externalAgencyId ?? demoAgencies[randomInt(demoAgencies.length)] ?? null,
      drillKey: drill.key,
      difficulty: 'Advanced' as const,
      personaName: persona.name,
      status: 'scored' as const,
      createdAt: new Date(started.getTime() - 5_000).toISOString(),
      updatedAt: ended.toISOString(),
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      durationSec,
      scoredAt: ended.toISOString(),
      transcript:
        spec.transcriptBytes === undefined
          ? sampleTranscript(persona.name, 6)
          : transcriptOfSize(persona.name, spec.transcriptBytes),
      score: sampleScore(),
    };
  });
};
