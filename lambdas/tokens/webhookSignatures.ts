import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a secret is `whsec_` + base64 of
 * random bytes; a signature is `v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`
 * under the decoded bytes. Several signatures are sent space-separated (during a secret's rotation),
 * and a receiver accepts the message if any one verifies. The tests prove these bytes equal the
 * `standardwebhooks` package's own.
 */
const secretPrefix = 'whsec_';
const secretBytes = 32;

export const newWebhookSecret = (): string => `${secretPrefix}${randomBytes(secretBytes).toString('base64')}`;

export const webhookSecretPattern = /^whsec_[A-Za-z0-9+/]{43}=$/;

const keyOf = (secret: string): Buffer => Buffer.from(secret.slice(secretPrefix.length), 'base64');

export interface SignedHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * The three headers of one attempt. The id is the same on every attempt of an event to an
 * endpoint, so a receiver can drop duplicates; the timestamp is the attempt's, so a receiver may
 * refuse old replays (the library's tolerance is five minutes).
 * @param secrets every secret in use, newest first; each adds a signature
 */
export const signWebhook = (
  secrets: readonly string[],
  message: { id: string; at: Date; body: string },
): SignedHeaders => {
  const timestamp = String(Math.floor(message.at.getTime() / 1000));
  const signed = `${message.id}.${timestamp}.${message.body}`;
  return {
    'webhook-id': message.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': secrets
      .map((secret) => `v1,${createHmac('sha256', keyOf(secret)).update(signed).digest('base64')}`)
      .join(' '),
  };
};
