import { randomInt } from 'node:crypto';
import type { Score, Transcript } from '../domain/records.js';

/**
 * Plausible turns and scores for calls the voice pipeline did not really serve: the simulator, the
 * local seed, demos, benchmarks and tests.
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
