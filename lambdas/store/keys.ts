/** Key builders: every item's address, with its entity prefix, is written here and nowhere else. */

export const tenantKey = (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'TENANT' });

export const quotaKey = (tenantId: string, month: string) => ({ pk: `TENANT#${tenantId}`, sk: `QUOTA#${month}` });

export const apiKeyKey = (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' });

export const tokenUseKey = (jti: string) => ({ pk: `JTI#${jti}`, sk: 'JTI' });

export const callKey = (callId: string) => ({ pk: `CALL#${callId}`, sk: 'CALL' });

export const listPartitions = {
  tenant: (tenantId: string) => `TENANT#${tenantId}`,
  user: (tenantId: string, externalUserId: string) => `TENANT#${tenantId}#USER#${externalUserId}`,
  agency: (tenantId: string, externalAgencyId: string) => `TENANT#${tenantId}#AGENCY#${externalAgencyId}`,
};

/** `<endedAt>#<callId>`: newest first when read backwards; the id breaks ties between equal times. */
export const listSortKey = (endedAt: string, callId: string) => `${endedAt}#${callId}`;

/** The tenant's own pointer to each of its keys, so keys can be listed and revoked by id. */
export const tenantApiKeyKey = (tenantId: string, keyId: string) => ({ pk: `TENANT#${tenantId}`, sk: `KEY#${keyId}` });
