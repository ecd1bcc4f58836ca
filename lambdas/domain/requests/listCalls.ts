import * as z from 'zod/mini';
import { callSources } from '../callSources.js';
import { cursorMaxLength, externalIdMaxLength } from '../limits.js';
import { text } from './text.js';

const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-06-01T00:00:00Z' });

/** The query string of GET /calls: every value arrives as text, and leaves as the operation takes it. */
export const listCallsRequest = z.object({
  from: dateTime,
  to: z.optional(dateTime),
  source: z.optional(z.enum(callSources)),
  externalUserId: z.optional(text(externalIdMaxLength)),
  externalAgencyId: z.optional(text(externalIdMaxLength)),
  // The contract's page size: 1 to 100, 50 when not given.
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, { error: 'must be a whole number from 1 to 100' })),
      z.transform(Number),
    ),
    50,
  ),
  cursor: z.optional(text(cursorMaxLength)),
});
export type ListCallsRequest = z.infer<typeof listCallsRequest>;
