import type { CallSource } from '../domain/callSources.js';

/** Key builders: every item's address, with its entity prefix, is written here and nowhere else. */

/** Partition key prefixes; IAM conditions (`dynamodb:LeadingKeys`) name them too. */
export const entityPrefixes = {
  tenant: 'TENANT#',
  apiKey: 'APIKEY#',
  tokenUse: 'JTI#',
  call: 'CALL#',
  webhooks: 'WEBHOOKS#',
  deliveries: 'DELIVERIES#',
  outbox: 'OUTBOX#',
} as const;

export const tenantKey = (tenantId: string) => ({ pk: `${entityPrefixes.tenant}${tenantId}`, sk: 'TENANT' });

export const quotaKey = (tenantId: string, month: string) => ({
  pk: `${entityPrefixes.tenant}${tenantId}`,
  sk: `QUOTA#${month}`,
});

export const apiKeyKey = (keyHash: string) => ({ pk: `${entityPrefixes.apiKey}${keyHash}`, sk: 'APIKEY' });

export const tokenUseKey = (jti: string) => ({ pk: `${entityPrefixes.tokenUse}${jti}`, sk: 'JTI' });

export const callKey = (callId: string) => ({ pk: `${entityPrefixes.call}${callId}`, sk: 'CALL' });

/**
 * A scored call's transcript lives beside the call, not in it, and its key names the tenant that
 * owns the call: the detail reads both keys at once, and a caller from another tenant asks for a
 * key that does not exist, so a foreign id never costs the transcript's read.
 */
export const callTranscriptKey = (callId: string, tenantId: string) => ({
  pk: `${entityPrefixes.call}${callId}`,
  sk: `TRANSCRIPT#${tenantId}`,
});

/**
 * The list partitions, one per combination of filters, each within one tenant and one source. A
 * rep or agency id is any text, so where both meet the rep's id is length-prefixed: `a#AGENCY#b`
 * with `c` and `a` with `b#AGENCY#c` stay apart.
 */
const sourcePartition = (tenantId: string, source: CallSource) =>
  `${entityPrefixes.tenant}${tenantId}#SOURCE#${source}`;
export const listPartitions = {
  tenant: sourcePartition,
  user: (tenantId: string, source: CallSource, externalUserId: string) =>
    `${sourcePartition(tenantId, source)}#USER#${externalUserId}`,
  agency: (tenantId: string, source: CallSource, externalAgencyId: string) =>
    `${sourcePartition(tenantId, source)}#AGENCY#${externalAgencyId}`,
  userAndAgency: (tenantId: string, source: CallSource, externalUserId: string, externalAgencyId: string) =>
    `${sourcePartition(tenantId, source)}#USER#${externalUserId.length}:${externalUserId}#AGENCY#${externalAgencyId}`,
};

/** `<endedAt>#<callId>`: newest first when read backwards; the id breaks ties between equal times. */
export const listSortKey = (endedAt: string, callId: string) => `${endedAt}#${callId}`;

/** The table's addressing attributes on a call item, which records never carry. */
export const callKeyAttributes = [
  'pk',
  'sk',
  'tenantListPk',
  'userListPk',
  'agencyListPk',
  'userAgencyListPk',
  'listSk',
] as const;

/** The call id at the end of a list sort key. */
export const callIdOfListSortKey = (listSk: string) => listSk.slice(listSk.lastIndexOf('#') + 1);

/** The keys that put a scored call on the list indexes (no agency, no agency indexes). */
export const listIndexKeys = (call: {
  callId: string;
  tenantId: string;
  source: CallSource;
  externalUserId: string;
  externalAgencyId: string | null;
  endedAt: string;
}) => ({
  tenantListPk: listPartitions.tenant(call.tenantId, call.source),
  userListPk: listPartitions.user(call.tenantId, call.source, call.externalUserId),
  ...(call.externalAgencyId === null
    ? {}
    : {
        agencyListPk: listPartitions.agency(call.tenantId, call.source, call.externalAgencyId),
        userAgencyListPk: listPartitions.userAndAgency(
          call.tenantId,
          call.source,
          call.externalUserId,
          call.externalAgencyId,
        ),
      }),
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

/** A tenant's webhook endpoints share a partition: fan-out reads them all in one Query. */
export const webhookEndpointKey = (tenantId: string, endpointId: string) => ({
  pk: `${entityPrefixes.webhooks}${tenantId}`,
  sk: `ENDPOINT#${endpointId}`,
});

/** Webhook changes are audited beside the endpoints, so the sender never writes tenant items. */
export const webhookAuditKey = (tenantId: string, at: string, suffix: string) => ({
  pk: `${entityPrefixes.webhooks}${tenantId}`,
  sk: `AUDIT#${at}#${suffix}`,
});

/** An endpoint's delivery log: one partition, sorted by event time (delivery ids start with it). */
export const webhookDeliveryKey = (endpointId: string, deliveryId: string) => ({
  pk: `${entityPrefixes.deliveries}${endpointId}`,
  sk: deliveryId,
});

/** Events to deliver, and requests to deliver again: the table's stream carries them to fan-out. */
export const outboxKey = (id: string) => ({ pk: `${entityPrefixes.outbox}${id}`, sk: 'OUTBOX' });
