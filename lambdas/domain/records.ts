import * as z from 'zod/mini';
import type { CallSource } from './callSources.js';
import { difficulties } from './drills.js';
import { AthosError } from './errors.js';

/**
 * The shapes this service stores and returns. The zod schemas are the single source: they check
 * input from outside (the scoring pipeline, operator files) and give the TypeScript types.
 */

/** Diarized turns. The contract says to treat turns loosely, so extra keys are kept. */
export const transcriptSchema = z.array(
  z.looseObject({
    role: z.string().check(z.minLength(1), z.maxLength(64)),
    content: z.string().check(z.maxLength(100_000)),
  }),
);
export type Transcript = z.infer<typeof transcriptSchema>;

/** Richer scoring will add keys; those pass through untouched. */
export const scoreSchema = z.looseObject({
  overallScore: z.number().check(z.gte(0), z.lte(100)),
  summary: z.string(),
  feedback: z.string(),
});
export type Score = z.infer<typeof scoreSchema>;

/**
 * `redeemed` → `ended` → `scored`, as the pipeline's events arrive; a score that arrives before the
 * call's end is held (`awaitingEnd`) until the end is known. Only `scored` calls are ever shown.
 */
export const callStatuses = ['redeemed', 'ended', 'awaitingEnd', 'scored'] as const;
export type CallStatus = (typeof callStatuses)[number];

export interface CallRecord {
  readonly callId: string;
  readonly tenantId: string;
  readonly sessionId: string;
  readonly source: CallSource;
  readonly externalUserId: string;
  readonly externalAgencyId: string | null;
  readonly drillKey: string;
  readonly difficulty: (typeof difficulties)[number];
  readonly personaName: string;
  readonly status: CallStatus;
  /** Present on test-mode calls only (their tenant is a test twin); live call items are unchanged. */
  readonly mode?: 'test';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly durationSec?: number;
  readonly endReason?: string;
  readonly scoredAt?: string;
  readonly transcript?: Transcript;
  readonly score?: Score;
}

/** What a list row carries: no transcript, no score (the contract's `SlimCall`). */
export type SlimCallRecord = Pick<
  CallRecord,
  | 'callId'
  | 'source'
  | 'externalUserId'
  | 'externalAgencyId'
  | 'drillKey'
  | 'startedAt'
  | 'endedAt'
  | 'durationSec'
  | 'scoredAt'
>;

export interface TenantRecord {
  readonly tenantId: string;
  readonly name: string;
  readonly status: 'active' | 'inactive';
  /** CIDRs the tenant's servers call from; empty admits any address. */
  readonly allowedCidrs: readonly string[];
  /** Sessions a tenant may mint per calendar month (UTC); null is no cap. */
  readonly monthlySessionQuota: number | null;
  /** The same for its test-mode keys; absent is the default (see `testMode.ts`). */
  readonly testMonthlySessionQuota?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly tenantId: string;
  readonly keyHash: string;
  /** Present on test-mode keys only (`ath_test_…`). */
  readonly mode?: 'test';
  readonly displayPrefix: string;
  readonly label: string | null;
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
  /** Set when a key is rotated: it keeps working until then (the overlap), and is revoked after. */
  readonly expiresAt: string | null;
  /** When the key last minted a session, to within 15 minutes; absent if it never has. */
  readonly lastUsedAt?: string;
  readonly revokedAt?: string;
}

/** Who changed what about a tenant or its keys, and when: kept for as long as the tenant. */
export interface AuditRecord {
  readonly at: string;
  readonly actor: string;
  readonly action:
    | 'tenant.create'
    | 'tenant.update'
    | 'tenant.deactivate'
    | 'tenant.activate'
    | 'key.create'
    | 'key.revoke'
    | 'key.rotate'
    | 'webhook.add'
    | 'webhook.disable'
    | 'webhook.enable'
    | 'webhook.rotate-secret'
    | 'webhook.replay';
  readonly details: Record<string, unknown>;
}

/** What the scoring pipeline reports when a redeemed call has ended and been scored. */
export const scoredCallReportSchema = z.object({
  callId: z.string(),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }),
  transcript: transcriptSchema,
  score: scoreSchema,
});
export type ScoredCallReport = z.infer<typeof scoredCallReportSchema>;

/**
 * A report from outside (the pipeline, an operator's files), checked where it arrives.
 * @throws AthosError INVALID_REQUEST naming the fields to check, or an end before the start
 */
export const parseScoredCallReport = (value: unknown): ScoredCallReport => {
  const parsed = scoredCallReportSchema.safeParse(value);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'report'))];
    throw new AthosError('INVALID_REQUEST', `Scored call report is invalid: check ${fields.join(', ')}`);
  }
  if (Date.parse(parsed.data.endedAt) < Date.parse(parsed.data.startedAt)) {
    throw new AthosError('INVALID_REQUEST', 'endedAt must not be before startedAt');
  }
  return parsed.data;
};
