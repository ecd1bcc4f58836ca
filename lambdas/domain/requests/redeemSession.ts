import * as z from 'zod/mini';
import { difficulties } from '../drills.js';
import { text } from './text.js';

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
