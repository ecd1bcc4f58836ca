/**
 * The single table, described once: the CDK stack, the local server and the tests all build the
 * table from this, so they cannot disagree about keys, indexes or projections.
 */

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** The fields a list row needs (the contract's `SlimCall`); nothing else enters the list indexes. */
export const slimCallAttributes = [
  'callId',
  'source',
  'externalUserId',
  'externalAgencyId',
  'drillKey',
  'startedAt',
  'endedAt',
  'durationSec',
  'scoredAt',
] as const;

/**
 * Sparse indexes: a call gets these keys only when it is scored, so unscored calls never show in a
 * list, and the list never reads a transcript. One index per combination of the rep and agency
 * filters, each partitioned by tenant and source (`keys.ts`), so every filter the contract allows
 * is answered by a key and a page reads only its own rows. All sort by `<endedAt>#<callId>`, which
 * answers `from` and `to`.
 */
export const callIndexes = {
  byTenant: { indexName: 'callsByTenant', partitionKey: 'tenantListPk', sortKey: 'listSk' },
  byUser: { indexName: 'callsByUser', partitionKey: 'userListPk', sortKey: 'listSk' },
  byAgency: { indexName: 'callsByAgency', partitionKey: 'agencyListPk', sortKey: 'listSk' },
  byUserAndAgency: { indexName: 'callsByUserAndAgency', partitionKey: 'userAgencyListPk', sortKey: 'listSk' },
} as const satisfies Record<string, IndexDefinition>;

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds. Only cleans up (days late): expiry is always decided in code. */
  timeToLiveAttribute: 'expiresAtEpoch',
  /** The stream carries new outbox items to the webhook fan-out (`store/webhooks/outbox.ts`). */
  streamView: 'NEW_IMAGE',
  indexes: Object.values(callIndexes),
  indexProjection: slimCallAttributes,
} as const;
