import * as z from 'zod/mini';
import { outboundPolicies, type OutboundPolicy } from './domain/outboundAddresses.js';
import type { ApiMode } from './domain/testMode.js';
import { defaultRetrySchedule, parseRetrySchedule } from './domain/webhookRetries.js';
import { parseLogThreshold, type LogThreshold } from './observability/log.js';

/**
 * The Lambda's settings, read from the environment once per cold start and checked by one schema,
 * so a misconfigured deployment fails on its first request with a message naming the setting.
 * Key material is not here: `tokens/loadKeySet.ts` fetches it by reference.
 */
/** A URL of one of these schemes; the checks zod's `url()` adds are not worth their bytes here. */
const urlOf = (...schemes: string[]) =>
  z.string().check(z.regex(new RegExp(`^(${schemes.join('|')})://[^\\s/$.?#][^\\s]*$`, 'i')));

const logThreshold = z.string().check(z.refine((level) => parseLogThreshold(level) !== undefined));

const configSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  /** DynamoDB Local's address; unset in AWS. */
  DYNAMODB_ENDPOINT: z.optional(urlOf('http', 'https')),
  /** Milliseconds one DynamoDB attempt may take to connect, and then to be answered; unset, the client's defaults. */
  DYNAMODB_TIMEOUT_MS: z.optional(
    z.string().check(z.refine((ms) => /^\d{3,5}$/.test(ms) && Number(ms) >= 100 && Number(ms) <= 60_000)),
  ),
  TOKEN_ISSUER: z._default(z.string().check(z.minLength(1)), 'athos-external-api'),
  SESSION_TOKEN_TTL_SECONDS: z._default(
    z
      .string()
      .check(z.refine((seconds) => /^\d{2,3}$/.test(seconds) && Number(seconds) >= 60 && Number(seconds) <= 900)),
    '300',
  ),
  CONNECTION_URL: z._default(urlOf('wss', 'https'), 'wss://voice.useathos.ai/v1/connect'),
  /** Comma-separated origins the redeem route answers CORS for; `*` for any. */
  ALLOWED_ORIGINS: z._default(z.string(), '*'),
  /** The call-events queue and its dead-letter queue: the simulator sends, the consumer sets aside. */
  CALL_EVENTS_QUEUE_URL: z.optional(urlOf('http', 'https')),
  CALL_EVENTS_DEAD_LETTER_QUEUE_URL: z.optional(urlOf('http', 'https')),
  /** The local SQS-compatible endpoint; unset in AWS. */
  SQS_ENDPOINT: z.optional(urlOf('http', 'https')),
  SIMULATED_CALL_SECONDS: z._default(z.string().check(z.regex(/^\d{1,3}$/)), '60'),
  /** Which calls the simulator plays: `test` in AWS, `live,test` under `npm start`. */
  SIMULATED_MODES: z._default(z.string().check(z.regex(/^(live|test)(,(live|test))*$/)), 'test'),
  /** The webhook delivery queue: fan-out sends to it, the sender holds messages back on it. */
  WEBHOOK_DELIVERY_QUEUE_URL: z.optional(urlOf('http', 'https')),
  /** The KMS key that seals webhook signing secrets; locally `WEBHOOK_SEALING_KEYS` (a key set) instead. */
  WEBHOOK_KMS_KEY_ID: z.optional(z.string().check(z.minLength(1))),
  /** The waits after each failed webhook attempt, e.g. `5s,5m,30m,2h,5h,10h,10h` (Svix's, the default). */
  WEBHOOK_RETRY_SCHEDULE: z.optional(z.string().check(z.refine((text) => parseRetrySchedule(text) !== undefined))),
  /** `public` (AWS): https to public addresses only; `local` also allows http and loopback. */
  WEBHOOK_OUTBOUND_POLICY: z._default(z.enum(outboundPolicies), 'public'),
  /** Set by Lambda from the function's application log level (TRACE … FATAL); it filters by it too. */
  AWS_LAMBDA_LOG_LEVEL: z.optional(logThreshold),
  /** Local runs and tests: `debug`, `info`, `warn`, `error` or `silent`. */
  LOG_LEVEL: z.optional(logThreshold),
  /** Where the business metrics go: one namespace per stage (`observability/metricCatalog.ts`). */
  METRICS_NAMESPACE: z._default(z.string().check(z.minLength(1), z.maxLength(255)), 'AthosExternalApi/local'),
});

export interface Config {
  readonly tableName: string;
  readonly region: string;
  readonly dynamoEndpoint?: string;
  readonly dynamoTimeoutMs?: number;
  readonly tokenIssuer: string;
  readonly sessionTokenTtlSeconds: number;
  readonly connectionUrl: string;
  readonly allowedOrigins: readonly string[];
  readonly callEventsQueueUrl?: string;
  readonly callEventsDeadLetterQueueUrl?: string;
  readonly sqsEndpoint?: string;
  readonly simulatedCallSeconds: number;
  readonly simulatedModes: readonly ApiMode[];
  readonly webhookDeliveryQueueUrl?: string;
  readonly webhookKmsKeyId?: string;
  readonly webhookRetrySchedule: readonly number[];
  readonly webhookOutboundPolicy: OutboundPolicy;
  /** Lambda's application log level where it sets one, else LOG_LEVEL, else `info`. */
  readonly logLevel: LogThreshold;
  /** Where the business metrics go: one namespace per stage. */
  readonly metricsNamespace: string;
}

export const readConfig = (env: Readonly<Record<string, string | undefined>>): Config => {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const settings = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
    throw new Error(`Invalid configuration: check ${settings.join(', ')}`);
  }
  const value = parsed.data;
  return {
    tableName: value.TABLE_NAME,
    region: value.AWS_REGION,
    ...(value.DYNAMODB_ENDPOINT ? { dynamoEndpoint: value.DYNAMODB_ENDPOINT } : {}),
    ...(value.DYNAMODB_TIMEOUT_MS ? { dynamoTimeoutMs: Number(value.DYNAMODB_TIMEOUT_MS) } : {}),
    tokenIssuer: value.TOKEN_ISSUER,
    sessionTokenTtlSeconds: Number(value.SESSION_TOKEN_TTL_SECONDS),
    connectionUrl: value.CONNECTION_URL,
    allowedOrigins: value.ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    ...(value.CALL_EVENTS_QUEUE_URL ? { callEventsQueueUrl: value.CALL_EVENTS_QUEUE_URL } : {}),
    ...(value.CALL_EVENTS_DEAD_LETTER_QUEUE_URL
      ? { callEventsDeadLetterQueueUrl: value.CALL_EVENTS_DEAD_LETTER_QUEUE_URL }
      : {}),
    ...(value.SQS_ENDPOINT ? { sqsEndpoint: value.SQS_ENDPOINT } : {}),
    simulatedCallSeconds: Number(value.SIMULATED_CALL_SECONDS),
    simulatedModes: value.SIMULATED_MODES.split(',') as ApiMode[],
    ...(value.WEBHOOK_DELIVERY_QUEUE_URL ? { webhookDeliveryQueueUrl: value.WEBHOOK_DELIVERY_QUEUE_URL } : {}),
    ...(value.WEBHOOK_KMS_KEY_ID ? { webhookKmsKeyId: value.WEBHOOK_KMS_KEY_ID } : {}),
    webhookRetrySchedule: value.WEBHOOK_RETRY_SCHEDULE
      ? (parseRetrySchedule(value.WEBHOOK_RETRY_SCHEDULE) as number[])
      : defaultRetrySchedule,
    webhookOutboundPolicy: value.WEBHOOK_OUTBOUND_POLICY,
    logLevel: parseLogThreshold(value.AWS_LAMBDA_LOG_LEVEL ?? value.LOG_LEVEL ?? 'info') ?? 'info',
    metricsNamespace: value.METRICS_NAMESPACE,
  };
};

/** A setting one function needs though others do without: missing, it fails the cold start by name. */
export const requireSetting = (value: string | undefined, name: string): string => {
  if (value === undefined) throw new Error(`Invalid configuration: check ${name}`);
  return value;
};
