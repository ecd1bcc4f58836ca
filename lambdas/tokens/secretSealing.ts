import type { SecretSealer } from '../domain/webhookPorts.js';
import { createAead } from './aead.js';
import type { KeySet } from './keySet.js';

/**
 * Webhook signing secrets sealed with a local key set (a laptop's `.data/local.json`, the tests):
 * AES-256-GCM bound to the endpoint, so a sealed secret copied onto another endpoint does not open.
 * In AWS, KMS seals them instead (`kmsSecretSealer.ts`); the prefix says which sealed a secret.
 */
const prefix = 'local:';

export const createLocalSecretSealer = (keys: KeySet): SecretSealer => {
  const aead = createAead(keys, 'athos-webhook-secret-v1');
  return {
    async seal(secret, endpointId) {
      return `${prefix}${aead.seal(secret, endpointId)}`;
    },
    async open(sealed, endpointId) {
      const secret = sealed.startsWith(prefix) ? aead.open(sealed.slice(prefix.length), endpointId) : undefined;
      if (secret === undefined)
        throw new Error(`the signing secret of ${endpointId} does not open with the local keys`);
      return secret;
    },
  };
};
