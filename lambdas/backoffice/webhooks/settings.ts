import * as z from 'zod/mini';
import { outboundPolicies, type OutboundPolicy } from '../../domain/outboundAddresses.js';
import { defaultRetrySchedule, parseRetrySchedule } from '../../domain/webhookRetries.js';

/**
 * The webhook Lambdas' own settings, read once per cold start like `config.ts`; a bad one stops the
 * function with the setting's name. The stack sets the queue and the key; the schedule and the
 * outbound policy keep their defaults in AWS and are changed only by local runs.
 */
const settingsSchema = z.object({
  /** The delivery queue (fan-out sends to it, the sender holds messages back on it). */
  DELIVERY_QUEUE_URL: z.optional(z.string().check(z.regex(/^https:\/\//))),
  /** The KMS key that seals signing secrets (the sender decrypts with it). */
  WEBHOOK_KMS_KEY_ID: z.optional(z.string().check(z.minLength(1))),
  /** The waits after each failed attempt, e.g. `5s,5m,30m,2h,5h,10h,10h`. */
  WEBHOOK_RETRY_SCHEDULE: z.optional(z.string().check(z.refine((text) => parseRetrySchedule(text) !== undefined))),
  OUTBOUND_POLICY: z._default(z.enum(outboundPolicies), 'public'),
});

export interface WebhookSettings {
  readonly deliveryQueueUrl?: string;
  readonly kmsKeyId?: string;
  readonly retrySchedule: readonly number[];
  readonly outboundPolicy: OutboundPolicy;
}

export const readWebhookSettings = (env: NodeJS.ProcessEnv): WebhookSettings => {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const settings = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
    throw new Error(`Invalid configuration: check ${settings.join(', ')}`);
  }
  const value = parsed.data;
  return {
    ...(value.DELIVERY_QUEUE_URL ? { deliveryQueueUrl: value.DELIVERY_QUEUE_URL } : {}),
    ...(value.WEBHOOK_KMS_KEY_ID ? { kmsKeyId: value.WEBHOOK_KMS_KEY_ID } : {}),
    retrySchedule: value.WEBHOOK_RETRY_SCHEDULE
      ? (parseRetrySchedule(value.WEBHOOK_RETRY_SCHEDULE) as number[])
      : defaultRetrySchedule,
    outboundPolicy: value.OUTBOUND_POLICY,
  };
};

/** A setting the function cannot work without. */
export const required = <T>(value: T | undefined, name: string): T => {
  if (value === undefined) throw new Error(`Invalid configuration: set ${name}`);
  return value;
};
