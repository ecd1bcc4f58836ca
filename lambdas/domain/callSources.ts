/**
 * Where a call comes from: the contract's `CallSource`. v1 has roleplay only; `ingestion` (scored
 * production calls) is announced, and adding it here is all the list path needs, because every
 * list index is partitioned by source and a list without a source filter reads each one.
 */
export const callSources = ['roleplay'] as const;
export type CallSource = (typeof callSources)[number];
