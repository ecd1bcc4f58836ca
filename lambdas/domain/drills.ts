import { pickOne } from './random.js';

export const difficulties = ['Beginner', 'Advanced', 'Elite'] as const;
export type Difficulty = (typeof difficulties)[number];

export interface Persona {
  readonly name: string;
  /** Two-letter US state code the persona lives in. */
  readonly state: string;
  readonly difficulty: Difficulty;
}

export interface Drill {
  readonly key: string;
  readonly title: string;
  readonly personas: readonly Persona[];
}

const maFullSale: Drill = {
  key: 'ma-full-sale',
  title: 'Medicare Advantage — full enrollment',
  personas: [
    { name: 'Dorothy Miller', state: 'FL', difficulty: 'Beginner' },
    { name: 'Harold Jenkins', state: 'TX', difficulty: 'Beginner' },
    { name: 'Linda Nguyen', state: 'CA', difficulty: 'Beginner' },
    { name: 'Walter Brooks', state: 'OH', difficulty: 'Beginner' },
    { name: 'Margaret Chen', state: 'CA', difficulty: 'Advanced' },
    { name: 'Frank Russo', state: 'NY', difficulty: 'Advanced' },
    { name: 'Gloria Alvarez', state: 'FL', difficulty: 'Advanced' },
    { name: 'Earl Thompson', state: 'GA', difficulty: 'Advanced' },
    { name: 'Raymond Price', state: 'TX', difficulty: 'Elite' },
    { name: 'Beverly Kowalski', state: 'IL', difficulty: 'Elite' },
    { name: 'Samuel Okafor', state: 'NY', difficulty: 'Elite' },
    { name: 'Patricia Dunn', state: 'AZ', difficulty: 'Elite' },
  ],
};

const catalog: ReadonlyMap<string, Drill> = new Map([[maFullSale.key, maFullSale]]);

export const findDrill = (key: string): Drill | undefined => catalog.get(key);

/**
 * A persona of the asked difficulty, from the asked state where the drill has one there; otherwise
 * from any state (the contract's "best-effort filter with an internal fallback").
 */
export const choosePersona = (drill: Drill, difficulty: Difficulty, state?: string): Persona => {
  const ofDifficulty = drill.personas.filter((persona) => persona.difficulty === difficulty);
  const wanted = state?.trim().toUpperCase();
  const inState = wanted ? ofDifficulty.filter((persona) => persona.state === wanted) : [];
  return pickOne(inState.length > 0 ? inState : ofDifficulty);
};
