import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SecretSealer } from '../domain/webhookPorts.js';

/**
 * Webhook signing secrets sealed by KMS. Unlike an API key, a signing secret cannot be stored as a
 * hash: the sender must hold it to sign. So the table keeps only KMS ciphertext, made under a key
 * whose policy lets the operator encrypt and only the sender decrypt; a leaked table, backup or
 * export holds no usable secret. The encryption context binds each ciphertext to its endpoint (a
 * ciphertext copied to another endpoint does not decrypt) and names the purpose, which the
 * sender's permission requires. A secret is 32 bytes, far under KMS's 4 KB, so KMS encrypts it
 * directly: no data key to manage.
 */
const prefix = 'kms:';
/** The encryption context's purpose: the sender's permission to decrypt names it. */
export const webhookSecretPurpose = 'athos-webhook-secret';
/** Opened secrets a warm sender keeps, so each endpoint costs one Decrypt per cold start. */
const maxCached = 1_000;

const encryptionContext = (endpointId: string) => ({ purpose: webhookSecretPurpose, endpointId });

export const createKmsSecretSealer = (kms: KMSClient, keyId: string): SecretSealer => {
  const opened = new Map<string, string>();
  return {
    async seal(secret, endpointId) {
      const { CiphertextBlob } = await kms.send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: Buffer.from(secret, 'utf8'),
          EncryptionContext: encryptionContext(endpointId),
        }),
      );
      if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
      return `${prefix}${Buffer.from(CiphertextBlob).toString('base64')}`;
    },

    async open(sealed, endpointId) {
      const known = opened.get(sealed);
      if (known !== undefined) return known;
      if (!sealed.startsWith(prefix)) throw new Error(`the signing secret of ${endpointId} was not sealed by KMS`);
      const { Plaintext } = await kms.send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(sealed.slice(prefix.length), 'base64'),
          EncryptionContext: encryptionContext(endpointId),
        }),
      );
      if (!Plaintext) throw new Error('KMS returned no plaintext');
      const secret = Buffer.from(Plaintext).toString('utf8');
      if (opened.size >= maxCached) opened.delete(opened.keys().next().value as string);
      opened.set(sealed, secret);
      return secret;
    },
  };
};
