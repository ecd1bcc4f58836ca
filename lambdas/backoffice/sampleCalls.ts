import { randomInt } from 'node:crypto';
import { choosePersona, findDrill } from '../domain/drills.js';
import { newCallId, newSessionId } from '../domain/ids.js';
import type { CallRecord, Score, Transcript } from '../domain/records.js';

/**
 * Plausible transcripts and scores for calls the voice pipeline did not really score: demos, the
 * local seed, benchmarks and tests.
 */

const agentLines = [
  'Hi, this is Sam with Athos Health. Am I speaking with {name}?',
  'I am calling about your Medicare Advantage options for next year. Do you have a few minutes?',
  'Can you tell me which doctors you see regularly, so we can check they are in network?',
  'And which prescriptions do you take today?',
  'Based on that, there is a plan with a $0 premium that keeps both of your doctors.',
  'It also includes dental and vision, which your current plan does not.',
  'Would you like me to walk you through the enrollment steps?',
];
const prospectLines = [
  'Yes, this is {name}. Who is calling?',
  'I suppose so, but I am happy with what I have.',
  'Mostly Dr. Patel, and a cardiologist at the county hospital.',
  'Just a blood pressure pill and a statin.',
  'What is the catch with a $0 premium?',
  'Dental would be nice. My teeth have been bothering me.',
  'Let me think about it, but go ahead and tell me.',
];

export const sampleTranscript = (personaName: string, turns = 14): Transcript => {
  const transcript: Transcript = [];
  for (let i = 0; i < turns; i++) {
    const lines = i % 2 === 0 ? agentLines : prospectLines;
    const line = lines[Math.floor(i / 2) % lines.length] ?? '';
    transcript.push({ role: i % 2 === 0 ? 'agent' : 'prospect', content: line.replace('{name}', personaName) });
  }
  return transcript;
};

const summaries = [
  'Prospect asked about Medicare options; the agent built rapport but rushed the close.',
  'Agent confirmed doctors and prescriptions before presenting a plan; strong discovery.',
  'Prospect raised a premium objection that the agent answered with plan specifics.',
];
const feedbacks = [
  'Lead with a clear greeting and one discovery question; slow down before presenting the plan.',
  'Confirm the prospect understands the enrollment period before asking for the commitment.',
  'Name the plan benefits that match what the prospect said they need.',
];

export const sampleScore = (): Score => ({
  overallScore: 55 + randomInt(45),
  summary: summaries[randomInt(summaries.length)] ?? '',
  feedback: feedbacks[randomInt(feedbacks.length)] ?? '',
});

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
