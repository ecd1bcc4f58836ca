import * as z from 'zod/mini';
import { difficulties } from '../domain/drills.js';

/**
 * Request shapes of the public API. Unknown keys are dropped (clients may send more than we read),
 * so prototype keys such as `__proto__` never reach the operations.
 */

/** Text we store: bounded, and well-formed UTF-16 (a lone surrogate cannot be stored as UTF-8). */
const text = (maxLength: number) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(maxLength),
    z.refine((value) => value.isWellFormed(), { error: 'must be well-formed Unicode text' }),
  );

export const externalIdMaxLength = 256;

export const mintSessionRequest = z.object({
  externalUserId: text(externalIdMaxLength),
  externalAgencyId: z.optional(text(externalIdMaxLength)),
});
export type MintSessionRequest = z.infer<typeof mintSessionRequest>;

export const redeemSessionRequest = z.object({
  drillKey: text(128),
  difficulty: z._default(z.enum(difficulties), 'Advanced'),
  filters: z.optional(
    z.object({
      state: z.optional(text(64)),
      // Reserved by the contract: accepted, bounded, not applied in v1.
      category: z.optional(text(128)),
    }),
  ),
});
export type RedeemSessionRequest = z.infer<typeof redeemSessionRequest>;

const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-06-01T00:00:00Z' });

export const listCallsQuery = z.object({
  from: dateTime,
  to: z.optional(dateTime),
  source: z.optional(z.enum(['roleplay'])),
  externalUserId: z.optional(text(externalIdMaxLength)),
  externalAgencyId: z.optional(text(externalIdMaxLength)),
  limit: z.optional(z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, { error: 'must be a whole number from 1 to 100' }))),
  cursor: z.optional(text(1_024)),
});
export type ListCallsQueryParameters = z.infer<typeof listCallsQuery>;
