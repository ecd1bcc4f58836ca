import * as z from 'zod/mini';
import { callSources } from '../../domain/callSources.js';
import { externalIdMaxLength, text } from './text.js';

const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-06-01T00:00:00Z' });

export const listCallsQuery = z.object({
  from: dateTime,
  to: z.optional(dateTime),
  source: z.optional(z.enum(callSources)),
  externalUserId: z.optional(text(externalIdMaxLength)),
  externalAgencyId: z.optional(text(externalIdMaxLength)),
  // The contract's page size: 1 to 100, 50 when not given.
  limit: z._default(
    z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, { error: 'must be a whole number from 1 to 100' })),
    '50',
  ),
  cursor: z.optional(text(1_024)),
});
export type ListCallsQueryParameters = z.infer<typeof listCallsQuery>;
