/** Limits on what callers send, each stated once: the request schemas and the token checks read them here. */

/** A reseller's own ids for its reps and agencies (`externalUserId`, `externalAgencyId`). */
export const externalIdMaxLength = 256;

/** Longer than any list cursor we issue, by a wide margin; a longer one is refused unread. */
export const cursorMaxLength = 1_024;
