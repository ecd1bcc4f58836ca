import { KMSClient } from '@aws-sdk/client-kms';
import { traceAwsCalls } from '../observability/tracing.js';
import type { SecretSealer } from '../domain/webhookPorts.js';
import type { Environment } from '../environment.js';
import { parseKeySet } from './keySet.js';
import { createKmsSecretSealer } from './kmsSecretSealer.js';
import { createLocalSecretSealer } from './secretSealing.js';

/** The setting that holds the local sealing key set inline (local runs and tests; never the stack). */
export const webhookSealingKeysSetting = 'WEBHOOK_SEALING_KEYS';

/**
 * What seals webhook signing secrets: KMS in AWS; locally, where there is no KMS, a key set given
 * inline, as the signing keys are (`loadKeySet.ts`).
 */
export const createWebhookSecretSealer = (settings: {
  region: string;
  kmsKeyId?: string | undefined;
  env: Environment;
}): SecretSealer => {
  const inline = settings.env[webhookSealingKeysSetting];
  if (inline) return createLocalSecretSealer(parseKeySet(webhookSealingKeysSetting, inline));
  if (settings.kmsKeyId) {
    return createKmsSecretSealer(traceAwsCalls(new KMSClient({ region: settings.region })), settings.kmsKeyId);
  }
  throw new Error('Invalid configuration: set WEBHOOK_KMS_KEY_ID');
};
