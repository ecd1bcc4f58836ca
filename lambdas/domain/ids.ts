import { randomBase62, randomBase64Url } from './random.js';

/** Public call ids look like `athos_call_GZ1DjOkZv_VEPoE-CJ8mp`: 21 base64url characters, 126 bits. */
export const callIdPattern = /^athos_call_[A-Za-z0-9_-]{21}$/;
export const newCallId = (): string => `athos_call_${randomBase64Url(16).slice(0, 21)}`;

export const newSessionId = (): string => `ext_${randomBase64Url(16).slice(0, 21)}`;

export const newTokenId = (): string => randomBase64Url(18);

/** Tenant ids are embedded in API keys (see apiKeys.ts), so their body has a fixed shape. */
export const tenantIdBodyLength = 16;
export const tenantIdPattern = new RegExp(`^tnt_[0-9A-Za-z]{${tenantIdBodyLength}}$`);
export const newTenantId = (): string => `tnt_${randomBase62(tenantIdBodyLength)}`;

/** Key ids carry their tenant's id body, so a key can be found by its id alone. */
export const newApiKeyId = (tenantId: string): string => `key_${tenantId.slice('tnt_'.length)}_${randomBase62(10)}`;
export const apiKeyIdPattern = new RegExp(`^key_([0-9A-Za-z]{${tenantIdBodyLength}})_[0-9A-Za-z]{10}$`);
export const tenantIdOfApiKeyId = (keyId: string): string | undefined => {
  const body = apiKeyIdPattern.exec(keyId)?.[1];
  return body === undefined ? undefined : `tnt_${body}`;
};
