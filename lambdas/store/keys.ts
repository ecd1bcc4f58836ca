/** Key builders: every item's address, with its entity prefix, is written here and nowhere else. */

/** Partition key prefixes; IAM conditions (`dynamodb:LeadingKeys`) name them too. */
export const entityPrefixes = { tenant: 'TENANT#', apiKey: 'APIKEY#', tokenUse: 'JTI#', call: 'CALL#' } as const;

export const tenantKey = (tenantId: string) => ({ pk: `${entityPrefixes.tenant}${tenantId}`, sk: 'TENANT' });

export const quotaKey = (tenantId: string, month: string) => ({
  pk: `${entityPrefixes.tenant}${tenantId}`,
  sk: `QUOTA#${month}`,
});

export const apiKeyKey = (keyHash: string) => ({ pk: `${entityPrefixes.apiKey}${keyHash}`, sk: 'APIKEY' });

export const tokenUseKey = (jti: string) => ({ pk: `${entityPrefixes.tokenUse}${jti}`, sk: 'JTI' });

export const callKey = (callId: string) => ({ pk: `${entityPrefixes.call}${callId}`, sk: 'CALL' });

/**
 * A scored call's transcript lives beside the call, not in it: the call item stays small on every
 * path (list indexes, scoring), and only the detail reads the transcript, in the same Query.
 */
export const callTranscriptKey = (callId: string) => ({ pk: `${entityPrefixes.call}${callId}`, sk: 'TRANSCRIPT' });

export const listPartitions = {
  tenant: (tenantId: string) => `${entityPrefixes.tenant}${tenantId}`,
  user: (tenantId: string, externalUserId: string) => `${entityPrefixes.tenant}${tenantId}#USER#${externalUserId}`,
  agency: (tenantId: string, externalAgencyId: string) =>
    `${entityPrefixes.tenant}${tenantId}#AGENCY#${externalAgencyId}`,
};

/** `<endedAt>#<callId>`: newest first when read backwards; the id breaks ties between equal times. */
export const listSortKey = (endedAt: string, callId: string) => `${endedAt}#${callId}`;

/** The table's addressing attributes on a call item, which records never carry. */
export const callKeyAttributes = ['pk', 'sk', 'tenantListPk', 'userListPk', 'agencyListPk', 'listSk'] as const;

/** The keys that put a scored call on the list indexes (no agency, no agency index). */
export const listIndexKeys = (call: {
  callId: string;
  tenantId: string;
  externalUserId: string;
  externalAgencyId: string | null;
  endedAt: string;
}) => ({
  tenantListPk: listPartitions.tenant(call.tenantId),
  userListPk: listPartitions.user(call.tenantId, call.externalUserId),
  ...(call.externalAgencyId === null
    ? {}
    : { agencyListPk: listPartitions.agency(call.tenantId, call.externalAgencyId) }),
  listSk: listSortKey(call.endedAt, call.callId),
});

/** Every tenant has an entry here, so operators list tenants with a Query rather than a Scan. */
export const tenantRegistryKey = (tenantId: string) => ({ pk: 'TENANTS', sk: `${entityPrefixes.tenant}${tenantId}` });

/** Newest last when read forwards; the suffix keeps two changes in one millisecond apart. */
export const auditKey = (tenantId: string, at: string, suffix: string) => ({
  pk: `${entityPrefixes.tenant}${tenantId}`,
  sk: `AUDIT#${at}#${suffix}`,
});

/** The tenant's own pointer to each of its keys, so keys can be listed and revoked by id. */
export const tenantApiKeyKey = (tenantId: string, keyId: string) => ({
  pk: `${entityPrefixes.tenant}${tenantId}`,
  sk: `KEY#${keyId}`,
});
