import * as z from 'zod/mini';
import { externalIdMaxLength } from '../limits.js';
import { text } from './text.js';

export const mintSessionRequest = z.object({
  externalUserId: text(externalIdMaxLength),
  externalAgencyId: z.optional(text(externalIdMaxLength)),
});
export type MintSessionRequest = z.infer<typeof mintSessionRequest>;
